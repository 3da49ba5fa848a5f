#if canImport(Glibc)
import Glibc
#endif

/// The GPU kernels as plain loops on the host: the reference that `dlx cuda-selftest` compares the CUDA
/// kernels with, and the device that tests run the engine's device paths on where no GPU is present
/// (`DLX_CUDA_EMULATE=1`). Each method follows its kernel in Sources/CUDAKernels line for line.
///
/// Its addresses are host addresses with bit 62 set, which the CPU refuses to dereference: an engine
/// path that touched device memory as host memory would crash the tests instead of passing by luck.
public final class EmulatedAccelerator: Accelerator, @unchecked Sendable {
    public let device: Device
    public let name = "dlx emulated GPU (host memory, reference kernels)"
    private static let tag: DeviceAddress = 1 << 62

    public init(ordinal: Int = 0) { device = .cuda(ordinal) }

    @inline(__always) private func host(_ a: DeviceAddress) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(a & ~EmulatedAccelerator.tag))!
    }
    @inline(__always) private func f(_ a: DeviceAddress) -> UnsafeMutablePointer<Float> { host(a).assumingMemoryBound(to: Float.self) }
    @inline(__always) private func i64(_ a: DeviceAddress) -> UnsafeMutablePointer<Int64> { host(a).assumingMemoryBound(to: Int64.self) }

    public func allocate(byteCount: Int) throws(TensorError) -> DeviceAddress {
        guard let p = malloc(Swift.max(byteCount, 4)) else {
            throw TensorError(.memory, "CUDA out of memory. Tried to allocate \(byteCount) bytes")
        }
        return DeviceAddress(UInt(bitPattern: p)) | EmulatedAccelerator.tag
    }
    public func free(_ address: DeviceAddress) { Glibc.free(host(address)) }
    public func upload(_ h: UnsafeRawPointer, to: DeviceAddress, byteCount: Int) throws(TensorError) { memcpy(host(to), h, byteCount) }
    public func download(_ from: DeviceAddress, to h: UnsafeMutableRawPointer, byteCount: Int) throws(TensorError) { memcpy(h, host(from), byteCount) }
    public func copy(_ from: DeviceAddress, to: DeviceAddress, byteCount: Int) throws(TensorError) { memmove(host(to), host(from), byteCount) }
    public func zero(_ address: DeviceAddress, words: Int) throws(TensorError) { memset(host(address), 0, words * 4) }
    public func synchronize() throws(TensorError) {}

    // MARK: - Elementwise

    public func fill(_ y: DeviceAddress, _ value: Float, count: Int) throws(TensorError) { f(y).update(repeating: value, count: count) }

    public func unary(_ op: UnaryKernel, _ x: DeviceAddress, _ y: DeviceAddress, count: Int) throws(TensorError) {
        let x = f(x), y = f(y)
        for i in 0..<count { y[i] = EmulatedAccelerator.apply(op, x[i]) }
    }

    static func apply(_ op: UnaryKernel, _ v: Float) -> Float {
        switch op {
        case .neg: return -v
        case .abs: return Swift.abs(v)
        case .exp: return expf(v)
        case .log: return logf(v)
        case .sqrt: return v.squareRoot()
        case .relu: return v > 0 ? v : (v.isNaN ? v : 0)
        case .sigmoid: return 1 / (1 + expf(-v))
        case .tanh: return tanhf(v)
        }
    }

    public func unaryBackward(_ op: UnaryKernel, grad: DeviceAddress, input: DeviceAddress, output: DeviceAddress,
                              _ r: DeviceAddress, count: Int) throws(TensorError) {
        let g = f(grad), x = f(input), y = f(output), r = f(r)
        for i in 0..<count {
            let gi = g[i], xi = x[i], yi = y[i]
            switch op {
            case .neg: r[i] = -gi
            case .abs: r[i] = xi > 0 ? gi : (xi < 0 ? -gi : 0)
            case .exp: r[i] = gi * yi
            case .log: r[i] = gi / xi
            case .sqrt: r[i] = gi * 0.5 / yi
            case .relu: r[i] = yi > 0 ? gi : 0
            case .sigmoid: r[i] = gi * yi * (1 - yi)
            case .tanh: r[i] = gi * (1 - yi * yi)
            }
        }
    }

    static func apply(_ op: BinaryKernel, _ x: Float, _ y: Float) -> Float {
        switch op {
        case .add: return x + y
        case .sub: return x - y
        case .mul: return x * y
        case .div: return x / y
        case .pow: return powf(x, y)
        case .max: return x > y || x.isNaN ? x : y
        case .min: return x < y || x.isNaN ? x : y
        }
    }

    /// The element offsets of `layout`'s operands, in row-major order of its shape (as the kernels compute them).
    private func offsets(_ layout: StridedLayout, _ body: (Int, Int, Int) -> Void) {
        let n = layout.count
        for i in 0..<n {
            var rest = i, oa = 0, ob = 0
            for d in stride(from: layout.shape.count - 1, through: 0, by: -1) {
                let k = rest % layout.shape[d]
                rest /= layout.shape[d]
                oa += k * layout.a[d]; ob += k * layout.b[d]
            }
            body(i, oa, ob)
        }
    }

    public func binary(_ op: BinaryKernel, _ a: DeviceAddress, _ b: DeviceAddress, _ out: DeviceAddress, _ layout: StridedLayout) throws(TensorError) {
        let a = f(a), b = f(b), o = f(out)
        offsets(layout) { i, oa, ob in o[i] = EmulatedAccelerator.apply(op, a[oa], b[ob]) }
    }

    public func binaryScalar(_ op: BinaryKernel, _ a: DeviceAddress, _ s: Float, _ out: DeviceAddress, count: Int, scalarFirst: Bool) throws(TensorError) {
        let a = f(a), o = f(out)
        for i in 0..<count { o[i] = scalarFirst ? EmulatedAccelerator.apply(op, s, a[i]) : EmulatedAccelerator.apply(op, a[i], s) }
    }

    public func compare(_ op: Comparison, _ a: DeviceAddress, _ b: DeviceAddress, _ out: DeviceAddress, _ layout: StridedLayout,
                        int64: Bool) throws(TensorError) {
        let o = host(out).assumingMemoryBound(to: UInt8.self)
        if int64 {
            let a = i64(a), b = i64(b)
            offsets(layout) { i, oa, ob in o[i] = Tensor.predicate(op.op, a[oa], b[ob]) ? 1 : 0 }
        } else {
            let a = f(a), b = f(b)
            offsets(layout) { i, oa, ob in o[i] = Tensor.predicate(op.op, a[oa], b[ob]) ? 1 : 0 }
        }
    }

    public func axpby(_ y: DeviceAddress, _ x: DeviceAddress, alpha: Float, beta: Float, count: Int) throws(TensorError) {
        let y = f(y), x = f(x)
        for i in 0..<count { y[i] = alpha * y[i] + beta * x[i] }
    }

    public func gather(_ src: DeviceAddress, _ dst: DeviceAddress, _ layout: StridedLayout, elementSize: Int) throws(TensorError) {
        let s = host(src), d = host(dst)
        offsets(layout) { i, o, _ in memcpy(d + i * elementSize, s + o * elementSize, elementSize) }
    }

    public func copyStrided(_ src: DeviceAddress, _ dst: DeviceAddress, _ layout: StridedLayout) throws(TensorError) {
        let s = f(src), d = f(dst)
        offsets(layout) { _, oa, ob in d[ob] = s[oa] }
    }

    public func addInt64(_ x: DeviceAddress, _ v: Int64) throws(TensorError) { i64(x)[0] += v }

    public func toFloat(_ x: DeviceAddress, from: DType, _ y: DeviceAddress, scale: Float, count: Int) throws(TensorError) {
        let o = f(y)
        if from == .int64 {
            let s = i64(x)
            for i in 0..<count { o[i] = Float(s[i]) * scale }
        } else {
            let s = host(x).assumingMemoryBound(to: UInt8.self)
            for i in 0..<count { o[i] = Float(s[i]) * scale }
        }
    }

    // MARK: - Reductions

    public func sumRows(_ x: DeviceAddress, _ out: DeviceAddress, rows: Int, cols: Int, scale: Float) throws(TensorError) {
        let x = f(x), o = f(out)
        for r in 0..<rows {
            var s: Float = 0
            for j in 0..<cols { s += x[r * cols + j] }
            o[r] = s * scale
        }
    }

    public func sumAxis(_ x: DeviceAddress, _ out: DeviceAddress, outer: Int, size: Int, inner: Int, scale: Float) throws(TensorError) {
        let x = f(x), o = f(out)
        for k in 0..<(outer * inner) {
            let a = k / inner, i = k % inner
            var s: Float = 0
            for j in 0..<size { s += x[(a * size + j) * inner + i] }
            o[k] = s * scale
        }
    }

    public func argmaxRows(_ x: DeviceAddress, values: DeviceAddress, indices: DeviceAddress, rows: Int, cols: Int) throws(TensorError) {
        let x = f(x), v = f(values), ix = i64(indices)
        for r in 0..<rows {
            let row = x + r * cols
            var best = 0
            for j in 1..<Swift.max(cols, 1) where (row[j] > row[best] || row[j].isNaN) && !row[best].isNaN { best = j }
            v[r] = row[best]; ix[r] = Int64(best)
        }
    }

    public func countNonzero(_ x: DeviceAddress, _ out: DeviceAddress, count: Int) throws(TensorError) {
        let x = host(x).assumingMemoryBound(to: UInt8.self)
        var n: Int64 = 0
        for i in 0..<count where x[i] != 0 { n += 1 }
        i64(out)[0] = n
    }

    // MARK: - Softmax and cross-entropy

    public func softmaxRows(_ x: DeviceAddress, _ y: DeviceAddress, rows: Int, cols: Int, log: Bool) throws(TensorError) {
        let x = f(x), y = f(y)
        for r in 0..<rows {
            let row = x + r * cols, out = y + r * cols
            var m = -Float.infinity
            for j in 0..<cols { m = fmaxf(m, row[j]) }
            var s: Float = 0
            for j in 0..<cols { s += expf(row[j] - m) }
            let ls = logf(s)
            for j in 0..<cols { out[j] = log ? row[j] - m - ls : expf(row[j] - m) / s }
        }
    }

    public func nllRows(_ logp: DeviceAddress, labels: DeviceAddress, _ loss: DeviceAddress, rows: Int, cols: Int) throws(TensorError) {
        let p = f(logp), l = i64(labels), o = f(loss)
        for r in 0..<rows {
            let k = Int(l[r])
            o[r] = k >= 0 && k < cols ? -p[r * cols + k] : .nan
        }
    }

    public func crossEntropyBackward(_ logp: DeviceAddress, labels: DeviceAddress, _ dx: DeviceAddress, rows: Int, cols: Int,
                                     scale: Float) throws(TensorError) {
        let p = f(logp), l = i64(labels), d = f(dx)
        for i in 0..<(rows * cols) { d[i] = scale * (expf(p[i]) - (Int64(i % cols) == l[i / cols] ? 1 : 0)) }
    }

    // MARK: - Products and convolution layouts

    public func gemm(_ p: DeviceGemm) throws(TensorError) {
        ReferenceKernels.gemm(GemmParameters(transA: p.transA, transB: p.transB, m: p.m, n: p.n, k: p.k, alpha: p.alpha, beta: p.beta,
                                             a: f(p.a), lda: p.lda, b: f(p.b), ldb: p.ldb, c: f(p.c), ldc: p.ldc))
    }

    public func im2col(_ x: DeviceAddress, _ cols: DeviceAddress, _ g: WindowGeometry) throws(TensorError) {
        let x = f(x), c = f(cols)
        let plane = g.oh * g.ow, columns = g.n * plane
        for i in 0..<(g.c * g.kh * g.kw * columns) {
            let row = i / columns, col = i % columns
            let kj = row % g.kw, ki = (row / g.kw) % g.kh, ch = row / (g.kw * g.kh)
            let img = col / plane, p = col % plane, oy = p / g.ow, ox = p % g.ow
            let iy = oy * g.sh - g.ph + ki * g.dh, ix = ox * g.sw - g.pw + kj * g.dw
            c[i] = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w ? x[((img * g.c + ch) * g.h + iy) * g.w + ix] : 0
        }
    }

    public func col2im(_ cols: DeviceAddress, _ dx: DeviceAddress, _ g: WindowGeometry) throws(TensorError) {
        let c = f(cols), d = f(dx)
        let plane = g.oh * g.ow, columns = g.n * plane
        for i in 0..<(g.n * g.c * g.h * g.w) {
            let ix = i % g.w, iy = (i / g.w) % g.h, ch = (i / (g.w * g.h)) % g.c, img = i / (g.w * g.h * g.c)
            var sum: Float = 0
            for ki in 0..<g.kh {
                let ty = iy + g.ph - ki * g.dh
                guard ty >= 0, ty % g.sh == 0, ty / g.sh < g.oh else { continue }
                for kj in 0..<g.kw {
                    let tx = ix + g.pw - kj * g.dw
                    guard tx >= 0, tx % g.sw == 0, tx / g.sw < g.ow else { continue }
                    let row = (ch * g.kh + ki) * g.kw + kj
                    sum += c[row * columns + img * plane + (ty / g.sh) * g.ow + tx / g.sw]
                }
            }
            d[i] = sum
        }
    }

    public func swapLeading(_ x: DeviceAddress, _ y: DeviceAddress, bias: DeviceAddress?, a: Int, b: Int, p: Int) throws(TensorError) {
        let x = f(x), y = f(y), bias = bias.map { f($0) }
        for i in 0..<(a * b * p) {
            let k = i % p, j = (i / p) % b, r = i / (p * b)
            y[(j * a + r) * p + k] = x[i] + (bias?[r] ?? 0)
        }
    }

    // MARK: - Pooling

    public func maxPoolForward(_ x: DeviceAddress, _ y: DeviceAddress, argmax: DeviceAddress, _ g: WindowGeometry) throws(TensorError) {
        let x = f(x), y = f(y), arg = host(argmax).assumingMemoryBound(to: Int32.self)
        for i in 0..<(g.n * g.c * g.oh * g.ow) {
            let ox = i % g.ow, oy = (i / g.ow) % g.oh, plane = x + (i / (g.ow * g.oh)) * g.h * g.w
            var best = -Float.infinity, at = -1
            for ki in 0..<g.kh {
                let iy = oy * g.sh - g.ph + ki * g.dh
                guard iy >= 0, iy < g.h else { continue }
                for kj in 0..<g.kw {
                    let ix = ox * g.sw - g.pw + kj * g.dw
                    guard ix >= 0, ix < g.w else { continue }
                    let v = plane[iy * g.w + ix]
                    if at < 0 || v > best || v.isNaN { best = v; at = iy * g.w + ix }
                }
            }
            y[i] = best; arg[i] = Int32(at)
        }
    }

    public func maxPoolBackward(_ grad: DeviceAddress, argmax: DeviceAddress, _ dx: DeviceAddress, _ g: WindowGeometry) throws(TensorError) {
        let gr = f(grad), arg = host(argmax).assumingMemoryBound(to: Int32.self), d = f(dx)
        for i in 0..<(g.n * g.c * g.oh * g.ow) where arg[i] >= 0 {
            d[(i / (g.ow * g.oh)) * g.h * g.w + Int(arg[i])] += gr[i]
        }
    }

    /// Calls body(output index, input offset) for every input position in each output's window.
    private func windows(_ g: WindowGeometry, _ body: (Int, Int) -> Void) {
        for i in 0..<(g.n * g.c * g.oh * g.ow) {
            let ox = i % g.ow, oy = (i / g.ow) % g.oh, base = (i / (g.ow * g.oh)) * g.h * g.w
            for ki in 0..<g.kh {
                let iy = oy * g.sh - g.ph + ki
                guard iy >= 0, iy < g.h else { continue }
                for kj in 0..<g.kw {
                    let ix = ox * g.sw - g.pw + kj
                    if ix >= 0 && ix < g.w { body(i, base + iy * g.w + ix) }
                }
            }
        }
    }

    public func avgPoolForward(_ x: DeviceAddress, _ y: DeviceAddress, _ g: WindowGeometry) throws(TensorError) {
        let x = f(x), y = f(y)
        y.update(repeating: 0, count: g.n * g.c * g.oh * g.ow)
        windows(g) { i, at in y[i] += x[at] }
        for i in 0..<(g.n * g.c * g.oh * g.ow) { y[i] /= Float(g.kh * g.kw) }
    }

    public func avgPoolBackward(_ grad: DeviceAddress, _ dx: DeviceAddress, _ g: WindowGeometry) throws(TensorError) {
        let gr = f(grad), d = f(dx)
        windows(g) { i, at in d[at] += gr[i] / Float(g.kh * g.kw) }
    }

    // MARK: - Batch norm

    public func batchNormStats(_ x: DeviceAddress, mean: DeviceAddress, variance: DeviceAddress, n: Int, c: Int, inner: Int) throws(TensorError) {
        let x = f(x), mp = f(mean), vp = f(variance)
        let m = Float(n * inner)
        for ch in 0..<c {
            var s: Float = 0
            for e in 0..<(n * inner) { s += x[((e / inner) * c + ch) * inner + e % inner] }
            let mu = s / m
            var q: Float = 0
            for e in 0..<(n * inner) { let d = x[((e / inner) * c + ch) * inner + e % inner] - mu; q += d * d }
            mp[ch] = mu; vp[ch] = q / m
        }
    }

    public func batchNormApply(_ x: DeviceAddress, mean: DeviceAddress, invstd: DeviceAddress, gamma: DeviceAddress?, beta: DeviceAddress?,
                               xhat: DeviceAddress, _ y: DeviceAddress, n: Int, c: Int, inner: Int) throws(TensorError) {
        let x = f(x), mp = f(mean), ip = f(invstd), gp = gamma.map { f($0) }, bp = beta.map { f($0) }, xh = f(xhat), yp = f(y)
        for i in 0..<(n * c * inner) {
            let ch = (i / inner) % c
            let h = (x[i] - mp[ch]) * ip[ch]
            xh[i] = h
            yp[i] = h * (gp?[ch] ?? 1) + (bp?[ch] ?? 0)
        }
    }

    public func batchNormSums(_ grad: DeviceAddress, xhat: DeviceAddress, sumG: DeviceAddress, sumGXhat: DeviceAddress,
                              n: Int, c: Int, inner: Int) throws(TensorError) {
        let g = f(grad), xh = f(xhat), sg = f(sumG), sh = f(sumGXhat)
        for ch in 0..<c {
            var s: Float = 0, t: Float = 0
            for e in 0..<(n * inner) {
                let at = ((e / inner) * c + ch) * inner + e % inner
                s += g[at]; t += g[at] * xh[at]
            }
            sg[ch] = s; sh[ch] = t
        }
    }

    public func batchNormInputGradient(_ grad: DeviceAddress, xhat: DeviceAddress, k: DeviceAddress, sumG: DeviceAddress,
                                       sumGXhat: DeviceAddress, _ dx: DeviceAddress, n: Int, c: Int, inner: Int, m: Float,
                                       training: Bool) throws(TensorError) {
        let g = f(grad), xh = f(xhat), kp = f(k), sg = f(sumG), sh = f(sumGXhat), d = f(dx)
        for i in 0..<(n * c * inner) {
            let ch = (i / inner) % c
            d[i] = training ? kp[ch] * (m * g[i] - sg[ch] - xh[i] * sh[ch]) : kp[ch] * g[i]
        }
    }

    // MARK: - Training

    public func adamStep(_ s: AdamStep, _ w: DeviceAddress, _ g: DeviceAddress, _ m: DeviceAddress, _ v: DeviceAddress, count: Int) throws(TensorError) {
        let w = f(w), g = f(g), m = f(m), v = f(v), invC2 = 1 / s.correction2Sqrt
        for i in 0..<count {
            let wi = w[i] * s.decay
            let gi = g[i] + s.weightDecay * wi
            let mi = s.beta1 * m[i] + (1 - s.beta1) * gi
            let vi = s.beta2 * v[i] + (1 - s.beta2) * gi * gi
            m[i] = mi; v[i] = vi
            w[i] = wi - s.lr * mi / (vi.squareRoot() * invC2 + s.eps)
        }
    }

    public func sgdStep(_ s: SGDStep, _ w: DeviceAddress, _ g: DeviceAddress, _ velocity: DeviceAddress?, count: Int) throws(TensorError) {
        let w = f(w), g = f(g), buf = velocity.map { f($0) }
        for i in 0..<count {
            var gi = g[i] + s.weightDecay * w[i]
            if let buf {
                let b = s.firstStep ? gi : s.momentum * buf[i] + s.undamped * gi
                buf[i] = b
                gi = s.nesterov ? gi + s.momentum * b : b
            }
            w[i] -= s.lr * gi
        }
    }

    public func adagradStep(_ s: AdagradStep, _ w: DeviceAddress, _ g: DeviceAddress, _ sum: DeviceAddress, count: Int) throws(TensorError) {
        let w = f(w), g = f(g), sum = f(sum)
        for i in 0..<count {
            let gi = g[i] + s.weightDecay * w[i]
            let total = sum[i] + gi * gi
            sum[i] = total
            w[i] -= s.lr * gi / (total.squareRoot() + s.eps)
        }
    }

    public func rmspropStep(_ s: RMSpropStep, _ w: DeviceAddress, _ g: DeviceAddress, _ squareAvg: DeviceAddress, _ momentumBuffer: DeviceAddress?,
                            _ gradAvg: DeviceAddress?, count: Int) throws(TensorError) {
        let w = f(w), g = f(g), sq = f(squareAvg), buf = momentumBuffer.map { f($0) }, ga = gradAvg.map { f($0) }
        for i in 0..<count {
            let gi = g[i] + s.weightDecay * w[i]
            let v = sq[i] * s.alpha + (1 - s.alpha) * gi * gi
            sq[i] = v
            var avg: Float
            if let ga {
                let t = 1 - s.alpha
                let a = t < 0.5 ? ga[i] + t * (gi - ga[i]) : gi - (gi - ga[i]) * (1 - t)
                ga[i] = a
                avg = (v - a * a).squareRoot() + s.eps
            } else {
                avg = v.squareRoot() + s.eps
            }
            if let buf {
                let b = buf[i] * s.momentum + gi / avg
                buf[i] = b
                w[i] -= s.lr * b
            } else {
                w[i] -= s.lr * gi / avg
            }
        }
    }

    public func adadeltaStep(_ s: AdadeltaStep, _ w: DeviceAddress, _ g: DeviceAddress, _ squareAvg: DeviceAddress, _ accDelta: DeviceAddress,
                             count: Int) throws(TensorError) {
        let w = f(w), g = f(g), sq = f(squareAvg), acc = f(accDelta)
        for i in 0..<count {
            let gi = g[i] + s.weightDecay * w[i]
            let v = sq[i] * s.rho + (1 - s.rho) * gi * gi
            sq[i] = v
            let delta = (acc[i] + s.eps).squareRoot() / (v + s.eps).squareRoot() * gi
            acc[i] = acc[i] * s.rho + (1 - s.rho) * delta * delta
            w[i] -= s.lr * delta
        }
    }

    public func dropout(_ x: DeviceAddress, _ out: DeviceAddress, count: Int, group: Int, seed: UInt32, keepBelow: UInt32,
                        scale: Float) throws(TensorError) {
        let x = f(x), o = f(out)
        for i in 0..<count {
            o[i] = x[i] * (Dropout.hash(seed, UInt32(truncatingIfNeeded: i / group)) >> 8 < keepBelow ? scale : 0)
        }
    }
}
