#if canImport(Glibc)
import Glibc
#endif

/// What the tensor layer needs from a place that holds memory and runs kernels. The CPU backend is the
/// reference; a GPU backend implements the same calls over device memory.
public protocol Backend: AnyObject, Sendable {
    var device: Device { get }

    /// Allocates `byteCount` bytes, or throws a MemoryError past the backend's limit.
    func allocate(byteCount: Int) throws(TensorError) -> UnsafeMutableRawPointer
    func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int)
    /// Throws a MemoryError when `byteCount` bytes more than are in use would pass the backend's limit:
    /// checked before an op builds a host array beside its tensors (`tolist`, index lists), which the
    /// allocator does not see.
    func checkHostMemory(byteCount: Int) throws(TensorError)
    func copyIn(_ host: UnsafeRawPointer, to: UnsafeMutableRawPointer, byteCount: Int)
    func copyOut(_ from: UnsafeRawPointer, to host: UnsafeMutableRawPointer, byteCount: Int)

    /// C = alpha * op(A) * op(B) + beta * C, row-major float32; op transposes when its flag is set.
    func gemm(_ p: GemmParameters)
    /// The same product on the calling thread only: for work that the caller already split across
    /// `workerCount` parts (per-sample convolutions), where nested splitting would oversubscribe.
    func gemmOnThisThread(_ p: GemmParameters)
    /// y[i] = f(x[i]) over contiguous float32 buffers.
    func unary(_ op: UnaryKernel, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int)
    /// result[i] = d f(input[i]) / d input[i] * grad[i], given the forward's input and output.
    func unaryBackward(_ op: UnaryKernel, grad: UnsafePointer<Float>, input: UnsafePointer<Float>,
                       output: UnsafePointer<Float>, _ result: UnsafeMutablePointer<Float>, count: Int)
    /// One Adam update of `count` parameters w with gradients g and moments m, v, in place.
    func adamStep(_ s: AdamStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                  _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, count: Int)
    /// One SGD update in place; `velocity` is the momentum buffer, nil without momentum.
    func sgdStep(_ s: SGDStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                 _ velocity: UnsafeMutablePointer<Float>?, count: Int)
    /// One Adagrad update in place, with the running sum of squared gradients.
    func adagradStep(_ s: AdagradStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                     _ sum: UnsafeMutablePointer<Float>, count: Int)
    /// One RMSprop update in place; the momentum buffer is nil without momentum, the gradient average nil
    /// unless centered.
    func rmspropStep(_ s: RMSpropStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                     _ squareAvg: UnsafeMutablePointer<Float>, _ momentumBuffer: UnsafeMutablePointer<Float>?,
                     _ gradAvg: UnsafeMutablePointer<Float>?, count: Int)
    /// One Adadelta update in place.
    func adadeltaStep(_ s: AdadeltaStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                      _ squareAvg: UnsafeMutablePointer<Float>, _ accDelta: UnsafeMutablePointer<Float>, count: Int)
    /// out[i] = a[i * aStride] (op) b[i * bStride]: one row of a broadcast binary op (a stride of 0 repeats).
    func binaryRow(_ op: BinaryKernel, _ a: UnsafePointer<Float>, _ aStride: Int,
                   _ b: UnsafePointer<Float>, _ bStride: Int, _ out: UnsafeMutablePointer<Float>, count: Int)

    /// Runs `body(start, end)` over a split of 0..<count, in parallel where the backend has threads;
    /// the pieces must write disjoint memory.
    func splitChannels(_ count: Int, _ body: (Int, Int) -> Void)
    /// How many pieces `splitChannels` runs at once: per-part scratch and accumulators are sized by it.
    var workerCount: Int { get }

    /// Long operations on this backend's tensors check it between blocks and stop with an interrupted error.
    var cancellation: Cancellation { get }

    /// A line for `dlx --version`: the kernels this backend runs on.
    var summary: String { get }

    /// Whether operations on this backend's tensors record the autograd graph (off inside `no_grad`).
    var autograd: AutogradState { get }
}

/// The grad mode, kept with its backend (so no process-wide state is involved) and, as in PyTorch,
/// per thread: switching it off on one thread leaves the others recording.
public final class AutogradState: @unchecked Sendable {
    private var key = pthread_key_t()

    public init() { pthread_key_create(&key, nil) }
    deinit { pthread_key_delete(key) }

    public var enabled: Bool {
        get { pthread_getspecific(key) == nil }
        set { pthread_setspecific(key, newValue ? nil : UnsafeRawPointer(bitPattern: 1)) }
    }

    /// Runs `body` with recording switched off (or on), restoring the previous mode afterwards.
    public func with<T, E: Error>(enabled on: Bool, _ body: () throws(E) -> T) throws(E) -> T {
        let saved = enabled
        enabled = on
        defer { enabled = saved }
        return try body()
    }
}

public struct GemmParameters {
    public var transA: Bool, transB: Bool
    public var m: Int, n: Int, k: Int
    public var alpha: Float, beta: Float
    public var a: UnsafePointer<Float>, lda: Int
    public var b: UnsafePointer<Float>, ldb: Int
    public var c: UnsafeMutablePointer<Float>, ldc: Int

    public init(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, beta: Float, a: UnsafePointer<Float>, lda: Int,
                b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
        self.transA = transA; self.transB = transB; self.m = m; self.n = n; self.k = k; self.alpha = alpha; self.beta = beta
        self.a = a; self.lda = lda; self.b = b; self.ldb = ldb; self.c = c; self.ldc = ldc
    }
}

public enum UnaryKernel: Sendable {
    case neg, abs, exp, log, sqrt, relu, sigmoid, tanh
}

public enum BinaryKernel: Sendable {
    case add, sub, mul, div, pow, max, min
}
