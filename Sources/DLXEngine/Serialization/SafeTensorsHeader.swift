/// The JSON header of a safetensors file, read strictly and without trusting it: nesting is bounded (as
/// serde_json bounds it, at 128), numbers that are not unsigned integers are refused where sizes and
/// offsets are expected, and the messages follow those of the reference library (serde's wording).
struct SafeTensorsHeader {
    struct Info {
        var name: String
        var dtype: String
        var shape: [Int]
        var begin: Int, end: Int
    }

    var tensors: [Info] = []
    var metadata: [(String, String)]? = nil

    /// The dtypes of the format, with their sizes in bits, in the library's order.
    static let dtypeBits: [(String, Int)] = [
        ("BOOL", 8), ("F4", 4), ("F6_E2M3", 6), ("F6_E3M2", 6), ("U8", 8), ("I8", 8), ("F8_E5M2", 8), ("F8_E4M3", 8),
        ("F8_E8M0", 8), ("F8_E4M3FNUZ", 8), ("F8_E5M2FNUZ", 8), ("I16", 16), ("U16", 16), ("F16", 16), ("BF16", 16),
        ("I32", 32), ("U32", 32), ("F32", 32), ("C64", 64), ("F64", 64), ("I64", 64), ("U64", 64),
    ]

    /// Parses and checks the header text; throws the problem's description (without the library's prefix).
    init(_ bytes: ArraySlice<UInt8>) throws(SafeTensors.Problem) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let bad = SafeTensorsHeader.firstInvalidUTF8(bytes)
            throw SafeTensors.Problem("invalid UTF-8 in header: invalid utf-8 sequence of 1 bytes from index \(bad)")
        }
        var reader = JSONReader(Array(text.utf8))
        let root = try reader.document()
        let end = reader.endPosition
        func fail(_ m: String) -> SafeTensors.Problem { SafeTensors.Problem("invalid JSON in header: \(m) at \(end)") }
        guard case .object(let members) = root else {   // reported at the start, as the library reports it
            throw SafeTensors.Problem("invalid JSON in header: invalid type: \(root.kindName), expected struct HashMetadata at line 1 column 0")
        }
        var seen = Set<String>()
        for (key, value) in members.reversed() where seen.insert(key).inserted {   // the last of a repeated key wins
            if key == "__metadata__" {
                switch value {
                case .null: metadata = nil
                case .object(let entries):
                    var pairs: [(String, String)] = []
                    var keys = Set<String>()
                    for (k, v) in entries.reversed() where keys.insert(k).inserted {
                        guard case .string(let s) = v else { throw fail("invalid type: \(v.kindName), expected a string") }
                        pairs.append((k, s))
                    }
                    metadata = pairs.reversed()
                default: throw fail("invalid type: \(value.kindName), expected a map")
                }
                continue
            }
            guard case .object(let fields) = value else { throw fail("invalid type: \(value.kindName), expected struct TensorInfo") }
            var dtype: String?, shape: [Int]?, offsets: (Int, Int)?
            for (field, v) in fields {
                switch field {
                case "dtype":
                    guard dtype == nil else { throw fail("duplicate field `dtype`") }
                    guard case .string(let s) = v else { throw fail("invalid type: \(v.kindName), expected enum Dtype") }
                    guard SafeTensorsHeader.dtypeBits.contains(where: { $0.0 == s }) else {
                        let names = SafeTensorsHeader.dtypeBits.map { "`\($0.0)`" }.joined(separator: ", ")
                        throw fail("unknown variant `\(s)`, expected one of \(names)")
                    }
                    dtype = s
                case "shape":
                    guard shape == nil else { throw fail("duplicate field `shape`") }
                    guard case .array(let items) = v else { throw fail("invalid type: \(v.kindName), expected a sequence") }
                    shape = try items.map { x throws(SafeTensors.Problem) in try SafeTensorsHeader.size(x, fail) }
                case "data_offsets":
                    guard offsets == nil else { throw fail("duplicate field `data_offsets`") }
                    guard case .array(let items) = v else { throw fail("invalid type: \(v.kindName), expected a tuple of size 2") }
                    guard items.count == 2 else { throw fail("invalid length \(items.count), expected a tuple of size 2") }
                    offsets = (try SafeTensorsHeader.size(items[0], fail), try SafeTensorsHeader.size(items[1], fail))
                default: break   // unknown fields are ignored, as the library ignores them
                }
            }
            guard let dtype else { throw fail("missing field `dtype`") }
            guard let shape else { throw fail("missing field `shape`") }
            guard let offsets else { throw fail("missing field `data_offsets`") }
            tensors.append(Info(name: key, dtype: dtype, shape: shape, begin: offsets.0, end: offsets.1))
        }
        // Checked in the order of their data, as the library checks them: each tensor starts where the one
        // before it ended, and holds exactly what its dtype and shape need.
        tensors.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var start = 0
        for t in tensors {
            guard t.begin == start, t.end >= t.begin else { throw SafeTensors.Problem("invalid offset for tensor `\(t.name)`") }
            start = t.end
            var n = 1
            for s in t.shape {
                let (p, overflow) = n.multipliedReportingOverflow(by: s)
                if overflow { throw SafeTensors.Problem("overflow computing buffer size from shape and/or element type") }
                n = p
            }
            let bitsPer = SafeTensorsHeader.dtypeBits.first { $0.0 == t.dtype }!.1
            let (bits, overflow) = n.multipliedReportingOverflow(by: bitsPer)
            if overflow { throw SafeTensors.Problem("overflow computing buffer size from shape and/or element type") }
            guard bits % 8 == 0 else { throw SafeTensors.Problem("misaligned slice: the tensor's size in bits is not a multiple of 8") }
            guard t.end - t.begin == bits / 8 else { throw SafeTensors.Problem("invalid shape, data type, or offset for tensor") }
        }
    }

    /// A size or an offset: an unsigned integer that fits.
    private static func size(_ v: JSONReader.Value, _ fail: (String) -> SafeTensors.Problem) throws(SafeTensors.Problem) -> Int {
        switch v {
        case .integer(let n) where n <= UInt64(Int.max): return Int(n)
        case .integer(let n): throw fail("invalid value: integer `\(n)`, expected usize")   // past what dlx can address
        case .negative(let text): throw fail("invalid value: integer `\(text)`, expected usize")
        default: throw fail("invalid type: \(v.kindName), expected usize")
        }
    }

    private static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int {
        var k = bytes.startIndex
        while k < bytes.endIndex {
            let b = bytes[k]
            let length = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
            guard length > 0, k + length <= bytes.endIndex,
                  String(validating: bytes[k..<k + length], as: UTF8.self) != nil else { return k - bytes.startIndex }
            k += length
        }
        return bytes.count
    }
}

