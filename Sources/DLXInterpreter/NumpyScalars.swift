import DLXEngine
import DLXFrontEnd

/// A NumPy scalar: what indexing one element or reducing a whole array gives (`np.float64(1.5)`,
/// `np.int64(3)`, `np.float32(0.5)`, `np.True_`). It prints as the Python number (`1.5`), reprs as NumPy 2
/// does, and takes part in arithmetic as a 0-d array of its dtype (NumPy's promotion), so that
/// `np.float32(1) + 1.0` stays float32 and `np.int64(3) / 2` is float64. `float()`, `int()`, f-strings,
/// list indices and `range` read it as the Python number (`pythonNumber`).
final class NumpyScalar: ObjectProtocols {
    let dtype: DType
    /// The value as the dtype holds it (a float32's value rounded to Float).
    let value: Scalar

    init(_ dtype: DType, _ value: Scalar) {
        self.dtype = dtype
        switch (dtype, value) {
        case (.bool, _): self.value = .bool(value.double != 0)
        case (.float32, _): self.value = .float(Double(Float(value.double)))
        case (.float64, _): self.value = .float(value.double)
        case (_, .float(let f)): self.value = .int(Tensor.truncatedInt(f))
        case (_, .bool(let b)): self.value = .int(b ? 1 : 0)
        default: self.value = value
        }
    }

    /// The element of a 0-d tensor.
    static func of(_ t: Tensor) throws(TensorError) -> NumpyScalar { NumpyScalar(t.dtype, try t.scalar()) }

    var typeName: String { dtype.name }
    var qualifiedName: String { "numpy." + dtype.name }

    /// The Python number it stands for.
    var pythonNumber: Value {
        switch value {
        case .bool(let b): return .bool(b)
        case .int(let n): return .int(Int(n))
        case .float(let f): return .float(f)
        }
    }

    /// The digits NumPy's `str` gives: a float32 in its own shortest form (`0.1`, not 0.10000000149011612),
    /// scientific outside 1e-4 to 1e6 (`1e+06`); a float64 as Python's float.
    var text: String {
        switch value {
        case .bool(let b): return b ? "True" : "False"
        case .int(let n): return String(n)
        case .float(let f): return NumPyPrinter.scalarStr(f, dtype: dtype)
        }
    }

    func repr(_ i: Interpreter) -> String {
        if case .bool(let b) = value { return b ? "np.True_" : "np.False_" }
        return "np.\(dtype.name)(\(text))"
    }
    func checkedStr(_ i: Interpreter) throws(DLXError) -> String? { text }
    func truth(_ i: Interpreter) throws(DLXError) -> Bool? { value.double != 0 }
    func hashKey(_ i: Interpreter) throws(DLXError) -> HashKey? { try HashKey(pythonNumber) }

    /// As a 0-d array of its dtype.
    func tensor(_ i: Interpreter) throws(DLXError) -> Tensor {
        try i.engine { () throws(TensorError) in
            switch value {
            case .int(let n): return try Tensor.from([n], shape: [], dtype: dtype, on: i.session.backend)
            default: return try Tensor.full([], value.double, dtype: dtype, on: i.session.backend)
            }
        }
    }

    func binaryOperator(_ op: BinaryOp, _ other: Value, reflected: Bool, _ i: Interpreter) throws(DLXError) -> Value? {
        if case .tensor = other { return nil }
        switch other {   // [0] * np.int64(3), "%d" % np.int64(3): as the Python number
        case .list, .tuple, .string: return try i.binaryOp(op, reflected ? other : pythonNumber, reflected ? pythonNumber : other)
        default: break
        }
        guard let o = try i.numpyOperand(other) else { return nil }
        let me = NumpyOperand.array(try tensor(i))
        return try i.numpyBinary(op, reflected ? o : me, reflected ? me : o)
    }

    func compare(_ op: CompareOp, _ other: Value, _ i: Interpreter) throws(DLXError) -> Value? {
        if case .tensor = other { return nil }
        guard let o = try i.numpyOperand(other) else { return nil }
        return try i.numpyCompare(op, .array(try tensor(i)), o)
    }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "item", "tolist": return i.method(name) { _, _ throws(DLXError) in self.pythonNumber }
        case "dtype": return .object(NumpyDType(dtype.name))
        case "shape": return .tuple([])
        case "ndim": return .int(0)
        case "size": return .int(1)
        case "itemsize", "nbytes": return .int(dtype.itemSize)
        case "astype":
            return i.method(name) { a, i throws(DLXError) in
                let d = try i.numpyDType(try a.required(0, "dtype"))
                return .object(NumpyScalar(d, self.value))
            }
        case "is_integer" where dtype.isFloatingPoint:
            return i.method(name) { _, _ throws(DLXError) in .bool(self.value.double == self.value.double.rounded()) }
        default:   // round, clip, sum, ...: as a 0-d array's (their results are scalars again)
            return try NDArrayObject(try tensor(i)).attribute(name, i)
        }
    }
    var attributeNames: [String] { Interpreter.ndarrayMethods.names }
}

