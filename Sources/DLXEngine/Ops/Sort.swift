/// `sort`: values along a dimension in order, with the positions they came from.
extension Tensor {
    /// Sorts along `dim` (ascending unless `descending`; equal values keep their order, and NaN sorts as the
    /// largest, as PyTorch's CPU sort). The values' gradient goes back to where each value came from.
    public func sort(dim d: Int = -1, descending: Bool = false) throws(TensorError) -> (values: Tensor, indices: Tensor) {
        try requireHost("sort")
        let dim = try normalizeDim(d, Swift.max(rank, 1))
        let source = try contiguous()
        let size = rank == 0 ? 1 : shape[dim]
        let inner = rank == 0 ? 1 : shape[(dim + 1)...].reduce(1, *)
        let outer = count / Swift.max(size * inner, 1)
        let indices = try Tensor.empty(shape, dtype: .int64, on: backend)
        let ip = indices.storage.pointer.assumingMemoryBound(to: Int64.self)
        let isFloat = dtype.isFloatingPoint
        for o in 0..<outer {
            for j in 0..<inner {
                let base = o * size * inner + j
                func key(_ k: Int) -> Double { source.load(source.offset + base + k * inner) }
                func intKey(_ k: Int) -> Int64 { source.loadInt(source.offset + base + k * inner) }
                let order = (0..<size).sorted { a, b in
                    if isFloat {
                        let x = key(a), y = key(b)
                        if x.isNaN || y.isNaN { return descending ? (x.isNaN && !y.isNaN) : (!x.isNaN && y.isNaN) }
                        return descending ? x > y : x < y
                    }
                    let x = intKey(a), y = intKey(b)
                    return descending ? x > y : x < y
                }
                for (k, from) in order.enumerated() { ip[base + k * inner] = Int64(from) }
            }
        }
        let values = try derive("SortBackward0", [self], { () throws(TensorError) in
            let out = try Tensor.empty(shape, dtype: dtype, on: backend)
            var k = 0
            indices.forEachOffset { at in
                let position = k
                let from = Int(ip[at])
                let o = position / (size * inner), j = position % inner
                let src = source.offset + o * size * inner + j + from * inner
                if isFloat { out.store(source.load(src), position) } else { out.storeInt(source.loadInt(src), position) }
                k += 1
            }
            return out
        }) { [shape, backend] g, _ throws(TensorError) in
            let gx = try Tensor.zeros(shape, on: backend)
            try gx.scatter(dim: dim, index: indices, source: .tensor(try g.contiguous()))
            return [gx]
        }
        return (values, indices)
    }
}
