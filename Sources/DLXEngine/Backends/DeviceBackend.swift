import Synchronization

/// The backend of tensors that live on an accelerator: device memory (kept for reuse by size, since
/// training allocates the same shapes every batch and freeing device memory synchronizes the device),
/// and the accelerator's kernels, which the engine's device paths (Ops/Device) call. The host-pointer
/// kernels of `Backend` do not apply to device memory; the engine never calls them for device tensors.
public final class DeviceBackend: Backend, @unchecked Sendable {
    public let cancellation = Cancellation()
    /// The device's kernels and memory (what `Backend.accelerator` returns for this backend).
    public let kernels: any Accelerator
    /// Where tensors go when they leave the device (`.cpu()`, printing, `.item()`).
    public let host: any Backend
    public var device: Device { kernels.device }
    /// Shared with the host backend: `torch.no_grad()` covers both.
    public var autograd: AutogradState { host.autograd }
    public var summary: String { "GPU: \(kernels.name)" }
    public var workerCount: Int { 1 }

    private let cache = Locked<BlockCache>(BlockCache(limit: 1 << 30))

    public init(accelerator: any Accelerator, host: any Backend) {
        self.kernels = accelerator
        self.host = host
    }

    deinit { releaseCache() }

    /// Sizes rounded up (to 512 bytes, then to 1/8 steps of the power of two) so that nearby sizes
    /// share cached blocks; every block holds whole 32-bit words.
    static func blockSize(_ byteCount: Int) -> Int {
        let n = Swift.max(byteCount, 1)
        if n <= 1 << 16 { return (n + 511) & ~511 }
        let step = 1 << (Int.bitWidth - n.leadingZeroBitCount - 4)
        return (n + step - 1) / step * step
    }

    public func allocate(byteCount: Int) throws(TensorError) -> UnsafeMutableRawPointer {
        let n = DeviceBackend.blockSize(byteCount)
        if let a = cache.withLock({ $0.take(n) }) { return DeviceBackend.pointer(a) }
        do {
            return DeviceBackend.pointer(try kernels.allocate(byteCount: n))
        } catch {
            // Out of device memory: give the cached blocks back and try once more.
            releaseCache()
            return DeviceBackend.pointer(try kernels.allocate(byteCount: n))
        }
    }

    public func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        let n = DeviceBackend.blockSize(byteCount), a = DeviceBackend.address(pointer)
        if !cache.withLock({ $0.keep(a, n) }) { kernels.free(a) }
    }

    /// Frees every cached block.
    public func releaseCache() {
        for a in cache.withLock({ $0.drain() }) { kernels.free(a) }
    }

    /// Storage pointers of device tensors carry the device address; they are never dereferenced.
    static func pointer(_ a: DeviceAddress) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(bitPattern: UInt(a))! }
    static func address(_ p: UnsafeRawPointer) -> DeviceAddress { DeviceAddress(UInt(bitPattern: p)) }

    // The host-memory kernels of `Backend`: device tensors take the engine's device paths instead, so
    // reaching one of these is a bug in the engine, not something user input can cause.
    private func hostOnly(_ what: String) -> Never { fatalError("dlx engine bug: host kernel \(what) called on \(device) memory") }
    public func copyIn(_ host: UnsafeRawPointer, to: UnsafeMutableRawPointer, byteCount: Int) { hostOnly("copyIn") }
    public func copyOut(_ from: UnsafeRawPointer, to host: UnsafeMutableRawPointer, byteCount: Int) { hostOnly("copyOut") }
    public func gemm(_ p: GemmParameters) { hostOnly("gemm") }
    public func gemmOnThisThread(_ p: GemmParameters) { hostOnly("gemm") }
    public func unary(_ op: UnaryKernel, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) { hostOnly("unary") }
    public func unaryBackward(_ op: UnaryKernel, grad: UnsafePointer<Float>, input: UnsafePointer<Float>,
                              output: UnsafePointer<Float>, _ result: UnsafeMutablePointer<Float>, count: Int) { hostOnly("unaryBackward") }
    public func adamStep(_ s: AdamStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                         _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, count: Int) { hostOnly("adamStep") }
    public func sgdStep(_ s: SGDStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                        _ velocity: UnsafeMutablePointer<Float>?, count: Int) { hostOnly("sgdStep") }
    public func adagradStep(_ s: AdagradStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                            _ sum: UnsafeMutablePointer<Float>, count: Int) { hostOnly("adagradStep") }
    public func rmspropStep(_ s: RMSpropStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                            _ squareAvg: UnsafeMutablePointer<Float>, _ momentumBuffer: UnsafeMutablePointer<Float>?,
                            _ gradAvg: UnsafeMutablePointer<Float>?, count: Int) { hostOnly("rmspropStep") }
    public func adadeltaStep(_ s: AdadeltaStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                             _ squareAvg: UnsafeMutablePointer<Float>, _ accDelta: UnsafeMutablePointer<Float>, count: Int) { hostOnly("adadeltaStep") }
    public func binaryRow(_ op: BinaryKernel, _ a: UnsafePointer<Float>, _ aStride: Int,
                          _ b: UnsafePointer<Float>, _ bStride: Int, _ out: UnsafeMutablePointer<Float>, count: Int) { hostOnly("binaryRow") }
    public func splitChannels(_ count: Int, _ body: (Int, Int) -> Void) { body(0, count) }
    /// Host arrays live in the host backend's memory, under its limit.
    public func checkHostMemory(byteCount: Int) throws(TensorError) { try host.checkHostMemory(byteCount: byteCount) }
}

extension Backend {
    /// The accelerator behind a device backend; nil for host memory.
    public var accelerator: (any Accelerator)? { (self as? DeviceBackend)?.kernels }
    /// Where this backend's tensors go on the host: itself for host memory.
    public var hostBackend: any Backend { (self as? DeviceBackend)?.host ?? self }

    /// `checkHostMemory` for an array of `count` elements of `size` bytes (a count that overflows fails).
    public func checkHostArray(_ count: Int, elementSize size: Int) throws(TensorError) {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
        try checkHostMemory(byteCount: overflow ? -1 : bytes)
    }
}
