/// How NumPy 2.x writes the floats of one array (arrayprint's FloatingFormat with the default options:
/// precision 8, floatmode 'maxprec', sign '-', suppress False). One pass over the shown values picks
/// fixed or scientific notation and the paddings; every element is then written to the same width.
struct NumPyFloatFormat {
    static let precision = 8

    let float32: Bool
    private(set) var scientific = false
    private(set) var padLeft = 0
    private(set) var padRight = 0
    /// Scientific notation: digits after the point, and digits of the exponent (at least 2).
    private(set) var fractionDigits = 0
    private(set) var exponentDigits = 2

    init(_ values: [Double], float32: Bool) {
        self.float32 = float32
        let finite = values.filter { $0.isFinite }
        let magnitudes = finite.filter { $0 != 0 }.map { Swift.abs($0) }
        if let hi = magnitudes.max(), let lo = magnitudes.min() {
            // NumPy compares in the array's own type: float32 arrays against float32 constants.
            if float32 {
                let h = Float(hi), l = Float(lo)
                scientific = h >= 1e6 || l < Float(0.0001) || h / l > 1000
            } else {
                scientific = hi >= 1e8 || lo < 0.0001 || hi / lo > 1000
            }
        }
        if !finite.isEmpty {
            if scientific {
                let parts = finite.map { scientificParts($0) }
                exponentDigits = parts.map { Swift.max(2, String(Swift.abs($0.exponent)).count) }.max() ?? 2
                fractionDigits = parts.map(\.fraction.count).max() ?? 0
                padLeft = parts.map(\.whole.count).max() ?? 0
                padRight = exponentDigits + 2 + fractionDigits
            } else {
                let parts = finite.map { positionalParts($0) }
                padLeft = parts.map(\.whole.count).max() ?? 0
                padRight = parts.map(\.fraction.count).max() ?? 0
            }
        }
        if finite.count != values.count {
            // Room for "nan", "inf" and "-inf" in the same width as the numbers.
            let negativeInfinity = values.contains { $0 == -.infinity }
            let offset = padRight + 1
            padLeft = Swift.max(padLeft, 3 - offset, 3 + (negativeInfinity ? 1 : 0) - offset)
        }
    }

    /// One element, padded to the common width.
    func format(_ x: Double) -> String {
        if !x.isFinite {
            let text = x.isNaN ? "nan" : x < 0 ? "-inf" : "inf"
            return NumPyFloatFormat.spaces(padLeft + padRight + 1 - text.count) + text
        }
        if scientific {
            // Every element shows `fractionDigits` digits: the value's own digits, correctly rounded.
            let printed = NumberFormat.format("%.\(fractionDigits)e", x)
            let (mantissa, exponent) = NumPyFloatFormat.splitExponent(printed)
            let (whole, fraction) = NumPyFloatFormat.splitPoint(mantissa)
            return NumPyFloatFormat.spaces(padLeft - whole.count) + whole + "." + fraction
                + "e" + NumPyFloatFormat.exponentText(exponent, digits: exponentDigits)
        }
        let (whole, fraction) = positionalParts(x)
        return NumPyFloatFormat.spaces(padLeft - whole.count) + whole + "." + fraction
            + NumPyFloatFormat.spaces(padRight - fraction.count)
    }

    /// The shortest digits that identify `x` among values of the array's type: (digits, point) with
    /// x = 0.DIGITS x 10^point; zero is ("0", 1).
    func shortest(_ x: Double) -> (digits: String, point: Int) {
        if x == 0 { return ("0", 1) }
        let text = float32 ? Swift.abs(Float(x)).description : Swift.abs(x).description
        let (digits, point) = NumberFormat.shortestDigits(description: text)
        return (digits, point)
    }

