#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The CPU backend: aligned host memory with a byte limit, OpenBLAS for matrix products (or the reference
/// kernel where no BLAS library is found), and tight loops for elementwise work.
public final class CPUBackend: Backend, @unchecked Sendable {
    public let device = Device.cpu
    /// Bytes that may be live at once; past it an allocation is a MemoryError, not an abort.
    public let memoryLimit: Int
    private let used = Atomic<Int>(0)
    private let blasOnce = Mutex<OpenBLAS??>(nil)

    public init(memoryLimit: Int? = nil) {
        self.memoryLimit = memoryLimit ?? CPUBackend.defaultLimit()
    }

    /// Three quarters of physical memory.
    static func defaultLimit() -> Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return 8 << 30 }
        return pages / 4 * 3 * size
    }

    public var bytesInUse: Int { used.load(ordering: .relaxed) }

    public func allocate(byteCount: Int) throws(TensorError) -> UnsafeMutableRawPointer {
        let n = max(byteCount, 1)
        let now = used.add(n, ordering: .relaxed).newValue
        if now > memoryLimit {
            used.subtract(n, ordering: .relaxed)
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

    public func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        free(pointer)
        used.subtract(max(byteCount, 1), ordering: .relaxed)
    }

    public func copyIn(_ host: UnsafeRawPointer, to: UnsafeMutableRawPointer, byteCount: Int) {
        to.copyMemory(from: host, byteCount: byteCount)
    }

    public func copyOut(_ from: UnsafeRawPointer, to host: UnsafeMutableRawPointer, byteCount: Int) {
        host.copyMemory(from: from, byteCount: byteCount)
    }

    /// OpenBLAS, loaded on the first matrix product so that start-up stays fast.
    var blas: OpenBLAS? {
        blasOnce.withLock { state in
            if let loaded = state { return loaded }
            let loaded = OpenBLAS.load()
            state = .some(loaded)
            return loaded
        }
    }

    public func gemm(_ p: GemmParameters) {
        if p.m == 0 || p.n == 0 { return }
        if let blas, p.k > 0 {
            blas.run(p)
        } else {
            ReferenceKernels.gemm(p)
        }
    }

    public func unary(_ op: UnaryKernel, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        CPUKernels.unary(op, x, y, count)
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
