import DLXEngine
import DLXFrontEnd
#if canImport(Glibc)
import Glibc
#endif

/// The `np.` functions beyond creation: reductions and shape functions as functions, elementwise math,
/// `where`, `maximum`/`minimum`, `dot`/`matmul`, `concatenate`/`stack`, `unique`, `bincount`, `isnan`,
/// `allclose`. Each takes array-likes (lists too) and follows NumPy's dtype rules.
extension Interpreter {
    func numpyFunctionMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        func add(_ name: String, _ body: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Value) {
            m[name] = function(name, body)
        }
        func arg(_ a: inout Arguments, _ i: Interpreter, _ k: Int = 0, _ name: String = "a") throws(DLXError) -> Tensor {
            try i.numpyData(try a.required(k, name), dtype: nil)
        }
        for name in ["sum", "mean", "std", "var", "min", "max", "argmax", "argmin", "cumsum", "cumprod", "prod", "any", "all"] {
            add(name) { a, i throws(DLXError) in try i.numpyReduction(name, try arg(&a, i), &a, axisAt: 1) }
        }
        for (alias, name) in [("amin", "min"), ("amax", "max")] {
            add(alias) { a, i throws(DLXError) in try i.numpyReduction(name, try arg(&a, i), &a, axisAt: 1) }
        }
        add("reshape") { a, i throws(DLXError) in
            let t = try arg(&a, i)
            let shape = try i.numpyNewShape([try a.required(1, "shape")], t.count)
            return .object(NDArrayObject(try i.engine { () throws(TensorError) in try t.reshape(shape) }))
        }
        add("ravel") { a, i throws(DLXError) in
            let t = try arg(&a, i)
            return .object(NDArrayObject(try i.engine { () throws(TensorError) in try t.reshape([-1]) }))
        }
        add("transpose") { a, i throws(DLXError) in
            let t = try arg(&a, i)
            return .object(NDArrayObject(try i.numpyTranspose(t, try a.get(1, "axes").map { [$0] } ?? [])))
        }
        add("squeeze") { a, i throws(DLXError) in .object(NDArrayObject(try i.numpySqueeze(try arg(&a, i), try a.get(1, "axis")))) }
        add("expand_dims") { a, i throws(DLXError) in .object(NDArrayObject(try i.numpyExpandDims(try arg(&a, i), try a.required(1, "axis")))) }
        add("sort") { a, i throws(DLXError) in .object(NDArrayObject(try i.numpySort(try arg(&a, i), axis: try a.get(1, "axis") ?? .int(-1), indices: false))) }
        add("argsort") { a, i throws(DLXError) in .object(NDArrayObject(try i.numpySort(try arg(&a, i), axis: try a.get(1, "axis") ?? .int(-1), indices: true))) }
        add("copy") { a, i throws(DLXError) in .object(NDArrayObject(try i.numpyArray(try a.required(0, "a"), dtype: nil, copy: true))) }
        add("shape") { a, i throws(DLXError) in .tuple(try arg(&a, i).shape.map { .int($0) }) }
        add("ndim") { a, i throws(DLXError) in .int(try arg(&a, i).rank) }
        add("size") { a, i throws(DLXError) in .int(try arg(&a, i).count) }

