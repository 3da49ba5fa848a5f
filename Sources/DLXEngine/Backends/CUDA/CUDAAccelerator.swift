#if canImport(Glibc)
import Glibc
#endif

/// The GPU through the CUDA driver: each Accelerator call is one launch of the matching kernel of
/// Sources/CUDAKernels (embedded as PTX), on the default stream, so calls run in order and a copy to
/// the host waits for the kernels before it. Nothing waits otherwise: errors of a kernel surface at
/// the next copy or `synchronize()`, as in PyTorch.
public final class CUDAAccelerator: Accelerator, @unchecked Sendable {
    public let gpu: CUDADevice
    public let device: Device
    public let name: String
    private let lock = DriverLock()

    public init(driver: CUDADriver, ordinal: Int = 0) throws(TensorError) {
        gpu = try CUDADevice(driver: driver, ordinal: ordinal)
        device = .cuda(ordinal)
        name = driver.devices[ordinal].name
        pthread_setspecific(driver.currentDeviceKey, UnsafeRawPointer(bitPattern: ordinal + 1))
        // Every module is loaded (JIT-compiled for this GPU) now, so that a JIT failure shows at `.to("cuda")`.
        for module in CUDAKernels.modules.keys.sorted() { _ = try gpu.load(module) }
    }

    /// Makes this device's context current on the calling thread (when another device's, or none, is)
    /// and runs `body` under the lock that guards the module and function caches.
    private func onDevice<T>(_ body: () throws(TensorError) -> T) throws(TensorError) -> T {
        try lock.locked { () throws(TensorError) -> T in
            let key = gpu.driver.currentDeviceKey, mine = UnsafeRawPointer(bitPattern: gpu.ordinal + 1)
            if UnsafeRawPointer(pthread_getspecific(key)) != mine {
                try gpu.makeCurrent()
                pthread_setspecific(key, mine)
            }
            return try body()
        }
    }

    private typealias Arg = CUDADevice.Argument

    /// One launch over `count` elements with grid-stride loops: enough blocks to fill the GPU, no more.
    private func elementwise(_ kernel: String, count: Int, _ args: [Arg]) throws(TensorError) {
        guard count > 0 else { return }
        try launch(kernel, blocks: Swift.min((count + 255) / 256, 8192), args)
    }

    private func launch(_ kernel: String, blocks: Int, threads: Int = 256, grid: (Int, Int)? = nil, _ args: [Arg]) throws(TensorError) {
        guard let module = CUDAKernels.moduleOf[kernel] else { throw .runtime("CUDA error: no kernel named \(kernel)") }
        try onDevice { () throws(TensorError) in try gpu.launch(module, kernel, blocks: blocks, threads: threads, grid: grid, args) }
    }

    private static func i64(_ v: Int) -> Arg { .int64(Int64(v)) }
    private static func broadcast(_ l: StridedLayout) -> Arg { .bytes(CUDADevice.broadcast(shape: l.shape, a: l.a, b: l.b)) }
    private static func window(_ g: WindowGeometry) -> Arg {
        .bytes(CUDADevice.int32s([g.n, g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.oh, g.ow]))
    }
    private static func pool(_ g: WindowGeometry) -> Arg {
        .bytes(CUDADevice.int32s([g.n * g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.oh, g.ow]))
    }
    private static func kernelName(_ op: UnaryKernel) -> String { "\(op)" }
    private static func kernelName(_ op: BinaryKernel) -> String { "\(op)" }

    // MARK: - Memory

