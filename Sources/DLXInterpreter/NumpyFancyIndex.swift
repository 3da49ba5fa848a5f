import DLXEngine

/// Indexing with two or more index arrays (`a[rows, cols]`, `onehot[np.arange(n), labels] = 1`), which
/// the engine's indexing (one tensor index) does not do: NumPy's rule, on the host. The index arrays
/// (ints count as 0-d arrays, boolean masks as their nonzero indices) broadcast together; their shape goes
/// where they stand when they are next to each other, else first; slices keep their axes.
extension Interpreter {
    struct NumpyPositions {
        let shape: [Int]
        /// Each result element's position in the tensor's storage, from its offset, by its strides.
        let offsets: [Int]
        /// Each result element's index in the tensor's elements in row-major order.
        let flat: [Int]
    }

    /// The positions a key with two or more index arrays selects; nil for other keys.
    func numpyFancyPositions(_ key: Value, _ t: Tensor) throws(DLXError) -> NumpyPositions? {
        guard case .tuple(let parts) = key else { return nil }
        var arrays = 0
        for p in parts {
            switch numpyPlain(p) {
            case .list: arrays += 1
            case .tensor: arrays += 1
            case .object(let o) where o is NDArrayObject: arrays += 1
            default: break
            }
        }
        guard arrays >= 2 else { return nil }
        // Each axis: an index array (advanced) or the indices of a slice.
        enum Axis { case array([Int64], [Int]); case range([Int]) }
        var axes: [Axis] = []
        for p in parts {
            let v = numpyPlain(p)
            switch v {
            case .ellipsis:
                let named = parts.filter { if case .ellipsis = $0 { return false }; return true }.count
                for _ in 0..<Swift.max(0, t.rank - named) { axes.append(.range(Array(0..<t.shape[axes.count]))) }
            case .none:
                throw DLXError("NotImplementedError", "dlx's NumPy does not combine np.newaxis with two or more index arrays")
            case .slice(let a, let b, let c):
                guard axes.count < t.rank else { break }
                axes.append(.range(try sliceIndices(a, b, c, t.shape[axes.count])))
            case .int(let n): axes.append(.array([Int64(n)], []))
            default:
                let x = try numpyData(v, dtype: nil)
                if x.dtype == .bool {
                    guard case .tuple(let columns) = try numpyNonzero(x) else { break }
                    for c in columns {
                        guard case .object(let arr as NDArrayObject) = c else { continue }
                        axes.append(.array(try engine { () throws(TensorError) in try arr.tensor.int64s() }, arr.tensor.shape))
                    }
                } else {
                    guard !x.dtype.isFloatingPoint else { throw Interpreter.numpyIndexError }
                    axes.append(.array(try engine { () throws(TensorError) in try x.int64s() }, x.shape))
                }
            }
        }
        guard axes.count <= t.rank else {
            throw DLXError("IndexError", "too many indices for array: array is \(t.rank)-dimensional, but \(axes.count) were indexed")
        }
        while axes.count < t.rank { axes.append(.range(Array(0..<t.shape[axes.count]))) }
        // The advanced axes, their broadcast shape, and where it goes.
        var advanced: [Int] = [], broadcast: [Int] = []
        for (d, a) in axes.enumerated() {
            if case .array(_, let s) = a { advanced.append(d); broadcast = try numpyBroadcast(broadcast, s) }
        }
        let adjacent = advanced.last! - advanced.first! + 1 == advanced.count
        let insertAt = adjacent ? advanced.first! : 0
        var shape: [Int] = []
        var sliceDims: [Int] = []
        for (d, a) in axes.enumerated() {
            if d == insertAt && adjacent { shape += broadcast }
            if case .range(let r) = a { sliceDims.append(d); shape.append(r.count) }
        }
        if !adjacent { shape = broadcast + shape }
        let count = try checkedCount(shape)
        let bCount = broadcast.reduce(1, *)
        // Each advanced axis's index at each broadcast position, checked.
        var picks: [[Int]] = []
        for d in advanced {
            guard case .array(let values, let s) = axes[d] else { continue }
            let padded = [Int](repeating: 1, count: broadcast.count - s.count) + s
            let strides = (0..<padded.count).map { k in padded[(k + 1)...].reduce(1, *) }
            var column: [Int] = []
            for b in 0..<bCount {
                var rest = b, src = 0
                for k in (0..<broadcast.count).reversed() {
                    let q = rest % broadcast[k]; rest /= broadcast[k]
                    if padded[k] != 1 { src += q * strides[k] }
                }
                let n = Int(values[src]), size = t.shape[d]
                guard n >= -size && n < size else { throw DLXError("IndexError", "index \(n) is out of bounds for axis \(d) with size \(size)") }
                column.append(n < 0 ? n + size : n)
            }
            picks.append(column)
        }
        let logical = (0..<t.rank).map { t.shape[($0 + 1)...].reduce(1, *) }
        var offsets: [Int] = [], flat: [Int] = []
        offsets.reserveCapacity(count); flat.reserveCapacity(count)
        let sliceShape = sliceDims.map { d -> Int in if case .range(let r) = axes[d] { return r.count }; return 1 }
        let sliceCount = sliceShape.reduce(1, *)
        for e in 0..<count {
            // Split the result index into the broadcast position and the slice positions.
            let (b, s): (Int, Int)
            if adjacent {
                let before = sliceDims.filter { $0 < insertAt }.map { d -> Int in if case .range(let r) = axes[d] { return r.count }; return 1 }.reduce(1, *)
                let after = sliceCount / Swift.max(before, 1)
                let outer = e / (bCount * after), mid = (e / after) % bCount, inner = e % after
                (b, s) = (mid, outer * after + inner)
            } else {
                (b, s) = (e / Swift.max(sliceCount, 1), e % Swift.max(sliceCount, 1))
            }
            var off = 0, fl = 0, rest = s
            var positions = [Int](repeating: 0, count: t.rank)
            for (k, d) in sliceDims.enumerated().reversed() {
                let q = rest % sliceShape[k]; rest /= sliceShape[k]
                if case .range(let r) = axes[d] { positions[d] = r[q] }
            }
            for (k, d) in advanced.enumerated() { positions[d] = picks[k][b] }
            for d in 0..<t.rank { off += positions[d] * t.strides[d]; fl += positions[d] * logical[d] }
            offsets.append(off); flat.append(fl)
        }
        return NumpyPositions(shape: shape, offsets: offsets, flat: flat)
    }

