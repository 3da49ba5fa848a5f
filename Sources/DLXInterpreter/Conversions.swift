import DLXEngine

/// Turning language values into what the engine takes, with Python's error messages.
extension Interpreter {
    func toInt(_ v: Value, _ what: String) throws(DLXError) -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .tensor(let t) where t.count == 1 && !t.dtype.isFloatingPoint:
            return Int(try engine { () throws(TensorError) in try t.scalar() }.double)
        case .object(let n as NumpyScalar) where !n.dtype.isFloatingPoint: return try toInt(n.pythonNumber, what)
        default: throw .type("\(what) must be an integer, not \(v.typeName)")
        }
    }

    func toIndex(_ v: Value, _ what: String) throws(DLXError) -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .tensor(let t) where t.count == 1 && !t.dtype.isFloatingPoint && t.rank == 0:
            return Int(try engine { () throws(TensorError) in try t.scalar() }.double)
        case .object(let n as NumpyScalar) where !n.dtype.isFloatingPoint: return try toIndex(n.pythonNumber, what)
        default: throw .type("\(what) must be integers or None or have an __index__ method")
        }
    }

    func toDouble(_ v: Value, _ what: String) throws(DLXError) -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .float(let f): return f
        case .bool(let b): return b ? 1 : 0
        case .tensor(let t) where t.count == 1: return try engine { () throws(TensorError) in try t.scalar() }.double
        case .object(let n as NumpyScalar): return n.value.double
        default: throw .type("\(what) must be a real number, not \(v.typeName)")
        }
    }

    func toBool(_ v: Value) throws(DLXError) -> Bool { try truthy(v) }

    func toStringValue(_ v: Value, _ what: String) throws(DLXError) -> String {
        guard case .string(let s) = v else { throw .type("\(what) must be str, not \(v.typeName)") }
        return s
    }

    func toTensor(_ v: Value, _ what: String) throws(DLXError) -> Tensor {
        guard case .tensor(let t) = v else { throw .type("\(what) must be Tensor, not \(v.typeName)") }
        return t
    }

    func toDType(_ v: Value) throws(DLXError) -> DType {
        switch v {
        case .dtype(let d): return d
        case .object(let o as TypeObject) where o.name == "float": return .float32
        case .object(let o as TypeObject) where o.name == "int": return .int64
        case .object(let o as TypeObject) where o.name == "bool": return .bool
        default: throw .type("dtype must be torch.dtype, not \(v.typeName)")
        }
    }

    /// A shape given as varargs (`zeros(2, 3)`) or as one sequence (`zeros((2, 3))`, `zeros([2, 3])`).
    func toShape(_ values: [Value], _ what: String) throws(DLXError) -> [Int] {
        var items = values
        if values.count == 1 {
            switch values[0] {
            case .tuple(let t): items = t
            case .list(let l): items = l.items
            case .size(let s): return s
            default: break
            }
        }
        var shape: [Int] = []
        for v in items {
            guard case .int(let n) = v else {
                throw .type("\(what)(): argument 'size' must be tuple of ints, but found element of type \(v.typeName)")
            }
            shape.append(n)
        }
        return shape
    }

    /// A Python index into a sequence of `count`, checked.
    func normalizedIndex(_ v: Value, _ count: Int, _ what: String) throws(DLXError) -> Int {
        let i: Int
        switch v {
        case .int(let x): i = x
        case .bool(let b): i = b ? 1 : 0
        case .object(let n as NumpyScalar) where !n.dtype.isFloatingPoint: i = n.value.exactInt
        default: throw .type("\(what) indices must be integers or slices, not \(v.typeName)")
        }
        guard i >= -count && i < count else { throw DLXError("IndexError", "\(what) index out of range") }
        return i < 0 ? i + count : i
    }

    /// Python slice bounds over `count` elements: the selected indices.
    func sliceIndices(_ start: Int?, _ stop: Int?, _ step: Int?, _ count: Int) throws(DLXError) -> [Int] {
        let st = step ?? 1
        guard st != 0 else { throw .value("slice step cannot be zero") }
        func clamp(_ v: Int?, _ def: Int, _ lo: Int, _ hi: Int) -> Int {
            guard var v else { return def }
            if v < 0 { v += count }
            return min(max(v, lo), hi)
        }
        var out: [Int] = []
        if st > 0 {
            var i = clamp(start, 0, 0, count)
            let e = clamp(stop, count, 0, count)
            while i < e { out.append(i); i += st }
        } else {
            var i = clamp(start, count - 1, -1, count - 1)
            let e = clamp(stop, -1, -1, count - 1)
            while i > e { out.append(i); i += st }
        }
        return out
    }

    /// Every value the iterable yields.
    func iterateAll(_ v: Value) throws(DLXError) -> [Value] {
        switch v {
        case .list(let l): return l.items
        case .tuple(let t): return t
        case .size(let s): return s.map { .int($0) }
        default:
            // A range (or other sized object) known to be too long fails now, not after 10^8 items.
            if case .object(let o) = v, let n = try o.length(self) { try reserve(n, .items) }
            let it = try iterator(v)
            var out: [Value] = []
            while let x = try it.next() {
                // The cap at every item, the memory limit every 4096 (the items may be large themselves).
                try Interpreter.checkCap(out.count + 1, .items)
                if out.count & 0xfff == 0xfff { try checkMemory(adding: out.count * MemoryLayout<Value>.stride) }
                out.append(x)
            }
            return out
        }
    }

    func iterator(_ v: Value) throws(DLXError) -> ValueIterator {
        func over(_ items: [Value]) -> ValueIterator {
            var i = 0
            return ValueIterator { () throws(DLXError) -> Value? in
                guard i < items.count else { return nil }
                i += 1
                return items[i - 1]
            }
        }
        switch v {
        case .list(let l):
            var i = 0
            return ValueIterator { () throws(DLXError) -> Value? in
                guard i < l.items.count else { return nil }
                i += 1
                return l.items[i - 1]
            }
        case .tuple(let t): return over(t)
        case .size(let s): return over(s.map { .int($0) })
        case .string(let s): return over(s.map { .string(String($0)) })
        case .dict(let d):
            // Python refuses to go on when the dict grows or shrinks under the loop.
            let keys = d.keys, size = d.count
            var k = 0
            return ValueIterator { () throws(DLXError) -> Value? in
                guard d.count == size else { throw DLXError("RuntimeError", "dictionary changed size during iteration") }
                guard k < keys.count else { return nil }
                k += 1
                return keys[k - 1]
            }
        case .tensor(let t):
            guard t.rank > 0 else { throw .type("iteration over a 0-d tensor") }
            var i = 0
            return ValueIterator { [self] () throws(DLXError) -> Value? in
                guard i < t.shape[0] else { return nil }
                i += 1
                return .tensor(try engine { () throws(TensorError) in try t.select(0, i - 1) })
            }
        case .module(let m as Sequential): return over(m.modules.map { .module($0) })
        case .module(let m as ModuleList): return over(m.modules.map { .module($0) })
        case .module(let m as ModuleDict): return over(m.entries.map { .string($0.0) })
        case .module(let m as UserModule):
            if let it = try m.makeIterator(self) { return it }
        case .object(let o):
            if let it = try o.makeIterator(self) { return it }
        default: break
        }
        throw .type("'\(v.typeName)' object is not iterable")
    }

    func length(_ v: Value) throws(DLXError) -> Int {
        switch v {
        case .string(let s): return s.count
        case .list(let l): return l.items.count
        case .tuple(let t): return t.count
        case .dict(let d): return d.count
        case .size(let s): return s.count
        case .tensor(let t):
            guard t.rank > 0 else { throw .type("len() of a 0-d tensor") }
            return t.shape[0]
        case .module(let m as Sequential): return m.modules.count
        case .module(let m as ModuleList): return m.modules.count
        case .module(let m as ModuleDict): return m.entries.count
        case .module(let m as UserModule):
            if let n = try m.length(self) { return n }
        case .object(let o):
            if let n = try o.length(self) { return n }
        default: break
        }
        throw .type("object of type '\(v.typeName)' has no len()")
    }

    /// A Python value (number, nested list, tensor) as a tensor, for `torch.tensor(data)`.
    func tensorData(_ v: Value, dtype: DType?) throws(DLXError) -> Tensor {
        if case .object(let s as NumpyScalar) = v {   // np.float64(2.5) keeps its dtype too
            let t = try s.tensor(self)
            return try engine { () throws(TensorError) in try t.to(dtype ?? t.dtype) }
        }
        if case .object(let a as ArrayLike) = v {   // a NumPy array keeps its dtype, as torch.tensor(ndarray) does
            return try engine { () throws(TensorError) in try a.arrayTensor.to(dtype ?? a.arrayTensor.dtype).contiguous().clone() }
        }
        var values: [Scalar] = []
        var shape: [Int]? = nil
        var arrayType: DType? = nil
        func walk(_ x: Value, _ depth: Int, _ dims: inout [Int]) throws(DLXError) {
            if let s = scalar(x) {
                if depth != dims.count && shape != nil { throw .value("expected sequence of length \(dims[depth]) at dim \(depth) (got scalar)") }
                values.append(s)
                return
            }
            var items: [Value]
            switch x {
            case .list(let l): items = l.items
            case .tuple(let t): items = t
            case .size(let s): items = s.map { .int($0) }
            case .tensor(let t):
                if t.rank == 0 { values.append(try engine { () throws(TensorError) in try t.scalar() }); return }
                items = try iterateAll(x)
            case .object(let a as NDArrayObject):   // torch.tensor([array1, array2]), in the arrays' dtype
                arrayType = arrayType.map { DType.promote($0, a.tensor.dtype) } ?? a.tensor.dtype
                try walk(.tensor(a.tensor), depth, &dims)
                return
            default: throw .type("new(): invalid data type '\(x.typeName)'")
            }
            if depth == dims.count { dims.append(items.count) }
            else if dims[depth] != items.count {
                throw .value("expected sequence of length \(dims[depth]) at dim \(depth) (got \(items.count))")
            }
            for i in items { try walk(i, depth + 1, &dims) }
        }
        var dims: [Int] = []
        try walk(v, 0, &dims)
        shape = dims
        guard values.count == dims.reduce(1, *) else { throw .value("ragged nested sequences are not supported") }
        var inferred = DType.bool
        for s in values {
            let d = s.inferredDType
            if d.isFloatingPoint { inferred = .float32; break }
            if d == .int64 { inferred = .int64 }
        }
        if values.isEmpty { inferred = .float32 }
        if let arrayType { inferred = DType.promote(inferred, arrayType) }
        let target = dtype ?? inferred
        return try engine { () throws(TensorError) in
            let t = try Tensor.empty(dims, dtype: target, on: session.backend)
            for (i, s) in values.enumerated() {
                switch s {
                case .int(let n): t.storeValue(int: n, at: i)
                default: t.storeValue(double: s.double, at: i)
                }
            }
            return t
        }
    }
}
