#if canImport(Glibc)
import Glibc
#endif

/// One GPU through the driver: its primary context made current on the calling thread, device memory,
/// the embedded PTX modules loaded (the driver JIT-compiles them for the GPU at hand), and kernel
/// launches: what CUDAAccelerator builds on.
public final class CUDADevice: @unchecked Sendable {
    public let driver: CUDADriver
    public let ordinal: Int
    private var contexts: [Int: UnsafeMutableRawPointer] = [:]
    private var modules: [String: UnsafeMutableRawPointer] = [:]
    private var functions: [String: UnsafeMutableRawPointer] = [:]

    public init(driver: CUDADriver, ordinal: Int = 0) throws(TensorError) {
        guard ordinal >= 0, ordinal < driver.devices.count else { throw .runtime("CUDA error: invalid device ordinal \(ordinal)") }
        self.driver = driver
        self.ordinal = ordinal
        try driver.makeCurrent(ordinal, &contexts)
    }

    /// The driver's contexts are per thread: call before using the device from another thread.
    public func makeCurrent() throws(TensorError) { try driver.makeCurrent(ordinal, &contexts) }

    // MARK: - Memory

    public func allocate(_ bytes: Int) throws(TensorError) -> CUDADriver.DevicePointer {
        var p: CUDADriver.DevicePointer = 0
        try driver.check(driver.cuMemAlloc(&p, Swift.max(bytes, 4)), "cuMemAlloc_v2")
        return p
    }

    public func free(_ p: CUDADriver.DevicePointer) { _ = driver.cuMemFree(p) }

    /// Sets `count` 32-bit words to zero.
    public func zero(_ p: CUDADriver.DevicePointer, words count: Int) throws(TensorError) {
        try driver.check(driver.cuMemsetD32(p, 0, count), "cuMemsetD32_v2")
    }

    public func synchronize() throws(TensorError) { try driver.check(driver.cuCtxSynchronize(), "cuCtxSynchronize") }

    // MARK: - Kernels

    /// Loads an embedded module; a JIT failure shows the driver's error log.
    public func load(_ module: String) throws(TensorError) -> UnsafeMutableRawPointer {
        if let m = modules[module] { return m }
        guard let ptx = CUDAKernels.ptx(module) else { throw .runtime("no PTX module named \(module)") }
        // CU_JIT_ERROR_LOG_BUFFER = 5, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6
        var log = [CChar](repeating: 0, count: 8192)
        var options: [Int32] = [5, 6]
        var handle: CUDADriver.Handle = nil
        let rc = log.withUnsafeMutableBufferPointer { logp -> CUDADriver.CUresult in
            var values: [UnsafeMutableRawPointer?] = [UnsafeMutableRawPointer(logp.baseAddress), UnsafeMutableRawPointer(bitPattern: logp.count)]
            return ptx.withCString { text in
                driver.cuModuleLoadDataEx(&handle, text, UInt32(options.count), &options, &values)
            }
        }
        guard rc == 0, let handle else {
            throw TensorError(.runtime, "CUDA error: loading PTX module \(module) failed: \(driver.describe(rc))\n"
                              + String(decoding: log.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        modules[module] = handle
        return handle
    }

    public func function(_ module: String, _ name: String) throws(TensorError) -> UnsafeMutableRawPointer {
        let key = module + "." + name
        if let f = functions[key] { return f }
        let m = try load(module)
        var f: CUDADriver.Handle = nil
        let rc = name.withCString { n in driver.cuModuleGetFunction(&f, m, n) }
        try driver.check(rc, "cuModuleGetFunction(\(name))")
        guard let f else { throw .runtime("CUDA error: no function \(name) in \(module)") }
        functions[key] = f
        return f
    }

    /// One kernel argument, as the kernel's C signature declares it.
    public enum Argument {
        case pointer(CUDADriver.DevicePointer)
        case int32(Int32)
        case int64(Int64)
        case uint32(UInt32)
        case float(Float)
        case bytes([UInt8])   // a struct passed by value, laid out as C does

        /// Size and alignment in the parameter buffer (structs: 8-byte aligned, as Broadcast needs).
        var layout: (Int, Int) {
            switch self {
            case .pointer, .int64: return (8, 8)
            case .int32, .uint32, .float: return (4, 4)
            case .bytes(let b): return (b.count, 8)
            }
        }
    }

    /// Launches `module.name` on a grid of `blocks` x `threads` (1-d unless `grid` is given). Launches and
    /// copies on the default stream run in order; a copy to the host waits for the kernels before it.
    public func launch(_ module: String, _ name: String, blocks: Int = 1, threads: Int = 256, grid: (Int, Int)? = nil,
                       _ arguments: [Argument]) throws(TensorError) {
        let f = try function(module, name)
        // The arguments packed into one buffer, each at its C alignment; kernelParams points at each.
        var size = 0
        var offsets: [Int] = []
        offsets.reserveCapacity(arguments.count)
        for a in arguments {
            let (bytes, alignment) = a.layout
            size = (size + alignment - 1) / alignment * alignment
            offsets.append(size)
            size += bytes
        }
        let arena = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(size, 8), alignment: 16)
        defer { arena.deallocate() }
        var params: [UnsafeMutableRawPointer?] = []
        params.reserveCapacity(arguments.count)
        for (a, at) in zip(arguments, offsets) {
            let p = arena + at
            switch a {
            case .pointer(let v): p.storeBytes(of: v, as: UInt64.self)
            case .int32(let v): p.storeBytes(of: v, as: Int32.self)
            case .int64(let v): p.storeBytes(of: v, as: Int64.self)
            case .uint32(let v): p.storeBytes(of: v, as: UInt32.self)
            case .float(let v): p.storeBytes(of: v, as: Float.self)
            case .bytes(let bytes): bytes.withUnsafeBytes { if let b = $0.baseAddress { p.copyMemory(from: b, byteCount: bytes.count) } }
            }
            params.append(p)
        }
        let (gx, gy) = grid ?? (blocks, 1)
        let rc = params.withUnsafeMutableBufferPointer { p in
            driver.cuLaunchKernel(f, UInt32(Swift.max(gx, 1)), UInt32(Swift.max(gy, 1)), 1, UInt32(threads), 1, 1, 0, nil, p.baseAddress, nil)
        }
        try driver.check(rc, "cuLaunchKernel(\(name))")
    }

    /// A struct of `Int32` fields as C lays it out (ConvShape, PoolShape in the kernels).
    public static func int32s(_ fields: [Int]) -> [UInt8] {
        fields.flatMap { v in withUnsafeBytes(of: Int32(v)) { Array($0) } }
    }

    /// The C layout of `struct Broadcast { int rank; long long shape[6], a[6], b[6]; }` (kernels/common.cuh).
    public static func broadcast(shape: [Int], a: [Int], b: [Int]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 8 + 3 * 48)
        func put<T>(_ v: T, at offset: Int) { withUnsafeBytes(of: v) { for (k, byte) in $0.enumerated() { out[offset + k] = byte } } }
        put(Int32(shape.count), at: 0)
        for d in 0..<Swift.min(6, shape.count) {
            put(Int64(shape[d]), at: 8 + 8 * d)
            put(Int64(a[d]), at: 56 + 8 * d)
            put(Int64(b[d]), at: 104 + 8 * d)
        }
        return out
    }
}