    /// `a[rows, cols]`: a new array of the picked elements.
    func numpyFancyGet(_ t: Tensor, _ p: NumpyPositions) throws(DLXError) -> Tensor {
        try engine { () throws(TensorError) in
            if t.dtype.isFloatingPoint {
                let v = try t.doubles()
                return try Tensor.from(p.flat.map { v[$0] }, shape: p.shape, dtype: t.dtype, on: t.backend)
            }
            let v = try t.int64s()
            return try Tensor.from(p.flat.map { v[$0] }, shape: p.shape, dtype: t.dtype, on: t.backend)
        }
    }

    /// `a[rows, cols] = value`: written into a's memory.
    func numpyFancySet(_ t: Tensor, _ p: NumpyPositions, _ value: Value) throws(DLXError) {
        let v = try numpyData(numpyPlain(value), dtype: t.dtype)
        guard v.rank <= p.shape.count, zip(v.shape.reversed(), p.shape.reversed()).allSatisfy({ $0 == $1 || $0 == 1 }) else {
            throw .value("shape mismatch: value array of shape \(Interpreter.numpyShapeText(v.shape)) could not be broadcast to indexing result of shape \(Interpreter.numpyShapeText(p.shape))")
        }
        try engine { () throws(TensorError) in
            let b = try v.expand(to: p.shape)
            if t.dtype.isFloatingPoint {
                for (k, x) in try b.doubles().enumerated() { t.storeValue(double: x, at: p.offsets[k]) }
            } else {
                for (k, x) in try b.int64s().enumerated() { t.storeValue(int: x, at: p.offsets[k]) }
            }
        }
    }
}
