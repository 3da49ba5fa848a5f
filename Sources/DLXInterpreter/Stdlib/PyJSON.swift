import DLXEngine

/// Python's `json`: `dumps`/`dump` with CPython's spacing, escapes, key conversions and errors, and
/// `loads`/`load` with its decoder's grammar (NaN and Infinity included) and JSONDecodeError messages.
extension Interpreter {
    /// Nesting past this is a RecursionError, as CPython's recursion limit makes it.
    static let jsonMaxDepth = 990

    func jsonMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        m["dumps"] = function("dumps") { a, i throws(DLXError) in
            .string(try i.jsonDumps(try a.required(0, "obj"), &a, firstKeyword: 1))
        }
        m["dump"] = function("dump") { a, i throws(DLXError) in
            let text = try i.jsonDumps(try a.required(0, "obj"), &a, firstKeyword: 2)
            var args = Arguments([.string(text)])
            _ = try i.call(try i.getAttribute(try a.required(1, "fp"), "write"), &args)
            return Value.none
        }
        m["loads"] = function("loads") { a, i throws(DLXError) in
            let s = try a.required(0, "s")
            guard case .string(let text) = s else { throw .type("the JSON object must be str, bytes or bytearray, not \(s.typeName)") }
            return try i.jsonLoads(text, &a)
        }
        m["load"] = function("load") { a, i throws(DLXError) in
            var none = Arguments()
            let s = try i.call(try i.getAttribute(try a.required(0, "fp"), "read"), &none)
            guard case .string(let text) = s else { throw .type("the JSON object must be str, bytes or bytearray, not \(s.typeName)") }
            return try i.jsonLoads(text, &a)
        }
        m["JSONDecodeError"] = .object(exceptionClass("JSONDecodeError"))
        return m
    }

    private func jsonDumps(_ obj: Value, _ a: inout Arguments, firstKeyword: Int) throws(DLXError) -> String {
        var w = JSONWriter(self)
        w.skipKeys = try flag(&a, nil, "skipkeys", false)
        w.ensureASCII = try flag(&a, nil, "ensure_ascii", true)
        w.checkCircular = try flag(&a, nil, "check_circular", true)
        w.allowNaN = try flag(&a, nil, "allow_nan", true)
        w.sortKeys = try flag(&a, nil, "sort_keys", false)
        _ = try a.get(nil, "cls")
        if let d = try a.get(nil, "default"), !d.isNone { w.defaultFunction = d }
        if let indent = try a.get(nil, "indent"), !indent.isNone {
            if case .string(let s) = indent { w.indent = s } else { w.indent = String(repeating: " ", count: max(0, try indexArgument(indent))) }
            w.itemSeparator = ","
        }
        if let seps = try a.get(nil, "separators"), !seps.isNone {
            let parts = try iterateAll(seps)
            guard parts.count == 2 else { throw .value("too many values to unpack (expected 2)") }
            w.itemSeparator = try toStringValue(parts[0], "separator")
            w.keySeparator = try toStringValue(parts[1], "separator")
        }
        try w.encode(obj, depth: 0)
        return w.out
    }

    private func jsonLoads(_ text: String, _ a: inout Arguments) throws(DLXError) -> Value {
        var r = JSONReader(Array(text.unicodeScalars), self)
        for (name, hook) in [("object_hook", \JSONReader.objectHook), ("object_pairs_hook", \JSONReader.pairsHook),
                             ("parse_float", \JSONReader.parseFloat), ("parse_int", \JSONReader.parseInt)] {
            if let f = try a.get(nil, name), !f.isNone { r[keyPath: hook] = f }
        }
        _ = try a.get(nil, "cls")
        _ = try a.get(nil, "parse_constant")
        if r.s.first == "\u{feff}" { throw r.error("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0) }
        r.skipSpace()
        let v = try r.value(depth: 0)
        r.skipSpace()
        guard r.at == r.s.count else { throw r.error("Extra data", r.at) }
        return v
    }
}

/// The encoder: CPython's `_make_iterencode` (the same text as its C encoder).
private struct JSONWriter {
    let interpreter: Interpreter
    var out = ""
    var indent: String? = nil
    var itemSeparator = ", ", keySeparator = ": "
    var skipKeys = false, ensureASCII = true, checkCircular = true, allowNaN = true, sortKeys = false
    var defaultFunction: Value? = nil
    private var open = Set<ObjectIdentifier>()

    init(_ interpreter: Interpreter) { self.interpreter = interpreter }

    func float(_ f: Double) throws(DLXError) -> String {
        if f.isFinite { return NumberFormat.pythonRepr(f) }
        guard allowNaN else { throw .value("Out of range float values are not JSON compliant") }
        return f.isNaN ? "NaN" : f > 0 ? "Infinity" : "-Infinity"
    }

    func string(_ s: String) -> String {
        var r = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "\n": r += "\\n"
            case "\r": r += "\\r"
            case "\t": r += "\\t"
            case "\u{8}": r += "\\b"
            case "\u{c}": r += "\\f"
            default:
                if c.value < 0x20 || (ensureASCII && c.value > 0x7e) {
                    func hex(_ v: UInt32) -> String { let h = String(v, radix: 16); return "\\u" + String(repeating: "0", count: 4 - h.count) + h }
                    if c.value > 0xffff {
                        let v = c.value - 0x10000
                        r += hex(0xd800 | (v >> 10)) + hex(0xdc00 | (v & 0x3ff))
                    } else {
                        r += hex(c.value)
                    }
                } else {
                    r.unicodeScalars.append(c)
                }
            }
        }
        return r + "\""
    }

    /// A dict key as JSON's string key; nil to skip it (skipkeys).
    func key(_ k: Value) throws(DLXError) -> String? {
        switch k {
        case .string(let s): return s
        case .float(let f): return try float(f)
        case .bool(let b): return b ? "true" : "false"
        case .none: return "null"
        case .int(let n): return String(n)
        default:
            if skipKeys { return nil }
            throw .type("keys must be str, int, float, bool or None, not \(k.typeName)")
        }
    }

    mutating func encode(_ v: Value, depth: Int) throws(DLXError) {
        switch v {
        case .string(let s): out += string(s)
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let n): out += String(n)
        case .float(let f): out += try float(f)
        case .list(let l): try container(ObjectIdentifier(l), depth) { (w: inout JSONWriter) throws(DLXError) in try w.array(l.items, depth) }
        case .tuple(let items): try array(items, depth)
        case .size(let s): try array(s.map { .int($0) }, depth)
        case .dict(let d): try container(ObjectIdentifier(d), depth) { (w: inout JSONWriter) throws(DLXError) in try w.object(d, depth) }
        default:
            if let items = v.namedTupleItems { try array(items, depth); return }
            guard let f = defaultFunction else { throw .type("Object of type \(v.typeName) is not JSON serializable") }
            var args = Arguments([v])
            let replacement = try interpreter.call(f, &args)
            if case .object(let o) = v {
                try container(ObjectIdentifier(o), depth) { (w: inout JSONWriter) throws(DLXError) in try w.encode(replacement, depth: depth + 1) }
            } else {
                try encode(replacement, depth: depth + 1)
            }
        }
    }

    /// Encodes a list or dict once, refusing cycles and depth past the limit.
    private mutating func container(_ id: ObjectIdentifier, _ depth: Int, _ body: (inout JSONWriter) throws(DLXError) -> Void) throws(DLXError) {
        guard depth < Interpreter.jsonMaxDepth else {
            throw .recursion(indent == nil ? " while encoding a JSON object" : " while calling a Python object")
        }
        if checkCircular {
            guard open.insert(id).inserted else { throw .value("Circular reference detected") }
        }
        try body(&self)
        open.remove(id)
    }

    private mutating func array(_ items: [Value], _ depth: Int) throws(DLXError) {
        guard !items.isEmpty else { out += "[]"; return }
        let (newline, separator, close) = layout(depth)
        out += "[" + newline
        for (k, item) in items.enumerated() {
            if k > 0 { out += separator }
            try encode(item, depth: depth + 1)
        }
        out += close + "]"
    }

    private mutating func object(_ d: DictBox, _ depth: Int) throws(DLXError) {
        guard d.count > 0 else { out += "{}"; return }
        var pairs = Array(zip(d.keys, d.values))
        if sortKeys {
            // Binary insertion sort: CPython's comparisons (and so its TypeError) for small dicts.
            for k in 1..<pairs.count {
                let pivot = pairs[k]
                var lo = 0, hi = k
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if try interpreter.order(pivot.0, pairs[mid].0, .less) < 0 { hi = mid } else { lo = mid + 1 }
                }
                pairs.remove(at: k)
                pairs.insert(pivot, at: lo)
            }
        }
        let (newline, separator, close) = layout(depth)
        out += "{" + newline
        var first = true
        for (k, v) in pairs {
            guard let name = try key(k) else { continue }
            if !first { out += separator }
            first = false
            out += string(name) + keySeparator
            try encode(v, depth: depth + 1)
        }
        out += close + "}"
    }

    /// What follows the opening bracket, what separates items, and what precedes the closing one.
    private func layout(_ depth: Int) -> (String, String, String) {
        guard let indent else { return ("", itemSeparator, "") }
        let inner = "\n" + String(repeating: indent, count: depth + 1)
        return (inner, itemSeparator + inner, "\n" + String(repeating: indent, count: depth))
    }
}

