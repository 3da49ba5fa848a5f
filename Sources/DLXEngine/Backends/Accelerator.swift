/// An address in an accelerator's memory (a CUdeviceptr for CUDA). Never dereferenced on the host.
public typealias DeviceAddress = UInt64

/// The primitive kernels of a device that holds its own memory: what the engine's device paths
/// (Ops/Device) are written against. Each call mirrors one kernel of Sources/CUDAKernels; the CUDA
/// implementation launches it, the emulated one (EmulatedAccelerator) runs the same arithmetic as plain
/// loops on the host, which is what tests and `dlx cuda-selftest` compare the GPU with.
/// Buffers are contiguous float32 unless a parameter says otherwise. Calls are ordered: a kernel sees
/// the results of every call made before it.
public protocol Accelerator: AnyObject, Sendable {
    var device: Device { get }
    /// The device's name, as `torch.cuda.get_device_name` reports it.
    var name: String { get }

    func allocate(byteCount: Int) throws(TensorError) -> DeviceAddress
    func free(_ address: DeviceAddress)
    func upload(_ host: UnsafeRawPointer, to: DeviceAddress, byteCount: Int) throws(TensorError)
    func download(_ from: DeviceAddress, to host: UnsafeMutableRawPointer, byteCount: Int) throws(TensorError)
    func copy(_ from: DeviceAddress, to: DeviceAddress, byteCount: Int) throws(TensorError)
    /// Sets `words` 32-bit words to zero.
    func zero(_ address: DeviceAddress, words: Int) throws(TensorError)
    /// Waits for every call made so far (and reports a failed kernel).
    func synchronize() throws(TensorError)

    // Elementwise.
    func fill(_ y: DeviceAddress, _ value: Float, count: Int) throws(TensorError)
    func unary(_ op: UnaryKernel, _ x: DeviceAddress, _ y: DeviceAddress, count: Int) throws(TensorError)
    /// r = f'(x) * g from the forward's input x and output y.
    func unaryBackward(_ op: UnaryKernel, grad: DeviceAddress, input: DeviceAddress, output: DeviceAddress,
                       _ r: DeviceAddress, count: Int) throws(TensorError)
    /// out = a (op) b over `layout`'s shape, reading a and b through its strides (0 where broadcast).
    func binary(_ op: BinaryKernel, _ a: DeviceAddress, _ b: DeviceAddress, _ out: DeviceAddress, _ layout: StridedLayout) throws(TensorError)
    /// out = a (op) s, or s (op) a with `scalarFirst`.
    func binaryScalar(_ op: BinaryKernel, _ a: DeviceAddress, _ s: Float, _ out: DeviceAddress, count: Int, scalarFirst: Bool) throws(TensorError)
    /// out (bool bytes) = a (op) b over `layout`, both operands float32 or both int64.
    func compare(_ op: Comparison, _ a: DeviceAddress, _ b: DeviceAddress, _ out: DeviceAddress, _ layout: StridedLayout,
                 int64: Bool) throws(TensorError)
    /// y = alpha * y + beta * x (gradient accumulation, running statistics).
    func axpby(_ y: DeviceAddress, _ x: DeviceAddress, alpha: Float, beta: Float, count: Int) throws(TensorError)
    /// dst (contiguous) = the strided view of src that `layout.a` describes; elements of `elementSize` bytes (1, 4 or 8).
    func gather(_ src: DeviceAddress, _ dst: DeviceAddress, _ layout: StridedLayout, elementSize: Int) throws(TensorError)
    /// dst at `layout.b`'s strides = src at `layout.a`'s (4-byte elements; distinct destinations).
    func copyStrided(_ src: DeviceAddress, _ dst: DeviceAddress, _ layout: StridedLayout) throws(TensorError)
    /// x (one int64) += v.
    func addInt64(_ x: DeviceAddress, _ v: Int64) throws(TensorError)
    /// Float32 from another type: uint8 and bool bytes (times `scale`) or int64.
    func toFloat(_ x: DeviceAddress, from: DType, _ y: DeviceAddress, scale: Float, count: Int) throws(TensorError)

