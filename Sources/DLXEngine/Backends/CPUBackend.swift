#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import CSupport

/// The CPU backend: aligned host memory with a byte limit, OpenBLAS for matrix products (or the reference
/// kernel where no BLAS library is found), and tight loops for elementwise work.
public final class CPUBackend: Backend, @unchecked Sendable {
    public let device = Device.cpu
    /// Bytes that may be live at once; past it an allocation is a MemoryError, not an abort.
    public let memoryLimit: Int
    private let used = Atomic<Int>(0)
    private let blasState = Locked(BLASState())
    /// Freed blocks kept for reuse, by size: large blocks would otherwise be mapped and page-faulted
    /// afresh each batch.
    private let cache = Locked<BlockCache>(BlockCache(limit: 512 << 20))
    public let autograd = AutogradState()
    public let cancellation = Cancellation()

    /// Worker threads for large products and updates: one per core.
    public let threads: Int

    public init(memoryLimit: Int? = nil, threads: Int? = nil) {
        self.memoryLimit = memoryLimit ?? CPUBackend.defaultLimit()
        self.threads = max(1, threads ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// Worker threads, started on first use.
    private let pool = Locked<UInt>(0)   // the dlx_pool's address, 0 before it exists

    private var workers: OpaquePointer? {
        let address = pool.withLock { a -> UInt in
            if a == 0, threads > 1, let p = dlx_pool_create(Int32(threads)) { a = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(p))) }
            return a
        }
        return address == 0 ? nil : OpaquePointer(bitPattern: address)
    }