/// The decoder: CPython's scanner over code points, so that positions in errors are Python's.
private struct JSONReader {
    let s: [Unicode.Scalar]
    let interpreter: Interpreter
    var at = 0
    var objectHook: Value? = nil, pairsHook: Value? = nil, parseFloat: Value? = nil, parseInt: Value? = nil

    init(_ s: [Unicode.Scalar], _ interpreter: Interpreter) { self.s = s; self.interpreter = interpreter }

    /// `JSONDecodeError: msg: line L column C (char P)`.
    func error(_ message: String, _ position: Int) -> DLXError {
        let before = s[..<min(position, s.count)]
        let line = before.filter { $0 == "\n" }.count + 1
        let column = position - (before.lastIndex(of: "\n").map { $0 + 1 } ?? 0) + 1
        return DLXError("JSONDecodeError", "\(message): line \(line) column \(column) (char \(position))")
    }

    func peek(_ offset: Int = 0) -> Unicode.Scalar? { at + offset < s.count ? s[at + offset] : nil }

    mutating func skipSpace() {
        while let c = peek(), c == " " || c == "\t" || c == "\n" || c == "\r" { at += 1 }
    }

    func matches(_ word: String) -> Bool {
        let w = Array(word.unicodeScalars)
        return at + w.count <= s.count && Array(s[at..<(at + w.count)]) == w
    }

