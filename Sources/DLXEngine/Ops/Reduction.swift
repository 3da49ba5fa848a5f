/// Reductions over the whole tensor or along one dimension.
public enum ReductionOp: String, Sendable { case sum, mean, max, min, argmax, argmin, prod }

extension Tensor {
    /// The result dtype of a reduction (PyTorch sums integers and bools into int64).
    private func reducedType(_ op: ReductionOp) throws(TensorError) -> DType {
        switch op {
        case .sum, .prod: return dtype.isFloatingPoint ? dtype : .int64
        case .mean:
            guard dtype.isFloatingPoint else {
                throw .runtime("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: \(dtype.pytorchScalarName)")
            }
            return dtype
        case .max, .min: return dtype
        case .argmax, .argmin: return .int64
        }
    }

    /// Reduces every element to a 0-dim tensor.
    public func reduce(_ op: ReductionOp) throws(TensorError) -> Tensor {
        let name: String
        switch op {
        case .sum: name = "SumBackward0"
        case .mean: name = "MeanBackward0"
        case .max: name = "MaxBackward1"
        case .min: name = "MinBackward1"
        default: return try reduceAll(op)
        }
        let extreme = op == .max || op == .min   // their gradient compares the input with the output
        return try derive(name, [self], saving: [extreme ? self : nil], savingOutput: extreme, { () throws(TensorError) in try reduceAll(op) }) { [self] g, out throws(TensorError) in
            switch op {
            case .sum: return [try g.expand(to: shape)]
            case .mean: return [try g.scaled(1 / Double(Swift.max(count, 1))).expand(to: shape)]
            default:
                // The gradient is shared evenly among the elements equal to the extreme.
                let mask = try Tensor.binary(.eq, .tensor(self), .tensor(out)).to(.float32)
                let n = try mask.reduce(.sum)
                return [try mask.times(g).over(n)]
            }
        }
    }

    private func reduceAll(_ op: ReductionOp) throws(TensorError) -> Tensor {
        let outType = try reducedType(op)
        if count == 0 && op != .sum && op != .mean && op != .prod {
            throw .runtime("\(op.rawValue)(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
        }
        if let acc = accelerator { return try deviceReduceAll(op, acc) }
        let out = try empty([], dtype: outType)
        if dtype == .float32 && isContiguous && (op == .sum || op == .mean) {
            let p = f32
            var acc = 0.0
            var start = 0
            while start < count {   // in slices, checking for cancellation between them
                let end = Swift.min(count, start + (1 << 22))
                for i in start..<end { acc += Double(p[i]) }
                start = end
                if start < count { try backend.cancellation.check() }
            }
            out.store(op == .mean ? acc / Double(count) : acc, 0)
            return out
        }
        // One pass over the elements in place: no copy of them, whatever the tensor's size or layout.
        var row = RowReduction(op, integer: !dtype.isFloatingPoint)
        try forEachOffsetInterruptibly { row.add(self, $0) }
        row.store(into: out, values: 0, indices: nil)
        return out
    }

    /// Reduces along `dim`; `max`, `min` give values and indices together.
    public func reduce(_ op: ReductionOp, dim: Int, keepdim: Bool) throws(TensorError) -> (values: Tensor, indices: Tensor?) {
        let needs = backend.autograd.enabled && requiresGrad
        let (values, indices) = try backend.autograd.with(enabled: false) { () throws(TensorError) in
            try reduceAlong(op, dim: dim, keepdim: keepdim)
        }
        guard needs, [.sum, .mean, .max, .min].contains(op), rank > 0 else { return (values, indices) }
        let d = try normalizeDim(dim, rank)
        let size = shape[d]
        let name = ["sum": "SumBackward1", "mean": "MeanBackward1", "max": "MaxBackward0", "min": "MinBackward0"][op.rawValue]!
        values.recorded(name, [self]) { [shape, backend] g, _ throws(TensorError) in
            switch op {
            case .sum: return [try g.expandGrad(over: d, keepdim: keepdim, to: shape)]
            case .mean: return [try g.scaled(1 / Double(Swift.max(size, 1))).expandGrad(over: d, keepdim: keepdim, to: shape)]
            default:
                // The gradient goes to the position that was picked.
                let idx = try (keepdim ? indices! : indices!.insertingAxis(at: d)).int64s()
                let gv = try (keepdim ? g : g.insertingAxis(at: d)).contiguous().doubles()
                // Scattered on the host (and moved back for device tensors): only max/min with dim come here.
                let z = try Tensor.zeros(shape, on: backend.hostBackend)
                let outer = shape[..<d].reduce(1, *), inner = shape[(d + 1)...].reduce(1, *)
                for o in 0..<outer {
                    for i in 0..<inner {
                        let k = o * inner + i
                        z.store(gv[k], (o * size + Int(idx[k])) * inner + i)
                    }
                }
                return [try z.transferred(to: backend)]
            }
        }
        return (values, indices)
    }

    private func reduceAlong(_ op: ReductionOp, dim: Int, keepdim: Bool) throws(TensorError) -> (values: Tensor, indices: Tensor?) {
        let outType = try reducedType(op)
        let d = try normalizeDim(dim, rank)
        if rank == 0 {
            let v = try reduce(op)
            return (v, op == .max || op == .min ? try Tensor.zeros([], dtype: .int64, on: backend) : nil)
        }
        let size = shape[d]
        if size == 0 && op != .sum && op != .mean && op != .prod {
            throw .index("\(op.rawValue)(): Expected reduction dim \(d) to have non-zero size.")
        }
        var outShape = shape
        if keepdim { outShape[d] = 1 } else { outShape.remove(at: d) }
        if let acc = accelerator { return try deviceReduceAlong(op, d, outShape, acc) }
        if dtype == .float32 && (op == .sum || op == .mean) {
            return (try sumAlong(d, outShape, mean: op == .mean), nil)
        }
        let values = try empty(outShape, dtype: outType)
        let wantsIndices = op == .max || op == .min
        let indices = wantsIndices ? try empty(outShape, dtype: .int64) : nil
        // Move `dim` last so that each output element reduces one row of `size` consecutive elements, read
        // in place.
        var order = Array(0..<rank)
        order.remove(at: d)
        order.append(d)
        let moved = try permute(order)
        var row = RowReduction(op, integer: !dtype.isFloatingPoint)
        if size == 0 {   // empty rows: the sum's 0, the product's 1, the mean's NaN
            for r in 0..<values.count { row.store(into: values, values: r, indices: indices) }
            return (values, indices)
        }
        var r = 0
        try moved.forEachOffsetInterruptibly { o in
            row.add(self, o)
            if row.seen == size {
                row.store(into: values, values: r, indices: indices)
                row = RowReduction(op, integer: row.integer)
                r += 1
            }
        }
        return (values, indices)
    }

    /// Float32 sum over one dimension, viewing the tensor as (outer, size, inner): out[o, i] = sum_s x[o, s, i],
    /// with the inner loop running over contiguous memory.
    private func sumAlong(_ d: Int, _ outShape: [Int], mean: Bool) throws(TensorError) -> Tensor {
        let x = try contiguous()
        let size = shape[d]
        let outer = shape[..<d].reduce(1, *), inner = shape[(d + 1)...].reduce(1, *)
        let out = try Tensor.zeros(outShape, on: backend)
        let src = x.f32, dst = out.f32
        var sinceCheck = 0
        for o in 0..<outer {
            let row = dst + o * inner
            for s in 0..<size {
                let x = src + (o * size + s) * inner
                for i in 0..<inner { row[i] += x[i] }
                sinceCheck += inner
                if sinceCheck >= 1 << 22 { sinceCheck = 0; try backend.cancellation.check() }
            }
        }
        if mean && size > 0 {
            let scale = 1 / Float(size)
            for i in 0..<out.count { dst[i] *= scale }
        }
        return out
    }

}

/// A reduction's running state over one row, fed one element at a time: the sum, product or mean, or the
/// first extreme and its index (NaN wins, as in PyTorch). Integer sums and products stay in Int64 (wrapping).
struct RowReduction {
    let op: ReductionOp
    let integer: Bool
    private(set) var seen = 0
    private var total = 0.0, product = 1.0, intTotal: Int64 = 0, intProduct: Int64 = 1
    private var best = 0.0, at = 0

