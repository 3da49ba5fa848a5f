/// `x[...]`: basic indexing (ints, slices, None, ...) gives views; one tensor index (int64 positions
/// or a bool mask) gathers a copy, as in PyTorch.
public enum IndexItem {
    case int(Int)
    case slice(Int?, Int?, Int)
    case newAxis
    case ellipsis
    case tensor(Tensor)
}

extension Tensor {
    private struct Resolved {
        var view: Tensor
        var advancedDim: Int?
        var advanced: Tensor?
    }

    private func resolve(_ items: [IndexItem]) throws(TensorError) -> Resolved {
        var consumed = 0, ellipses = 0
        for item in items {
            switch item {
            case .int, .slice: consumed += 1
            case .tensor(let t): consumed += t.dtype == .bool || t.dtype == .uint8 ? Swift.max(t.rank, 1) : 1
            case .ellipsis: ellipses += 1
            case .newAxis: break
            }
        }
        if ellipses > 1 { throw .index("an index can only have a single ellipsis ('...')") }
        if consumed > rank {
            throw .index(rank == 0 ? "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
                         : "too many indices for tensor of dimension \(rank)")
        }
        var v = self
        var dim = 0
        // The dimension of `self` the next item indexes, for PyTorch's messages (`x[0, 0, 28]` names dimension 2).
        var source = 0
        var advancedDim: Int? = nil, advanced: Tensor? = nil
        for item in items {
            switch item {
            case .int(let i):
                let size = v.shape[dim]
                guard i >= -size && i < size else {
                    throw .index("index \(i) is out of bounds for dimension \(source) with size \(size)")
                }
                v = try v.select(dim, i)
                source += 1
            case .slice(let start, let stop, let step):
                v = try v.slice(dim, start: start, stop: stop, step: step)
                dim += 1
                source += 1
            case .newAxis:
                v = v.insertingAxis(at: dim)
                dim += 1
            case .ellipsis:
                dim += rank - consumed
                source += rank - consumed
            case .tensor(let t):
                if advanced != nil {
                    throw TensorError(.notImplemented, "indexing with more than one tensor is not supported in dlx")
                }
                guard t.dtype != .float32 && t.dtype != .float64 else {
                    throw .index("tensors used as indices must be long, int, byte or bool tensors")
                }
                advanced = t
                advancedDim = dim
                dim += t.dtype == .bool || t.dtype == .uint8 ? Swift.max(t.rank, 1) : 1
                source += t.dtype == .bool || t.dtype == .uint8 ? Swift.max(t.rank, 1) : 1
            }
        }
        return Resolved(view: v, advancedDim: advancedDim, advanced: advanced)
    }

    /// Storage offsets of the elements an advanced index selects, in result order, and the result shape.
    private static func advancedOffsets(_ v: Tensor, _ d: Int, _ index: Tensor) throws(TensorError) -> (offsets: [Int], shape: [Int]) {
        var deltas: [Int] = []
        var middle: [Int]
        var consumed = 1
        if index.dtype == .bool || index.dtype == .uint8 {
            consumed = Swift.max(index.rank, 1)
            let maskShape = index.rank == 0 ? [1] : index.shape
            for m in 0..<consumed where v.shape[d + m] != maskShape[m] {
                throw .index("The shape of the mask \(maskShape) at index \(m) does not match the shape of the indexed tensor \(v.shape) at index \(d + m)")
            }
            let flags = try index.int64s()
            let sub = Array(maskShape)
            for (p, f) in flags.enumerated() where f != 0 {
                var rest = p, delta = 0
                for m in stride(from: consumed - 1, through: 0, by: -1) {
                    delta += (rest % sub[m]) * v.strides[d + m]
                    rest /= sub[m]
                }
                deltas.append(delta)
            }
            middle = [deltas.count]
        } else {
            let size = v.shape[d]
            for i in try index.int64s() {
                guard i >= -Int64(size) && i < Int64(size) else {
                    throw .index("index \(i) is out of bounds for dimension \(d) with size \(size)")
                }
                deltas.append(Int(i < 0 ? i + Int64(size) : i) * v.strides[d])
            }
            middle = index.shape
        }
        let outer = v.view(shape: Array(v.shape[..<d]), strides: Array(v.strides[..<d]), offset: v.offset)
        let inner = v.view(shape: Array(v.shape[(d + consumed)...]), strides: Array(v.strides[(d + consumed)...]), offset: 0)
        let shape = outer.shape + middle + inner.shape
        // The result's count (a large index list over a broadcast view can make it huge) is checked before
        // the list of its offsets is made, against the backend's memory limit.
        let n = try Tensor.checkedCount(shape)
        try v.backend.checkHostArray(n + inner.count, elementSize: MemoryLayout<Int>.stride)
        var innerOffsets: [Int] = []
        inner.forEachOffset { innerOffsets.append($0) }
        var offsets: [Int] = []
        offsets.reserveCapacity(n)
        outer.forEachOffset { o in
            for delta in deltas { for i in innerOffsets { offsets.append(o + delta + i) } }
        }
        return (offsets, shape)
    }

