import DLXEngine

/// `import numpy as np`: the members (`numpyCoreMembers`), and the conversions every NumPy function
/// shares: `dtype=` values, array-likes as tensors (`numpyData`), shapes, and results as arrays or NumPy
/// scalars. Arrays live in dlx tensors; NumPy's dtype rules are applied here (np.array([1.5]) is float64,
/// np.arange(5) int64), not PyTorch's.
extension Interpreter {
    func numpyCoreMembers() -> [String: Value] {
        var m: [String: Value] = [
            "pi": .float(Double.pi), "e": .float(2.718281828459045), "inf": .float(.infinity), "nan": .float(.nan),
            "newaxis": .none,
            "True_": .object(NumpyScalar(.bool, .bool(true))), "False_": .object(NumpyScalar(.bool, .bool(false))),
            "ndarray": .object(TypeObject("ndarray", qualified: "numpy.ndarray") { a, i throws(DLXError) in
                let shape = try i.numpyShape(try a.required(0, "shape"))
                let dtype = try a.get(1, "dtype").map { v throws(DLXError) in try i.numpyDType(v) } ?? .float64
                return try i.numpyZeros(shape, dtype)
            }),
            "dtype": .object(TypeObject("dtype", qualified: "numpy.dtype") { a, i throws(DLXError) in
                .object(NumpyDType(try i.numpyDType(try a.required(0, "dtype")).name))
            }),
        ]
        for (name, dtype) in Interpreter.numpyScalarTypes { m[name] = numpyScalarType(name, dtype) }
        func add(_ name: String, _ body: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Value) {
            m[name] = function(name, body)
        }
        add("array") { a, i throws(DLXError) in
            let v = try a.required(0, "object")
            let dtype = try i.numpyOptionalDType(try a.get(1, "dtype"))
            let copy = try a.get(2, "copy").map { x throws(DLXError) in try i.truthy(x) } ?? true
            return .object(NDArrayObject(try i.numpyArray(v, dtype: dtype, copy: copy)))
        }
        for name in ["asarray", "asanyarray", "ascontiguousarray"] {
            add(name) { a, i throws(DLXError) in
                let v = try a.required(0, "a")
                return .object(NDArrayObject(try i.numpyArray(v, dtype: try i.numpyOptionalDType(try a.get(1, "dtype")), copy: false)))
            }
        }
        for name in ["zeros", "ones", "empty"] {
            add(name) { a, i throws(DLXError) in
                let shape = try i.numpyShape(try a.required(0, "shape"))
                let dtype = try i.numpyOptionalDType(try a.get(1, "dtype")) ?? .float64
                return name == "ones" ? try i.numpyFull(shape, .int(1), dtype) : try i.numpyZeros(shape, dtype)
            }
        }
        add("full") { a, i throws(DLXError) in
            let shape = try i.numpyShape(try a.required(0, "shape"))
            let fill = i.numpyPlain(try a.required(1, "fill_value"))
            return try i.numpyFull(shape, fill, try i.numpyOptionalDType(try a.get(2, "dtype")))
        }
        for name in ["zeros_like", "ones_like", "empty_like", "full_like"] {
            add(name) { a, i throws(DLXError) in
                let like = try i.numpyData(try a.required(0, "a"), dtype: nil)
                let fill: Value = name == "full_like" ? i.numpyPlain(try a.required(1, "fill_value")) : .int(name == "ones_like" ? 1 : 0)
                let dtype = try i.numpyOptionalDType(try a.get(name == "full_like" ? 2 : 1, "dtype")) ?? like.dtype
                return try i.numpyFull(like.shape, fill, dtype)
            }
        }
        add("arange") { a, i throws(DLXError) in try i.numpyArange(&a) }
        add("linspace") { a, i throws(DLXError) in try i.numpyLinspace(&a) }
        for name in ["eye", "identity"] {
            add(name) { a, i throws(DLXError) in
                let n = try i.toInt(try a.required(0, "N"), "N")
                let cols = name == "eye" ? try a.get(1, "M").flatMap { v throws(DLXError) -> Int? in v.isNone ? nil : try i.toInt(v, "M") } ?? n : n
                let k = name == "eye" ? try a.get(2, "k").map { v throws(DLXError) in try i.toInt(v, "k") } ?? 0 : 0
                let dtype = try i.numpyOptionalDType(try a.get(name == "eye" ? 3 : 1, "dtype")) ?? .float64
                guard n >= 0, cols >= 0 else { throw .value("negative dimensions are not allowed") }
                var values = [Int64](repeating: 0, count: try i.checkedCount([n, cols]))
                for r in 0..<n where r + k >= 0 && r + k < cols { values[r * cols + r + k] = 1 }
                return .object(NDArrayObject(try i.engine { () throws(TensorError) in
                    try Tensor.from(values, shape: [n, cols], dtype: dtype, on: i.session.backend)
                }))
            }
        }
        return m.merging(numpyFunctionMembers()) { a, _ in a }.merging(numpyExtraMembers()) { a, _ in a }
    }