    mutating func value(depth: Int) throws(DLXError) -> Value {
        guard let c = peek() else { throw error("Expecting value", at) }
        switch c {
        case "\"": return .string(try string())
        case "{", "[":
            guard depth < Interpreter.jsonMaxDepth else {
                throw .recursion(" while decoding a JSON \(c == "{" ? "object" : "array") from a unicode string")
            }
            return c == "{" ? try object(depth) : try array(depth)
        default: break
        }
        for (word, v) in [("null", Value.none), ("true", .bool(true)), ("false", .bool(false)), ("NaN", .float(.nan)),
                          ("Infinity", .float(.infinity)), ("-Infinity", .float(-.infinity))] where matches(word) {
            at += word.unicodeScalars.count
            return v
        }
        return try number()
    }

    /// `-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?`, an int unless it has a fraction or an exponent.
    mutating func number() throws(DLXError) -> Value {
        let start = at
        func digits(_ k: Int) -> Int { var n = 0; while let c = peek(k + n), ("0"..."9").contains(c) { n += 1 }; return n }
        var end = at
        if peek() == "-" { end += 1 }
        guard let first = end < s.count ? s[end] : nil, ("0"..."9").contains(first) else { throw error("Expecting value", start) }
        end += first == "0" ? 1 : digits(end - at)
        var isFloat = false
        if end < s.count, s[end] == ".", case let n = digits(end + 1 - at), n > 0 { end += 1 + n; isFloat = true }
        if end < s.count, s[end] == "e" || s[end] == "E" {
            var e = end + 1
            if e < s.count, s[e] == "+" || s[e] == "-" { e += 1 }
            let n = digits(e - at)
            if n > 0 { end = e + n; isFloat = true }
        }
        at = end
        let text = String(String.UnicodeScalarView(s[start..<end]))
        if let f = isFloat ? parseFloat : parseInt {
            var args = Arguments([.string(text)])
            return try interpreter.call(f, &args)
        }
        if isFloat { return .float(Double(text) ?? .nan) }
        guard let n = Int(text) else { throw DLXError("OverflowError", "JSON integer \(text) is too large for dlx (64-bit integers)") }
        return .int(n)
    }

    mutating func string() throws(DLXError) -> String {
        let begin = at
        at += 1
        var out = String.UnicodeScalarView()
        while true {
            guard let c = peek() else { throw error("Unterminated string starting at", begin) }
            at += 1
            if c == "\"" { return String(out) }
            if c.value < 0x20 { throw error("Invalid control character at", at - 1) }
            guard c == "\\" else { out.append(c); continue }
            guard let e = peek() else { throw error("Unterminated string starting at", begin) }
            let escapes: [Unicode.Scalar: Unicode.Scalar] = ["\"": "\"", "\\": "\\", "/": "/", "b": "\u{8}", "f": "\u{c}", "n": "\n", "r": "\r", "t": "\t"]
            if let r = escapes[e] { out.append(r); at += 1; continue }
            guard e == "u" else { throw error("Invalid \\escape", at - 1) }
            var code = try hex4(at + 1)
            at += 5
            if (0xd800...0xdbff).contains(code), peek() == "\\", peek(1) == "u", let low = try? hex4(at + 2), (0xdc00...0xdfff).contains(low) {
                code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00)
                at += 6
            }
            out.append(Unicode.Scalar(code) ?? "\u{fffd}")
        }
    }

