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
        case .list(let l):
            // A list that contains itself prints [...] there, as Python's does; deep nesting is a RecursionError.
            guard reprInProgress.insert(ObjectIdentifier(l)).inserted else { return "[...]" }
            defer { reprInProgress.remove(ObjectIdentifier(l)) }
            try checkReprDepth()
            return "[" + (try reprs(l.items)).joined(separator: ", ") + "]"
        case .tuple(let t):
            try checkReprDepth()
            let parts = try reprs(t)
            return parts.count == 1 ? "(\(parts[0]),)" : "(" + parts.joined(separator: ", ") + ")"
        case .dict(let d):
            guard reprInProgress.insert(ObjectIdentifier(d)).inserted else { return "{...}" }
            defer { reprInProgress.remove(ObjectIdentifier(d)) }
            try checkReprDepth()
            if let r = try flavoredDictRepr(d) { return r }
            return "{" + (try reprs(d.keys, d.values)).joined(separator: ", ") + "}"
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

    /// The reprs of a container's items (`key: value` with `values`), their total checked as they come: a list
    /// of a thousand 10 MB strings has a repr too long to build.
    func reprs(_ items: [Value], _ values: [Value]? = nil) throws(DLXError) -> [String] {
        var parts: [String] = []
        var size = 0
        for (k, x) in items.enumerated() {
            var r = try repr(x)
            if let values { r += ": " + (try repr(values[k])) }
            size = Interpreter.sum(size, r.utf8.count + 2)
            try Interpreter.checkCap(size, .text, "repr()")
            parts.append(r)
        }
        try reserve(size, .text, "repr()")
        return parts
    }

    /// Nested data deep enough to exhaust the stack is Python's RecursionError.
    func checkReprDepth() throws(DLXError) {
        try Interpreter.ensureStack("maximum recursion depth exceeded while getting the repr of an object")
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

    /// Python's string repr.
    static func quote(_ s: String) -> String { PythonText.quote(s) }

    // MARK: - Formatting

    func formatFString(_ parts: [FStringPart]) throws(DLXError) -> String {
        var out = TextBuilder(self)
        for p in parts {
            switch p {
            case .text(let t): try out.append(t)
            case .value(let e, let conversion, let specParts):
                var v = try eval(e)
                var prefix = ""
                var spec = try formatFString(specParts)
                // `{x=}` keeps its source text in the first spec part.
                if case .text(let t)? = specParts.first, t.trimmingSpaces.hasSuffix("="), !t.trimmingSpaces.hasSuffix("==") {
                    prefix = t
                    spec = try formatFString(Array(specParts.dropFirst()))
                }
                if conversion == "r" { v = .string(try repr(v)) }
                else if conversion == "s" { v = .string(try str(v)) }
                try out.append(prefix + (try format(v, spec: spec)))
            }
        }
        return out.text
    }

    /// `format(value, spec)`: Python's format-spec mini-language for numbers and strings.
    func format(_ v: Value, spec: String) throws(DLXError) -> String {
        // A 0-d tensor formats its item, as Tensor.__format__ does (even with an empty spec).
        if case .tensor(let t) = v, t.rank == 0 {
            return try format(pythonValue(try engine { () throws(TensorError) in try t.scalar() }), spec: spec)
        }
        if spec.isEmpty { return try str(v) }
        if case .object(let n as NumpyScalar) = v { return try format(n.pythonNumber, spec: spec) }
        var chars = Array(spec)
        var fill: Character = " ", align: Character? = nil
        if chars.count >= 2, "<>^=".contains(chars[1]) { fill = chars[0]; align = chars[1]; chars.removeFirst(2) }
        else if let c = chars.first, "<>^=".contains(c) { align = c; chars.removeFirst() }
        var sign: Character = "-"
        if let c = chars.first, "+- ".contains(c) { sign = c; chars.removeFirst() }
        let alternate = chars.first == "#"
        if alternate { chars.removeFirst() }
        if chars.first == "0" { if align == nil { fill = "0"; align = "=" }; chars.removeFirst() }
        var width = 0
        while let c = chars.first, let d = c.wholeNumberValue { width = try Interpreter.specDigit(width, d); chars.removeFirst() }
        try reserve(width, .text, "format()")
        var separator: Character? = nil
        if chars.first == "," || chars.first == "_" { separator = chars.removeFirst() }
        let grouping = separator != nil
        var precision: Int? = nil
        if chars.first == "." {
            chars.removeFirst()
            var p = 0
            var any = false
            while let c = chars.first, let d = c.wholeNumberValue { p = try Interpreter.specDigit(p, d); chars.removeFirst(); any = true }
            guard any else { throw .value("Format specifier missing precision") }
            try reserve(p, .text, "format()")
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
        var prefix = ""
        switch (value, type) {
        case (.string(let s), nil), (.string(let s), "s"):
            body = precision.map { String(s.prefix($0)) } ?? s
            return pad(body, width: width, fill: fill, align: align ?? "<")
        case (.int(let n), nil), (.int(let n), "d"), (.int(let n), "n"):
            negative = n < 0
            body = grouping ? Interpreter.group(String(n.magnitude), separator: separator!) : String(n.magnitude)
        case (.int, "b"), (.int, "o"), (.int, "x"), (.int, "X"), (.bool, "b"), (.bool, "o"), (.bool, "x"), (.bool, "X"):
            let n = try toInt(value, "format")
            let radix = type == "b" ? 2 : type == "o" ? 8 : 16
            negative = n < 0
            body = String(n.magnitude, radix: radix, uppercase: type == "X")
            if let separator {
                guard separator == "_" else { throw .value("Cannot specify ',' with '\(type!)'.") }
                body = Interpreter.group(body, every: 4, separator: "_")
            }
            if alternate { prefix = "0" + String(type!) }
        case (.int(let n), "c"):
            guard n >= 0, n < 0x110000, let c = Unicode.Scalar(UInt32(n)) else { throw DLXError("OverflowError", "%c arg not in range(0x110000)") }
            return pad(String(c), width: width, fill: fill, align: align ?? ">")
        case (.int, _), (.float, _), (.bool, _):
            guard let x = scalar(value)?.double else { throw .value("bad value") }
            if case .bool(let b) = value, type == nil { return pad(b ? "True" : "False", width: width, fill: fill, align: align ?? "<") }
            negative = x < 0 || (x == 0 && x.sign == .minus)
            let m = Swift.abs(x)
            switch type {
            case "f", "F": body = NumberFormat.fixed(m, precision ?? 6)
            case "e", "E": body = NumberFormat.scientific(m, precision ?? 6)
            case "%": body = NumberFormat.fixed(m * 100, precision ?? 6) + "%"
            case "g", "G": body = NumberFormat.format("%\(alternate ? "#" : "").\(precision ?? 6)g", m)
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
                body = Interpreter.group(String(intPart), separator: separator!) + body.dropFirst(intPart.count)
            }
        default:
            if type == nil { return pad(try str(value), width: width, fill: fill, align: align ?? "<") }
            throw .type("unsupported format string passed to \(value.typeName).__format__")
        }
        let signText = (negative ? "-" : sign == "+" ? "+" : sign == " " ? " " : "") + prefix
        if align == "=" {
            let n = width - signText.count - body.count
            return signText + (n > 0 ? String(repeating: fill, count: n) : "") + body
        }
        return pad(signText + body, width: width, fill: fill, align: align ?? ">")
    }

    /// A width or precision read digit by digit: past sys.maxsize this is Python's ValueError (a width within
    /// it that does not fit is the caller's MemoryError, from `reserve`).
    static func specDigit(_ value: Int, _ digit: Int) throws(DLXError) -> Int {
        let (t, o1) = value.multipliedReportingOverflow(by: 10)
        let (v, o2) = t.addingReportingOverflow(digit)
        guard !o1, !o2 else { throw .value("Too many decimal digits in format string") }
        return v
    }

    /// Digits with a separator every three (or `every`) from the right.
    static func group(_ digits: String, every: Int = 3, separator: Character = ",") -> String {
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % every == 0 { out.append(separator) }
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
        var out = TextBuilder(self)
        var auto = 0
        let chars = Array(template)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count && chars[i + 1] == "{" { try out.append("{"); i += 2; continue }
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
                } else if name.allSatisfy({ $0.isASCII && $0.isNumber }) {   // "-1" is a key, as in Python
                    guard let n = Int(name) else { throw .value("Too many decimal digits in format string") }
                    guard n < args.positional.count else { throw DLXError("IndexError", "Replacement index \(n) out of range for positional args tuple") }
                    v = args.positional[n]
                } else {
                    let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
                    guard let kw = args.keywords.first(where: { $0.0 == parts[0] }) else { throw DLXError("KeyError", Interpreter.quote(parts[0])) }
                    v = kw.1
                    if parts.count > 1 { v = try getAttribute(v, parts[1]) }
                }
                if conversion == "r" { v = .string(try repr(v)) } else if conversion == "s" { v = .string(try str(v)) }
                try out.append(try format(v, spec: spec))
                continue
            }
            if c == "}" {
                if i + 1 < chars.count && chars[i + 1] == "}" { try out.append("}"); i += 2; continue }
                throw .value("Single '}' encountered in format string")
            }
            try out.append(String(c))
            i += 1
        }
        return out.text
    }
}