/// A small JSON reader for the header: every value, with serde_json's wording for what it refuses.
struct JSONReader {
    indirect enum Value {
        case object([(String, Value)]), array([Value]), string(String)
        case integer(UInt64), negative(String), float(String), bool(Bool), null

        /// How serde names what it found: "sequence", "map", "integer `3`".
        var kindName: String {
            switch self {
            case .object: return "map"
            case .array: return "sequence"
            case .string(let s): return "string \"\(s)\""
            case .integer(let n): return "integer `\(n)`"
            case .negative(let t): return "integer `\(t)`"
            case .float(let t): return "floating point `\(t)`"
            case .bool(let b): return "boolean `\(b)`"
            case .null: return "null"
            }
        }
    }

    private let bytes: [UInt8]
    private var k = 0
    private var depth = 0
    static let maxDepth = 128

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// "line L column C" of the end of the text (where the library reports what it finds wrong in a value).
    var endPosition: String { position(bytes.count) }

    private func position(_ at: Int) -> String {
        var line = 1, column = 0
        for b in bytes[..<min(at, bytes.count)] { if b == UInt8(ascii: "\n") { line += 1; column = 0 } else { column += 1 } }
        return "line \(line) column \(column)"
    }

    private func fail(_ message: String) -> SafeTensors.Problem {
        SafeTensors.Problem("invalid JSON in header: \(message) at \(position(k))")
    }

    mutating func document() throws(SafeTensors.Problem) -> Value {
        skipSpace()
        let v = try value()
        skipSpace()
        guard k == bytes.count else { throw fail("trailing characters") }
        return v
    }

