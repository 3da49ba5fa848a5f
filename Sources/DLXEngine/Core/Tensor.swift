/// An n-dimensional array: a view (shape, strides, offset in elements) over a shared storage.
/// Views share memory with their base, as PyTorch's do; operations return new tensors.
public final class Tensor: @unchecked Sendable {
    /// Replaced only when `model.to(device)` moves a parameter's data (and then strides and offset with it).
    public internal(set) var storage: Storage
    /// Changed in place only by `resize_`.
    public internal(set) var shape: [Int]
    public internal(set) var strides: [Int]
    public internal(set) var offset: Int
    public let dtype: DType
    /// Set by the user or by autograd; printed as `requires_grad=True`.
    public var requiresGrad = false
    public var grad: Tensor? = nil
    /// A module's learnable tensor (`nn.Parameter`), which prints as "Parameter containing:".
    public var isParameter = false
    /// The operation that made this tensor, when autograd recorded it; nil for leaves.
    public var gradFn: GradNode? = nil
    public var isLeaf: Bool { gradFn == nil }
    /// Set on a gradient a backward rule has just made and shares with nothing, so that a leaf can
    /// adopt it as its `.grad` without a copy.
    var isFreshGradient = false

    public init(storage: Storage, shape: [Int], strides: [Int], offset: Int, dtype: DType) {
        self.storage = storage; self.shape = shape; self.strides = strides; self.offset = offset; self.dtype = dtype
    }

    public var backend: any Backend { storage.backend }
    public var device: Device { storage.backend.device }
    public var rank: Int { shape.count }
    public var count: Int { shape.reduce(1, *) }

