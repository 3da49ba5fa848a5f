import DLXEngine
#if canImport(Glibc)
import Glibc
#endif

/// Reductions (`sum`, `mean`, `std`, `var`, `min`, `max`, `argmax`, `argmin`, `prod`, `any`, `all`,
/// `cumsum`, `cumprod`) with `axis` (an int, a tuple or None) and `keepdims`, as methods and as `np.`
/// functions, with NumPy's result dtypes: integers and bools sum into int64, means of integers are float64.
extension Interpreter {
    func numpyReduction(_ name: String, _ t: Tensor, _ a: inout Arguments, axisAt k: Int) throws(DLXError) -> Value {
        let axisValue = try a.get(k, "axis") ?? .none
        let keepdims = try a.get(nil, "keepdims").map { v throws(DLXError) in try truthy(v) } ?? false
        let ddof = try a.get(nil, "ddof").map { v throws(DLXError) in try toDouble(numpyPlain(v), "ddof") } ?? 0
        let dtype = try numpyOptionalDType(try a.get(nil, "dtype"))
        _ = try a.get(nil, "out").map { v throws(DLXError) in
            if !v.isNone { throw DLXError("NotImplementedError", "dlx's NumPy does not take out=; assign the result instead") }
        }
        var axes: [Int]? = nil
        if case .tuple(let xs) = axisValue {
            var list: [Int] = []
            for x in xs { list.append(try numpyAxis(x, t.rank)) }
            guard Set(list).count == list.count else { throw .value("duplicate value in 'axis'") }
            axes = list
        } else if !axisValue.isNone {
            axes = [try numpyAxis(axisValue, Swift.max(t.rank, 1))]
        }
        switch name {
        case "cumsum", "cumprod":
            return .object(NDArrayObject(try numpyCumulative(name == "cumsum", t, axis: axes?.first, dtype: dtype)))
        case "argmax", "argmin":
            guard t.count > 0 else { throw .value("attempt to get \(name) of an empty sequence") }
            let op: ReductionOp = name == "argmax" ? .argmax : .argmin
            let r: Tensor
            if let d = axes?.first, t.rank > 0 {
                r = try engine { () throws(TensorError) in try t.reduce(op, dim: d, keepdim: keepdims).values }
            } else {
                r = try engine { () throws(TensorError) in
                    let flat = try t.reshape([-1]).reduce(op, dim: 0, keepdim: false).values
                    return keepdims ? try flat.reshape([Int](repeating: 1, count: t.rank)) : flat
                }
            }
            return try numpyValue(r)
        default: break
        }
        let all = axes ?? Array(0..<t.rank)
        let n = all.reduce(1) { $0 * t.shape[$1] }
        let result: Tensor
        switch name {
        case "min", "max":
            guard n > 0 || t.count > 0 else {
                throw .value("zero-size array to reduction operation \(name == "max" ? "maximum" : "minimum") which has no identity")
            }
            result = try numpyReduce(name == "max" ? .max : .min, t, all)
        case "sum", "prod":
            var source = t
            if let dtype { source = try engine { () throws(TensorError) in try t.to(dtype) } }
            result = try numpyReduce(name == "sum" ? .sum : .prod, source, all)
        case "any", "all":
            let b = try engine { () throws(TensorError) in try Tensor.binary(.ne, .tensor(t), .scalar(.int(0))).to(.int64) }
            let r = try numpyReduce(name == "any" ? .max : .min, b, all)
            result = try engine { () throws(TensorError) in try (r.count == 0 ? Tensor.full(r.shape, name == "all" ? 1 : 0, dtype: .bool, on: session.backend) : r.to(.bool)) }
        default:   // mean, var, std
            let floatType = dtype ?? (t.dtype.isFloatingPoint ? t.dtype : .float64)
            let x = try engine { () throws(TensorError) in try t.to(floatType) }
            let total = try numpyReduce(.sum, x, all)
            let mean = try engine { () throws(TensorError) in try Tensor.binary(.div, .tensor(total), .scalar(.float(Double(n)))) }
            if name == "mean" { result = mean; break }
            let dev = try engine { () throws(TensorError) in
                let m = try mean.reshape((0..<t.rank).map { all.contains($0) ? 1 : t.shape[$0] })
                let d = try Tensor.binary(.sub, .tensor(x), .tensor(m))
                return try Tensor.binary(.mul, .tensor(d), .tensor(d))
            }
            let v = try engine { () throws(TensorError) in
                try Tensor.binary(.div, .tensor(try numpyReduceHost(.sum, dev, all)), .scalar(.float(Swift.max(Double(n) - ddof, 0))))
            }
            result = name == "var" ? v : try engine { () throws(TensorError) in try v.unary(.sqrt) }
        }
        if keepdims {
            let shape = (0..<t.rank).map { all.contains($0) ? 1 : t.shape[$0] }
            return .object(NDArrayObject(try engine { () throws(TensorError) in try result.reshape(shape) }))
        }
        return try numpyValue(result)
    }

