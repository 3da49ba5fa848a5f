import DLXEngine

/// printf-style formatting with Python's rules: `"%5.2f" % x`, `"%s and %s" % (a, b)`, `"%(name)s" % d`.
extension Interpreter {
    /// One conversion's flags, width and precision.
    private struct PercentSpec {
        var left = false, zero = false, plus = false, space = false, alternate = false
        var width = 0
        var precision: Int? = nil
    }

    func percentFormat(_ template: String, _ arg: Value) throws(DLXError) -> String {
        var values = [arg]
        var mapping: Value? = nil
        switch arg {
        case .tuple(let t): values = t
        case .dict: mapping = arg
        default: break
        }
        var used = 0
        func next() throws(DLXError) -> Value {
            guard used < values.count else { throw .type("not enough arguments for format string") }
            used += 1
            return numpyPlain(values[used - 1])
        }
        let chars = Array(template.unicodeScalars)
        var out = TextBuilder(self)
        var i = 0
        while i < chars.count {
            guard chars[i] == "%" else {
                let start = i
                while i < chars.count && chars[i] != "%" { i += 1 }
                try out.append(String.of(chars[start..<i]))
                continue
            }
            i += 1
            var keyed: Value? = nil
            if i < chars.count, chars[i] == "(" {
                guard let mapping else { throw .type("format requires a mapping") }
                var depth = 1
                let start = i + 1
                i += 1
                while i < chars.count && depth > 0 {
                    if chars[i] == "(" { depth += 1 } else if chars[i] == ")" { depth -= 1 }
                    i += 1
                }
                guard depth == 0 else { throw .value("incomplete format key") }
                keyed = try getItem(mapping, [.string(String.of(chars[start..<(i - 1)]))])
            }
            var spec = PercentSpec()
            flags: while i < chars.count {
                switch chars[i] {
                case "-": spec.left = true
                case "0": spec.zero = true
                case "+": spec.plus = true
                case " ": spec.space = true
                case "#": spec.alternate = true
                default: break flags
                }
                i += 1
            }
            func number(_ value: inout Int) throws(DLXError) {
                while i < chars.count, let d = Character(chars[i]).wholeNumberValue, chars[i].isASCII {
                    value = try Interpreter.specDigit(value, d); i += 1
                }
            }
            if i < chars.count, chars[i] == "*" {
                i += 1
                guard case .int(let w) = try next() else { throw .type("* wants int") }
                if w < 0 { spec.left = true }
                spec.width = Int(clamping: w.magnitude)
            } else { try number(&spec.width) }
            try reserve(spec.width, .text)
            if i < chars.count, chars[i] == "." {
                i += 1
                var p = 0
                if i < chars.count, chars[i] == "*" {
                    i += 1
                    guard case .int(let n) = try next() else { throw .type("* wants int") }
                    p = max(n, 0)
                } else { try number(&p) }
                try reserve(p, .text)
                spec.precision = p
            }
            while i < chars.count, "hlL".unicodeScalars.contains(chars[i]) { i += 1 }
            guard i < chars.count else { throw .value("incomplete format") }
            let type = chars[i]
            i += 1
            if type == "%" { try out.append("%"); continue }
            let v: Value
            if let keyed { v = keyed } else { v = try next() }
            try out.append(try percentConversion(type, v, spec, at: i - 1))
        }
        if mapping == nil && used < values.count { throw .type("not all arguments converted during string formatting") }
        return out.text
    }

    private func percentConversion(_ type: Unicode.Scalar, _ v: Value, _ spec: PercentSpec, at index: Int) throws(DLXError) -> String {
        func padded(_ text: String) -> String {
            pad(text, width: spec.width, fill: " ", align: spec.left ? "<" : ">")
        }
        /// A number's sign, prefix and digits spread to the width: zeros go between the prefix and the digits.
        func number(_ negative: Bool, _ prefix: String, _ digits: String) -> String {
            let sign = negative ? "-" : spec.plus ? "+" : spec.space ? " " : ""
            let head = sign + prefix
            guard spec.zero && !spec.left else { return padded(head + digits) }
            return head + String(repeating: "0", count: max(0, spec.width - head.count - digits.count)) + digits
        }
        switch type {
        case "s", "r", "a":
            var text = type == "s" ? try str(v) : try repr(v)
            if type == "a" { text = Interpreter.asciiEscaped(text) }
            if let p = spec.precision { text = String.of(Array(text.unicodeScalars).prefix(p)) }
            return padded(text)
        case "c":
            switch v {
            case .int(let n):
                guard n >= 0 && n < 0x110000 else { throw DLXError("OverflowError", "%c arg not in range(0x110000)") }
                return padded(Unicode.Scalar(UInt32(n)).map { String($0) } ?? "\u{FFFD}")
            case .string(let s) where s.unicodeScalars.count == 1: return padded(s)
            default: throw .type("%c requires int or char")
            }
        case "d", "i", "u", "x", "X", "o":
            let n: Int
            switch v {
            case .int(let x): n = x
            case .bool(let b): n = b ? 1 : 0
            case .tensor(let t) where t.count == 1 && !t.dtype.isFloatingPoint: n = try toInt(v, "%\(type) format")
            case .float, .tensor:
                guard "diu".unicodeScalars.contains(type) else { throw .type("%\(type) format: an integer is required, not \(v.typeName)") }
                let f = try toDouble(v, "%\(type) format")
                guard f.isFinite else { throw f.isNaN ? .value("cannot convert float NaN to integer") : DLXError("OverflowError", "cannot convert float infinity to integer") }
                guard let x = Int(exactly: f.rounded(.towardZero)) else { throw DLXError("OverflowError", "int too large for dlx (64-bit integers)") }
                n = x
            default:
                let kind = "diu".unicodeScalars.contains(type) ? "a real number" : "an integer"
                throw .type("%\(type) format: \(kind) is required, not \(v.typeName)")
            }
            let radix = type == "o" ? 8 : type == "x" || type == "X" ? 16 : 10
            var digits = String(n.magnitude, radix: radix, uppercase: type == "X")
            if let p = spec.precision, digits.count < p { digits = String(repeating: "0", count: p - digits.count) + digits }
            let prefix = !spec.alternate || radix == 10 ? "" : type == "o" ? "0o" : type == "x" ? "0x" : "0X"
            return number(n < 0, prefix, digits)
        case "e", "E", "f", "F", "g", "G":
            let x: Double
            switch v {
            case .int, .float, .bool, .tensor: x = try toDouble(v, "%\(type) format")
            default: throw .type("must be real number, not \(v.typeName)")
            }
            let upper = "EFG".unicodeScalars.contains(type)
            var body: String
            if x.isNaN { body = "nan" } else if x.isInfinite { body = "inf" } else {
                body = NumberFormat.format("%" + (spec.alternate ? "#" : "") + ".\(min(spec.precision ?? 6, 400))" + String(type), Swift.abs(x))
            }
            if upper { body = body.uppercased() }
            return number(x < 0 || (x == 0 && x.sign == .minus), "", body)
        default:
            let code = String(type.value, radix: 16)
            throw .value("unsupported format character '\(type)' (0x\(code)) at index \(index)")
        }
    }
}
