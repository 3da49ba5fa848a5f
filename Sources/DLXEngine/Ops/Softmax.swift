/// Softmax and log-softmax along a dimension, computed stably (the row maximum is subtracted first).
extension Tensor {
    public func softmax(_ dim: Int, log: Bool = false) throws(TensorError) -> Tensor {
        let d = try normalizeDim(dim, rank)
        return try derive(log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", [self], savingOutput: true, { () throws(TensorError) in
            try softmaxForward(d, log: log)
        }) { g, y throws(TensorError) in
            if log {
                // d/dx log_softmax: g - softmax * sum(g)
                let total = try g.reduce(.sum, dim: d, keepdim: true).values
                return [try g.minus(try y.unary(.exp).times(total))]
            }
            // d/dx softmax: y * (g - sum(g * y))
            let dot = try g.times(y).reduce(.sum, dim: d, keepdim: true).values
            return [try y.times(try g.minus(dot))]
        }
    }

    private func softmaxForward(_ d: Int, log: Bool) throws(TensorError) -> Tensor {
        if accelerator != nil && dtype != .float32 { try requireHost("softmax with dtype \(dtype.name)") }
        let x = try (dtype.isFloatingPoint ? self : to(.float32))
        if rank == 0 {
            return try Tensor.full([], log ? 0 : 1, dtype: x.dtype, on: backend)
        }
        var order = Array(0..<rank)
        order.remove(at: d)
        order.append(d)
        let moved = try x.permute(order).to(.float32).contiguous()
        let size = shape[d]
        let rows = count / Swift.max(size, 1)
        let outMoved = try Tensor.empty(moved.shape, on: backend)
        if let acc = accelerator {
            try acc.softmaxRows(moved.address, outMoved.address, rows: rows, cols: size, log: log)
        } else {
            softmaxRows(moved.f32, outMoved.f32, rows: rows, size: size, log: log)
        }
        // Undo the move: the inverse permutation puts `dim` back.
        var inverse = [Int](repeating: 0, count: rank)
        for (i, o) in order.enumerated() { inverse[o] = i }
        let result = try outMoved.permute(inverse).contiguous()
        return dtype == .float64 ? try result.to(.float64) : result
    }

    private func softmaxRows(_ src: UnsafeMutablePointer<Float>, _ dst: UnsafeMutablePointer<Float>, rows: Int, size: Int, log: Bool) {
        for r in 0..<rows {
            let row = src + r * size, o = dst + r * size
            var m = -Float.infinity
            for i in 0..<size where row[i] > m || row[i].isNaN { m = row[i] }
            var total: Float = 0
            for i in 0..<size { let e = _expf(row[i] - m); o[i] = e; total += e }
            if log {
                let lt = _logf(total)
                for i in 0..<size { o[i] = row[i] - m - lt }
            } else {
                let inv = 1 / total
                for i in 0..<size { o[i] *= inv }
            }
        }
    }
}
