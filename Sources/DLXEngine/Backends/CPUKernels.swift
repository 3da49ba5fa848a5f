#if canImport(Glibc)
import Glibc
#endif
import CKernels
import CSupport

/// The CPU's fast float32 loops: the operation is chosen once per call, outside the loop, so each loop
/// body is a single expression the compiler can vectorise.
enum CPUKernels {
    static func unary(_ op: UnaryKernel, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        switch op {
        case .neg: for i in 0..<n { y[i] = -x[i] }
        case .abs: for i in 0..<n { y[i] = Swift.abs(x[i]) }
        case .exp: for i in 0..<n { y[i] = expf(x[i]) }
        case .log: for i in 0..<n { y[i] = logf(x[i]) }
        case .sqrt: for i in 0..<n { y[i] = x[i].squareRoot() }
        case .relu: for i in 0..<n { let v = x[i]; y[i] = v > 0 ? v : (v.isNaN ? v : 0) }
        case .sigmoid: for i in 0..<n { y[i] = 1 / (1 + expf(-x[i])) }
        case .tanh: for i in 0..<n { y[i] = tanhf(x[i]) }
        }
    }

    static func unaryBackward(_ op: UnaryKernel, _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                              _ y: UnsafePointer<Float>, _ r: UnsafeMutablePointer<Float>, _ n: Int) {
        switch op {
        case .neg: for i in 0..<n { r[i] = -g[i] }
        case .abs: for i in 0..<n { r[i] = x[i] > 0 ? g[i] : (x[i] < 0 ? -g[i] : 0) }
        case .exp: for i in 0..<n { r[i] = g[i] * y[i] }
        case .log: for i in 0..<n { r[i] = g[i] / x[i] }
        case .sqrt: for i in 0..<n { r[i] = g[i] / (2 * y[i]) }
        case .relu: dlx_relu_backward(hasAVX2, g, y, r, n)
        case .sigmoid: for i in 0..<n { r[i] = g[i] * y[i] * (1 - y[i]) }
        case .tanh: for i in 0..<n { r[i] = g[i] * (1 - y[i] * y[i]) }
        }
    }

    /// True where the CPU and OS run AVX2 and FMA: the optimizer loops then use their AVX2 build.
    static let hasAVX2: Int32 = {
        let f = Int(dlx_cpu_features())
        return f & Int(DLX_CPU_AVX2) != 0 && f & Int(DLX_CPU_FMA) != 0 ? 1 : 0
    }()

    static func adam(_ s: AdamStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                     _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, _ n: Int) {
        dlx_adam(hasAVX2, w, g, m, v, n, s.lr, s.beta1, s.beta2, s.eps, s.weightDecay, 1 / s.correction2Sqrt, s.decay)
    }

    static func sgd(_ s: SGDStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                    _ velocity: UnsafeMutablePointer<Float>?, _ n: Int) {
        dlx_sgd(hasAVX2, w, g, velocity, n, s.lr, s.momentum, s.weightDecay, s.undamped, s.nesterov ? 1 : 0, s.firstStep ? 1 : 0)
    }

    static func adagrad(_ s: AdagradStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                        _ sum: UnsafeMutablePointer<Float>, _ n: Int) {
        dlx_adagrad(hasAVX2, w, g, sum, n, s.lr, s.eps, s.weightDecay)
    }

    static func rmsprop(_ s: RMSpropStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ square: UnsafeMutablePointer<Float>,
                        _ buf: UnsafeMutablePointer<Float>?, _ gradAvg: UnsafeMutablePointer<Float>?, _ n: Int) {
        dlx_rmsprop(hasAVX2, w, g, square, buf, gradAvg, n, s.lr, s.alpha, s.eps, s.weightDecay, s.momentum)
    }

    static func adadelta(_ s: AdadeltaStep, _ w: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ square: UnsafeMutablePointer<Float>,
                         _ acc: UnsafeMutablePointer<Float>, _ n: Int) {
        dlx_adadelta(hasAVX2, w, g, square, acc, n, s.lr, s.rho, s.eps, s.weightDecay)
    }

    static func binaryRow(_ op: BinaryKernel, _ a: UnsafePointer<Float>, _ sa: Int,
                          _ b: UnsafePointer<Float>, _ sb: Int, _ o: UnsafeMutablePointer<Float>, _ n: Int) {
        // The common layouts get loops without stride multiplies.
        if sa == 1 && sb == 1 {
            switch op {
            case .add: for i in 0..<n { o[i] = a[i] + b[i] }
            case .sub: for i in 0..<n { o[i] = a[i] - b[i] }
            case .mul: for i in 0..<n { o[i] = a[i] * b[i] }
            case .div: for i in 0..<n { o[i] = a[i] / b[i] }
            case .pow: for i in 0..<n { o[i] = powf(a[i], b[i]) }
            case .max: for i in 0..<n { o[i] = maxNaN(a[i], b[i]) }
            case .min: for i in 0..<n { o[i] = minNaN(a[i], b[i]) }
            }
            return
        }
        if sa == 1 && sb == 0 {
            let s = b[0]
            switch op {
            case .add: for i in 0..<n { o[i] = a[i] + s }
            case .sub: for i in 0..<n { o[i] = a[i] - s }
            case .mul: for i in 0..<n { o[i] = a[i] * s }
            case .div: for i in 0..<n { o[i] = a[i] / s }
            case .pow:
                if s == 2 { for i in 0..<n { o[i] = a[i] * a[i] } } else { for i in 0..<n { o[i] = powf(a[i], s) } }
            case .max: for i in 0..<n { o[i] = maxNaN(a[i], s) }
            case .min: for i in 0..<n { o[i] = minNaN(a[i], s) }
            }
            return
        }
        switch op {
        case .add: for i in 0..<n { o[i] = a[i * sa] + b[i * sb] }
        case .sub: for i in 0..<n { o[i] = a[i * sa] - b[i * sb] }
        case .mul: for i in 0..<n { o[i] = a[i * sa] * b[i * sb] }
        case .div: for i in 0..<n { o[i] = a[i * sa] / b[i * sb] }
        case .pow: for i in 0..<n { o[i] = powf(a[i * sa], b[i * sb]) }
        case .max: for i in 0..<n { o[i] = maxNaN(a[i * sa], b[i * sb]) }
        case .min: for i in 0..<n { o[i] = minNaN(a[i * sa], b[i * sb]) }
        }
    }

    /// torch.maximum / torch.minimum propagate NaN.
    @inline(__always) static func maxNaN(_ a: Float, _ b: Float) -> Float { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
    @inline(__always) static func minNaN(_ a: Float, _ b: Float) -> Float { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }
}