    // Reductions.
    /// out[r] = scale * sum of row r of (rows, cols).
    func sumRows(_ x: DeviceAddress, _ out: DeviceAddress, rows: Int, cols: Int, scale: Float) throws(TensorError)
    /// out[o, i] = scale * sum over s of x[o, s, i], for x viewed as (outer, size, inner).
    func sumAxis(_ x: DeviceAddress, _ out: DeviceAddress, outer: Int, size: Int, inner: Int, scale: Float) throws(TensorError)
    /// The first maximum of each row and its index (int64); a NaN wins.
    func argmaxRows(_ x: DeviceAddress, values: DeviceAddress, indices: DeviceAddress, rows: Int, cols: Int) throws(TensorError)
    /// out (one int64) = the number of nonzero bytes (a bool tensor's sum).
    func countNonzero(_ x: DeviceAddress, _ out: DeviceAddress, count: Int) throws(TensorError)

    // Softmax and cross-entropy over the rows of (rows, cols); labels are int64.
    func softmaxRows(_ x: DeviceAddress, _ y: DeviceAddress, rows: Int, cols: Int, log: Bool) throws(TensorError)
    func nllRows(_ logp: DeviceAddress, labels: DeviceAddress, _ loss: DeviceAddress, rows: Int, cols: Int) throws(TensorError)
    /// dx = scale * (exp(logp) - onehot(labels)).
    func crossEntropyBackward(_ logp: DeviceAddress, labels: DeviceAddress, _ dx: DeviceAddress, rows: Int, cols: Int,
                              scale: Float) throws(TensorError)

    // Matrix products and convolution layouts.
    /// C = alpha * op(A) * op(B) + beta * C, row-major.
    func gemm(_ p: DeviceGemm) throws(TensorError)
    /// cols (C*KH*KW, N*OH*OW) from x (N, C, H, W).
    func im2col(_ x: DeviceAddress, _ cols: DeviceAddress, _ g: WindowGeometry) throws(TensorError)
    /// dx (N, C, H, W) = the sum over windows of cols (C*KH*KW, N*OH*OW).
    func col2im(_ cols: DeviceAddress, _ dx: DeviceAddress, _ g: WindowGeometry) throws(TensorError)
    /// y (B, A, P) = x (A, B, P) with bias[a] added (none where nil).
    func swapLeading(_ x: DeviceAddress, _ y: DeviceAddress, bias: DeviceAddress?, a: Int, b: Int, p: Int) throws(TensorError)

    // Pooling over N*C planes (g.n * g.c); argmax holds int32 offsets within each input plane.
    func maxPoolForward(_ x: DeviceAddress, _ y: DeviceAddress, argmax: DeviceAddress, _ g: WindowGeometry) throws(TensorError)
    /// dx must be zero beforehand.
    func maxPoolBackward(_ grad: DeviceAddress, argmax: DeviceAddress, _ dx: DeviceAddress, _ g: WindowGeometry) throws(TensorError)
    func avgPoolForward(_ x: DeviceAddress, _ y: DeviceAddress, _ g: WindowGeometry) throws(TensorError)
    /// dx must be zero beforehand.
    func avgPoolBackward(_ grad: DeviceAddress, _ dx: DeviceAddress, _ g: WindowGeometry) throws(TensorError)

    // Batch norm over x viewed as (n, c, inner).
    /// mean[c] and biased variance[c].
    func batchNormStats(_ x: DeviceAddress, mean: DeviceAddress, variance: DeviceAddress, n: Int, c: Int, inner: Int) throws(TensorError)
    /// xhat = (x - mean) * invstd; y = xhat * gamma + beta (1 and 0 where nil).
    func batchNormApply(_ x: DeviceAddress, mean: DeviceAddress, invstd: DeviceAddress, gamma: DeviceAddress?, beta: DeviceAddress?,
                        xhat: DeviceAddress, _ y: DeviceAddress, n: Int, c: Int, inner: Int) throws(TensorError)
    /// sumG[c] = sum of g, sumGXhat[c] = sum of g * xhat.
    func batchNormSums(_ grad: DeviceAddress, xhat: DeviceAddress, sumG: DeviceAddress, sumGXhat: DeviceAddress,
                       n: Int, c: Int, inner: Int) throws(TensorError)
    /// dx = k[c] * (m * g - sumG[c] - xhat * sumGXhat[c]) in training, k[c] * g in eval.
    func batchNormInputGradient(_ grad: DeviceAddress, xhat: DeviceAddress, k: DeviceAddress, sumG: DeviceAddress,
                                sumGXhat: DeviceAddress, _ dx: DeviceAddress, n: Int, c: Int, inner: Int, m: Float,
                                training: Bool) throws(TensorError)

