#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PyTorch's blockwise Box-Muller (`normal_fill_16`): 16 uniforms become 16 normals, element j paired
/// with element j + 8. For float32, PyTorch's x86 kernels (AVX2 and AVX-512 builds alike) take the log,
/// sine and cosine from Cephes-style polynomials, compiled with fused multiply-adds in particular places;
/// the functions here evaluate the same polynomials with the same roundings, one element at a time, so the
/// results are PyTorch's to the bit (checked against PyTorch on millions of draws).
enum BoxMuller {
    /// a * b + c rounded once, as a fused multiply-add gives it: the product of two floats is exact in a
    /// double, and the sum's rounding to a double and then to a float agreed with the fused result on every
    /// one of millions of PyTorch's draws (a hardware FMA is not assumed: x86-64's baseline has none, and
    /// the C library's is slow).
    @inline(__always)
    static func fma(_ a: Float, _ b: Float, _ c: Float) -> Float { Float(Double(a) * Double(b) + Double(c)) }

    static func block16(_ d: UnsafeMutablePointer<Float>, mean: Float, std: Float) {
        let twoPi = Float(2 * Double.pi)
        for j in 0..<8 {
            let radius = (-2 * cephesLog(1 - d[j])).squareRoot()
            let (s, c) = cephesSinCos(twoPi * d[j + 8])
            d[j] = fma(radius * c, std, mean)
            d[j + 8] = fma(radius * s, std, mean)
        }
    }

    /// The generic kernel, for float64: the C library's functions.
    static func block16(_ d: UnsafeMutablePointer<Double>, mean: Double, std: Double) {
        for j in 0..<8 {
            let radius = (-2 * log(1 - d[j])).squareRoot()
            let theta = 2 * Double.pi * d[j + 8]
            d[j] = mean.addingProduct(radius * cos(theta), std)
            d[j + 8] = mean.addingProduct(radius * sin(theta), std)
        }
    }

    /// The natural log of x in (0, 1] (the Cephes polynomial of `log256_ps`).
    static func cephesLog(_ x0: Float) -> Float {
        let bits = Swift.max(x0, Float(bitPattern: 0x0080_0000)).bitPattern
        var e = Float(Int32(bitPattern: bits >> 23) - 0x7f) + 1
        // The mantissa, as a number in [0.5, 1).
        let m = Float(bitPattern: (bits & ~0x7f80_0000) | 0x3f00_0000)
        var x = m - 1
        if m < 0.707106781186547524 { e -= 1; x += m }
        let z = x * x
        var y: Float = 7.0376836292E-2
        for c: Float in [-1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1, 1.4249322787E-1,
                         -1.6668057665E-1, 2.0000714765E-1, -2.4999993993E-1, 3.3333331174E-1] {
            y = fma(y, x, c)
        }
        y *= x
        y = fma(y, z, e * -2.12194440e-4)
        y -= z * 0.5
        return (x + y) + e * 0.693359375
    }

    /// Sine and cosine (the Cephes polynomials of `sincos256_ps`).
    static func cephesSinCos(_ t: Float) -> (sin: Float, cos: Float) {
        var x = Swift.abs(t)
        var j = Int32(x * 1.27323954473516)   // 4 / pi, truncated
        j = (j + 1) & ~1
        let y = Float(j)
        let signSin = (t.bitPattern & 0x8000_0000) ^ (UInt32(bitPattern: j & 4) << 29)
        let signCos = UInt32(bitPattern: ~(j &- 2) & 4) << 29
        let usesSine = j & 2 == 0
        // Extended-precision reduction by pi/4, in three unfused steps.
        x = x + y * -0.78515625
        x = x + y * -2.4187564849853515625e-4
        x = x + y * -3.77489497744594108e-8
        let z = x * x
        var yc = fma(2.443315711809948E-005, z, -1.388731625493765E-003)
        yc = fma(yc, z, 4.166664568298827E-002)
        yc *= z
        yc = fma(yc, z, -(z * 0.5)) + 1
        var ys = fma(-1.9515295891E-4, z, 8.3321608736E-3)
        ys = fma(ys, z, -1.6666654611E-1)
        ys *= z
        ys = fma(ys, x, x)
        let s = usesSine ? ys : yc, c = usesSine ? yc : ys
        return (Float(bitPattern: s.bitPattern ^ signSin), Float(bitPattern: c.bitPattern ^ signCos))
    }
}
