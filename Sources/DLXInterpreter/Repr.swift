import DLXFrontEnd
import DLXEngine

/// `repr()` and `str()` of values, exactly as Python and PyTorch print them.
extension Interpreter {
    public func repr(_ v: Value) throws(DLXError) -> String {
        switch v {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let f): return NumberFormat.pythonRepr(f)
        case .string(let s): return Interpreter.quote(s)
        case .list(let l): return "[" + (try l.items.map { x throws(DLXError) in try repr(x) }).joined(separator: ", ") + "]"
        case .tuple(let t):
            let parts = try t.map { x throws(DLXError) in try repr(x) }
            return parts.count == 1 ? "(\(parts[0]),)" : "(" + parts.joined(separator: ", ") + ")"
        case .dict(let d):
            var parts: [String] = []
            for (k, x) in zip(d.keys, d.values) { parts.append(try repr(k) + ": " + repr(x)) }
            return "{" + parts.joined(separator: ", ") + "}"
        case .tensor(let t):
            let r = try engine { () throws(TensorError) in try TensorPrinter.repr(t, gradFn: t.gradFn?.name) }
            return t.isParameter ? "Parameter containing:\n" + r : r
        case .size(let s): return TensorPrinter.sizeRepr(s)
        case .dtype(let d): return d.repr
        case .device(let d): return d.repr
        case .slice(let a, let b, let c):
            func f(_ x: Int?) -> String { x.map(String.init) ?? "None" }
            return "slice(\(f(a)), \(f(b)), \(f(c)))"
        case .ellipsis: return "Ellipsis"
        case .module(let m):
            if let u = m as? UserModule, let r = try u.checkedRepr(self) { return r }
            return m.repr
        case .object(let o):
            if let p = o as? any ObjectProtocols, let r = try p.checkedRepr(self) { return r }
            return o.repr(self)
        }
    }

    /// `str()`: strings unquoted, everything else as its repr.
    public func str(_ v: Value) throws(DLXError) -> String {
        switch v {
        case .string(let s): return s
        case .device(let d): return d.description
        case .object(let o as TypeObject): return o.repr(self)
        case .object, .module:
            if let p = v.protocols, let r = try p.checkedStr(self) { return r }
            return try repr(v)
        default: return try repr(v)
        }
    }

    /// Python's string repr: single quotes unless the text has a single quote and no double quote.
    static func quote(_ s: String) -> String {
        let q: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(q)
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if Character(c) == q { out += "\\" + String(q) }
                else if c.value < 0x20 || c.value == 0x7f {
                    let h = String(c.value, radix: 16)
                    out += "\\x" + (h.count < 2 ? "0" : "") + h
                } else { out.unicodeScalars.append(c) }
            }
        }
        out.append(q)
        return out
    }

    // MARK: - Formatting

    func formatFString(_ parts: [FStringPart]) throws(DLXError) -> String {
        var out = ""
        for p in parts {
            switch p {
            case .text(let t): out += t
            case .value(let e, let conversion, let specParts):
                var v = try eval(e)
                var prefix = ""
                var spec = try formatFString(specParts)
                // `{x=}` keeps its source text in the first spec part.
                if case .text(let t)? = specParts.first, t.hasSuffix("="), !t.hasSuffix("==") {
                    prefix = t
                    spec = try formatFString(Array(specParts.dropFirst()))
                }
                if conversion == "r" { v = .string(try repr(v)) }
                else if conversion == "s" { v = .string(try str(v)) }
                out += prefix + (try format(v, spec: spec))
            }
        }
        return out
    }

    /// `format(value, spec)`: Python's format-spec mini-language for numbers and strings.
    func format(_ v: Value, spec: String) throws(DLXError) -> String {
        // A 0-d tensor formats its item, as Tensor.__format__ does (even with an empty spec).
        if case .tensor(let t) = v, t.rank == 0 {
            return try format(pythonValue(try engine { () throws(TensorError) in try t.scalar() }), spec: spec)
        }
        if spec.isEmpty { return try str(v) }
        var chars = Array(spec)
        var fill: Character = " ", align: Character? = nil
        if chars.count >= 2, "<>^=".contains(chars[1]) { fill = chars[0]; align = chars[1]; chars.removeFirst(2) }
        else if let c = chars.first, "<>^=".contains(c) { align = c; chars.removeFirst() }
        var sign: Character = "-"
        if let c = chars.first, "+- ".contains(c) { sign = c; chars.removeFirst() }
        if chars.first == "#" { chars.removeFirst() }
        if chars.first == "0" { if align == nil { fill = "0"; align = "=" }; chars.removeFirst() }
        var width = 0
        while let c = chars.first, let d = c.wholeNumberValue { width = try Interpreter.specDigit(width, d); chars.removeFirst() }
        var grouping = false
        if chars.first == "," || chars.first == "_" { grouping = true; chars.removeFirst() }
        var precision: Int? = nil
        if chars.first == "." {
            chars.removeFirst()
            var p = 0
            var any = false
            while let c = chars.first, let d = c.wholeNumberValue { p = try Interpreter.specDigit(p, d); chars.removeFirst(); any = true }
            guard any else { throw .value("Format specifier missing precision") }
            precision = p
        }
        let type = chars.first
        if chars.count > 1 { throw .value("Invalid format specifier '\(spec)' for object of type '\(v.typeName)'") }

        var value = v
        if case .tensor(let t) = v, t.count == 1, t.rank == 0 {
            value = (try? engine { () throws(TensorError) in try t.scalar() }).map { s -> Value in
                switch s { case .bool(let b): return .bool(b); case .int(let i): return .int(Int(i)); case .float(let f): return .float(f) }
            } ?? v
        }
        var body: String
        var negative = false
        switch (value, type) {
        case (.string(let s), nil), (.string(let s), "s"):
            body = precision.map { String(s.prefix($0)) } ?? s
            return pad(body, width: width, fill: fill, align: align ?? "<")
        case (.int(let n), nil), (.int(let n), "d"):
            negative = n < 0
            body = grouping ? Interpreter.group(String(n.magnitude)) : String(n.magnitude)
        case (.int, _), (.float, _), (.bool, _):
            guard let x = scalar(value)?.double else { throw .value("bad value") }
            if case .bool(let b) = value, type == nil { return pad(b ? "True" : "False", width: width, fill: fill, align: align ?? "<") }
            negative = x < 0 || (x == 0 && x.sign == .minus)
            let m = Swift.abs(x)
            switch type {
            case "f", "F": body = NumberFormat.fixed(m, precision ?? 6)
            case "e", "E": body = NumberFormat.scientific(m, precision ?? 6)
            case "%": body = NumberFormat.fixed(m * 100, precision ?? 6) + "%"
            case "g", "G": body = NumberFormat.format("%.\(precision ?? 6)g", m)
            case "d":
                guard case .int = value else { throw .value("Unknown format code 'd' for object of type 'float'") }
                body = String(Int(m))
            case nil:
                if let p = precision { body = NumberFormat.format("%.\(max(p, 1))g", m) }
                else if case .int(let n) = value { body = String(n.magnitude) }
                else { body = NumberFormat.pythonRepr(m) }
            default:
                throw .value("Unknown format code '\(type!)' for object of type '\(value.typeName)'")
            }
            if grouping {
                let intPart = body.prefix { $0.isNumber }
                body = Interpreter.group(String(intPart)) + body.dropFirst(intPart.count)
            }
        default:
            if type == nil { return pad(try str(value), width: width, fill: fill, align: align ?? "<") }
            throw .type("unsupported format string passed to \(value.typeName).__format__")
        }
        let signText = negative ? "-" : sign == "+" ? "+" : sign == " " ? " " : ""
        if align == "=" {
            let n = width - signText.count - body.count
            return signText + (n > 0 ? String(repeating: fill, count: n) : "") + body
        }
        return pad(signText + body, width: width, fill: fill, align: align ?? ">")
    }

    /// A width or precision read digit by digit. Past a string's limit the text would not fit (Python raises
    /// MemoryError, or this ValueError past sys.maxsize): dlx refuses it before the number overflows.
    static func specDigit(_ value: Int, _ digit: Int) throws(DLXError) -> Int {
        let v = value * 10 + digit
        guard v <= Interpreter.maxStringBytes else { throw .value("Too many decimal digits in format string") }
        return v
    }

    /// Digits with a comma every three from the right.
    static func group(_ digits: String) -> String {
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// s padded with `fill` to `width`: "<" pads right, ">" left, "^" both (an odd extra on the right, as
    /// format specs do; str.center differs).
    func pad(_ s: String, width: Int, fill: Character, align: Character) -> String {
        let n = width - s.count
        guard n > 0 else { return s }
        switch align {
        case "<": return s + String(repeating: fill, count: n)
        case "^": return String(repeating: fill, count: n / 2) + s + String(repeating: fill, count: n - n / 2)
        default: return String(repeating: fill, count: n) + s
        }
    }

    /// `str.format(*args, **kwargs)` with `{}`, `{0}`, `{name}`, `{:spec}` and `{{ }}`.
    func strFormat(_ template: String, _ args: Arguments) throws(DLXError) -> String {
        var out = ""
        var auto = 0
        let chars = Array(template)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count && chars[i + 1] == "{" { out.append("{"); i += 2; continue }
                guard let close = chars[i...].firstIndex(of: "}") else { throw .value("Single '{' encountered in format string") }
                let field = String(chars[(i + 1)..<close])
                i = close + 1
                var name = field, spec = "", conversion: Character? = nil
                if let colon = field.firstIndex(of: ":") { name = String(field[..<colon]); spec = String(field[field.index(after: colon)...]) }
                if let bang = name.firstIndex(of: "!") {
                    conversion = name[name.index(after: bang)...].first
                    name = String(name[..<bang])
                }
                var v: Value
                if name.isEmpty {
                    guard auto < args.positional.count else { throw DLXError("IndexError", "Replacement index \(auto) out of range for positional args tuple") }
                    v = args.positional[auto]; auto += 1
                } else if let n = Int(name) {
                    guard n < args.positional.count else { throw DLXError("IndexError", "Replacement index \(n) out of range for positional args tuple") }
                    v = args.positional[n]
                } else {
                    let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
                    guard let kw = args.keywords.first(where: { $0.0 == parts[0] }) else { throw DLXError("KeyError", Interpreter.quote(parts[0])) }
                    v = kw.1
                    if parts.count > 1 { v = try getAttribute(v, parts[1]) }
                }
                if conversion == "r" { v = .string(try repr(v)) } else if conversion == "s" { v = .string(try str(v)) }
                out += try format(v, spec: spec)
                continue
            }
            if c == "}" {
                if i + 1 < chars.count && chars[i + 1] == "}" { out.append("}"); i += 2; continue }
                throw .value("Single '}' encountered in format string")
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// `"%0.2f" % x` and `"%s %d" % (a, b)`.
    func percentFormat(_ template: String, _ arg: Value) throws(DLXError) -> String {
        var values: [Value]
        if case .tuple(let t) = arg { values = t } else { values = [arg] }
        var out = ""
        let chars = Array(template)
        var i = 0
        var k = 0
        while i < chars.count {
            guard chars[i] == "%" else { out.append(chars[i]); i += 1; continue }
            i += 1
            guard i < chars.count else { throw .value("incomplete format") }
            if chars[i] == "%" { out.append("%"); i += 1; continue }
            var spec = ""
            var number = 0
            while i < chars.count, "-+ 0#.0123456789".contains(chars[i]) {
                number = try chars[i].wholeNumberValue.map { d throws(DLXError) in try Interpreter.specDigit(number, d) } ?? 0
                spec.append(chars[i]); i += 1
            }
            guard i < chars.count else { throw .value("incomplete format") }
            let type = chars[i]
            i += 1
            guard k < values.count else { throw .type("not enough arguments for format string") }
            let v = values[k]; k += 1
            // A one-element tensor is a number here (its __float__, __int__, __index__).
            func numeric() throws(DLXError) -> Scalar? {
                if let s = scalar(v) { return s }
                guard case .tensor(let t) = v, t.count == 1 else { return nil }
                return try engine { () throws(TensorError) in try t.scalar() }
            }
            let flags = spec.prefix { "-+ 0#".contains($0) }
            let rest = spec.dropFirst(flags.count)
            let width = Int(rest.prefix { $0.isNumber }) ?? 0
            let precision = rest.firstIndex(of: ".").map { Int(rest[rest.index(after: $0)...]) ?? 0 }
            func padded(_ text: String, zeroFill: Bool = false) -> String {
                let n = width - text.count
                guard n > 0 else { return text }
                if flags.contains("-") { return text + String(repeating: " ", count: n) }
                if zeroFill && flags.contains("0") {
                    let sign = text.first.map { "+- ".contains($0) } == true ? String(text.first!) : ""
                    return sign + String(repeating: "0", count: n) + text.dropFirst(sign.count)
                }
                return String(repeating: " ", count: n) + text
            }
            switch type {
            case "s", "r", "a":
                var text = type == "s" ? try str(v) : try repr(v)
                if let precision { text = String(text.prefix(precision)) }
                out += padded(text)
            case "d", "i", "u":
                guard let x = try numeric() else { throw .type("%\(type) format: a real number is required, not \(v.typeName)") }
                out += NumberFormat.format("%" + spec + ".0f", x.double.rounded(.towardZero))
            case "x", "X", "o":
                guard let x = try numeric() else { throw .type("%\(type) format: an integer is required, not \(v.typeName)") }
                guard case .int(let n) = x else { throw .type("%\(type) format: an integer is required, not \(v.typeName == "Tensor" ? "float" : v.typeName)") }
                var digits = String(n.magnitude, radix: type == "o" ? 8 : 16, uppercase: type == "X")
                if let precision, digits.count < precision { digits = String(repeating: "0", count: precision - digits.count) + digits }
                if flags.contains("#") { digits = (type == "o" ? "0o" : type == "X" ? "0X" : "0x") + digits }
                let sign = n < 0 ? "-" : flags.contains("+") ? "+" : flags.contains(" ") ? " " : ""
                out += padded(sign + digits, zeroFill: true)
            case "c":
                if case .string(let s) = v, s.count == 1 { out += padded(s); break }
                guard case .int(let n)? = try numeric(), let u = Unicode.Scalar(UInt32(clamping: n)) else { throw .type("%c requires an int or a unicode character, not \(v.typeName)") }
                out += padded(String(Character(u)))
            case "f", "e", "g", "F", "E", "G":
                guard let x = try numeric() else { throw .type("must be real number, not \(v.typeName)") }
                out += NumberFormat.format("%" + spec + String(type), x.double)
            default: throw .value("unsupported format character '\(type)' (0x\(String(type.unicodeScalars.first!.value, radix: 16))) at index \(i - 1)")
            }
        }
        if k < values.count { throw .type("not all arguments converted during string formatting") }
        return out
    }
}