    /// The fast gather for an integer index over the first dimension of a tensor whose rows are contiguous
    /// (`images[batch_indices]`): one copy per row. nil where that does not apply; `advancedOffsets` is the
    /// general (reference) path, and the tests hold the two to the same results.
    static func gatherRows(_ v: Tensor, _ d: Int, _ index: Tensor) throws(TensorError) -> Tensor? {
        guard d == 0, v.rank >= 1, index.dtype != .bool, index.dtype != .uint8, index.rank == 1 else { return nil }
        let rowShape = Array(v.shape.dropFirst())
        let rowCount = try Tensor.checkedCount(rowShape)
        // The elements of one row must lie one after another.
        var expected = 1
        for k in stride(from: v.rank - 1, through: 1, by: -1) where v.shape[k] != 1 {
            guard v.strides[k] == expected else { return nil }
            expected *= v.shape[k]
        }
        let size = v.shape[0]
        let ids = try index.int64s()
        let out = try v.empty([ids.count] + rowShape)
        let bytes = rowCount * v.dtype.itemSize
        let source = v.storage.pointer, target = out.storage.pointer
        for (k, i) in ids.enumerated() {
            guard i >= -Int64(size) && i < Int64(size) else {
                throw .index("index \(i) is out of bounds for dimension 0 with size \(size)")
            }
            let row = Int(i < 0 ? i + Int64(size) : i)
            (target + k * bytes).copyMemory(from: source + (v.offset + row * v.strides[0]) * v.dtype.itemSize, byteCount: bytes)
        }
        return out
    }

    public func index(_ items: [IndexItem]) throws(TensorError) -> Tensor {
        let hasTensor = items.contains { if case .tensor = $0 { return true } else { return false } }
        return try derive(hasTensor ? "IndexBackward0" : "SliceBackward0", [self], { () throws(TensorError) in try indexForward(items) }) { [shape, backend] g, _ throws(TensorError) in
            [try Tensor.scatterGrad(g, into: shape, items, on: backend)]
        }
    }

    private func indexForward(_ items: [IndexItem]) throws(TensorError) -> Tensor {
        let r = try resolve(items)
        guard let index = r.advanced, let d = r.advancedDim else { return r.view }
        try requireHost("indexing with a tensor")
        if let rows = try Tensor.gatherRows(r.view, d, index) { return rows }
        let (offsets, shape) = try Tensor.advancedOffsets(r.view, d, index)
        let out = try empty(shape)
        switch dtype.itemSize {
        case 4:
            let s = storage.pointer.assumingMemoryBound(to: UInt32.self), o = out.storage.pointer.assumingMemoryBound(to: UInt32.self)
            for (k, off) in offsets.enumerated() { o[k] = s[off] }
        case 8:
            let s = storage.pointer.assumingMemoryBound(to: UInt64.self), o = out.storage.pointer.assumingMemoryBound(to: UInt64.self)
            for (k, off) in offsets.enumerated() { o[k] = s[off] }
        default:
            let s = storage.pointer.assumingMemoryBound(to: UInt8.self), o = out.storage.pointer.assumingMemoryBound(to: UInt8.self)
            for (k, off) in offsets.enumerated() { o[k] = s[off] }
        }
        return out
    }

    /// Adds `g` at the positions `items` select (repeated positions add up): the backward of indexing.
    func indexAdd(_ items: [IndexItem], _ g: Tensor) throws(TensorError) {
        let r = try resolve(items)
        var offsets: [Int] = []
        var shape = r.view.shape
        if let index = r.advanced, let d = r.advancedDim {
            (offsets, shape) = try Tensor.advancedOffsets(r.view, d, index)
        } else {
            r.view.forEachOffset { offsets.append($0) }
        }
        let values = try g.expand(to: shape).doubles()
        for (k, off) in offsets.enumerated() { store(load(off) + values[k], off) }
    }

    /// `x[items] = value`, writing through to this tensor's storage.
    public func indexPut(_ items: [IndexItem], _ value: Operand) throws(TensorError) {
        let r = try resolve(items)
        guard let index = r.advanced, let d = r.advancedDim else {
            switch value {
            case .scalar(let s): try r.view.fill(s.double)
            case .tensor(let t): try r.view.copy(from: t)
            }
            return
        }
        try requireHost("assigning through a tensor index")
        let (offsets, shape) = try Tensor.advancedOffsets(r.view, d, index)
        bumpVersion()
        switch value {
        case .scalar(let s):
            for off in offsets { store(s.double, off) }
        case .tensor(let t):
            let src = try t.expand(to: shape)
            if dtype.isFloatingPoint {
                for (k, v) in try src.doubles().enumerated() { store(v, offsets[k]) }
            } else {
                for (k, v) in try src.int64s().enumerated() { storeInt(v, offsets[k]) }
            }
        }
    }
}