    private mutating func skipSpace() {
        while k < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[k]) { k += 1 }
    }

    private mutating func value() throws(SafeTensors.Problem) -> Value {
        guard k < bytes.count else { throw fail("EOF while parsing a value") }
        switch bytes[k] {
        case UInt8(ascii: "{"):
            depth += 1
            defer { depth -= 1 }
            guard depth <= JSONReader.maxDepth else { throw fail("recursion limit exceeded") }
            k += 1
            var members: [(String, Value)] = []
            skipSpace()
            if k < bytes.count, bytes[k] == UInt8(ascii: "}") { k += 1; return .object(members) }
            while true {
                skipSpace()
                guard k < bytes.count else { throw fail("EOF while parsing an object") }
                guard bytes[k] == UInt8(ascii: "\"") else { k += 1; throw fail("key must be a string") }
                let key = try string()
                skipSpace()
                guard k < bytes.count, bytes[k] == UInt8(ascii: ":") else { throw fail("expected `:`") }
                k += 1
                skipSpace()
                members.append((key, try value()))
                skipSpace()
                guard k < bytes.count else { throw fail("EOF while parsing an object") }
                k += 1
                if bytes[k - 1] == UInt8(ascii: "}") { return .object(members) }
                guard bytes[k - 1] == UInt8(ascii: ",") else { throw fail("expected `,` or `}`") }
            }
        case UInt8(ascii: "["):
            depth += 1
            defer { depth -= 1 }
            guard depth <= JSONReader.maxDepth else { throw fail("recursion limit exceeded") }
            k += 1
            var items: [Value] = []
            skipSpace()
            if k < bytes.count, bytes[k] == UInt8(ascii: "]") { k += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value())
                skipSpace()
                guard k < bytes.count else { throw fail("EOF while parsing a list") }
                k += 1
                if bytes[k - 1] == UInt8(ascii: "]") { return .array(items) }
                guard bytes[k - 1] == UInt8(ascii: ",") else { throw fail("expected `,` or `]`") }
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default:
            k += 1
            throw fail("expected value")
        }
    }

    private mutating func literal(_ word: String) throws(SafeTensors.Problem) {
        for c in word.utf8 {
            guard k < bytes.count else { throw fail("EOF while parsing a value") }
            guard bytes[k] == c else { throw fail("expected ident") }
            k += 1
        }
    }

    private mutating func number() throws(SafeTensors.Problem) -> Value {
        let start = k
        if bytes[k] == UInt8(ascii: "-") { k += 1 }
        func digits(_ k: inout Int) -> Int {
            let s = k
            while k < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[k]) { k += 1 }
            return k - s
        }
        let intStart = k
        guard digits(&k) > 0 else { throw fail("invalid number") }
        if bytes[intStart] == UInt8(ascii: "0"), k - intStart > 1 { throw fail("invalid number") }
        var isFloat = false
        if k < bytes.count, bytes[k] == UInt8(ascii: ".") {
            k += 1; isFloat = true
            guard digits(&k) > 0 else { throw fail("invalid number") }
        }
        if k < bytes.count, bytes[k] == UInt8(ascii: "e") || bytes[k] == UInt8(ascii: "E") {
            k += 1; isFloat = true
            if k < bytes.count, bytes[k] == UInt8(ascii: "+") || bytes[k] == UInt8(ascii: "-") { k += 1 }
            guard digits(&k) > 0 else { throw fail("invalid number") }
        }
        let text = String(decoding: bytes[start..<k], as: UTF8.self)
        if isFloat { return .float(text) }
        if bytes[start] == UInt8(ascii: "-") { return Int64(text) != nil ? .negative(text) : .float(text) }
        return UInt64(text).map { .integer($0) } ?? .float(text)
    }

    private mutating func string() throws(SafeTensors.Problem) -> String {
        k += 1   // the opening quote
        var out: [UInt8] = []
        while true {
            guard k < bytes.count else { throw fail("EOF while parsing a string") }
            let b = bytes[k]
            k += 1
            switch b {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard k < bytes.count else { throw fail("EOF while parsing a string") }
                let e = bytes[k]
                k += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard k + 1 < bytes.count, bytes[k] == UInt8(ascii: "\\"), bytes[k + 1] == UInt8(ascii: "u") else {
                            throw fail("lone leading surrogate in hex escape")
                        }
                        k += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("lone leading surrogate in hex escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("lone leading surrogate in hex escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw fail("invalid escape")
                }
            case 0..<0x20: throw fail("control character (\\u0000-\\u001F) found while parsing a string")
            default: out.append(b)
            }
        }
    }

    private mutating func hex4() throws(SafeTensors.Problem) -> UInt32 {
        guard k + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[k..<k + 4], as: UTF8.self), radix: 16) else {
            throw fail("invalid escape")
        }
        k += 4
        return v
    }
}
