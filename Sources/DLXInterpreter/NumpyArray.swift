import DLXEngine

/// A value that stands for an array of numbers without being a tensor: a NumPy array, a PIL image (its
/// pixels as an HxW or HxWxC uint8 tensor). What takes arrays (`np.array`, `torch.tensor`, `ToTensor`,
/// `plt.imshow`, `show`) takes these through `arrayTensor`.
protocol ArrayLike: AnyObject {
    var arrayTensor: Tensor { get }
}

/// What `tensor.numpy()` gives: a NumPy-style array sharing the tensor's memory, with what code does with it
/// right away (`tolist()`, `shape`, `dtype`, `item()`, `len`, iteration, indexing) and NumPy's repr and str
/// for small arrays. dlx has no NumPy module; arithmetic on these arrays is not supported.
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

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "tolist": return i.method(name) { _, i throws(DLXError) in try i.toList(self.tensor) }
        case "shape": return .tuple(tensor.shape.map { .int($0) })
        case "ndim": return .int(tensor.rank)
        case "size": return .int(tensor.count)
        case "dtype": return .object(NumpyDType(dtypeName))
        case "T": return try NDArrayObject.make(try i.engine { () throws(TensorError) in try tensor.permute(Array((0..<tensor.rank).reversed())) })
        case "item":
            return i.method(name) { _, i throws(DLXError) in
                guard self.tensor.count == 1 else { throw .value("can only convert an array of size 1 to a Python scalar") }
                return i.pythonValue(try i.engine { () throws(TensorError) in try self.tensor.scalar() })
            }
        default: return nil
        }
    }
    var attributeNames: [String] { ["T", "dtype", "item", "ndim", "shape", "size", "tolist"] }

    func length(_ i: Interpreter) throws(DLXError) -> Int? {
        guard tensor.rank > 0 else { throw .type("len() of unsized object") }
        return tensor.shape[0]
    }

    func item(_ key: Value, _ i: Interpreter) throws(DLXError) -> Value? {
        let v = try i.getItem(.tensor(tensor), [key])
        guard case .tensor(let t) = v else { return v }
        return t.rank == 0 ? i.pythonValue(try i.engine { () throws(TensorError) in try t.scalar() }) : .object(NDArrayObject(t))
    }

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
    func attribute(_ n: String, _ i: Interpreter) throws(DLXError) -> Value? { n == "name" ? .string(name) : nil }
}

extension String {
    var trimmingLeadingSpace: String { String(drop { $0 == " " }) }
    var trimmingTrailingSpace: String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