    func hex4(_ k: Int) throws(DLXError) -> UInt32 {
        guard k + 4 <= s.count, let v = UInt32(String(String.UnicodeScalarView(s[k..<(k + 4)])), radix: 16),
              s[k..<(k + 4)].allSatisfy({ $0.properties.isASCIIHexDigit }) else {
            throw error("Invalid \\uXXXX escape", k - 1)
        }
        return v
    }

    mutating func array(_ depth: Int) throws(DLXError) -> Value {
        at += 1
        skipSpace()
        var items: [Value] = []
        if peek() == "]" { at += 1; return .list(ListBox(items)) }
        while true {
            items.append(try value(depth: depth + 1))
            skipSpace()
            let c = peek()
            at += 1
            if c == "]" { return .list(ListBox(items)) }
            guard c == "," else { throw error("Expecting ',' delimiter", at - 1) }
            skipSpace()
        }
    }

    mutating func object(_ depth: Int) throws(DLXError) -> Value {
        at += 1
        skipSpace()
        var pairs: [(Value, Value)] = []
        if peek() == "}" { at += 1; return try finishObject(pairs) }
        while true {
            guard peek() == "\"" else { throw error("Expecting property name enclosed in double quotes", at) }
            let key = try string()
            skipSpace()
            guard peek() == ":" else { throw error("Expecting ':' delimiter", at) }
            at += 1
            skipSpace()
            pairs.append((.string(key), try value(depth: depth + 1)))
            skipSpace()
            let c = peek()
            at += 1
            if c == "}" { return try finishObject(pairs) }
            guard c == "," else { throw error("Expecting ',' delimiter", at - 1) }
            skipSpace()
        }
    }

    func finishObject(_ pairs: [(Value, Value)]) throws(DLXError) -> Value {
        if let pairsHook {
            var args = Arguments([.list(ListBox(pairs.map { .tuple([$0.0, $0.1]) }))])
            return try interpreter.call(pairsHook, &args)
        }
        let d = DictBox()
        for (k, v) in pairs { try d.set(k, v) }
        guard let objectHook else { return .dict(d) }
        var args = Arguments([.dict(d)])
        return try interpreter.call(objectHook, &args)
    }
}
