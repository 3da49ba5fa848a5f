/// Reductions of device tensors: float32 sums, means and extremes (whole tensor or along one
/// dimension), and the sum of a bool tensor (how many are true: accuracy counts). Integer reductions
/// (of labels, small) go through the host.
extension Tensor {
    /// `reduceAll` on the device.
    func deviceReduceAll(_ op: ReductionOp, _ acc: any Accelerator) throws(TensorError) -> Tensor {
        if dtype == .bool && op == .sum {
            let x = try contiguous(), out = try empty([], dtype: .int64)
            try acc.countNonzero(x.address, out.address, count: count)
            return out
        }
        // Integer tensors (labels: y.max(), y.sum()) reduce on the host; the result comes back.
        guard dtype == .float32, op != .prod else { return try onHost().reduce(op).transferred(to: backend) }
        let x = try contiguous()
        switch op {
        case .sum, .mean:
            let out = try empty([])
            try acc.sumRows(x.address, out.address, rows: 1, cols: count, scale: op == .mean ? 1 / Float(count) : 1)
            return out
        default:
            let (values, indices) = try x.reshape([1, count]).deviceExtremes(op, acc)
            return try (op == .argmax || op == .argmin ? indices : values).reshape([])
        }
    }

    /// `reduceAlong` on the device; `outShape` is the result's shape (keepdim applied).
    func deviceReduceAlong(_ op: ReductionOp, _ d: Int, _ outShape: [Int], _ acc: any Accelerator) throws(TensorError) -> (Tensor, Tensor?) {
        guard dtype == .float32, op != .prod else {
            guard !dtype.isFloatingPoint else { throw unsupportedReduction(op) }
            let (v, i) = try onHost().reduce(op, dim: d, keepdim: outShape.count == rank)
            return (try v.transferred(to: backend), try i?.transferred(to: backend))
        }
        let size = shape[d], outer = shape[..<d].reduce(1, *), inner = shape[(d + 1)...].reduce(1, *)
        if op == .sum || op == .mean {
            let x = try contiguous(), out = try empty(outShape)
            try acc.sumAxis(x.address, out.address, outer: outer, size: size, inner: inner,
                            scale: op == .mean && size > 0 ? 1 / Float(size) : 1)
            return (out, nil)
        }
        // Extremes: move `dim` last so that each result reduces one contiguous row.
        var order = Array(0..<rank)
        order.remove(at: d)
        order.append(d)
        let rows = try permute(order).contiguous().reshape([outer * inner, size])
        let (values, indices) = try rows.deviceExtremes(op, acc)
        let v = try values.reshape(outShape), i = try indices.reshape(outShape)
        switch op {
        case .argmax, .argmin: return (i, nil)
        default: return (v, i)
        }
    }

    /// The maximum (or minimum) of each row of a contiguous (rows, cols) float32 tensor and its first index.
    private func deviceExtremes(_ op: ReductionOp, _ acc: any Accelerator) throws(TensorError) -> (Tensor, Tensor) {
        let rows = shape[0], cols = shape[1]
        let minimum = op == .min || op == .argmin
        // The minimum is the negated maximum of the negated values (first index and NaN rules carry over).
        let source = minimum ? try unary(.neg) : self
        let values = try empty([rows]), indices = try empty([rows], dtype: .int64)
        try acc.argmaxRows(source.address, values: values.address, indices: indices.address, rows: rows, cols: cols)
        return (minimum ? try values.unary(.neg) : values, indices)
    }

    private func unsupportedReduction(_ op: ReductionOp) -> TensorError {
        .runtime("\(op.rawValue)() with dtype \(dtype.name) does not run on \(device) tensors in dlx yet: move the tensor with .cpu() first")
    }
}
