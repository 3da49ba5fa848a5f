#if canImport(Glibc)
import Glibc
#endif

/// CPython's own `math.gamma` and `math.lgamma` (Lanczos' approximation, `Modules/mathmodule.c`), which give
/// other last digits than the C library's.
enum PythonGamma {
    static let g = 6.024680040776729583740234375
    static let gMinusHalf = 5.524680040776729583740234375
    static let numerator: [Double] = [
        23531376880.410759688572007674451636754734846804940, 42919803642.649098768957899047001988850926355848959,
        35711959237.355668049440185451547166705960488635843, 17921034426.037209699919755754458931112671403265390,
        6039542586.3520280050642916443072979210699388420708, 1439720407.3117216736632230727949123939715485786772,
        248874557.86205415651146038641322942321632125127801, 31426415.585400194380614231628318205362874684987640,
        2876370.6289353724412254090516208496135991145378768, 186056.26539522349504029498971604569928220784236328,
        8071.6720023658162106380029022722506138218516325024, 210.82427775157934587250973392071336271166969580291,
        2.5066282746310002701649081771338373386264310793408,
    ]
    /// x (x+1) ... (x+11)'s coefficients.
    static let denominator: [Double] = [0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0,
                                        13339535.0, 2637558.0, 357423.0, 32670.0, 1925.0, 66.0, 1.0]
    static let logPi = 1.144729885849400174143427351353058711647

    static func lanczosSum(_ x: Double) -> Double {
        var num = 0.0, den = 0.0
        if x < 5 {
            for i in stride(from: numerator.count - 1, through: 0, by: -1) {
                num = num * x + numerator[i]
                den = den * x + denominator[i]
            }
        } else {
            for i in 0..<numerator.count {
                num = num / x + numerator[i]
                den = den / x + denominator[i]
            }
        }
        return num / den
    }

    static func sinPi(_ x: Double) -> Double {
        let y = fmod(Swift.abs(x), 2.0)
        let r: Double
        switch Int((2 * y).rounded()) {
        case 0: r = sin(.pi * y)
        case 1: r = cos(.pi * (y - 0.5))
        case 2: r = sin(.pi * (1 - y))
        case 3: r = -cos(.pi * (y - 1.5))
        default: r = sin(.pi * (y - 2))
        }
        return copysign(1, x) * r
    }

    /// nil where Python raises `math domain error`; infinity where it raises `math range error`.
    static func gamma(_ x: Double) -> Double? {
        if !x.isFinite { return x.isNaN || x > 0 ? x : nil }
        if x == 0 { return nil }
        if x == x.rounded(.down) {
            if x < 0 { return nil }
            if x <= 23 { return (1..<Int(x)).reduce(1.0) { $0 * Double($1) } }
        }
        let absx = Swift.abs(x)
        if absx < 1e-20 { return 1 / x }
        if absx > 200 { return x < 0 ? 0 / sinPi(x) : .infinity }
        let y = absx + gMinusHalf
        var z = absx > gMinusHalf ? (y - absx) - gMinusHalf : (y - gMinusHalf) - absx
        z = z * g / y
        var r: Double
        if x < 0 {
            r = -.pi / sinPi(absx) / absx * exp(y) / lanczosSum(absx)
            r -= z * r
            if absx < 140 { r /= pow(y, absx - 0.5) } else {
                let s = pow(y, absx / 2 - 0.25)
                r /= s; r /= s
            }
        } else {
            r = lanczosSum(absx) / exp(y)
            r += z * r
            if absx < 140 { r *= pow(y, absx - 0.5) } else {
                let s = pow(y, absx / 2 - 0.25)
                r *= s; r *= s
            }
        }
        return r
    }

    static func lgamma(_ x: Double) -> Double? {
        if !x.isFinite { return x.isNaN ? x : .infinity }
        if x == x.rounded(.down) && x <= 2 { return x <= 0 ? nil : 0 }
        let absx = Swift.abs(x)
        if absx < 1e-20 { return -log(absx) }
        var r = log(lanczosSum(absx)) - g
        r += (absx - 0.5) * (log(absx + g - 0.5) - 1)
        if x < 0 { r = logPi - log(Swift.abs(sinPi(absx))) - log(absx) - r }
        return r
    }
}
