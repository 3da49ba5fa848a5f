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

    /// The elements as NumPy prints them: integers right-aligned to a common width; floats in fixed notation
    /// with trailing zeros dropped ("1.", "2.5"), integer parts right- and fractions left-aligned.
    func elementTexts() throws(TensorError) -> [String] {
        let host = try tensor.contiguous()
        switch tensor.dtype {
        case .bool:
            let v = try host.int64s().map { $0 != 0 ? "True" : "False" }
            let w = v.map(\.count).max() ?? 0
            return v.map { String(repeating: " ", count: w - $0.count) + $0 }
        case .int64, .int32, .uint8:
            let v = try host.int64s().map { String($0) }
            let w = v.map(\.count).max() ?? 0
            return v.map { String(repeating: " ", count: w - $0.count) + $0 }
        case .float32, .float64:
            let values = try host.doubles()
            let texts = values.map { x -> String in
                if x.isNaN { return "nan" }
                if x.isInfinite { return x < 0 ? "-inf" : "inf" }
                return tensor.dtype == .float32 ? "\(Float(x))" : "\(x)"
            }
            let finite = values.filter { $0.isFinite && $0 != 0 }.map { Swift.abs($0) }
            if let big = finite.max(), let small = finite.min(), big >= 1e8 || small < 1e-4 {
                return values.map { NumberFormat.format("%.8e", $0) }   // NumPy's scientific form, roughly
            }
            let parts = texts.map { s -> (String, String) in
                guard let dot = s.firstIndex(of: ".") else { return (s, "") }
                var frac = String(s[s.index(after: dot)...])
                while frac.hasSuffix("0") { frac.removeLast() }
                return (String(s[..<dot]), frac)
            }
            let anyNegative = values.contains { $0 < 0 || ($0 == 0 && $0.sign == .minus) }
            let intWidth = parts.map { $0.0.count }.max() ?? 0, fracWidth = parts.map { $0.1.count }.max() ?? 0
            return parts.map { p in
                if p.0 == "nan" || p.0.hasSuffix("inf") {
                    return String(repeating: " ", count: Swift.max(0, intWidth + 1 + fracWidth - p.0.count)) + p.0
                }
                let int = String(repeating: " ", count: Swift.max(0, Swift.max(intWidth, anyNegative ? 2 : 1) - p.0.count)) + p.0
                return int + "." + p.1 + String(repeating: " ", count: fracWidth - p.1.count)
            }
        }
    }

    /// Nested brackets of the element texts; rows break onto new lines indented by `indent`.
    func nested(_ texts: [String], separator: String, indent: Int) -> String {
        let shape = tensor.shape
        func build(_ dim: Int, _ start: Int) -> String {
            if dim == shape.count { return texts[start] }
            let step = shape[(dim + 1)...].reduce(1, *)
            let items = (0..<shape[dim]).map { build(dim + 1, start + $0 * step) }
            let lineBreak = String(repeating: "\n", count: Swift.max(1, shape.count - dim - 1)) + String(repeating: " ", count: indent + dim + 1)
            return "[" + items.joined(separator: dim == shape.count - 1 ? separator : separator.trimmingTrailingSpace + lineBreak) + "]"
        }
        return build(0, 0)
    }

    func repr(_ i: Interpreter) -> String {
        guard let texts = try? elementTexts() else { return "array(...)" }
        let suffix = [.float64, .int64, .bool].contains(tensor.dtype) ? "" : ", dtype=\(dtypeName)"
        if tensor.rank == 0 { return "array(\(texts[0].trimmingLeadingSpace)\(suffix))" }
        return "array(" + nested(texts, separator: ", ", indent: 6) + suffix + ")"
    }

    func checkedStr(_ i: Interpreter) throws(DLXError) -> String? {
        if tensor.rank == 0 { return try i.str(i.pythonValue(try i.engine { () throws(TensorError) in try tensor.scalar() })) }
        return nested(try i.engine { () throws(TensorError) in try self.elementTexts() }, separator: " ", indent: 0)
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

extension String {
    var trimmingLeadingSpace: String { String(drop { $0 == " " }) }
    var trimmingTrailingSpace: String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
