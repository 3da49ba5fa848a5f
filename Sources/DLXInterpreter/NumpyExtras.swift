import DLXEngine

/// More `np.` functions course code reaches for: `median`, `percentile`, `linalg.norm`, `tile`, `repeat`,
/// `meshgrid`, `argwhere`.
extension Interpreter {
    func numpyExtraMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        func add(_ name: String, _ body: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Value) {
            m[name] = function(name, body)
        }
        add("median") { a, i throws(DLXError) in
            let t = try i.numpyData(try a.required(0, "a"), dtype: nil)
            return try i.numpyQuantile(t, 0.5, axis: try a.get(1, "axis") ?? .none)
        }
        add("percentile") { a, i throws(DLXError) in
            let t = try i.numpyData(try a.required(0, "a"), dtype: nil)
            let q = try i.toDouble(i.numpyPlain(try a.required(1, "q")), "q")
            guard (0...100).contains(q) else { throw .value("Percentiles must be in the range [0, 100]") }
            return try i.numpyQuantile(t, q / 100, axis: try a.get(2, "axis") ?? .none)
        }
        add("tile") { a, i throws(DLXError) in
            let t = try i.numpyData(try a.required(0, "A"), dtype: nil)
            var reps = try i.numpyShape(try a.required(1, "reps"))
            var x = t
            if reps.count > x.rank { let s = [Int](repeating: 1, count: reps.count - x.rank) + x.shape; x = try i.engine { () throws(TensorError) in try t.reshape(s) } }
            if reps.count < x.rank { reps = [Int](repeating: 1, count: x.rank - reps.count) + reps }
            _ = try i.checkedCount(x.shape + reps)
            let source = x
            return .object(NDArrayObject(try i.engine { () throws(TensorError) in
                var r = source
                for (d, n) in reps.enumerated() where n != 1 { r = try Tensor.cat([Tensor](repeating: r, count: n), dim: d) }
                return r === source ? try r.clone() : r
            }))
        }
        add("repeat") { a, i throws(DLXError) in
            let t = try i.numpyData(try a.required(0, "a"), dtype: nil)
            let n = try i.toInt(i.numpyPlain(try a.required(1, "repeats")), "repeats")
            guard n >= 0 else { throw .value("negative dimensions are not allowed") }
            let axisValue = try a.get(2, "axis") ?? .none
            let source = axisValue.isNone ? try i.engine { () throws(TensorError) in try t.reshape([-1]) } : t
            let d = axisValue.isNone ? 0 : try i.numpyAxis(axisValue, t.rank)
            _ = try i.checkedCount(source.shape + [n])
            let picks = (0..<source.shape[d]).flatMap { [Int64](repeating: Int64($0), count: n) }
            return .object(NDArrayObject(try i.engine { () throws(TensorError) in
                try source.index([IndexItem](repeating: .slice(nil, nil, 1), count: d)
                                 + [.tensor(try Tensor.from(picks, shape: [picks.count], on: i.session.backend))])
            }))
        }
        add("meshgrid") { a, i throws(DLXError) in
            let xs = a.rest(from: 0)
            let ij = try a.get(nil, "indexing").map { v throws(DLXError) in try i.toStringValue(v, "indexing") } == "ij"
            var vectors: [Tensor] = []
            for v in xs {
                let x = try i.numpyData(v, dtype: nil)
                vectors.append(try i.engine { () throws(TensorError) in try x.reshape([-1]) })
            }
            var shape = vectors.map { $0.count }
            if !ij && shape.count >= 2 { shape.swapAt(0, 1) }
            var out: [Value] = []
            for (k, v) in vectors.enumerated() {
                var axis = k
                if !ij && vectors.count >= 2 && k < 2 { axis = 1 - k }
                let view = (0..<shape.count).map { $0 == axis ? v.count : 1 }
                out.append(.object(NDArrayObject(try i.engine { () throws(TensorError) in try v.reshape(view).expand(to: shape).contiguous().clone() })))
            }
            return .tuple(out)
        }
        add("argwhere") { a, i throws(DLXError) in
            let t = try i.numpyData(try a.required(0, "a"), dtype: nil)
            guard case .tuple(let columns) = try i.numpyNonzero(t) else { return .none }
            var tensors: [Tensor] = []
            for c in columns { if case .object(let arr as NDArrayObject) = c { tensors.append(arr.tensor) } }
            return .object(NDArrayObject(try i.engine { () throws(TensorError) in try Tensor.stack(tensors, dim: 1) }))
        }
        let norm = BuiltinFunction("norm") { a, i throws(DLXError) in try i.numpyNorm(&a) }
        norm.helpKey = "numpy.linalg.norm"
        m["linalg"] = .object(Namespace("numpy.linalg", ["norm": .object(norm)]))
        return m
    }

    /// `np.linalg.norm(x, ord=None, axis=None, keepdims=False)`: the square root of the sum of squares.
    func numpyNorm(_ a: inout Arguments) throws(DLXError) -> Value {
        let t = try numpyData(try a.required(0, "x"), dtype: nil)
        if let o = try a.get(1, "ord"), !o.isNone {
            throw DLXError("NotImplementedError", "dlx's np.linalg.norm computes the 2-norm (Frobenius for matrices) only")
        }
        let squares = try engine { () throws(TensorError) in
            let f = try t.to(t.dtype.isFloatingPoint ? t.dtype : .float64)
            return try Tensor.binary(.mul, .tensor(f), .tensor(f))
        }
        var args = Arguments([], keywords: [])
        if let axis = try a.get(2, "axis") { args.keywords.append(("axis", axis)) }
        if let k = try a.get(3, "keepdims") { args.keywords.append(("keepdims", k)) }
        let total = try numpyReduction("sum", squares, &args, axisAt: 0)
        switch total {
        case .object(let s as NumpyScalar): return try numpyMap(try s.tensor(self)) { $0.squareRoot() }
        case .object(let arr as NDArrayObject): return try numpyMap(arr.tensor) { $0.squareRoot() }
        default: return total
        }
    }

    /// median (q = 0.5) and percentile: NumPy's linear interpolation between the sorted values.
    func numpyQuantile(_ t: Tensor, _ q: Double, axis: Value) throws(DLXError) -> Value {
        if t.count == 0 && axis.isNone { return .object(NumpyScalar(.float64, .float(.nan))) }
        let source = axis.isNone ? try engine { () throws(TensorError) in try t.reshape([-1]) } : t
        let d = axis.isNone ? 0 : try numpyAxis(axis, t.rank)
        let outType: DType = t.dtype == .float32 ? .float32 : .float64
        let r = try engine { () throws(TensorError) in
            let moved = try source.transpose(d, source.rank - 1).sort(dim: -1).values.contiguous()
            let n = moved.shape.last ?? 1
            guard n > 0 else { return try Tensor.full(Array(moved.shape.dropLast()), .nan, dtype: outType, on: t.backend) }
            let v = try moved.doubles()
            var out: [Double] = []
            for row in stride(from: 0, to: v.count, by: n) {
                let pos = q * Double(n - 1), lo = Int(pos.rounded(.down)), hi = Swift.min(lo + 1, n - 1)
                let frac = pos - Double(lo)
                out.append(v[row + lo] + (v[row + hi] - v[row + lo]) * frac)
            }
            return try Tensor.from(out, shape: Array(moved.shape.dropLast()), dtype: outType, on: t.backend)
        }
        return try numpyValue(r)
    }
}
