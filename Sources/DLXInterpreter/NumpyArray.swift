import DLXEngine

/// A value that stands for an array of numbers without being a tensor: a NumPy array, a PIL image (its
/// pixels as an HxW or HxWxC uint8 tensor). What takes arrays (`np.array`, `torch.tensor`, `ToTensor`,
/// `plt.imshow`, `show`) takes these through `arrayTensor`.
protocol ArrayLike: AnyObject {
    var arrayTensor: Tensor { get }
}

/// NumPy's ndarray: a dlx tensor (on the CPU, never recording gradients) seen with NumPy's semantics. What
/// `tensor.numpy()` and `np.array(...)` give; views share the tensor's memory. Its attributes and methods are
/// in NumpyArrayMethods.swift, its operators in NumpyOperators.swift, indexing in NumpyIndexing.swift.
final class NDArrayObject: ObjectProtocols, ArrayLike {
    let tensor: Tensor
    init(_ tensor: Tensor) { self.tensor = tensor }
    var arrayTensor: Tensor { tensor }

    var typeName: String { "ndarray" }
    var qualifiedName: String { "numpy.ndarray" }

    static func make(_ t: Tensor) throws(DLXError) -> Value {
        if t.requiresGrad {
            throw DLXError("RuntimeError", "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        }
        guard t.device == .cpu else {
            throw .type("can't convert \(t.device) device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.")
        }
        return .object(NDArrayObject(t.detached()))
    }

    /// NumPy's dtype names are dlx's.
    var dtypeName: String { tensor.dtype.name }

    func makeIterator(_ i: Interpreter) throws(DLXError) -> ValueIterator? {
        guard tensor.rank > 0 else { throw .type("iteration over a 0-d array") }
        var k = 0
        return ValueIterator { [self] () throws(DLXError) -> Value? in
            guard k < tensor.shape[0] else { return nil }
            k += 1
            return try item(.int(k - 1), i)
        }
    }

    /// NumPy 2.x's repr: `array([[0., 1.],\n       [2., 3.]], dtype=float32)`.
    func repr(_ i: Interpreter) -> String {
        (try? NumPyPrinter.repr(tensor)) ?? "array(...)"
    }

    /// What `print(a)` shows: the brackets alone, or the scalar of a 0-d array.
    func checkedStr(_ i: Interpreter) throws(DLXError) -> String? {
        try i.engine { () throws(TensorError) in try NumPyPrinter.str(tensor) }
    }
}

/// `array.dtype`: prints as `int64`, reprs as `dtype('int64')`.
final class NumpyDType: ObjectProtocols {
    let name: String
    init(_ name: String) { self.name = name }
    var typeName: String { "dtype[\(name)]" }
    var qualifiedName: String { "numpy.dtype" }
    func repr(_ i: Interpreter) -> String { "dtype('\(name)')" }
    func checkedStr(_ i: Interpreter) throws(DLXError) -> String? { name }
}