    public func allocate(byteCount: Int) throws(TensorError) -> DeviceAddress {
        do {
            return try onDevice { () throws(TensorError) in try gpu.allocate(byteCount) }
        } catch {
            throw TensorError(.memory, "CUDA out of memory. Tried to allocate \(byteCount) bytes (\(error.message))")
        }
    }
    public func free(_ address: DeviceAddress) { _ = try? onDevice { gpu.free(address) } }
    public func upload(_ host: UnsafeRawPointer, to: DeviceAddress, byteCount: Int) throws(TensorError) {
        try onDevice { () throws(TensorError) in try gpu.driver.check(gpu.driver.cuMemcpyHtoD(to, host, byteCount), "cuMemcpyHtoD_v2") }
    }
    public func download(_ from: DeviceAddress, to host: UnsafeMutableRawPointer, byteCount: Int) throws(TensorError) {
        try onDevice { () throws(TensorError) in try gpu.driver.check(gpu.driver.cuMemcpyDtoH(host, from, byteCount), "cuMemcpyDtoH_v2") }
    }
    public func copy(_ from: DeviceAddress, to: DeviceAddress, byteCount: Int) throws(TensorError) {
        try onDevice { () throws(TensorError) in try gpu.driver.check(gpu.driver.cuMemcpyDtoD(to, from, byteCount), "cuMemcpyDtoD_v2") }
    }
    public func zero(_ address: DeviceAddress, words: Int) throws(TensorError) {
        try onDevice { () throws(TensorError) in try gpu.zero(address, words: words) }
    }
    public func synchronize() throws(TensorError) { try onDevice { () throws(TensorError) in try gpu.synchronize() } }

    // MARK: - Elementwise

    public func fill(_ y: DeviceAddress, _ value: Float, count: Int) throws(TensorError) {
        try elementwise("fill", count: count, [.pointer(y), .float(value), Self.i64(count)])
    }
    public func unary(_ op: UnaryKernel, _ x: DeviceAddress, _ y: DeviceAddress, count: Int) throws(TensorError) {
        try elementwise("unary_" + Self.kernelName(op), count: count, [.pointer(x), .pointer(y), Self.i64(count)])
    }
    public func unaryBackward(_ op: UnaryKernel, grad: DeviceAddress, input: DeviceAddress, output: DeviceAddress,
                              _ r: DeviceAddress, count: Int) throws(TensorError) {
        try elementwise("backward_" + Self.kernelName(op), count: count,
                        [.pointer(grad), .pointer(input), .pointer(output), .pointer(r), Self.i64(count)])
    }
    public func binary(_ op: BinaryKernel, _ a: DeviceAddress, _ b: DeviceAddress, _ out: DeviceAddress, _ layout: StridedLayout) throws(TensorError) {
        try elementwise("binary_" + Self.kernelName(op), count: layout.count,
                        [.pointer(a), .pointer(b), .pointer(out), Self.broadcast(layout), Self.i64(layout.count)])
    }
    public func binaryScalar(_ op: BinaryKernel, _ a: DeviceAddress, _ s: Float, _ out: DeviceAddress, count: Int, scalarFirst: Bool) throws(TensorError) {
        try elementwise("scalar_" + Self.kernelName(op), count: count,
                        [.pointer(a), .float(s), .pointer(out), Self.i64(count), .int32(scalarFirst ? 1 : 0)])
    }
    public func compare(_ op: Comparison, _ a: DeviceAddress, _ b: DeviceAddress, _ out: DeviceAddress, _ layout: StridedLayout,
                        int64: Bool) throws(TensorError) {
        try elementwise(int64 ? "compare_i64" : "compare_f32", count: layout.count,
                        [.pointer(a), .pointer(b), .pointer(out), Self.broadcast(layout), Self.i64(layout.count), .int32(op.rawValue)])
    }
    public func axpby(_ y: DeviceAddress, _ x: DeviceAddress, alpha: Float, beta: Float, count: Int) throws(TensorError) {
        try elementwise("axpby", count: count, [.pointer(y), .pointer(x), .float(alpha), .float(beta), Self.i64(count)])
    }
    public func gather(_ src: DeviceAddress, _ dst: DeviceAddress, _ layout: StridedLayout, elementSize: Int) throws(TensorError) {
        let kernel = elementSize == 8 ? "gather_strided8" : elementSize == 1 ? "gather_strided1" : "gather_strided"
        guard [1, 4, 8].contains(elementSize) else { throw .runtime("CUDA: no gather for \(elementSize)-byte elements") }
        try elementwise(kernel, count: layout.count, [.pointer(src), .pointer(dst), Self.broadcast(layout), Self.i64(layout.count)])
    }
    public func copyStrided(_ src: DeviceAddress, _ dst: DeviceAddress, _ layout: StridedLayout) throws(TensorError) {
        try elementwise("copy_strided", count: layout.count, [.pointer(src), .pointer(dst), Self.broadcast(layout), Self.i64(layout.count)])
    }
    public func addInt64(_ x: DeviceAddress, _ v: Int64) throws(TensorError) {
        try launch("add_int64", blocks: 1, threads: 32, [.pointer(x), .int64(v)])
    }
    public func toFloat(_ x: DeviceAddress, from: DType, _ y: DeviceAddress, scale: Float, count: Int) throws(TensorError) {
        try elementwise(from == .int64 ? "int64_to_float" : "bytes_to_float", count: count,
                        [.pointer(x), .pointer(y), .float(scale), Self.i64(count)])
    }

