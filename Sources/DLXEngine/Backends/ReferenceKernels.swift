#if canImport(Glibc)
import Glibc
#endif

/// Naive kernels, written for obviousness: the yardstick the fast kernels are tested against, and the
/// fallback where no BLAS library is installed.
public enum ReferenceKernels {
    public static func gemm(_ p: GemmParameters) {
        for i in 0..<p.m {
            for j in 0..<p.n {
                var acc: Float = 0
                for l in 0..<p.k {
                    let a = p.transA ? p.a[l * p.lda + i] : p.a[i * p.lda + l]
                    let b = p.transB ? p.b[j * p.ldb + l] : p.b[l * p.ldb + j]
                    acc += a * b
                }
                let c = p.c + i * p.ldc + j
                c.pointee = p.alpha * acc + (p.beta == 0 ? 0 : p.beta * c.pointee)
            }
        }
    }

    public static func unary(_ op: UnaryKernel, _ x: Float) -> Float {
        switch op {
        case .neg: return -x
        case .abs: return x < 0 ? -x : x
        case .exp: return Float(Glibc.exp(Double(x)))
        case .log: return Float(Glibc.log(Double(x)))
        case .sqrt: return Float(Double(x).squareRoot())
        case .relu: return x > 0 ? x : (x.isNaN ? x : 0)
        case .sigmoid: return Float(1 / (1 + Glibc.exp(-Double(x))))
        case .tanh: return Float(Glibc.tanh(Double(x)))
        }
    }

    /// The derivative of `unary(op, x)` times g, from first principles.
    public static func unaryBackward(_ op: UnaryKernel, _ g: Float, _ x: Float) -> Float {
        let d: Double
        let v = Double(x)
        switch op {
        case .neg: d = -1
        case .abs: d = v > 0 ? 1 : (v < 0 ? -1 : 0)
        case .exp: d = Glibc.exp(v)
        case .log: d = 1 / v
        case .sqrt: d = 0.5 / v.squareRoot()
        case .relu: d = v > 0 ? 1 : 0
        case .sigmoid: let s = 1 / (1 + Glibc.exp(-v)); d = s * (1 - s)
        case .tanh: let t = Glibc.tanh(v); d = 1 - t * t
        }
        return Float(Double(g) * d)
    }

    /// Adam as PyTorch's `_single_tensor_adam` writes it, one element at a time, in double precision (AdamW's
    /// decoupled decay first, where `decay` is not 1).
    public static func adam(_ s: AdamStep, _ w: inout Float, _ g: Float, _ m: inout Float, _ v: inout Float) {
        w = Float(Double(w) * Double(s.decay))
        let grad = Double(g) + Double(s.weightDecay) * Double(w)
        let mi = Double(s.beta1) * Double(m) + (1 - Double(s.beta1)) * grad
        let vi = Double(s.beta2) * Double(v) + (1 - Double(s.beta2)) * grad * grad
        m = Float(mi)
        v = Float(vi)
        let denom = vi.squareRoot() / Double(s.correction2Sqrt) + Double(s.eps)
        w = Float(Double(w) - Double(s.lr) * mi / denom)
    }

    /// SGD as PyTorch's `_single_tensor_sgd` writes it, in double precision; `velocity` nil without momentum.
    public static func sgd(_ s: SGDStep, _ w: inout Float, _ g: Float, _ velocity: inout Float?) {
        let d = Double(g) + Double(s.weightDecay) * Double(w)
        var step = d
        if let v = velocity {
            let buf = s.firstStep ? d : Double(s.momentum) * Double(v) + Double(s.undamped) * d
            velocity = Float(buf)
            step = s.nesterov ? d + Double(s.momentum) * buf : buf
        }
        w = Float(Double(w) - Double(s.lr) * step)
    }

    public static func binary(_ op: BinaryKernel, _ a: Float, _ b: Float) -> Float {
        switch op {
        case .add: return a + b
        case .sub: return a - b
        case .mul: return a * b
        case .div: return a / b
        case .pow: return Float(Glibc.pow(Double(a), Double(b)))
        case .max: return a.isNaN || b.isNaN ? .nan : (a > b ? a : b)
        case .min: return a.isNaN || b.isNaN ? .nan : (a < b ? a : b)
        }
    }
}
