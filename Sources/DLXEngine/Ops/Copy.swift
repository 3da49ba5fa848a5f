#if canImport(Glibc)
import Glibc
#endif

extension Tensor {
    /// Copies `src` (same shape; any layout and dtype) into this tensor's elements, converting dtype.
    func assign(from src: Tensor) throws(TensorError) {
        // Callers broadcast first; a caller that did not is an error, not a trap.
        guard src.shape == shape else { throw .runtime("assign: shapes differ: \(src.shape) and \(shape)") }
        let n = count
        if n == 0 { return }
        if let acc = accelerator { try deviceAssign(from: src, acc); return }
        if src.accelerator != nil { try assign(from: try src.onHost()); return }
        if src.dtype == dtype && isContiguous && src.isContiguous {
            memmove(storage.pointer + offset * dtype.itemSize, src.storage.pointer + src.offset * dtype.itemSize,
                    n * dtype.itemSize)
            return
        }
        if src.dtype == .uint8 && dtype == .float32 && isContiguous && src.isContiguous {
            let s = src.storage.pointer.assumingMemoryBound(to: UInt8.self) + src.offset
            let d = f32
            for i in 0..<n { d[i] = Float(s[i]) }
            return
        }
        // Walk both in row-major order.
        if src.dtype == dtype && dtype.itemSize == 4 {
            let s = src.storage.pointer.assumingMemoryBound(to: UInt32.self)
            let d = storage.pointer.assumingMemoryBound(to: UInt32.self)
            forEachOffset(with: src) { d[$0] = s[$1] }
        } else if src.dtype.isFloatingPoint || dtype.isFloatingPoint {
            forEachOffset(with: src) { store(src.load($1), $0) }
        } else {
            forEachOffset(with: src) { storeInt(src.loadInt($1), $0) }
        }
    }

    /// This tensor, or a contiguous copy of it.
    public func contiguous() throws(TensorError) -> Tensor {
        if isContiguous { return self }
        return try clone()
    }

    /// A contiguous copy with its own storage.
    public func clone() throws(TensorError) -> Tensor {
        try derive("CloneBackward0", [self], { () throws(TensorError) in
            let out = try empty(shape)
            try out.assign(from: self)
            return out
        }) { g, _ in [g] }
    }

    /// A copy converted to `dtype` (this tensor itself when it already has that dtype).
    public func to(_ dtype: DType) throws(TensorError) -> Tensor {
        if dtype == self.dtype { return self }
        let convert = { () throws(TensorError) -> Tensor in
            let out = try self.empty(self.shape, dtype: dtype)
            try out.assign(from: self)
            return out
        }
        guard dtype.isFloatingPoint else { return try convert() }
        return try derive("ToCopyBackward0", [self], convert) { [from = self.dtype] g, _ throws(TensorError) in [try g.to(from)] }
    }

    /// Sets every element to `value`.
    public func fill(_ value: Double) throws(TensorError) {
        bumpVersion()
        try fillElements(value)
    }

    /// `fill` for a tensor being made (no in-place change to count).
    func fillElements(_ value: Double) throws(TensorError) {
        if let acc = accelerator { try deviceFill(value, acc); return }
        if dtype == .float32 && isContiguous {
            let p = f32, v = Float(value)
            for i in 0..<count { p[i] = v }
            return
        }
        forEachOffset { store(value, $0) }
    }

    /// Copies `src` into this tensor, broadcasting it to this shape (the `x[...] = y` of PyTorch).
    public func copy(from src: Tensor) throws(TensorError) {
        let b = try src.expand(to: shape)
        bumpVersion()
        if b.storage === storage {
            try assign(from: try b.clone())   // overlapping views: copy through a temporary
        } else {
            try assign(from: b)
        }
    }
}