    // MARK: - Reductions

    public func sumRows(_ x: DeviceAddress, _ out: DeviceAddress, rows: Int, cols: Int, scale: Float) throws(TensorError) {
        guard rows > 0 else { return }
        try launch("sum_rows", blocks: rows, [.pointer(x), .pointer(out), Self.i64(rows), Self.i64(cols), .float(scale)])
    }
    public func sumAxis(_ x: DeviceAddress, _ out: DeviceAddress, outer: Int, size: Int, inner: Int, scale: Float) throws(TensorError) {
        if inner == 1 { return try sumRows(x, out, rows: outer, cols: size, scale: scale) }   // one block per row
        try elementwise("sum_axis", count: outer * inner,
                        [.pointer(x), .pointer(out), Self.i64(outer), Self.i64(size), Self.i64(inner), .float(scale)])
    }
    public func argmaxRows(_ x: DeviceAddress, values: DeviceAddress, indices: DeviceAddress, rows: Int, cols: Int) throws(TensorError) {
        try elementwise("argmax_rows", count: rows, [.pointer(x), .pointer(values), .pointer(indices), Self.i64(rows), Self.i64(cols)])
    }
    public func countNonzero(_ x: DeviceAddress, _ out: DeviceAddress, count: Int) throws(TensorError) {
        try zero(out, words: 2)
        try elementwise("count_nonzero", count: count, [.pointer(x), .pointer(out), Self.i64(count)])
    }

    // MARK: - Softmax and cross-entropy

    public func softmaxRows(_ x: DeviceAddress, _ y: DeviceAddress, rows: Int, cols: Int, log: Bool) throws(TensorError) {
        guard rows > 0 else { return }
        try launch("softmax_rows", blocks: rows, [.pointer(x), .pointer(y), Self.i64(rows), Self.i64(cols), .int32(log ? 1 : 0)])
    }
    public func nllRows(_ logp: DeviceAddress, labels: DeviceAddress, _ loss: DeviceAddress, rows: Int, cols: Int) throws(TensorError) {
        try elementwise("nll_rows", count: rows, [.pointer(logp), .pointer(labels), .pointer(loss), Self.i64(rows), Self.i64(cols)])
    }
    public func crossEntropyBackward(_ logp: DeviceAddress, labels: DeviceAddress, _ dx: DeviceAddress, rows: Int, cols: Int,
                                     scale: Float) throws(TensorError) {
        try elementwise("cross_entropy_backward", count: rows * cols,
                        [.pointer(logp), .pointer(labels), .pointer(dx), Self.i64(rows), Self.i64(cols), .float(scale)])
    }

    // MARK: - Products and convolution layouts