    /// Fixed notation with at most `precision` digits after the point, trailing zeros dropped
    /// ("1.", "0.5", "-0."): the shortest digits when they fit, else the value rounded there.
    func positionalParts(_ x: Double) -> (whole: String, fraction: String) {
        let sign = x.sign == .minus ? "-" : ""
        let (digits, point) = shortest(x)
        if digits.count - point <= NumPyFloatFormat.precision {
            if point <= 0 { return (sign + "0", String(repeating: "0", count: -point) + digits) }
            if point >= digits.count { return (sign + digits + String(repeating: "0", count: point - digits.count), "") }
            let cut = digits.index(digits.startIndex, offsetBy: point)
            return (sign + digits[..<cut], String(digits[cut...]))
        }
        let (whole, fraction) = NumPyFloatFormat.splitPoint(NumberFormat.format("%.\(NumPyFloatFormat.precision)f", Swift.abs(x)))
        return (sign + whole, NumPyFloatFormat.trimmingZeros(fraction))
    }

    /// Scientific notation with at most `precision` digits after the point, trailing zeros dropped:
    /// ("-1", "25", -5) for -1.25e-05.
    func scientificParts(_ x: Double) -> (whole: String, fraction: String, exponent: Int) {
        let sign = x.sign == .minus ? "-" : ""
        let (digits, point) = shortest(x)
        if digits.count <= NumPyFloatFormat.precision + 1 {
            let e = x == 0 ? 0 : point - 1
            return (sign + String(digits.first!), String(digits.dropFirst()), e)
        }
        let (mantissa, e) = NumPyFloatFormat.splitExponent(NumberFormat.format("%.\(NumPyFloatFormat.precision)e", Swift.abs(x)))
        let (whole, fraction) = NumPyFloatFormat.splitPoint(mantissa)
        return (sign + whole, NumPyFloatFormat.trimmingZeros(fraction), e)
    }

    /// NumPy's `str()` of one float scalar (what `print` shows for a 0-d array): Python's float repr for
    /// float64; for float32 the shortest float32 digits, fixed from 1e-4 up to 1e6, else scientific.
    static func scalarText(_ x: Double, float32: Bool) -> String {
        guard float32 else { return NumberFormat.pythonRepr(x) }
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        let sign = x.sign == .minus ? "-" : ""
        if x == 0 { return sign + "0.0" }
        let f = Swift.abs(Float(x))
        let (digits, point) = NumberFormat.shortestDigits(description: f.description)
        if Double(f) >= 1e-4 && f < 1e6 {   // the low bound compared as a double: float32(1e-4) prints 1e-04
            if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
            if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) + ".0" }
            let cut = digits.index(digits.startIndex, offsetBy: point)
            return sign + digits[..<cut] + "." + digits[cut...]
        }
        let rest = digits.dropFirst()
        return sign + String(digits.first!) + (rest.isEmpty ? "" : "." + rest) + "e" + exponentText(point - 1, digits: 2)
    }

    // MARK: - Text pieces

    static func spaces(_ n: Int) -> String { n > 0 ? String(repeating: " ", count: n) : "" }

    /// "+05", "-12", "+100": the exponent's sign and at least `digits` digits.
    static func exponentText(_ e: Int, digits: Int) -> String {
        let magnitude = String(Swift.abs(e))
        return (e < 0 ? "-" : "+") + String(repeating: "0", count: Swift.max(0, digits - magnitude.count)) + magnitude
    }

    /// "1.25e-05" -> ("1.25", -5).
    static func splitExponent(_ s: String) -> (String, Int) {
        guard let e = s.firstIndex(of: "e") else { return (s, 0) }
        return (String(s[..<e]), Int(s[s.index(after: e)...]) ?? 0)
    }

    /// "12.50" -> ("12", "50"); "3" -> ("3", "").
    static func splitPoint(_ s: String) -> (String, String) {
        guard let dot = s.firstIndex(of: ".") else { return (s, "") }
        return (String(s[..<dot]), String(s[s.index(after: dot)...]))
    }

    static func trimmingZeros(_ s: String) -> String {
        var s = s
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}