    // MARK: - Conversions

    /// A `dtype=` value: `np.float32`, `'float32'`, `float` (float64), `int` (int64), `bool`, `np.dtype(...)`,
    /// `a.dtype`, or a torch dtype.
    func numpyDType(_ v: Value) throws(DLXError) -> DType {
        switch v {
        case .dtype(let d): return d
        case .object(let t as TypeObject):
            switch t.qualified {
            case "float": return .float64
            case "int": return .int64
            case "bool": return .bool
            default:
                if t.qualified.hasPrefix("numpy."), let d = DType.named(String(t.qualified.dropFirst(6))) { return d }
            }
        case .object(let d as NumpyDType): if let d = DType.named(d.name) { return d }
        case .string(let s):
            let names: [String: DType] = ["float": .float64, "float64": .float64, "f8": .float64, "d": .float64, "double": .float64,
                                          "float32": .float32, "f4": .float32, "f": .float32, "single": .float32,
                                          "int": .int64, "int64": .int64, "i8": .int64, "int32": .int32, "i4": .int32,
                                          "uint8": .uint8, "u1": .uint8, "B": .uint8, "bool": .bool, "?": .bool, "b1": .bool]
            if let d = names[s] { return d }
            throw .type("data type \(Interpreter.quote(s)) not understood")
        default: break
        }
        throw .type("Cannot interpret '\((try? repr(v)) ?? v.typeName)' as a data type")
    }

    func numpyOptionalDType(_ v: Value?) throws(DLXError) -> DType? {
        guard let v, !v.isNone else { return nil }
        return try numpyDType(v)
    }

    /// A shape: an int or a sequence of ints.
    func numpyShape(_ v: Value) throws(DLXError) -> [Int] {
        let items: [Value]
        switch numpyPlain(v) {
        case .int(let n): items = [.int(n)]
        case .list(let l): items = l.items
        case .tuple(let t): items = t
        case .size(let s): items = s.map { .int($0) }
        default: throw .type("'\(v.typeName)' object cannot be interpreted as an integer")
        }
        var shape: [Int] = []
        for x in items {
            guard case .int(let n) = numpyPlain(x) else { throw .type("'\(x.typeName)' object cannot be interpreted as an integer") }
            guard n >= 0 else { throw .value("negative dimensions are not allowed") }
            shape.append(n)
        }
        _ = try checkedCount(shape)
        return shape
    }

    /// The tensor an array-like already is (an ndarray, a tensor, a picture), if it is one.
    func numpySource(_ v: Value) throws(DLXError) -> Tensor? {
        switch v {
        case .object(let a as NDArrayObject): return a.tensor
        case .object(let a as ArrayLike): return a.arrayTensor
        case .object(let s as NumpyScalar): return try s.tensor(self)
        case .tensor(let t):
            guard case .object(let a as NDArrayObject) = try NDArrayObject.make(t) else { return t }
            return a.tensor
        default: return nil
        }
    }

    /// `np.array(v, dtype)`'s tensor; with copy false it may share memory with v (np.asarray).
    func numpyArray(_ v: Value, dtype: DType?, copy: Bool) throws(DLXError) -> Tensor {
        guard let source = try numpySource(v) else { return try numpyData(v, dtype: dtype) }
        let t = try engine { () throws(TensorError) in try source.to(dtype ?? source.dtype) }
        return copy && t === source ? try engine { () throws(TensorError) in try t.clone() } : t
    }