        // Elementwise math.
        let maps: [(String, (Double) -> Double)] = [
            ("exp", { exp($0) }), ("log", { log($0) }), ("sqrt", { $0.squareRoot() }), ("sin", { sin($0) }), ("cos", { cos($0) }),
            ("tan", { tan($0) }), ("tanh", { tanh($0) }), ("log2", { log2($0) }), ("log10", { log10($0) }), ("log1p", { log1p($0) }),
            ("expm1", { expm1($0) }), ("arctan", { atan($0) }), ("floor", { $0.rounded(.down) }), ("ceil", { $0.rounded(.up) }),
            ("trunc", { $0.rounded(.towardZero) }), ("rint", { $0.rounded(.toNearestOrEven) }),
        ]
        for (name, f) in maps {
            add(name) { a, i throws(DLXError) in
                let t = try arg(&a, i, 0, "x")
                // floor, ceil, trunc and rint keep integers as they are (NumPy 2).
                let keeps = ["floor", "ceil", "trunc", "rint"].contains(name) && !t.dtype.isFloatingPoint && name != "rint"
                return try i.numpyMap(t, keepIntegers: keeps, f)
            }
        }
        for name in ["abs", "absolute"] {
            add(name) { a, i throws(DLXError) in
                let t = try arg(&a, i, 0, "x")
                return try i.numpyValue(try i.engine { () throws(TensorError) in try t.unary(.abs) })
            }
        }
        add("square") { a, i throws(DLXError) in let t = try arg(&a, i, 0, "x"); return try i.numpyBinary(.multiply, .array(t), .array(t)) }
        add("negative") { a, i throws(DLXError) in try i.numpyUnary(.negate, try arg(&a, i, 0, "x")) }
        add("sign") { a, i throws(DLXError) in try i.numpyMap(try arg(&a, i, 0, "x"), keepIntegers: true) { $0 > 0 ? 1 : $0 < 0 ? -1 : $0 } }
        add("round") { a, i throws(DLXError) in try i.numpyRound(try arg(&a, i), try a.get(1, "decimals")) }
        m["around"] = m["round"]
        add("clip") { a, i throws(DLXError) in try i.numpyClip(.array(try arg(&a, i)), try a.get(1, "a_min"), try a.get(2, "a_max")) }
        for (name, op) in [("add", BinaryOp.add), ("subtract", .subtract), ("multiply", .multiply), ("divide", .divide),
                           ("true_divide", .divide), ("floor_divide", .floorDivide), ("mod", .modulo), ("remainder", .modulo), ("power", .power)] {
            add(name) { a, i throws(DLXError) in try i.numpyBinary(op, try i.numpyArgument(&a, 0, "x1"), try i.numpyArgument(&a, 1, "x2")) }
        }
        for (name, k) in [("maximum", ElementwiseOp.maximum), ("minimum", .minimum)] {
            add(name) { a, i throws(DLXError) in
                try i.numpyValue(try i.numpyElementwise(k, try i.numpyArgument(&a, 0, "x1"), try i.numpyArgument(&a, 1, "x2")))
            }
        }
        for (name, op) in [("equal", CompareOp.equal), ("not_equal", .notEqual), ("less", .less), ("greater", .greater),
                           ("less_equal", .lessEqual), ("greater_equal", .greaterEqual)] {
            add(name) { a, i throws(DLXError) in
                try i.numpyCompare(op, try i.numpyArgument(&a, 0, "x1"), try i.numpyArgument(&a, 1, "x2")) ?? .none
            }
        }
        for (name, test) in [("isnan", { (x: Double) in x.isNaN }), ("isinf", { $0.isInfinite }), ("isfinite", { $0.isFinite })] {
            add(name) { a, i throws(DLXError) in
                let t = try arg(&a, i, 0, "x")
                let v = try i.engine { () throws(TensorError) in try t.doubles() }.map { test($0) ? Int64(1) : 0 }
                return try i.numpyValue(try i.engine { () throws(TensorError) in try Tensor.from(v, shape: t.shape, dtype: .bool, on: i.session.backend) })
            }
        }
        add("where") { a, i throws(DLXError) in
            let cond = try arg(&a, i, 0, "condition")
            guard let x = try a.get(1, "x") else { return try i.numpyNonzero(cond) }
            return try i.numpyWhere(cond, x, try a.required(2, "y"))
        }
        add("nonzero") { a, i throws(DLXError) in try i.numpyNonzero(try arg(&a, i)) }
        add("count_nonzero") { a, i throws(DLXError) in
            let t = try arg(&a, i)
            return .int(try i.engine { () throws(TensorError) in try t.doubles() }.filter { $0 != 0 }.count)
        }
        add("dot") { a, i throws(DLXError) in try i.numpyDot(try i.numpyArgument(&a, 0, "a"), try a.required(1, "b")) }
        add("matmul") { a, i throws(DLXError) in
            try i.numpyValue(try i.numpyMatmul(try i.numpyData(try a.required(0, "x1"), dtype: nil), try i.numpyData(try a.required(1, "x2"), dtype: nil)))
        }
        for name in ["concatenate", "stack", "vstack", "hstack"] {
            add(name) { a, i throws(DLXError) in
                let items = try i.iterateAll(try a.required(0, name == "concatenate" ? "arrays" : "arrays"))
                let axis = name == "concatenate" || name == "stack" ? try a.get(1, "axis") ?? .int(0) : .int(0)
                return .object(NDArrayObject(try i.numpyJoin(name, items, axis)))
            }
        }
        add("unique") { a, i throws(DLXError) in
            let t = try arg(&a, i, 0, "ar")
            let counts = try a.get(nil, "return_counts").map { v throws(DLXError) in try i.truthy(v) } ?? false
            return try i.numpyUnique(t, counts: counts)
        }
        add("bincount") { a, i throws(DLXError) in
            try i.numpyBincount(try arg(&a, i, 0, "x"), weights: try a.get(1, "weights"), minlength: try a.get(2, "minlength"))
        }
        for name in ["allclose", "isclose"] {
            add(name) { a, i throws(DLXError) in
                let x = try i.numpyArgument(&a, 0, "a"), y = try i.numpyArgument(&a, 1, "b")
                let rtol = try a.get(2, "rtol").map { v throws(DLXError) in try i.toDouble(i.numpyPlain(v), "rtol") } ?? 1e-05
                let atol = try a.get(3, "atol").map { v throws(DLXError) in try i.toDouble(i.numpyPlain(v), "atol") } ?? 1e-08
                let equalNaN = try a.get(4, "equal_nan").map { v throws(DLXError) in try i.truthy(v) } ?? false
                let shape = try i.numpyBroadcast(x.shape, y.shape)
                func values(_ o: NumpyOperand) throws(DLXError) -> [Double] {
                    switch o {
                    case .weak(let s): return [Double](repeating: s.double, count: shape.reduce(1, *))
                    case .array(let t): return try i.engine { () throws(TensorError) in try t.expand(to: shape).doubles() }
                    }
                }
                let close = zip(try values(x), try values(y)).map { p, q -> Bool in
                    if p.isNaN || q.isNaN { return equalNaN && p.isNaN && q.isNaN }
                    if p.isInfinite || q.isInfinite { return p == q }
                    return Swift.abs(p - q) <= atol + rtol * Swift.abs(q)
                }
                if name == "allclose" { return .bool(!close.contains(false)) }
                return try i.numpyValue(try i.engine { () throws(TensorError) in
                    try Tensor.from(close.map { $0 ? Int64(1) : 0 }, shape: shape, dtype: .bool, on: i.session.backend)
                })
            }
        }
        add("array_equal") { a, i throws(DLXError) in
            let x = try arg(&a, i, 0, "a1"), y = try arg(&a, i, 1, "a2")
            guard x.shape == y.shape else { return .bool(false) }
            let p = try i.engine { () throws(TensorError) in try x.doubles() }, q = try i.engine { () throws(TensorError) in try y.doubles() }
            return .bool(p == q)
        }
        return m
    }

    /// A NumPy function's operand: Python numbers stay weak, everything else becomes an array.
    func numpyArgument(_ a: inout Arguments, _ k: Int, _ name: String) throws(DLXError) -> NumpyOperand {
        try numpyRequiredOperand(try a.required(k, name))
    }

    func numpyRequiredOperand(_ v: Value) throws(DLXError) -> NumpyOperand {
        if let o = try numpyOperand(v) { return o }
        return .array(try numpyData(v, dtype: nil))
    }

    /// `np.dot(a, b)`: a number for two vectors, the matrix product for matrices, a product with a scalar.
    func numpyDot(_ a: NumpyOperand, _ bv: Value) throws(DLXError) -> Value {
        let b = try numpyRequiredOperand(bv)
        guard case .array(let x) = a, case .array(let y) = b, x.rank > 0, y.rank > 0 else { return try numpyBinary(.multiply, a, b) }
        let k = y.rank == 1 ? 0 : y.rank - 2
        guard x.shape[x.rank - 1] == y.shape[k] else {
            throw .value("shapes \(Interpreter.numpyShapeText(x.shape)) and \(Interpreter.numpyShapeText(y.shape)) not aligned: \(x.shape[x.rank - 1]) (dim \(x.rank - 1)) != \(y.shape[k]) (dim \(k))")
        }
        return try numpyValue(try numpyMatmul(x, y))
    }

    /// `np.where(condition)` and `a.nonzero()`: a tuple of index arrays, one per axis.
    func numpyNonzero(_ t: Tensor) throws(DLXError) -> Value {
        let v = try engine { () throws(TensorError) in try t.doubles() }
        let strides = (0..<t.rank).map { t.shape[($0 + 1)...].reduce(1, *) }
        var columns = [[Int64]](repeating: [], count: Swift.max(t.rank, 1))
        for (k, x) in v.enumerated() where x != 0 {
            if t.rank == 0 { columns[0].append(0); continue }
            for d in 0..<t.rank { columns[d].append(Int64((k / strides[d]) % t.shape[d])) }
        }
        var out: [Value] = []
        for c in columns {
            out.append(.object(NDArrayObject(try engine { () throws(TensorError) in try Tensor.from(c, shape: [c.count], on: session.backend) })))
        }
        return .tuple(out)
    }

    /// `np.where(condition, x, y)`: x where the condition holds, else y, broadcast, in the promoted dtype.
    func numpyWhere(_ cond: Tensor, _ xv: Value, _ yv: Value) throws(DLXError) -> Value {
        let x = try numpyRequiredOperand(xv)
        let y = try numpyRequiredOperand(yv)
        let shape = try numpyBroadcast(try numpyBroadcast(cond.shape, x.shape), y.shape)
        var d = try numpyResultType(x, y)
        if case .weak(let s) = x, case .weak(let u) = y { d = DType.numpyPromote(s.inferredDType == .float32 ? .float64 : s.inferredDType, u.inferredDType == .float32 ? .float64 : u.inferredDType) }
        let count = shape.reduce(1, *)
        func values(_ o: NumpyOperand) throws(DLXError) -> [Double] {
            switch o {
            case .weak(let s): return [Double](repeating: s.double, count: count)
            case .array(let t): return try engine { () throws(TensorError) in try t.expand(to: shape).doubles() }
            }
        }
        let c = try engine { () throws(TensorError) in try cond.expand(to: shape).doubles() }
        let p = try values(x), q = try values(y)
        let out = (0..<count).map { c[$0] != 0 ? p[$0] : q[$0] }
        return try numpyValue(try engine { () throws(TensorError) in try Tensor.from(out, shape: shape, dtype: d, on: session.backend) })
    }

    /// concatenate, stack, vstack, hstack, in the promoted dtype of the parts.
    func numpyJoin(_ name: String, _ items: [Value], _ axisValue: Value) throws(DLXError) -> Tensor {
        guard !items.isEmpty else { throw .value("need at least one array to \(name == "concatenate" ? "concatenate" : "stack")") }
        var parts: [Tensor] = []
        for v in items { parts.append(try numpyData(v, dtype: nil)) }
        let d = parts.dropFirst().reduce(parts[0].dtype) { DType.numpyPromote($0, $1.dtype) }
        parts = try parts.map { t throws(DLXError) in try engine { () throws(TensorError) in try t.to(d) } }
        switch name {
        case "stack":
            guard parts.allSatisfy({ $0.shape == parts[0].shape }) else { throw .value("all input arrays must have the same shape") }
            let axis = try numpyAxis(axisValue, parts[0].rank + 1)
            return try engine { () throws(TensorError) in try Tensor.stack(parts, dim: axis) }
        case "vstack":
            parts = try parts.map { t throws(DLXError) in t.rank < 2 ? try engine { () throws(TensorError) in try t.reshape([1, t.count]) } : t }
            return try numpyConcatenate(parts, 0)
        case "hstack":
            return try numpyConcatenate(parts, parts[0].rank == 1 ? 0 : 1)
        default:
            if axisValue.isNone {
                return try numpyConcatenate(try parts.map { t throws(DLXError) in try engine { () throws(TensorError) in try t.reshape([-1]) } }, 0)
            }
            guard parts[0].rank > 0 else { throw .value("zero-dimensional arrays cannot be concatenated") }
            return try numpyConcatenate(parts, try numpyAxis(axisValue, parts[0].rank))
        }
    }

    private func numpyConcatenate(_ parts: [Tensor], _ axis: Int) throws(DLXError) -> Tensor {
        for (k, p) in parts.enumerated() where k > 0 {
            guard p.rank == parts[0].rank else {
                throw .value("all the input array dimensions except for the concatenation axis must match exactly, but along dimension 0, the array at index 0 has \(parts[0].rank) dimension(s) and the array at index \(k) has \(p.rank) dimension(s)")
            }
            for d in 0..<p.rank where d != axis && p.shape[d] != parts[0].shape[d] {
                throw .value("all the input array dimensions except for the concatenation axis must match exactly, but along dimension \(d), the array at index 0 has size \(parts[0].shape[d]) and the array at index \(k) has size \(p.shape[d])")
            }
        }
        return try engine { () throws(TensorError) in try Tensor.cat(parts, dim: axis) }
    }

    /// `np.unique(ar, return_counts=False)`: the sorted distinct values of the flattened array.
    func numpyUnique(_ t: Tensor, counts: Bool) throws(DLXError) -> Value {
        var distinct: [Double] = [], tally: [Int64] = []
        let sorted = try engine { () throws(TensorError) in try t.reshape([-1]).sort(dim: 0).values.doubles() }
        for x in sorted {
            if let last = distinct.last, last == x || (last.isNaN && x.isNaN) { tally[tally.count - 1] += 1 } else { distinct.append(x); tally.append(1) }
        }
        let values: Value = .object(NDArrayObject(try engine { () throws(TensorError) in
            try Tensor.from(distinct, shape: [distinct.count], dtype: t.dtype, on: session.backend)
        }))
        guard counts else { return values }
        return .tuple([values, .object(NDArrayObject(try engine { () throws(TensorError) in try Tensor.from(tally, shape: [tally.count], on: session.backend) }))])
    }

    /// `np.bincount(x, weights=None, minlength=0)`: how often each non-negative integer occurs.
    func numpyBincount(_ t: Tensor, weights: Value?, minlength: Value?) throws(DLXError) -> Value {
        guard t.rank == 1 else { throw .value("object too deep for desired array") }
        guard !t.dtype.isFloatingPoint else { throw .type("Cannot cast array data from dtype('\(t.dtype.name)') to dtype('int64') according to the rule 'safe'") }
        let v = try engine { () throws(TensorError) in try t.int64s() }
        guard !v.contains(where: { $0 < 0 }) else { throw .value("'list' argument must have no negative elements") }
        let minimum = try minlength.map { x throws(DLXError) in try toInt(numpyPlain(x), "minlength") } ?? 0
        guard (v.max() ?? 0) < Int64(Int32.max) else { throw DLXError("MemoryError", "Maximum allowed size exceeded") }
        let n = Swift.max(Int(v.max() ?? -1) + 1, minimum)
        _ = try checkedCount([n])
        if let weights, !weights.isNone {
            let wt = try numpyData(weights, dtype: .float64)
            let w = try engine { () throws(TensorError) in try wt.doubles() }
            guard w.count == v.count else { throw .value("The weights and list don't have the same length.") }
            var out = [Double](repeating: 0, count: n)
            for (k, x) in v.enumerated() { out[Int(x)] += w[k] }
            return .object(NDArrayObject(try engine { () throws(TensorError) in try Tensor.from(out, shape: [n], dtype: .float64, on: session.backend) }))
        }
        var out = [Int64](repeating: 0, count: n)
        for x in v { out[Int(x)] += 1 }
        return .object(NDArrayObject(try engine { () throws(TensorError) in try Tensor.from(out, shape: [n], on: session.backend) }))
    }
}