    public var isContiguous: Bool {
        var expected = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] != 1 {
            if strides[d] != expected { return false }
            expected *= shape[d]
        }
        return true
    }

    /// Row-major strides for `shape`, checked: a zero dimension keeps a tensor's count small while the
    /// strides of the dimensions before it grow (`torch.zeros(0, 2**62, 4)`), so they are computed with
    /// overflow checks, as PyTorch's are. Every tensor's strides come from here or from a tensor's own,
    /// so the product of its sizes (a zero counted as one) always fits in an Int.
    public static func contiguousStrides(_ shape: [Int]) throws(TensorError) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[d] = s
            let (p, overflow) = s.multipliedReportingOverflow(by: Swift.max(shape[d], 1))
            if overflow { throw .runtime("Stride calculation overflowed") }
            s = p
        }
        return strides
    }

    /// The element count of a view's shape, or PyTorch's error when it overflows (an `expand` to sizes
    /// whose product does not fit). Zero sizes count as one, so that every partial product of a valid
    /// shape fits too (`flatten`, reductions and `unsqueeze` multiply sizes and strides freely).
    static func checkedViewShape(_ shape: [Int]) throws(TensorError) {
        var n = 1
        for s in shape {
            let (p, overflow) = n.multipliedReportingOverflow(by: Swift.max(s, 1))
            if overflow { throw .runtime("numel: integer multiplication overflow") }
            n = p
        }
    }

    /// The element count of `shape`, or an error for negative sizes and counts that overflow.
    public static func checkedCount(_ shape: [Int]) throws(TensorError) -> Int {
        var n = 1
        for s in shape where s < 0 { throw .runtime("Trying to create tensor with negative dimension \(s): \(shape)") }
        for s in shape {
            let (p, overflow) = n.multipliedReportingOverflow(by: s)
            if overflow { throw .runtime("Storage size calculation overflowed with sizes=\(shape)") }
            n = p
        }
        if n > Int(Int32.max) * 64 {
            throw TensorError(.memory, "can't allocate memory: a tensor of size \(shape) has too many elements")
        }
        return n
    }

    /// A new, uninitialised, contiguous tensor.
    public static func empty(_ shape: [Int], dtype: DType = .float32, on backend: any Backend) throws(TensorError) -> Tensor {
        let n = try checkedCount(shape)
        let strides = try contiguousStrides(shape)
        let (bytes, overflow) = n.multipliedReportingOverflow(by: dtype.itemSize)
        if overflow { throw .runtime("Storage size calculation overflowed with sizes=\(shape)") }
        let storage = try Storage(backend: backend, byteCount: bytes)
        return Tensor(storage: storage, shape: shape, strides: strides, offset: 0, dtype: dtype)
    }

    /// A tensor of the same backend and this shape.
    public func empty(_ shape: [Int], dtype: DType? = nil) throws(TensorError) -> Tensor {
        try Tensor.empty(shape, dtype: dtype ?? self.dtype, on: backend)
    }

    /// A view of the same storage with other geometry.
    public func view(shape: [Int], strides: [Int], offset: Int) -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
    }

    // MARK: - Raw access (CPU)

    /// The first element, typed. Only for float32 tensors on a host backend.
    public var f32: UnsafeMutablePointer<Float> {
        storage.pointer.assumingMemoryBound(to: Float.self) + offset
    }

    @inline(__always)
    func load(_ elementOffset: Int) -> Double {
        let p = storage.pointer
        switch dtype {
        case .float32: return Double(p.assumingMemoryBound(to: Float.self)[elementOffset])
        case .float64: return p.assumingMemoryBound(to: Double.self)[elementOffset]
        case .int64: return Double(p.assumingMemoryBound(to: Int64.self)[elementOffset])
        case .int32: return Double(p.assumingMemoryBound(to: Int32.self)[elementOffset])
        case .uint8, .bool: return Double(p.assumingMemoryBound(to: UInt8.self)[elementOffset])
        }
    }

    @inline(__always)
    func loadInt(_ elementOffset: Int) -> Int64 {
        let p = storage.pointer
        switch dtype {
        case .int64: return p.assumingMemoryBound(to: Int64.self)[elementOffset]
        case .int32: return Int64(p.assumingMemoryBound(to: Int32.self)[elementOffset])
        case .uint8, .bool: return Int64(p.assumingMemoryBound(to: UInt8.self)[elementOffset])
        case .float32, .float64: return Tensor.toInt64(load(elementOffset))
        }
    }

    /// Stores `v` converted to this tensor's dtype as PyTorch converts (truncation toward zero for integers).
    @inline(__always)
    func store(_ v: Double, _ elementOffset: Int) {
        let p = storage.pointer
        switch dtype {
        case .float32: p.assumingMemoryBound(to: Float.self)[elementOffset] = Float(v)
        case .float64: p.assumingMemoryBound(to: Double.self)[elementOffset] = v
        case .int64: p.assumingMemoryBound(to: Int64.self)[elementOffset] = Tensor.toInt64(v)
        case .int32: p.assumingMemoryBound(to: Int32.self)[elementOffset] = Int32(truncatingIfNeeded: Tensor.toInt64(v))
        case .uint8: p.assumingMemoryBound(to: UInt8.self)[elementOffset] = UInt8(truncatingIfNeeded: Tensor.toInt64(v))
        case .bool: p.assumingMemoryBound(to: UInt8.self)[elementOffset] = v != 0 ? 1 : 0
        }
    }

    @inline(__always)
    func storeInt(_ v: Int64, _ elementOffset: Int) {
        let p = storage.pointer
        switch dtype {
        case .int64: p.assumingMemoryBound(to: Int64.self)[elementOffset] = v
        case .int32: p.assumingMemoryBound(to: Int32.self)[elementOffset] = Int32(truncatingIfNeeded: v)
        case .uint8: p.assumingMemoryBound(to: UInt8.self)[elementOffset] = UInt8(truncatingIfNeeded: v)
        case .bool: p.assumingMemoryBound(to: UInt8.self)[elementOffset] = v != 0 ? 1 : 0
        case .float32, .float64: store(Double(v), elementOffset)
        }
    }

    static func toInt64(_ v: Double) -> Int64 {
        if v.isNaN { return Int64.min }
        return Int64(clamping: Int64(exactly: v.rounded(.towardZero)) ?? (v > 0 ? Int64.max : Int64.min))
    }

    /// Calls `body` with the storage offset of every element, in row-major order.
    public func forEachOffset(_ body: (Int) -> Void) {
        Tensor.walk(shape, (strides, offset), (strides, offset)) { o, _ in body(o) }
    }

    /// Calls `body` with the storage offsets of each element in this tensor and in `other` (same shape),
    /// in row-major order: two layouts walked together, without a list of offsets.
    func forEachOffset(with other: Tensor, _ body: (Int, Int) -> Void) {
        Tensor.walk(shape, (strides, offset), (other.strides, other.offset), body)
    }

    /// The same walk over a tensor of any size, checking the backend's cancellation about every million
    /// elements: a reduction over a huge (or hugely broadcast) tensor stops with the interrupted error.
    public func forEachOffsetInterruptibly(_ body: (Int) -> Void) throws(TensorError) {
        let cancellation = backend.cancellation
        guard cancellation.isArmed else { forEachOffset(body); return }
        var stopped = false
        Tensor.walk(shape, (strides, offset), (strides, offset), stop: {
            stopped = cancellation.isRequested
            return stopped
        }) { o, _ in body(o) }
        if stopped { throw TensorError(.interrupted, "") }
    }

    /// Walks two layouts; `stop`, when given, is asked between rows about every million elements.
    private static func walk(_ shape: [Int], _ a: (strides: [Int], offset: Int), _ b: (strides: [Int], offset: Int),
                             stop: (() -> Bool)? = nil, _ body: (Int, Int) -> Void) {
        if shape.contains(0) { return }
        if shape.isEmpty { body(a.offset, b.offset); return }
        var index = [Int](repeating: 0, count: shape.count)
        var offA = a.offset, offB = b.offset
        let last = shape.count - 1
        let innerCount = shape[last], innerA = a.strides[last], innerB = b.strides[last]
        var sinceCheck = 0
        while true {
            var oa = offA, ob = offB
            if let stop {
                // Rows longer than the check interval are walked in pieces.
                var left = innerCount
                while left > 0 {
                    let piece = Swift.min(left, 1 << 20)
                    for _ in 0..<piece { body(oa, ob); oa += innerA; ob += innerB }
                    left -= piece
                    sinceCheck += piece
                    if sinceCheck >= 1 << 20 {
                        sinceCheck = 0
                        if stop() { return }
                    }
                }
            } else {
                for _ in 0..<innerCount { body(oa, ob); oa += innerA; ob += innerB }
            }
            var d = last - 1
            while d >= 0 {
                index[d] += 1
                offA += a.strides[d]; offB += b.strides[d]
                if index[d] < shape[d] { break }
                offA -= a.strides[d] * shape[d]; offB -= b.strides[d] * shape[d]
                index[d] = 0
                d -= 1
            }
            if d < 0 { return }
        }
    }

    /// The elements as Doubles, in row-major order (copied from the device first for device tensors).
    public func doubles() throws(TensorError) -> [Double] {
        if accelerator != nil { return try onHost().doubles() }
        try backend.checkHostArray(count, elementSize: MemoryLayout<Double>.stride)
        var out = [Double]()
        out.reserveCapacity(count)
        forEachOffset { out.append(load($0)) }
        return out
    }

    /// The elements as Int64s, in row-major order (floats truncated).
    public func int64s() throws(TensorError) -> [Int64] {
        if accelerator != nil { return try onHost().int64s() }
        try backend.checkHostArray(count, elementSize: MemoryLayout<Int64>.stride)
        var out = [Int64]()
        out.reserveCapacity(count)
        forEachOffset { out.append(loadInt($0)) }
        return out
    }

    /// The only element of a one-element tensor.
    public func scalar() throws(TensorError) -> Scalar {
        guard count == 1 else {
            throw .runtime("a Tensor with \(count) elements cannot be converted to Scalar")
        }
        if accelerator != nil { return try onHost().scalar() }
        var off = offset
        forEachOffset { off = $0 }
        switch dtype {
        case .float32, .float64: return .float(load(off))
        case .bool: return .bool(loadInt(off) != 0)
        default: return .int(loadInt(off))
        }
    }
}

/// One element, as Python sees it.
public enum Scalar: Equatable, Sendable {
    case bool(Bool)
    case int(Int64)
    case float(Double)

    public var double: Double {
        switch self {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return Double(i)
        case .float(let f): return f
        }
    }

    /// The dtype `torch.tensor` infers for this value.
    public var inferredDType: DType {
        switch self {
        case .bool: return .bool
        case .int: return .int64
        case .float: return .float32
        }
    }
}

extension Tensor {
    /// Writes one element of a contiguous tensor by flat index (for building tensors from literals).
    public func storeValue(double v: Double, at index: Int) { store(v, offset + index) }
    public func storeValue(int v: Int64, at index: Int) { storeInt(v, offset + index) }
}
