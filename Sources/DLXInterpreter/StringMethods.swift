/// A method of a built-in type: the receiver, the call's arguments, the interpreter.
typealias BuiltinMethod<Receiver> = @Sendable (Receiver, inout Arguments, Interpreter) throws(DLXError) -> Value

/// Python's str methods. Positions are code points, as in Python, so the searching methods work on the
/// string's Unicode scalars.
extension Interpreter {
    static let stringMethods: [String: BuiltinMethod<String>] = [
        "format": { s, a, i throws(DLXError) in let r = try i.strFormat(s, a); a = Arguments(); return .string(r) },
        "format_map": { s, a, i throws(DLXError) in
            let m = try a.required(0, "mapping")
            guard case .dict(let d) = m else { throw .type("format_map() argument must be a dict in dlx, not \(m.typeName)") }
            var keywords: [(String, Value)] = []
            for (k, v) in zip(d.keys, d.values) { if case .string(let name) = k { keywords.append((name, v)) } }
            return .string(try i.strFormat(s, Arguments(keywords: keywords)))
        },
        "join": { s, a, i throws(DLXError) in
            let iterable = try a.required(0, "iterable")
            guard let it = try? i.iterator(iterable) else { throw .type("can only join an iterable") }
            var parts: [String] = []
            var size = 0
            while let v = try it.next() {
                guard case .string(let p) = v else { throw .type("sequence item \(parts.count): expected str instance, \(v.typeName) found") }
                size = Interpreter.sum(size, Interpreter.sum(parts.isEmpty ? 0 : s.utf8.count, p.utf8.count))
                try Interpreter.checkCap(size, .text, "join()")
                parts.append(p)
            }
            try i.reserve(size, .text, "join()")
            return .string(parts.joined(separator: s))
        },
        "upper": { s, _, _ throws(DLXError) in .string(s.uppercased()) },
        "lower": { s, _, _ throws(DLXError) in .string(s.lowercased()) },
        // Full case folding differs from lowercasing for a few letters; these are the ones beginners meet.
        "casefold": { s, _, _ throws(DLXError) in
            .string(s.lowercased().replacingAll("ß", with: "ss").replacingAll("ς", with: "σ"))
        },
        "swapcase": { s, _, _ throws(DLXError) in
            .string(String.mapScalars(s) { c in
                c.properties.isUppercase ? c.properties.lowercaseMapping : c.properties.isLowercase ? c.properties.uppercaseMapping : String(c)
            })
        },
        "title": { s, _, _ throws(DLXError) in
            var previousCased = false
            return .string(String.mapScalars(s) { c in
                defer { previousCased = c.properties.isCased }
                return previousCased ? c.properties.lowercaseMapping : c.properties.titlecaseMapping
            })
        },
        "capitalize": { s, _, _ throws(DLXError) in
            guard let first = s.unicodeScalars.first else { return .string("") }
            return .string(first.properties.titlecaseMapping + String(String.UnicodeScalarView(s.unicodeScalars.dropFirst())).lowercased())
        },
        "strip": { s, a, i throws(DLXError) in try i.strip(s, &a, "strip", left: true, right: true) },
        "lstrip": { s, a, i throws(DLXError) in try i.strip(s, &a, "lstrip", left: true, right: false) },
        "rstrip": { s, a, i throws(DLXError) in try i.strip(s, &a, "rstrip", left: false, right: true) },
        "removeprefix": { s, a, i throws(DLXError) in
            let h = Array(s.unicodeScalars), n = Array(try i.strArgument(try a.required(0, "prefix")).unicodeScalars)
            return .string(h.starts(with: n) ? String.of(h[n.count...]) : s)
        },
        "removesuffix": { s, a, i throws(DLXError) in
            let h = Array(s.unicodeScalars), n = Array(try i.strArgument(try a.required(0, "suffix")).unicodeScalars)
            return .string(h.reversed().starts(with: n.reversed()) ? String.of(h.dropLast(n.count)) : s)
        },
        "split": { s, a, i throws(DLXError) in try i.split(s, &a, reverse: false) },
        "rsplit": { s, a, i throws(DLXError) in try i.split(s, &a, reverse: true) },
        "splitlines": { s, a, i throws(DLXError) in
            let keep = try a.get(0, "keepends").map { v throws(DLXError) in try i.truthy(v) } ?? false
            let h = Array(s.unicodeScalars)
            var lines: [Value] = []
            var k = 0
            while k < h.count {
                let start = k
                while k < h.count && !String.isLineBreak(h[k]) { k += 1 }
                var end = k
                if k < h.count {
                    k += h[k] == "\r" && k + 1 < h.count && h[k + 1] == "\n" ? 2 : 1
                    if keep { end = k }
                }
                lines.append(.string(String.of(h[start..<end])))
            }
            return .list(ListBox(lines))
        },
        "partition": { s, a, i throws(DLXError) in try i.partition(s, &a, reverse: false) },
        "rpartition": { s, a, i throws(DLXError) in try i.partition(s, &a, reverse: true) },
        "find": { s, a, i throws(DLXError) in .int(try i.search(s, &a, reverse: false)) },
        "rfind": { s, a, i throws(DLXError) in .int(try i.search(s, &a, reverse: true)) },
        "index": { s, a, i throws(DLXError) in
            let k = try i.search(s, &a, reverse: false)
            guard k >= 0 else { throw .value("substring not found") }
            return .int(k)
        },
        "rindex": { s, a, i throws(DLXError) in
            let k = try i.search(s, &a, reverse: true)
            guard k >= 0 else { throw .value("substring not found") }
            return .int(k)
        },
        "count": { s, a, i throws(DLXError) in
            let h = Array(s.unicodeScalars), n = Array(try i.strArgument(try a.required(0, "sub")).unicodeScalars)
            let (start, end) = try i.searchBounds(&a, h.count)
            guard end - start >= n.count else { return .int(0) }
            guard !n.isEmpty else { return .int(end - start + 1) }
            return .int(String.occurrences(of: n, in: h, from: start, to: end))
        },
        "replace": { s, a, i throws(DLXError) in
            let old = try i.strArgument(try a.required(0, "old"), "replace() argument 1")
            let new = try i.strArgument(try a.required(1, "new"), "replace() argument 2")
            var limit = try a.get(2, "count").map { v throws(DLXError) in try i.integerArgument(v) } ?? -1
            if limit < 0 { limit = Int.max }
            let h = Array(s.unicodeScalars), o = Array(old.unicodeScalars)
            // The result's size first: each replacement changes it by the difference of the two.
            let found = o.isEmpty ? Swift.min(limit, h.count + 1) : Swift.min(limit, String.occurrences(of: o, in: h, from: 0, to: h.count))
            try i.reserve(Interpreter.sum(s.utf8.count, Interpreter.product(found, new.utf8.count) - Interpreter.product(found, old.utf8.count)), .text, "replace()")
            // Pieces of the original between replacements, appended as whole strings (scalar by scalar, a
            // UnicodeScalarView grows in quadratic time).
            var out = ""
            if o.isEmpty {
                // Between every two characters and at both ends.
                for (j, c) in h.enumerated() { if j < limit { out += new }; out.unicodeScalars.append(c) }
                if h.count < limit { out += new }
                return .string(out)
            }
            var done = 0, k = 0, start = 0
            while k < h.count {
                if done < limit && k + o.count <= h.count && String.matches(h, o, at: k) {
                    out += String.of(h[start..<k]) + new; k += o.count; start = k; done += 1
                } else { k += 1 }
            }
            return .string(out + String.of(h[start...]))
        },
        "startswith": { s, a, i throws(DLXError) in try i.affix(s, &a, "startswith") },
        "endswith": { s, a, i throws(DLXError) in try i.affix(s, &a, "endswith") },
        "center": { s, a, i throws(DLXError) in try i.justify(s, &a, "center") },
        "ljust": { s, a, i throws(DLXError) in try i.justify(s, &a, "ljust") },
        "rjust": { s, a, i throws(DLXError) in try i.justify(s, &a, "rjust") },
        "zfill": { s, a, i throws(DLXError) in
            let w = try i.integerArgument(try a.required(0, "width"))
            let n = s.unicodeScalars.count
            guard w > n else { return .string(s) }
            try i.reserve(Interpreter.sum(s.utf8.count, w - n), .text, "zfill()")
            let zeros = String(repeating: "0", count: w - n)
            if let f = s.unicodeScalars.first, f == "+" || f == "-" { return .string(String(f) + zeros + String(s.unicodeScalars.dropFirst())) }
            return .string(zeros + s)
        },
        "expandtabs": { s, a, i throws(DLXError) in
            let size = try a.get(0, "tabsize").map { v throws(DLXError) in try i.integerArgument(v) } ?? 8
            var out = String.UnicodeScalarView()
            var column = 0
            for c in s.unicodeScalars {
                switch c {
                case "\t":
                    guard size > 0 else { continue }
                    let n = size - column % size
                    try i.reserve(Interpreter.sum(out.count, n), .text, "expandtabs()")
                    out.append(contentsOf: String(repeating: " ", count: n).unicodeScalars); column += n
                case "\n", "\r": out.append(c); column = 0
                default: out.append(c); column += 1
                }
            }
            return .string(String(out))
        },
        "isdigit": { s, _, _ throws(DLXError) in .bool(s.allScalars { $0.properties.numericType == .digit || $0.properties.numericType == .decimal }) },
        "isdecimal": { s, _, _ throws(DLXError) in .bool(s.allScalars { $0.properties.numericType == .decimal }) },
        "isnumeric": { s, _, _ throws(DLXError) in .bool(s.allScalars { $0.properties.numericType != nil }) },
        "isalpha": { s, _, _ throws(DLXError) in .bool(s.allScalars(String.isLetter)) },
        "isalnum": { s, _, _ throws(DLXError) in .bool(s.allScalars { String.isLetter($0) || $0.properties.numericType != nil }) },
        "isspace": { s, _, _ throws(DLXError) in .bool(s.allScalars(String.isSpace)) },
        "isascii": { s, _, _ throws(DLXError) in .bool(s.unicodeScalars.allSatisfy { $0.isASCII }) },
        "isidentifier": { s, _, _ throws(DLXError) in
            guard let f = s.unicodeScalars.first, f == "_" || f.properties.isXIDStart else { return .bool(false) }
            return .bool(s.unicodeScalars.dropFirst().allSatisfy { $0.properties.isXIDContinue })
        },
        "isprintable": { s, _, _ throws(DLXError) in
            .bool(s.unicodeScalars.allSatisfy { c in
                switch c.properties.generalCategory {
                case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: return false
                case .spaceSeparator: return c == " "
                default: return true
                }
            })
        },
        "isupper": { s, _, _ throws(DLXError) in .bool(s.caseTest(upper: true)) },
        "islower": { s, _, _ throws(DLXError) in .bool(s.caseTest(upper: false)) },
        "istitle": { s, _, _ throws(DLXError) in
            var cased = false, previousCased = false
            for c in s.unicodeScalars {
                if c.properties.isUppercase || c.properties.generalCategory == .titlecaseLetter {
                    if previousCased { return .bool(false) }
                    previousCased = true; cased = true
                } else if c.properties.isLowercase {
                    if !previousCased { return .bool(false) }
                    previousCased = true; cased = true
                } else { previousCased = false }
            }
            return .bool(cased)
        },
        "encode": { s, a, i throws(DLXError) in
            let encoding = try a.get(0, "encoding").map { v throws(DLXError) in try i.strArgument(v, "encode() argument 'encoding'") } ?? "utf-8"
            _ = try a.get(1, "errors")
            return .object(try BytesObject(encoding: encoding, s))
        },
    ]