extension Tensor {
    /// A float truncated toward zero as an integer (NumPy's and PyTorch's float-to-int cast), within Int64.
    static func truncatedInt(_ f: Double) -> Int64 {
        guard f.isFinite else { return Int64.min }
        if f >= 9.2e18 { return Int64.max }
        if f <= -9.2e18 { return Int64.min }
        return Int64(f.rounded(.towardZero))
    }
}

/// The scalar types `np.float32`, `np.int64`, `np.uint8`, `np.bool_`, ...: usable as `dtype=` and in
/// `astype`, callable (`np.float32(1.5)` a scalar, `np.float32([1, 2])` an array), and `isinstance`'s class.
extension Interpreter {
    /// The names NumPy gives its scalar types, and their dtypes.
    static let numpyScalarTypes: [(String, DType)] = [
        ("float64", .float64), ("float32", .float32), ("int64", .int64), ("int32", .int32), ("uint8", .uint8),
        ("bool_", .bool), ("bool", .bool), ("double", .float64), ("single", .float32), ("int_", .int64), ("intp", .int64),
    ]

    func numpyScalarType(_ name: String, _ dtype: DType) -> Value {
        .object(TypeObject(dtype.name, qualified: "numpy." + dtype.name) { a, i throws(DLXError) in
            guard let v = try a.get(0, "value") else {
                return .object(NumpyScalar(dtype, dtype.isFloatingPoint ? .float(0) : .int(0)))
            }
            if let s = i.scalar(v) { return .object(NumpyScalar(dtype, s)) }
            if case .string(let s) = v {
                guard let d = Double(s.trimmingSpaces) else { throw .value("could not convert string to float: \(Interpreter.quote(s))") }
                return .object(NumpyScalar(dtype, .float(d)))
            }
            let t = try i.numpyData(v, dtype: dtype)
            if t.rank == 0 { return .object(try i.engine { () throws(TensorError) in try NumpyScalar.of(t) }) }
            return .object(NDArrayObject(t))
        })
    }

    /// For `int()` and `float()`: a NumPy scalar's or one-element array's Python number, or the value itself.
    func numpyNumber(_ v: Value) -> Value {
        if case .object(let a as NDArrayObject) = v, a.tensor.count == 1, let s = try? a.tensor.reshape([]).scalar() { return pythonValue(s) }
        return numpyPlain(v)
    }

    /// A NumPy scalar's (or 0-d array's) Python number, or the value itself.
    func numpyPlain(_ v: Value) -> Value {
        if case .object(let s as NumpyScalar) = v { return s.pythonNumber }
        if case .object(let a as NDArrayObject) = v, a.tensor.rank == 0, let s = try? a.tensor.scalar() { return pythonValue(s) }
        return v
    }
}

/// `np.dtype` equality: `a.dtype == np.float32`, `a.dtype == 'int64'`, `a.dtype == float`.
extension NumpyDType {
    func compare(_ op: CompareOp, _ other: Value, _ i: Interpreter) throws(DLXError) -> Value? {
        guard op == .equal || op == .notEqual else { return nil }
        let mine = DType.named(name)
        let same = (try? i.numpyDType(other)).map { $0 == mine } ?? false
        return .bool(op == .equal ? same : !same)
    }

    func hashKey(_ i: Interpreter) throws(DLXError) -> HashKey? { .string("numpy.dtype:" + name) }

    func attribute(_ n: String, _ i: Interpreter) throws(DLXError) -> Value? {
        let d = DType.named(name) ?? .float64
        switch n {
        case "name": return .string(name)
        case "itemsize": return .int(d.itemSize)
        case "kind": return .string(d == .bool ? "b" : d.isFloatingPoint ? "f" : d == .uint8 ? "u" : "i")
        case "type": return i.numpyScalarType(name, d)
        case "str": return .string(d == .bool ? "|b1" : d == .uint8 ? "|u1" : "<" + (d.isFloatingPoint ? "f" : "i") + String(d.itemSize))
        default: return nil
        }
    }
    var attributeNames: [String] { ["itemsize", "kind", "name", "str", "type"] }
}