    /// One engine reduction over several axes (the result without them).
    func numpyReduce(_ op: ReductionOp, _ t: Tensor, _ axes: [Int]) throws(DLXError) -> Tensor {
        try engine { () throws(TensorError) in try numpyReduceHost(op, t, axes) }
    }

    private func numpyReduceHost(_ op: ReductionOp, _ t: Tensor, _ axes: [Int]) throws(TensorError) -> Tensor {
        if t.rank == 0 { return try t.reduce(op) }
        if Set(axes).count == t.rank { return try t.reshape([-1]).reduce(op, dim: 0, keepdim: false).values }
        var r = t
        for d in Set(axes).sorted(by: >) { r = try r.reduce(op, dim: d, keepdim: false).values }
        return r
    }

    /// cumsum and cumprod along an axis (None: the flattened array), on the host.
    func numpyCumulative(_ sum: Bool, _ t: Tensor, axis: Int?, dtype: DType?) throws(DLXError) -> Tensor {
        let source = axis == nil ? try engine { () throws(TensorError) in try t.reshape([-1]) } : t
        let d = axis ?? 0
        let outType = dtype ?? (source.dtype.isFloatingPoint ? source.dtype : .int64)
        return try engine { () throws(TensorError) in
            let moved = try source.transpose(d, source.rank - 1).contiguous()
            let size = moved.shape.last ?? 1
            let out: Tensor
            if outType.isFloatingPoint {
                var v = try moved.doubles()
                for row in stride(from: 0, to: v.count, by: Swift.max(size, 1)) {
                    for k in 1..<Swift.max(size, 1) { v[row + k] = sum ? v[row + k] + v[row + k - 1] : v[row + k] * v[row + k - 1] }
                }
                if outType == .float32 { v = v.map { Double(Float($0)) } }
                out = try Tensor.from(v, shape: moved.shape, dtype: outType, on: t.backend)
            } else {
                var v = try moved.int64s()
                for row in stride(from: 0, to: v.count, by: Swift.max(size, 1)) {
                    for k in 1..<Swift.max(size, 1) { v[row + k] = sum ? v[row + k] &+ v[row + k - 1] : v[row + k] &* v[row + k - 1] }
                }
                out = try Tensor.from(v, shape: moved.shape, dtype: outType, on: t.backend)
            }
            return try out.transpose(d, source.rank - 1).contiguous()
        }
    }

    /// Elementwise math on the host in float64 (float32 stays float32, integers become float64).
    func numpyMap(_ t: Tensor, keepIntegers: Bool = false, _ f: (Double) -> Double) throws(DLXError) -> Value {
        let out: DType = t.dtype.isFloatingPoint || keepIntegers ? t.dtype : .float64
        let values = try engine { () throws(TensorError) in try t.doubles() }.map(f)
        return try numpyValue(try engine { () throws(TensorError) in try Tensor.from(values, shape: t.shape, dtype: out, on: session.backend) })
    }

    /// `np.round(a, decimals=0)`: halves to even, as NumPy's rint.
    func numpyRound(_ t: Tensor, _ decimals: Value?) throws(DLXError) -> Value {
        let n = try decimals.map { v throws(DLXError) in try toInt(numpyPlain(v), "decimals") } ?? 0
        if !t.dtype.isFloatingPoint && n >= 0 { return try numpyValue(try engine { () throws(TensorError) in try t.clone() }) }
        let scale = pow(10.0, Double(Swift.abs(n)))
        return try numpyMap(t, keepIntegers: true) { x in
            n >= 0 ? (x * scale).rounded(.toNearestOrEven) / scale : (x / scale).rounded(.toNearestOrEven) * scale
        }
    }

    /// `np.clip(a, a_min, a_max)` as maximum then minimum (NumPy's dtype rules for each).
    func numpyClip(_ a: NumpyOperand, _ low: Value?, _ high: Value?) throws(DLXError) -> Value {
        let lo = low.flatMap { $0.isNone ? nil : $0 }, hi = high.flatMap { $0.isNone ? nil : $0 }
        guard lo != nil || hi != nil else { throw .value("One of max or min must be given") }
        var r = a
        if let lo, let o = try numpyOperand(lo) { r = .array(try numpyElementwise(.maximum, r, o)) }
        if let hi, let o = try numpyOperand(hi) { r = .array(try numpyElementwise(.minimum, r, o)) }
        guard case .array(let t) = r else { return .none }
        return try numpyValue(t)
    }

    /// maximum, minimum and other engine operations in NumPy's promoted dtype.
    func numpyElementwise(_ k: ElementwiseOp, _ a: NumpyOperand, _ b: NumpyOperand) throws(DLXError) -> Tensor {
        let a = try numpyStrong(a, b)
        _ = try numpyBroadcast(a.shape, b.shape)
        let d = try numpyResultType(a, b)
        let x = try numpyCast(a, d), y = try numpyCast(b, d)
        return try engine { () throws(TensorError) in try Tensor.binary(k, x, y) }
    }
}
