import DLXFrontEnd

/// Python's `bytes`, as far as beginners meet it: `b"..."` literals, `str.encode` and `bytes.decode`.
final class BytesObject: PyObject, ObjectProtocols {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// `s.encode(encoding)`: UTF-8, ASCII or Latin-1.
    convenience init(encoding: String, _ s: String) throws(DLXError) {
        let limit: UInt32
        switch BytesObject.codec(encoding) {
        case "utf-8": self.init(Array(s.utf8)); return
        case "ascii": limit = 0x80
        case "latin-1": limit = 0x100
        default: throw DLXError("LookupError", "unknown encoding: \(encoding)")
        }
        var out: [UInt8] = []
        for (k, c) in s.unicodeScalars.enumerated() {
            guard c.value < limit else {
                let name = limit == 0x80 ? "ascii" : "latin-1"
                throw DLXError("UnicodeEncodeError", "'\(name)' codec can't encode character \(Interpreter.asciiEscaped(Interpreter.quote(String(c)))) in position \(k): ordinal not in range(\(limit))")
            }
            out.append(UInt8(c.value))
        }
        self.init(out)
    }

    static func codec(_ name: String) -> String {
        switch name.lowercased().replacingAll("_", with: "-") {
        case "utf-8", "utf8": return "utf-8"
        case "ascii", "us-ascii": return "ascii"
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1": return "latin-1"
        default: return name
        }
    }

    var typeName: String { "bytes" }

    /// `b'...'`: printable ASCII as itself, the usual escapes, everything else as \xhh.
    func repr(_ interpreter: Interpreter) -> String {
        let q: UInt8 = bytes.contains(0x27) && !bytes.contains(0x22) ? 0x22 : 0x27
        var out = "b" + String(UnicodeScalar(q))
        let hex = Array("0123456789abcdef")
        for b in bytes {
            switch b {
            case 0x5c: out += "\\\\"
            case 0x0a: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0d: out += "\\r"
            case q: out += "\\" + String(UnicodeScalar(q))
            case 0x20..<0x7f: out.append(Character(UnicodeScalar(b)))
            default: out += "\\x" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 15)])
            }
        }
        return out + String(UnicodeScalar(q))
    }

    func length(_ interpreter: Interpreter) throws(DLXError) -> Int? { bytes.count }

    func makeIterator(_ interpreter: Interpreter) throws(DLXError) -> ValueIterator? {
        ValueIterator(over: bytes.map { .int(Int($0)) })
    }

    func item(_ key: Value, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        if case .slice(let a, let b, let c) = key {
            return .object(BytesObject(try interpreter.sliceIndices(a, b, c, bytes.count).map { bytes[$0] }))
        }
        return .int(Int(bytes[try interpreter.normalizedIndex(key, bytes.count, "index")]))
    }

    func compare(_ op: CompareOp, _ other: Value, _ i: Interpreter) throws(DLXError) -> Value? {
        guard op == .equal || op == .notEqual else { return nil }
        guard case .object(let o as BytesObject) = other else { return .bool(op == .notEqual) }
        return .bool((bytes == o.bytes) == (op == .equal))
    }

    func binaryOperator(_ op: BinaryOp, _ other: Value, reflected: Bool, _ i: Interpreter) throws(DLXError) -> Value? {
        switch (op, other) {
        case (.add, .object(let o as BytesObject)):
            try i.reserve(Interpreter.sum(bytes.count, o.bytes.count), .text)
            return .object(BytesObject(reflected ? o.bytes + bytes : bytes + o.bytes))
        case (.multiply, .int(let n)):   // b"ab" * 3 and 3 * b"ab"
            try i.reserve(Interpreter.product(bytes.count, n), .text)
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count * Swift.max(n, 0))
            for _ in 0..<Swift.max(n, 0) { out.append(contentsOf: bytes) }
            return .object(BytesObject(out))
        default: return nil
        }
    }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "decode":
            return i.method(name) { [bytes] a, i throws(DLXError) in
                let encoding = try a.get(0, "encoding").map { v throws(DLXError) in try i.strArgument(v, "decode() argument 'encoding'") } ?? "utf-8"
                _ = try a.get(1, "errors")
                switch BytesObject.codec(encoding) {
                case "utf-8":
                    guard let s = String(validating: bytes, as: UTF8.self) else {
                        throw DLXError("UnicodeDecodeError", "'utf-8' codec can't decode these bytes: they are not valid UTF-8")
                    }
                    return .string(s)
                case "ascii":
                    if let k = bytes.firstIndex(where: { $0 >= 0x80 }) {
                        throw DLXError("UnicodeDecodeError", "'ascii' codec can't decode byte 0x\(String(bytes[k], radix: 16)) in position \(k): ordinal not in range(128)")
                    }
                    fallthrough
                case "latin-1":
                    var v = String.UnicodeScalarView()
                    for b in bytes { v.append(UnicodeScalar(b)) }
                    return .string(String(v))
                default: throw DLXError("LookupError", "unknown encoding: \(encoding)")
                }
            }
        case "hex":
            return i.method(name) { [bytes] _, i throws(DLXError) in
                try i.reserve(Interpreter.product(bytes.count, 2), .text, "hex()")
                return .string(bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
            }
        default: return nil
        }
    }

    var attributeNames: [String] { ["decode", "hex"] }
}