    init(_ op: ReductionOp, integer: Bool) {
        self.op = op
        self.integer = integer && (op == .sum || op == .prod)
    }

    mutating func add(_ t: Tensor, _ offset: Int) {
        defer { seen += 1 }
        if integer {
            let v = t.loadInt(offset)
            if op == .sum { intTotal &+= v } else { intProduct &*= v }
            return
        }
        let v = t.load(offset)
        switch op {
        case .sum, .mean: total += v
        case .prod: product *= v
        case .max, .min, .argmax, .argmin:
            let wantMax = op == .max || op == .argmax
            if seen == 0 || (!best.isNaN && (v.isNaN || (wantMax ? v > best : v < best))) { best = v; at = seen }
        }
    }

    /// Stores the result at element `r` of `values` (and the extreme's index at `r` of `indices`).
    func store(into values: Tensor, values r: Int, indices: Tensor?) {
        switch op {
        case .sum where integer: values.storeInt(intTotal, r)
        case .prod where integer: values.storeInt(intProduct, r)
        case .sum: values.store(total, r)
        case .prod: values.store(product, r)
        case .mean: values.store(seen == 0 ? .nan : total / Double(seen), r)
        case .argmax, .argmin: values.storeInt(Int64(at), r)
        case .max, .min: values.store(best, r)
        }
        indices?.storeInt(Int64(at), r)
    }
}

extension DType {
    /// The C++ scalar type name PyTorch uses in some messages (`Long`, `Float`).
    public var pytorchScalarName: String {
        switch self {
        case .float32: return "Float"
        case .float64: return "Double"
        case .int64: return "Long"
        case .int32: return "Int"
        case .uint8: return "Byte"
        case .bool: return "Bool"
        }
    }

    /// The C++ type PyTorch's type checks name (`Input type (unsigned char) and bias type (float)`).
    public var cTypeName: String {
        switch self {
        case .float32: return "float"
        case .float64: return "double"
        case .int64: return "long int"
        case .int32: return "int"
        case .uint8: return "unsigned char"
        case .bool: return "bool"
        }
    }
}