    /// An array-like as a tensor (shared when it is one already): nested lists and tuples of numbers,
    /// NumPy scalars and arrays; Python floats are float64, ints int64, as NumPy makes them.
    func numpyData(_ v: Value, dtype: DType?) throws(DLXError) -> Tensor {
        if let source = try numpySource(v) { return try engine { () throws(TensorError) in try source.to(dtype ?? source.dtype) } }
        var values: [Scalar] = [], kind: DType? = nil
        func note(_ d: DType) { kind = kind.map { DType.numpyPromote($0, d) } ?? d }
        func walk(_ x: Value, _ prefix: [Int]) throws(DLXError) -> [Int] {
            guard prefix.count < 32 else { throw .value("maximum supported dimension for an ndarray is 32, found 33") }
            switch x {
            case .bool(let b): values.append(.bool(b)); note(.bool); return []
            case .int(let n): values.append(.int(Int64(n))); note(.int64); return []
            case .float(let f): values.append(.float(f)); note(.float64); return []
            case .object(let s as NumpyScalar): values.append(s.value); note(s.dtype); return []
            default: break
            }
            if let t = try numpySource(x) {
                note(t.dtype)
                let host = try engine { () throws(TensorError) in try t.contiguous() }
                if t.dtype.isFloatingPoint {
                    values += try engine { () throws(TensorError) in try host.doubles() }.map { .float($0) }
                } else {
                    values += try engine { () throws(TensorError) in try host.int64s() }.map { .int($0) }
                }
                return t.shape
            }
            let items: [Value]
            switch x {
            case .list(let l): items = l.items
            case .tuple(let t): items = t
            case .size(let s): items = s.map { .int($0) }
            case .object(let r as RangeObject): items = try iterateAll(.object(r))
            case .string(let s): throw .value("dlx's NumPy arrays hold numbers: could not convert string to float: \(Interpreter.quote(s))")
            default: throw .type("float() argument must be a string or a real number, not '\(x.typeName)'")
            }
            var inner: [Int]? = nil
            for item in items {
                let s = try walk(item, prefix + [items.count])
                if inner == nil { inner = s } else if inner != s {
                    let shape = prefix + [items.count]
                    throw .value("setting an array element with a sequence. The requested array has an inhomogeneous shape after \(shape.count) dimensions. The detected shape was \(Interpreter.numpyShapeText(shape)) + inhomogeneous part.")
                }
            }
            return [items.count] + (inner ?? [])
        }
        let shape = try walk(v, [])
        let target = dtype ?? kind ?? .float64
        _ = try checkedCount(shape)
        return try engine { () throws(TensorError) in
            let t = try Tensor.empty(shape, dtype: target, on: session.backend)
            for (k, s) in values.enumerated() {
                switch s {
                case .int(let n): t.storeValue(int: n, at: k)
                case .bool(let b): t.storeValue(int: b ? 1 : 0, at: k)
                case .float(let f): if target.isFloatingPoint || f.isFinite { t.storeValue(double: f, at: k) } else { t.storeValue(int: Int64.min, at: k) }
                }
            }
            return t
        }
    }

    /// NumPy's `(2,3)`, `(4,)`, `()`: the shape as its error messages write it.
    static func numpyShapeText(_ shape: [Int]) -> String {
        "(" + shape.map(String.init).joined(separator: ",") + (shape.count == 1 ? ",)" : ")")
    }

    /// A result: a NumPy scalar for a 0-d tensor, else an array.
    func numpyValue(_ t: Tensor) throws(DLXError) -> Value {
        if t.rank == 0 { return .object(try engine { () throws(TensorError) in try NumpyScalar.of(t) }) }
        return .object(NDArrayObject(t))
    }

    // MARK: - Creation

    func numpyZeros(_ shape: [Int], _ dtype: DType) throws(DLXError) -> Value {
        _ = try checkedCount(shape)
        return .object(NDArrayObject(try engine { () throws(TensorError) in try Tensor.zeros(shape, dtype: dtype, on: session.backend) }))
    }

    /// `np.full`: the dtype of the fill value when none is given (int64, float64, bool).
    func numpyFull(_ shape: [Int], _ fill: Value, _ dtype: DType?) throws(DLXError) -> Value {
        _ = try checkedCount(shape)
        let target: DType
        switch fill {
        case .bool: target = dtype ?? .bool
        case .int(let n):
            target = dtype ?? .int64
            if !target.isFloatingPoint {
                return .object(NDArrayObject(try engine { () throws(TensorError) in
                    try Tensor.from([Int64](repeating: Int64(n), count: shape.reduce(1, *)), shape: shape, dtype: target, on: session.backend)
                }))
            }
        case .float: target = dtype ?? .float64
        default:
            let t = try numpyData(fill, dtype: dtype)
            return .object(NDArrayObject(try engine { () throws(TensorError) in try t.expand(to: shape).contiguous().clone() }))
        }
        let x = try toDouble(fill, "fill_value")
        return .object(NDArrayObject(try engine { () throws(TensorError) in try Tensor.full(shape, x, dtype: target, on: session.backend) }))
    }

