#if canImport(Glibc)
import Glibc
#endif

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