    public func gemm(_ p: DeviceGemm) throws(TensorError) {
        guard p.m > 0, p.n > 0 else { return }
        guard [p.m, p.n, p.k, p.lda, p.ldb, p.ldc].allSatisfy({ $0 < Int(Int32.max) }), (p.m + 63) / 64 <= 65_535 else {
            throw .runtime("CUDA: a matrix product of \(p.m)x\(p.k) by \(p.k)x\(p.n) is too large for dlx's kernel")
        }
        // Large products take the 128x128-tile kernel; small ones (batch-sized rows) the 64x64 one.
        let large = p.m >= 128 && p.n >= 128, tile = large ? 128 : 64
        try launch(large ? "sgemm_large" : "sgemm", blocks: 1, grid: ((p.n + tile - 1) / tile, (p.m + tile - 1) / tile),
                   [.int32(p.transA ? 1 : 0), .int32(p.transB ? 1 : 0), .int32(Int32(p.m)), .int32(Int32(p.n)), .int32(Int32(p.k)),
                    .float(p.alpha), .pointer(p.a), .int32(Int32(p.lda)), .pointer(p.b), .int32(Int32(p.ldb)), .float(p.beta),
                    .pointer(p.c), .int32(Int32(p.ldc))])
    }
    public func im2col(_ x: DeviceAddress, _ cols: DeviceAddress, _ g: WindowGeometry) throws(TensorError) {
        try elementwise("im2col", count: g.c * g.kh * g.kw * g.n * g.outputPlane, [.pointer(x), .pointer(cols), Self.window(g)])
    }
    public func col2im(_ cols: DeviceAddress, _ dx: DeviceAddress, _ g: WindowGeometry) throws(TensorError) {
        try elementwise("col2im", count: g.n * g.c * g.h * g.w, [.pointer(cols), .pointer(dx), Self.window(g)])
    }
    public func swapLeading(_ x: DeviceAddress, _ y: DeviceAddress, bias: DeviceAddress?, a: Int, b: Int, p: Int) throws(TensorError) {
        try elementwise("swap_leading", count: a * b * p,
                        [.pointer(x), .pointer(y), .pointer(bias ?? 0), Self.i64(a), Self.i64(b), Self.i64(p)])
    }

    // MARK: - Pooling

    public func maxPoolForward(_ x: DeviceAddress, _ y: DeviceAddress, argmax: DeviceAddress, _ g: WindowGeometry) throws(TensorError) {
        try elementwise("maxpool_forward", count: g.n * g.c * g.outputPlane, [.pointer(x), .pointer(y), .pointer(argmax), Self.pool(g)])
    }
    public func maxPoolBackward(_ grad: DeviceAddress, argmax: DeviceAddress, _ dx: DeviceAddress, _ g: WindowGeometry) throws(TensorError) {
        try elementwise("maxpool_backward", count: g.n * g.c * g.outputPlane, [.pointer(grad), .pointer(argmax), .pointer(dx), Self.pool(g)])
    }
    public func avgPoolForward(_ x: DeviceAddress, _ y: DeviceAddress, _ g: WindowGeometry) throws(TensorError) {
        try elementwise("avgpool_forward", count: g.n * g.c * g.outputPlane, [.pointer(x), .pointer(y), Self.pool(g)])
    }
    public func avgPoolBackward(_ grad: DeviceAddress, _ dx: DeviceAddress, _ g: WindowGeometry) throws(TensorError) {
        try elementwise("avgpool_backward", count: g.n * g.c * g.outputPlane, [.pointer(grad), .pointer(dx), Self.pool(g)])
    }

    // MARK: - Batch norm

    public func batchNormStats(_ x: DeviceAddress, mean: DeviceAddress, variance: DeviceAddress, n: Int, c: Int, inner: Int) throws(TensorError) {
        guard c > 0 else { return }
        try launch("batchnorm_stats", blocks: c, [.pointer(x), .pointer(mean), .pointer(variance), Self.i64(n), Self.i64(c), Self.i64(inner)])
    }
    public func batchNormApply(_ x: DeviceAddress, mean: DeviceAddress, invstd: DeviceAddress, gamma: DeviceAddress?, beta: DeviceAddress?,
                               xhat: DeviceAddress, _ y: DeviceAddress, n: Int, c: Int, inner: Int) throws(TensorError) {
        try elementwise("batchnorm_apply", count: n * c * inner,
                        [.pointer(x), .pointer(mean), .pointer(invstd), .pointer(gamma ?? 0), .pointer(beta ?? 0), .pointer(xhat), .pointer(y),
                         Self.i64(n), Self.i64(c), Self.i64(inner)])
    }
    public func batchNormSums(_ grad: DeviceAddress, xhat: DeviceAddress, sumG: DeviceAddress, sumGXhat: DeviceAddress,
                              n: Int, c: Int, inner: Int) throws(TensorError) {
        guard c > 0 else { return }
        try launch("batchnorm_sums", blocks: c, [.pointer(grad), .pointer(xhat), .pointer(sumG), .pointer(sumGXhat),
                                                  Self.i64(n), Self.i64(c), Self.i64(inner)])
    }
    public func batchNormInputGradient(_ grad: DeviceAddress, xhat: DeviceAddress, k: DeviceAddress, sumG: DeviceAddress,
                                       sumGXhat: DeviceAddress, _ dx: DeviceAddress, n: Int, c: Int, inner: Int, m: Float,
                                       training: Bool) throws(TensorError) {
        try elementwise("batchnorm_dx", count: n * c * inner,
                        [.pointer(grad), .pointer(xhat), .pointer(k), .pointer(sumG), .pointer(sumGXhat), .pointer(dx),
                         Self.i64(n), Self.i64(c), Self.i64(inner), .float(m), .int32(training ? 1 : 0)])
    }