    static let stringMethodNames = stringMethods.keys.sorted()

    func stringMethod(_ s: String, _ name: String) -> Value? {
        guard let body = Interpreter.stringMethods[name] else { return nil }
        return method(name) { a, i throws(DLXError) in try body(s, &a, i) }
    }

    /// `ascii()`: a repr with every non-ASCII character escaped.
    static func asciiEscaped(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            if c.isASCII { out.unicodeScalars.append(c); continue }
            let h = String(c.value, radix: 16)
            let (mark, digits) = c.value < 0x100 ? ("x", 2) : c.value < 0x10000 ? ("u", 4) : ("U", 8)
            out += "\\" + mark + String(repeating: "0", count: digits - h.count) + h
        }
        return out
    }

    /// An argument that must be a str: Python's "must be str, not int".
    func strArgument(_ v: Value, _ what: String? = nil) throws(DLXError) -> String {
        guard case .string(let s) = v else { throw .type((what.map { $0 + " " } ?? "") + "must be str, not \(v.typeName)") }
        return s
    }

    /// An argument that must be an integer (a count, a width): bools count, floats do not.
    func integerArgument(_ v: Value) throws(DLXError) -> Int {
        switch v {
        case .int(let n): return n
        case .bool(let b): return b ? 1 : 0
        default: throw .type("'\(v.typeName)' object cannot be interpreted as an integer")
        }
    }


    /// The `start` and `end` arguments (after the first) as bounds over `count` code points, adjusted as
    /// slice bounds are; `start` may end up past `count`, which matches nothing.
    func searchBounds(_ a: inout Arguments, _ count: Int) throws(DLXError) -> (Int, Int) {
        func bound(_ k: Int, _ name: String, _ def: Int) throws(DLXError) -> Int {
            guard let v = try a.get(k, name), !v.isNone else { return def }
            var n = try toIndex(v, "slice indices")
            if n < 0 { n = max(0, n + count) }
            return n
        }
        return (try bound(1, "start", 0), min(try bound(2, "end", count), count))
    }

    /// find / rfind: the position of `sub` in s[start:end], or -1.
    private func search(_ s: String, _ a: inout Arguments, reverse: Bool) throws(DLXError) -> Int {
        let h = Array(s.unicodeScalars), n = Array(try strArgument(try a.required(0, "sub")).unicodeScalars)
        let (start, end) = try searchBounds(&a, h.count)
        guard end - start >= n.count else { return -1 }
        if reverse {
            for k in stride(from: end - n.count, through: start, by: -1) where String.matches(h, n, at: k) { return k }
        } else {
            for k in start...(end - n.count) where String.matches(h, n, at: k) { return k }
        }
        return -1
    }

    private func affix(_ s: String, _ a: inout Arguments, _ name: String) throws(DLXError) -> Value {
        let p = try a.required(0, name == "startswith" ? "prefix" : "suffix")
        var candidates: [String] = []
        switch p {
        case .string(let x): candidates = [x]
        case .tuple(let t):
            for v in t {
                guard case .string(let x) = v else { throw .type("tuple for \(name) must only contain str, not \(v.typeName)") }
                candidates.append(x)
            }
        default: throw .type("\(name) first arg must be str or a tuple of str, not \(p.typeName)")
        }
        let h = Array(s.unicodeScalars)
        let (start, end) = try searchBounds(&a, h.count)
        for c in candidates {
            let n = Array(c.unicodeScalars)
            guard end - start >= n.count else { continue }
            if String.matches(h, n, at: name == "startswith" ? start : end - n.count) { return .bool(true) }
        }
        return .bool(false)
    }

    private func strip(_ s: String, _ a: inout Arguments, _ name: String, left: Bool, right: Bool) throws(DLXError) -> Value {
        var strips: (Unicode.Scalar) -> Bool = String.isSpace
        if let c = try a.get(0, "chars"), !c.isNone {
            guard case .string(let chars) = c else { throw .type("\(name) arg must be None or str") }
            let set = Set(chars.unicodeScalars)
            strips = { set.contains($0) }
        }
        var v = Substring(s).unicodeScalars
        if left { while let f = v.first, strips(f) { v.removeFirst() } }
        if right { while let l = v.last, strips(l) { v.removeLast() } }
        return .string(String(Substring(v)))
    }

    /// split / rsplit: by a separator, or by runs of whitespace (ignoring it at the ends), at most `maxsplit` times.
    private func split(_ s: String, _ a: inout Arguments, reverse: Bool) throws(DLXError) -> Value {
        let sep = try a.get(0, "sep").flatMap { $0.isNone ? nil : $0 }.map { v throws(DLXError) in try strArgument(v) }
        var limit = try a.get(1, "maxsplit").map { v throws(DLXError) in try integerArgument(v) } ?? -1
        if limit < 0 { limit = Int.max }
        // rsplit is split of the reversed text, reversed back.
        var h = Array(s.unicodeScalars)
        var n = sep.map { Array($0.unicodeScalars) }
        if reverse { h.reverse(); n?.reverse() }
        var parts: [[Unicode.Scalar]] = []
        if let n {
            guard !n.isEmpty else { throw .value("empty separator") }
            var k = 0, start = 0
            while k + n.count <= h.count && parts.count < limit {
                if String.matches(h, n, at: k) { parts.append(Array(h[start..<k])); k += n.count; start = k } else { k += 1 }
            }
            parts.append(Array(h[start...]))
        } else {
            var k = 0
            while parts.count < limit {
                while k < h.count && String.isSpace(h[k]) { k += 1 }
                if k == h.count { break }
                let start = k
                while k < h.count && !String.isSpace(h[k]) { k += 1 }
                parts.append(Array(h[start..<k]))
            }
            while k < h.count && String.isSpace(h[k]) { k += 1 }
            if k < h.count { parts.append(Array(h[k...])) }
        }
        if reverse { parts = parts.reversed().map { $0.reversed() } }
        return .list(ListBox(parts.map { .string(String.of($0[...])) }))
    }

    private func partition(_ s: String, _ a: inout Arguments, reverse: Bool) throws(DLXError) -> Value {
        let sep = try strArgument(try a.required(0, "sep"))
        guard !sep.isEmpty else { throw .value("empty separator") }
        let h = Array(s.unicodeScalars), n = Array(sep.unicodeScalars)
        let positions = h.count >= n.count ? Array(0...(h.count - n.count)) : []
        guard let k = (reverse ? positions.reversed() : positions).first(where: { String.matches(h, n, at: $0) }) else {
            return .tuple(reverse ? [.string(""), .string(""), .string(s)] : [.string(s), .string(""), .string("")])
        }
        return .tuple([.string(String.of(h[..<k])), .string(sep), .string(String.of(h[(k + n.count)...]))])
    }

    private func justify(_ s: String, _ a: inout Arguments, _ name: String) throws(DLXError) -> Value {
        let w = try integerArgument(try a.required(0, "width"))
        var fill: Character = " "
        if let f = try a.get(1, "fillchar") {
            let t = try strArgument(f, "\(name)() argument 2")
            guard t.unicodeScalars.count == 1, let c = t.first else { throw .type("The fill character must be exactly one character long") }
            fill = c
        }
        let n = max(0, w - s.unicodeScalars.count)
        try reserve(Interpreter.sum(s.utf8.count, Interpreter.product(n, fill.utf8.count)), .text, name + "()")
        guard name == "center" else { return .string(name == "ljust" ? s + String(repeating: fill, count: n) : String(repeating: fill, count: n) + s) }
        // str.center's split of an odd padding (unlike a format spec's): the extra goes left when the width is odd.
        let left = n / 2 + (n & w & 1)
        return .string(String(repeating: fill, count: left) + s + String(repeating: fill, count: n - left))
    }
}