    // Training.
    func adamStep(_ s: AdamStep, _ w: DeviceAddress, _ g: DeviceAddress, _ m: DeviceAddress, _ v: DeviceAddress, count: Int) throws(TensorError)
    func sgdStep(_ s: SGDStep, _ w: DeviceAddress, _ g: DeviceAddress, _ velocity: DeviceAddress?, count: Int) throws(TensorError)
    func adagradStep(_ s: AdagradStep, _ w: DeviceAddress, _ g: DeviceAddress, _ sum: DeviceAddress, count: Int) throws(TensorError)
    /// `momentumBuffer` is nil without momentum, `gradAvg` nil unless centered.
    func rmspropStep(_ s: RMSpropStep, _ w: DeviceAddress, _ g: DeviceAddress, _ squareAvg: DeviceAddress, _ momentumBuffer: DeviceAddress?,
                     _ gradAvg: DeviceAddress?, count: Int) throws(TensorError)
    func adadeltaStep(_ s: AdadeltaStep, _ w: DeviceAddress, _ g: DeviceAddress, _ squareAvg: DeviceAddress, _ accDelta: DeviceAddress,
                      count: Int) throws(TensorError)
    /// out[i] = x[i] * (kept(seed, i / group) ? scale : 0), with the CPU's hash (Dropout.keepBelow).
    func dropout(_ x: DeviceAddress, _ out: DeviceAddress, count: Int, group: Int, seed: UInt32, keepBelow: UInt32,
                 scale: Float) throws(TensorError)
}

/// A shape and up to two stride sets over it (in elements): a broadcast binary op's operands, or a
/// strided view to gather. Six dimensions at most, as the kernels take it by value.
public struct StridedLayout: Sendable, Equatable {
    public var shape: [Int]
    public var a: [Int]
    public var b: [Int]
    public var count: Int { shape.reduce(1, *) }
    public static let maxRank = 6

    public init(shape: [Int], a: [Int], b: [Int]? = nil) {
        self.shape = shape; self.a = a; self.b = b ?? [Int](repeating: 0, count: shape.count)
    }
}

/// Comparisons that produce bool tensors (the raw value is the kernels' op code).
public enum Comparison: Int32, Sendable {
    case eq = 0, ne, lt, le, gt, ge

    private static let ops: [ElementwiseOp] = [.eq, .ne, .lt, .le, .gt, .ge]   // in raw-value order
    /// The elementwise op this comparison is.
    var op: ElementwiseOp { Comparison.ops[Int(rawValue)] }
    /// The comparison an elementwise op is, if it is one.
    init?(_ op: ElementwiseOp) {
        guard let i = Comparison.ops.firstIndex(of: op) else { return nil }
        self.init(rawValue: Int32(i))
    }
}

/// The operands of a device gemm, as the CPU's GemmParameters but with device addresses.
public struct DeviceGemm: Sendable {
    public var transA: Bool, transB: Bool
    public var m: Int, n: Int, k: Int
    public var alpha: Float, beta: Float
    public var a: DeviceAddress, lda: Int
    public var b: DeviceAddress, ldb: Int
    public var c: DeviceAddress, ldc: Int

    public init(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, beta: Float, a: DeviceAddress, lda: Int,
                b: DeviceAddress, ldb: Int, c: DeviceAddress, ldc: Int) {
        self.transA = transA; self.transB = transB; self.m = m; self.n = n; self.k = k; self.alpha = alpha; self.beta = beta
        self.a = a; self.lda = lda; self.b = b; self.ldb = ldb; self.c = c; self.ldc = ldc
    }
}
