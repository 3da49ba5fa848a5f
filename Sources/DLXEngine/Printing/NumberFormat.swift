#if canImport(Glibc)
import Glibc
#endif

/// Number formatting with Python's exact rules, without Foundation.
public enum NumberFormat {
    /// printf-style formatting of one Double, e.g. `format("%.4f", x)`.
    public static func format(_ spec: String, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        let n = withVaList([value]) { vsnprintf(&buffer, buffer.count, spec, $0) }
        if n >= buffer.count {
            buffer = [CChar](repeating: 0, count: Int(n) + 1)
            _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, spec, $0) }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `f"{x:.{p}f}"`.
    public static func fixed(_ value: Double, _ precision: Int) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return format("%.\(precision)f", value)
    }

    /// `f"{x:.{p}e}"`.
    public static func scientific(_ value: Double, _ precision: Int) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return format("%.\(precision)e", value)
    }

    /// Python's `repr(float)`: the shortest digits that round-trip, in fixed notation for decimal
    /// exponents from -4 to 15 and scientific notation outside, always with a `.0` or an exponent.
    public static func pythonRepr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        let (negative, digits, decpt) = shortestDigits(value)
        let sign = negative ? "-" : ""
        if decpt > -4 && decpt <= 16 {
            if decpt <= 0 {
                return sign + "0." + String(repeating: "0", count: -decpt) + digits
            }
            if decpt >= digits.count {
                return sign + digits + String(repeating: "0", count: decpt - digits.count) + ".0"
            }
            let i = digits.index(digits.startIndex, offsetBy: decpt)
            return sign + digits[..<i] + "." + digits[i...]
        }
        let exp = decpt - 1
        var mantissa = String(digits.first!)
        if digits.count > 1 { mantissa += "." + digits.dropFirst() }
        let e = Swift.abs(exp)
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (e < 10 ? "0" : "") + String(e)
    }

    /// Digits and decimal-point position of the shortest round-trip form (value = 0.DIGITS x 10^decpt),
    /// read from Swift's own shortest formatting.
    static func shortestDigits(_ value: Double) -> (Bool, String, Int) {
        let (digits, decpt) = shortestDigits(description: Swift.abs(value).description)
        return (value < 0, digits, decpt)
    }

    /// Digits and decimal-point position read from the `description` of a non-negative Double or Float
    /// (Swift's shortest round-trip form for that type), e.g. "123.45", "1e-05", "1.5e+20".
    static func shortestDigits(description: String) -> (String, Int) {
        var text = description
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        var intPart = text, frac = ""
        if let dot = text.firstIndex(of: ".") {
            intPart = String(text[..<dot])
            frac = String(text[text.index(after: dot)...])
        }
        var digits = intPart + frac
        var decpt = intPart.count + exponent
        while digits.first == "0" && digits.count > 1 { digits.removeFirst(); decpt -= 1 }
        while digits.last == "0" && digits.count > 1 { digits.removeLast() }
        return (digits, decpt)
    }

    /// `f"{n:,}"`: thousands separated by commas.
    public static func grouped(_ n: Int) -> String {
        let s = String(n.magnitude)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