    // MARK: - Training

    public func adamStep(_ s: AdamStep, _ w: DeviceAddress, _ g: DeviceAddress, _ m: DeviceAddress, _ v: DeviceAddress, count: Int) throws(TensorError) {
        try elementwise("adam_step", count: count,
                        [.pointer(w), .pointer(g), .pointer(m), .pointer(v), Self.i64(count), .float(s.lr), .float(s.beta1), .float(s.beta2),
                         .float(s.eps), .float(s.weightDecay), .float(1 / s.correction2Sqrt), .float(s.decay)])
    }
    public func sgdStep(_ s: SGDStep, _ w: DeviceAddress, _ g: DeviceAddress, _ velocity: DeviceAddress?, count: Int) throws(TensorError) {
        try elementwise("sgd_step", count: count,
                        [.pointer(w), .pointer(g), .pointer(velocity ?? 0), Self.i64(count), .float(s.lr), .float(s.momentum),
                         .float(s.weightDecay), .float(s.undamped), .int32(s.nesterov ? 1 : 0), .int32(s.firstStep ? 1 : 0)])
    }
    public func adagradStep(_ s: AdagradStep, _ w: DeviceAddress, _ g: DeviceAddress, _ sum: DeviceAddress, count: Int) throws(TensorError) {
        try elementwise("adagrad_step", count: count,
                        [.pointer(w), .pointer(g), .pointer(sum), Self.i64(count), .float(s.lr), .float(s.eps), .float(s.weightDecay)])
    }
    public func rmspropStep(_ s: RMSpropStep, _ w: DeviceAddress, _ g: DeviceAddress, _ squareAvg: DeviceAddress, _ momentumBuffer: DeviceAddress?,
                            _ gradAvg: DeviceAddress?, count: Int) throws(TensorError) {
        try elementwise("rmsprop_step", count: count,
                        [.pointer(w), .pointer(g), .pointer(squareAvg), .pointer(momentumBuffer ?? 0), .pointer(gradAvg ?? 0), Self.i64(count),
                         .float(s.lr), .float(s.alpha), .float(s.eps), .float(s.weightDecay), .float(s.momentum)])
    }
    public func adadeltaStep(_ s: AdadeltaStep, _ w: DeviceAddress, _ g: DeviceAddress, _ squareAvg: DeviceAddress, _ accDelta: DeviceAddress,
                             count: Int) throws(TensorError) {
        try elementwise("adadelta_step", count: count,
                        [.pointer(w), .pointer(g), .pointer(squareAvg), .pointer(accDelta), Self.i64(count), .float(s.lr), .float(s.rho),
                         .float(s.eps), .float(s.weightDecay)])
    }
    public func dropout(_ x: DeviceAddress, _ out: DeviceAddress, count: Int, group: Int, seed: UInt32, keepBelow: UInt32,
                        scale: Float) throws(TensorError) {
        try elementwise("dropout", count: count, [.pointer(x), .pointer(out), Self.i64(count), Self.i64(group), .uint32(seed),
                                                   .uint32(keepBelow), .float(scale)])
    }
}

/// A plain mutex (the accelerator's caches are shared by threads that call CUDA).
final class DriverLock: @unchecked Sendable {
    private var m = pthread_mutex_t()
    init() { pthread_mutex_init(&m, nil) }
    deinit { pthread_mutex_destroy(&m) }
    func locked<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(&m)
        defer { pthread_mutex_unlock(&m) }
        return try body()
    }
}