    /// `np.arange([start,] stop[, step], dtype=None)`: int64 for integer arguments, float64 when one is a
    /// float; the values are start + i * step, as NumPy fills them.
    func numpyArange(_ a: inout Arguments) throws(DLXError) -> Value {
        var nums = a.rest(from: 0).map(numpyPlain)
        for key in ["start", "stop", "step"] {
            if let v = try a.get(nil, key) { nums.append(numpyPlain(v)) }
        }
        guard (1...3).contains(nums.count) else { throw .type("arange() requires stop to be specified.") }
        let isFloat = nums.contains { if case .float = $0 { return true }; return false }
        let dtype = try numpyOptionalDType(try a.get(nil, "dtype")) ?? (isFloat ? .float64 : .int64)
        let v = try nums.map { x throws(DLXError) in try toDouble(x, "arange() argument") }
        let start = nums.count == 1 ? 0 : v[0], stop = nums.count == 1 ? v[0] : v[1], step = nums.count == 3 ? v[2] : 1
        guard step != 0 else { throw DLXError("ZeroDivisionError", "division by zero") }
        let length = ((stop - start) / step).rounded(.up)
        guard length.isFinite, length < 1e15 else { throw .value("Maximum allowed size exceeded") }
        let n = Swift.max(0, Int(length))
        _ = try checkedCount([n])
        if !isFloat && !dtype.isFloatingPoint {
            let ints = try nums.map { x throws(DLXError) in Int64(try toInt(x, "arange() argument")) }
            let s = nums.count == 1 ? 0 : ints[0], d = nums.count == 3 ? ints[2] : 1
            return .object(NDArrayObject(try engine { () throws(TensorError) in
                try Tensor.from((0..<n).map { s &+ Int64($0) &* d }, shape: [n], dtype: dtype, on: session.backend)
            }))
        }
        let delta = (start + step) - start
        return .object(NDArrayObject(try engine { () throws(TensorError) in
            try Tensor.from((0..<n).map { start + Double($0) * delta }, shape: [n], dtype: dtype, on: session.backend)
        }))
    }

    /// `np.linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None)`: i * step + start, the
    /// last value exactly stop.
    func numpyLinspace(_ a: inout Arguments) throws(DLXError) -> Value {
        let start = try toDouble(numpyPlain(try a.required(0, "start")), "start")
        let stop = try toDouble(numpyPlain(try a.required(1, "stop")), "stop")
        let num = try a.get(2, "num").map { v throws(DLXError) in try toInt(numpyPlain(v), "num") } ?? 50
        let endpoint = try a.get(3, "endpoint").map { v throws(DLXError) in try truthy(v) } ?? true
        let retstep = try a.get(4, "retstep").map { v throws(DLXError) in try truthy(v) } ?? false
        let dtype = try numpyOptionalDType(try a.get(5, "dtype")) ?? .float64
        guard num >= 0 else { throw .value("Number of samples, \(num), must be non-negative.") }
        _ = try checkedCount([num])
        let div = endpoint ? num - 1 : num
        let delta = stop - start
        let step = div > 0 ? delta / Double(div) : .nan
        var values = (0..<num).map { k -> Double in
            if div > 0 { return step == 0 ? Double(k) / Double(div) * delta + start : Double(k) * step + start }
            return Double(k) * delta + start
        }
        if endpoint && num > 1 { values[num - 1] = stop }
        if !dtype.isFloatingPoint { values = values.map { $0.rounded(.down) } }
        let arr: Value = .object(NDArrayObject(try engine { () throws(TensorError) in
            try Tensor.from(values, shape: [num], dtype: dtype, on: session.backend)
        }))
        return retstep ? .tuple([arr, .object(NumpyScalar(.float64, .float(step)))]) : arr
    }
}

extension DType {
    /// NumPy's promotion of two dtypes: the larger kind and size, where a 32- or 64-bit integer with float32
    /// needs float64 (NumPy's table), and uint8 or bool with float32 stays float32.
    static func numpyPromote(_ a: DType, _ b: DType) -> DType {
        if a == b { return a }
        let order: [DType] = [.bool, .uint8, .int32, .int64, .float32, .float64]
        let hi = order.firstIndex(of: a)! > order.firstIndex(of: b)! ? a : b
        let lo = hi == a ? b : a
        if hi == .float32 && (lo == .int32 || lo == .int64) { return .float64 }
        return hi
    }
}

/// `torch.from_numpy(a)` (the tensor shares the array's memory) and `torch.as_tensor(data)` (shares an
/// array's memory when no conversion is needed, else copies).
extension Interpreter {
    func numpyTorchMembers() -> [String: Value] {
        [
            "from_numpy": function("from_numpy") { a, i throws(DLXError) in
                let v = try a.required(0, "ndarray")
                guard case .object(let arr as NDArrayObject) = v else { throw .type("expected np.ndarray (got \(v.typeName))") }
                return .tensor(arr.tensor.detached())
            },
            "as_tensor": function("as_tensor") { a, i throws(DLXError) in
                let v = try a.required(0, "data")
                let dtype = try a.get(1, "dtype").flatMap { x throws(DLXError) -> DType? in x.isNone ? nil : try i.toDType(x) }
                let target = try i.deviceArgument(&a)
                var t: Tensor
                switch v {
                case .tensor(let x): t = x
                case .object(let arr as NDArrayObject): t = arr.tensor.detached()
                default: t = try i.tensorData(v, dtype: dtype)
                }
                let d = dtype ?? t.dtype
                let source = t
                t = try i.engine { () throws(TensorError) in try source.to(d).transferred(to: target) }
                return .tensor(t)
            },
        ]
    }
}