    /// Runs `body(part)` for each of `parts` parts, in parallel on the pool (the parts must touch
    /// disjoint memory).
    func parallel(_ parts: Int, _ body: (Int) -> Void) {
        if parts <= 1 { body(0); return }
        withoutActuallyEscaping(body) { escapable in
            var task = escapable
            withUnsafeMutablePointer(to: &task) { ctx in
                dlx_pool_run(workers, Int32(parts), { raw, part in
                    raw!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(part))
                }, ctx)
            }
        }
    }

    /// Three quarters of physical memory.
    static func defaultLimit() -> Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return 8 << 30 }
        return pages / 4 * 3 * size
    }

    public var bytesInUse: Int { used.load(ordering: .relaxed) }

    /// Sizes are rounded up so that nearby sizes share cached blocks.
    static func blockSize(_ byteCount: Int) -> Int {
        let n = max(byteCount, 1)
        return n <= 4096 ? (n + 63) & ~63 : (n + 4095) & ~4095
    }

    public func allocate(byteCount: Int) throws(TensorError) -> UnsafeMutableRawPointer {
        let n = CPUBackend.blockSize(byteCount)
        if let address = cache.withLock({ $0.take(n) }), let p = UnsafeMutableRawPointer(bitPattern: UInt(address)) {
            used.add(n, ordering: .relaxed)
            return p
        }
        let now = used.add(n, ordering: .relaxed).newValue
        if now > memoryLimit {
            used.subtract(n, ordering: .relaxed)
            releaseCache()
            if used.load(ordering: .relaxed) + n <= memoryLimit { return try allocate(byteCount: byteCount) }
            throw TensorError(.memory, "can't allocate memory: you tried to allocate \(byteCount) bytes, "
                              + "and the limit is \(memoryLimit) bytes (\(now - n) in use)")
        }
        var p: UnsafeMutableRawPointer? = nil
        guard posix_memalign(&p, 64, n) == 0, let ptr = p else {
            used.subtract(n, ordering: .relaxed)
            throw TensorError(.memory, "can't allocate memory: you tried to allocate \(byteCount) bytes")
        }
        return ptr
    }

    public func checkHostMemory(byteCount: Int) throws(TensorError) {
        let inUse = used.load(ordering: .relaxed)
        let (total, overflow) = inUse.addingReportingOverflow(byteCount)
        if byteCount < 0 || overflow || total > memoryLimit {
            throw TensorError(.memory, "can't allocate memory: you tried to allocate \(byteCount < 0 ? "more than \(Int.max)" : "\(byteCount)") bytes, "
                              + "and the limit is \(memoryLimit) bytes (\(inUse) in use)")
        }
    }

    public func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        let n = CPUBackend.blockSize(byteCount)
        used.subtract(n, ordering: .relaxed)
        let address = UInt64(UInt(bitPattern: pointer))
        if !cache.withLock({ $0.keep(address, n) }) { free(pointer) }
    }

    /// Returns every cached block to the system.
    public func releaseCache() {
        for a in cache.withLock({ $0.drain() }) { free(UnsafeMutableRawPointer(bitPattern: UInt(a))) }
    }

    deinit {
        releaseCache()
        let address = pool.withLock { $0 }
        if address != 0 { dlx_pool_destroy(OpaquePointer(bitPattern: address)) }
    }

    public func copyIn(_ host: UnsafeRawPointer, to: UnsafeMutableRawPointer, byteCount: Int) {
        to.copyMemory(from: host, byteCount: byteCount)
    }

    public func copyOut(_ from: UnsafeRawPointer, to host: UnsafeMutableRawPointer, byteCount: Int) {
        host.copyMemory(from: from, byteCount: byteCount)
    }

    /// Where BLAS comes from and who hears that it did not.
    private struct BLASState {
        var loaded: OpenBLAS?? = nil   // nil: not tried yet
        var libraries = OpenBLAS.candidates
        var onMissing: (@Sendable () -> Void)? = nil
    }

    /// The libraries tried, in order, at the first matrix product (OpenBLAS's usual names; [] for none).
    /// Set it before the first product.
    public var blasLibraries: [String] {
        get { blasState.withLock { $0.libraries } }
        set { blasState.withLock { $0.libraries = newValue } }
    }

    /// Called once, at the first matrix product, when no BLAS library loads and the reference kernels, many
    /// times slower, run instead: the shell tells the user (the engine never prints).
    public var onMissingBLAS: (@Sendable () -> Void)? {
        get { blasState.withLock { $0.onMissing } }
        set { blasState.withLock { $0.onMissing = newValue } }
    }

    /// True once a matrix product found no BLAS library and ran on the reference kernels.
    public var usesReferenceKernels: Bool {
        blasState.withLock { state in if case .some(.none) = state.loaded { return true } else { return false } }
    }

    /// OpenBLAS, loaded on the first matrix product so that start-up stays fast.
    var blas: OpenBLAS? {
        let (loaded, firstMiss) = blasState.withLock { state -> (OpenBLAS?, (@Sendable () -> Void)?) in
            if let loaded = state.loaded { return (loaded, nil) }
            let loaded = OpenBLAS.load(state.libraries)
            state.loaded = .some(loaded)
            return (loaded, loaded == nil ? state.onMissing : nil)
        }
        firstMiss?()   // outside the lock
        return loaded
    }

    /// A product split into row blocks of about a tenth of a second each (timed as it goes), with a
    /// cancellation check between blocks, when it is large enough to run long and something could stop
    /// it: a 14000x14000 product under `--timeout` stops within the limit instead of running half a minute.
    public func interruptibleGemm(_ p: GemmParameters) throws(TensorError) {
        let work = Double(p.m) * Double(p.n) * Double(p.k)
        guard work > CPUBackend.interruptibleWork, cancellation.isArmed, p.m > 1 else { gemm(p); return }
        try cancellation.check()
        var rows = Swift.max(1, Int(CPUBackend.interruptibleWork / (Double(p.n) * Double(p.k))))
        var start = 0
        while start < p.m {
            var q = p
            q.m = Swift.min(rows, p.m - start)
            q.a = p.transA ? p.a + start : p.a + start * p.lda
            q.c = p.c + start * p.ldc
            let t0 = Trainer.now()
            gemm(q)
            start += q.m
            try cancellation.check()
            // Aim for blocks of about 0.1 s on this machine, with its BLAS or without.
            let took = Trainer.now() - t0
            let aim = Double(rows) * 0.1 / Swift.max(took, 1e-4)
            rows = Swift.max(1, Swift.min(4 * rows, Int(aim)))
        }
    }

    /// Multiply-adds past which a product is cut into blocks that check for cancellation (a few ms of work).
    static let interruptibleWork = 2e8

    public func gemm(_ p: GemmParameters) {
        if p.m == 0 || p.n == 0 { return }
        guard let blas, p.k > 0 else { ReferenceKernels.gemm(p); return }
        // Split C into blocks, one per core, when there is enough work: by rows when C is tall (the
        // weight gradients), by columns of 16 otherwise (batch-sized products).
        let work = Double(p.m) * Double(p.n) * Double(p.k)
        let byRows = p.m >= 64
        let extent = byRows ? p.m : p.n, quantum = byRows ? 8 : 16
        let parts = work < 2e5 ? 1 : min(threads, extent / quantum)
        let block = parts <= 1 ? extent : (extent / parts + quantum - 1) / quantum * quantum
        parallel(max(parts, 1)) { i in
            let start = i * block
            guard start < extent else { return }
            var q = p
            if byRows {
                q.m = min(block, p.m - start)
                q.a = p.transA ? p.a + start : p.a + start * p.lda
                q.c = p.c + start * p.ldc
            } else {
                q.n = min(block, p.n - start)
                q.b = p.transB ? p.b + start * p.ldb : p.b + start
                q.c = p.c + start
            }
            gemmOnThisThread(q)
        }
    }

    public func gemmOnThisThread(_ p: GemmParameters) {
        if p.m == 0 || p.n == 0 { return }
        guard let blas, p.k > 0 else { ReferenceKernels.gemm(p); return }
        var q = p
        // OpenBLAS clears C for beta = 0 in a slow separate pass; clearing it here and
        // accumulating with beta = 1 is faster.
        if q.beta == 0 {
            for r in 0..<q.m { (q.c + r * q.ldc).update(repeating: 0, count: q.n) }
            q.beta = 1
        }
        blas.run(q)
    }

    public var workerCount: Int { threads }

    /// Pieces per core for channel and elementwise splits: the cores claim them one at a time, so a core
    /// that falls behind (other load on the machine, a piece that costs more) hands work to the others.
    static let piecesPerCore = 4

    public func splitChannels(_ count: Int, _ body: (Int, Int) -> Void) {
        let parts = min(threads == 1 ? 1 : threads * CPUBackend.piecesPerCore, count)
        if parts <= 1 { body(0, count); return }
        let chunk = (count + parts - 1) / parts
        parallel(parts) { i in
            let start = i * chunk
            if start < count { body(start, min(count, start + chunk)) }
        }
    }

    /// Splits an elementwise pass of `count` elements into 64-byte-aligned pieces when it is large enough
    /// for the hand-off to pay.
    func elementwise(_ count: Int, _ body: (_ start: Int, _ count: Int) -> Void) {
        let parts = count < 32_768 || threads == 1 ? 1 : threads * CPUBackend.piecesPerCore
        let chunk = (count / parts + 15) / 16 * 16
        parallel(parts) { i in
            let start = i * chunk
            if start < count { body(start, Swift.min(chunk, count - start)) }
        }
    }

    public func unary(_ op: UnaryKernel, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        elementwise(count) { s, n in CPUKernels.unary(op, x + s, y + s, n) }
    }

    public func unaryBackward(_ op: UnaryKernel, grad: UnsafePointer<Float>, input: UnsafePointer<Float>,
                              output: UnsafePointer<Float>, _ result: UnsafeMutablePointer<Float>, count: Int) {
        elementwise(count) { s, n in CPUKernels.unaryBackward(op, grad + s, input + s, output + s, result + s, n) }
    }

    public func adamStep(_ s: AdamStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                         _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, count: Int) {
        elementwise(count) { i, n in CPUKernels.adam(s, w + i, g + i, m + i, v + i, n) }
    }

    public func sgdStep(_ s: SGDStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                        _ velocity: UnsafeMutablePointer<Float>?, count: Int) {
        elementwise(count) { i, n in CPUKernels.sgd(s, w + i, g + i, velocity.map { $0 + i }, n) }
    }

    public func adagradStep(_ s: AdagradStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                            _ sum: UnsafeMutablePointer<Float>, count: Int) {
        elementwise(count) { i, n in CPUKernels.adagrad(s, w + i, g + i, sum + i, n) }
    }

    public func rmspropStep(_ s: RMSpropStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                            _ squareAvg: UnsafeMutablePointer<Float>, _ momentumBuffer: UnsafeMutablePointer<Float>?,
                            _ gradAvg: UnsafeMutablePointer<Float>?, count: Int) {
        elementwise(count) { i, n in
            CPUKernels.rmsprop(s, w + i, g + i, squareAvg + i, momentumBuffer.map { $0 + i }, gradAvg.map { $0 + i }, n)
        }
    }

    public func adadeltaStep(_ s: AdadeltaStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                             _ squareAvg: UnsafeMutablePointer<Float>, _ accDelta: UnsafeMutablePointer<Float>, count: Int) {
        elementwise(count) { i, n in CPUKernels.adadelta(s, w + i, g + i, squareAvg + i, accDelta + i, n) }
    }

    public func binaryRow(_ op: BinaryKernel, _ a: UnsafePointer<Float>, _ aStride: Int,
                          _ b: UnsafePointer<Float>, _ bStride: Int, _ out: UnsafeMutablePointer<Float>, count: Int) {
        CPUKernels.binaryRow(op, a, aStride, b, bStride, out, count)
    }

    public var summary: String {
        guard let blas else { return "BLAS: none found (dlx's reference kernels)" }
        var s = "BLAS: \(blas.library)"
        if !blas.config.isEmpty { s += " (\(blas.config))" }
        if !blas.coreName.isEmpty { s += ", core \(blas.coreName)" }
        return s
    }
}