extension String {
    /// Python's whitespace (`str.isspace`, `split()`, `strip()`): Unicode's, and the four separators \x1c-\x1f.
    static func isSpace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace || (0x1c...0x1f).contains(c.value) }

    /// The line boundaries of `splitlines`.
    static func isLineBreak(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// `str.isalpha`'s letters: the general categories L*.
    static func isLetter(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    static func matches(_ h: [Unicode.Scalar], _ n: [Unicode.Scalar], at k: Int) -> Bool {
        for j in 0..<n.count where h[k + j] != n[j] { return false }
        return true
    }

    /// How many times `n` (not empty) occurs in `h[start..<end]` without overlapping, counted from the left.
    static func occurrences(of n: [Unicode.Scalar], in h: [Unicode.Scalar], from start: Int, to end: Int) -> Int {
        var count = 0, k = start
        while k + n.count <= end {
            if matches(h, n, at: k) { count += 1; k += n.count } else { k += 1 }
        }
        return count
    }

    static func of(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars)
        return String(v)
    }

    static func mapScalars(_ s: String, _ f: (Unicode.Scalar) -> String) -> String {
        var out = ""
        for c in s.unicodeScalars { out += f(c) }
        return out
    }

    /// True for a non-empty string whose scalars all pass (`isdigit`, `isalpha`, ...).
    func allScalars(_ test: (Unicode.Scalar) -> Bool) -> Bool { !isEmpty && unicodeScalars.allSatisfy(test) }

    /// `isupper` / `islower`: some cased character, and none of the other case (or title case).
    func caseTest(upper: Bool) -> Bool {
        var cased = false
        for c in unicodeScalars {
            let p = c.properties
            if (upper ? p.isLowercase : p.isUppercase) || p.generalCategory == .titlecaseLetter { return false }
            if upper ? p.isUppercase : p.isLowercase { cased = true }
        }
        return cased
    }

    func replacingAll(_ old: String, with new: String) -> String {
        split(separator: old, omittingEmptySubsequences: false).joined(separator: new)
    }
}
