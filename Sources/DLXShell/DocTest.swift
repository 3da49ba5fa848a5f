/// Checked transcripts: doctest-style files where `>>> ` lines (continued by `... `) are input and the
/// lines after them, up to a blank line or the next `>>> `, are the expected output. `dlx test` runs
/// them; `dlx grade` uses them as keys. The format is described in docs/grading.md.
public struct DocCheck {
    public var line: Int
    public var source: String
    public var expected: [String]
    public var options: CheckOptions
}

public struct CheckOptions: Equatable {
    public var ellipsis = false
    public var normalizeWhitespace = false
    public var tolerance: Double? = nil
    public var skip = false
    /// Grading: what the check is worth and what it is called.
    public var points: Double? = nil
    public var name: String? = nil
    /// Gradescope's visibility for the check ("visible", "hidden", "after_due_date", "after_published").
    public var visibility: String? = nil

    /// Applies a `# dlx: ...` directive; `perCheck` receives the options that only ever apply to one check.
    mutating func apply(_ directive: String, line: Int, file: String) throws(DocTestError) {
        for word in DocTestFile.words(directive) {
            switch word {
            case "+ELLIPSIS": ellipsis = true
            case "-ELLIPSIS": ellipsis = false
            case "+NORMALIZE_WHITESPACE": normalizeWhitespace = true
            case "-NORMALIZE_WHITESPACE": normalizeWhitespace = false
            case "skip", "+SKIP": skip = true
            case "-SKIP": skip = false
            case "hidden": visibility = "hidden"
            default:
                guard let eq = word.firstIndex(of: "=") else {
                    throw DocTestError(file: file, line: line, message: "unknown option '\(word)' in '# dlx:'")
                }
                let key = String(word[..<eq]), value = DocTestFile.unquote(String(word[word.index(after: eq)...]))
                switch key {
                case "tolerance":
                    guard let t = Double(value), t >= 0 else { throw DocTestError(file: file, line: line, message: "tolerance needs a number, got '\(value)'") }
                    tolerance = t == 0 ? nil : t
                case "points":
                    guard let p = Double(value), p >= 0, p.isFinite else { throw DocTestError(file: file, line: line, message: "points needs a number, got '\(value)'") }
                    points = p
                case "name": name = value
                case "visibility":
                    guard ["visible", "hidden", "after_due_date", "after_published"].contains(value) else {
                        throw DocTestError(file: file, line: line, message: "visibility is one of visible, hidden, after_due_date, after_published")
                    }
                    visibility = value
                default: throw DocTestError(file: file, line: line, message: "unknown option '\(key)' in '# dlx:'")
                }
            }
        }
    }
}

public struct DocTestError: Error, CustomStringConvertible {
    public var file: String, line: Int, message: String
    public var description: String { "\(file):\(line): error: \(message)" }
}

public enum DocTestFile {
    /// The checks of a file. A `# dlx:` line on its own sets flags (ELLIPSIS, NORMALIZE_WHITESPACE,
    /// tolerance, skip) for the rest of the file and points, name and visibility for the next check; a
    /// `# dlx:` comment at the end of a `>>> ` line applies to that check only.
    public static func parse(_ text: String, file: String) throws(DocTestError) -> [DocCheck] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { l -> String in
            l.hasSuffix("\r") ? String(l.dropLast()) : String(l)
        }
        var checks: [DocCheck] = []
        var fileOptions = CheckOptions()
        var next: CheckOptions? = nil     // points/name/visibility waiting for the next check
        var i = 0
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingSpaces
            if trimmed.hasPrefix("# dlx:") {
                var o = fileOptions
                try o.apply(String(trimmed.dropFirst(6)), line: i + 1, file: file)
                var oneOff = next ?? CheckOptions()
                oneOff.points = o.points ?? oneOff.points; oneOff.name = o.name ?? oneOff.name
                oneOff.visibility = o.visibility ?? oneOff.visibility
                o.points = nil; o.name = nil; o.visibility = nil
                fileOptions = o
                if oneOff.points != nil || oneOff.name != nil || oneOff.visibility != nil { next = oneOff }
                i += 1
                continue
            }
            guard line.hasPrefix(">>>") else { i += 1; continue }
            let start = i + 1
            var source = [String(line.dropFirst(line.hasPrefix(">>> ") ? 4 : 3))]
            i += 1
            while i < lines.count, lines[i].hasPrefix("...") && (lines[i].count == 3 || lines[i].hasPrefix("... ")) {
                source.append(String(lines[i].dropFirst(lines[i].count == 3 ? 3 : 4)))
                i += 1
            }
            var expected: [String] = []
            while i < lines.count, !lines[i].trimmingSpaces.isEmpty, !lines[i].hasPrefix(">>>"), !lines[i].hasPrefix("# dlx:") {
                expected.append(lines[i] == "<BLANKLINE>" ? "" : lines[i])
                i += 1
            }
            var options = fileOptions
            if let n = next { options.points = n.points; options.name = n.name; options.visibility = n.visibility }
            next = nil
            if let directive = DocTestFile.after("# dlx:", in: source[0]) {
                try options.apply(directive, line: start, file: file)
            }
            checks.append(DocCheck(line: start, source: source.joined(separator: "\n"), expected: expected, options: options))
        }
        return checks
    }

    /// Space-separated words, where a double-quoted value may hold spaces: `name="a b" points=2`.
    static func words(_ s: String) -> [String] {
        var words: [String] = [], word = "", quoted = false
        for ch in s {
            if ch == "\"" { quoted.toggle(); word.append(ch); continue }
            if ch == " " && !quoted { if !word.isEmpty { words.append(word); word = "" }; continue }
            word.append(ch)
        }
        if !word.isEmpty { words.append(word) }
        return words
    }

    /// The text after the first `marker` in `s`, or nil.
    static func after(_ marker: String, in s: String) -> String? {
        let m = Array(marker.utf8), b = Array(s.utf8)
        guard b.count >= m.count else { return nil }
        for i in 0...(b.count - m.count) where Array(b[i..<i + m.count]) == m {
            return String(decoding: b[(i + m.count)...], as: UTF8.self)
        }
        return nil
    }

    static func unquote(_ s: String) -> String {
        s.count >= 2 && s.hasPrefix("\"") && s.hasSuffix("\"") ? String(s.dropFirst().dropLast()) : s
    }
}

/// Whether a check's output is what it expected, under its options.
public enum OutputMatch {
    /// The text a check is compared on: output, then `error: Type: message` for an error.
    public static func got(_ r: CellResult) -> [String] {
        var lines = r.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        if let e = r.error { lines.append("error: " + e.description) }
        return lines
    }

    public static func matches(expected: [String], got: [String], _ o: CheckOptions) -> Bool {
        var want = trimmed(expected), have = trimmed(got)
        // An expected error matches by prefix, on the type and message or the message alone.
        if let last = want.last, last.hasPrefix("error: ") {
            guard let gotLast = have.last, gotLast.hasPrefix("error: ") else { return false }
            let w = String(last.dropFirst(7)), g = String(gotLast.dropFirst(7))
            let message = g.firstIndex(of: ":").map { String(g[g.index(after: $0)...]).trimmingSpaces } ?? g
            guard g.hasPrefix(w) || message.hasPrefix(w) || (o.ellipsis && glob(Array(w.unicodeScalars), Array(g.unicodeScalars), nil)) else { return false }
            want.removeLast(); have.removeLast()
        }
        var a = want.joined(separator: "\n"), b = have.joined(separator: "\n")
        if o.normalizeWhitespace { a = collapse(a); b = collapse(b) }
        if !o.ellipsis && o.tolerance == nil { return a == b }
        return glob(Array(a.unicodeScalars), Array(b.unicodeScalars), o.tolerance, ellipsis: o.ellipsis)
    }

    static func trimmed(_ lines: [String]) -> [String] {
        var l = lines.map { s -> String in
            var t = Substring(s)
            while let c = t.last, c == " " || c == "\t" { t = t.dropLast() }
            return String(t)
        }
        while l.last == "" { l.removeLast() }
        return l
    }

    static func collapse(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }

    enum Token: Equatable {
        case char(Unicode.Scalar)
        case number(String)
        case any
    }

    /// Splits text into characters and numbers (and `...` wildcards in a pattern).
    static func tokens(_ s: [Unicode.Scalar], pattern: Bool, ellipsis: Bool) -> [Token] {
        var out: [Token] = []
        var i = 0
        func digit(_ k: Int) -> Bool { k < s.count && s[k].properties.numericType != nil && s[k].isASCII }
        while i < s.count {
            if pattern && ellipsis && i + 2 < s.count + 0 && s[i] == "." && s[i + 1] == "." && s[i + 2] == "." {
                if out.last != .any { out.append(.any) }
                i += 3
                continue
            }
            // A number: optional sign (not after a letter or digit), digits, fraction, exponent.
            var j = i
            let prevIsWord = i > 0 && (s[i - 1].properties.isAlphabetic || digit(i - 1))
            if (s[j] == "-" || s[j] == "+") && !prevIsWord { j += 1 }
            let intStart = j
            while digit(j) { j += 1 }
            var hasDigits = j > intStart
            if j < s.count && s[j] == "." && !(j + 1 < s.count && s[j + 1] == ".") {
                j += 1
                let f = j
                while digit(j) { j += 1 }
                hasDigits = hasDigits || j > f
            }
            if hasDigits && !(i > 0 && s[i - 1].properties.isAlphabetic && !(s[i] == "-" || s[i] == "+")) {
                if j < s.count && (s[j] == "e" || s[j] == "E") {
                    var k = j + 1
                    if k < s.count && (s[k] == "-" || s[k] == "+") { k += 1 }
                    if digit(k) { while digit(k) { k += 1 }; j = k }
                }
                out.append(.number(String(String.UnicodeScalarView(s[i..<j]))))
                i = j
                continue
            }
            out.append(.char(s[i]))
            i += 1
        }
        return out
    }

    /// Wildcard matching over tokens, numbers compared within a relative `tolerance` when one is given.
    static func glob(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar], _ tolerance: Double?, ellipsis: Bool = true) -> Bool {
        let p = tokens(pattern, pattern: true, ellipsis: ellipsis), t = tokens(text, pattern: false, ellipsis: false)
        func same(_ a: Token, _ b: Token) -> Bool {
            switch (a, b) {
            case (.char(let x), .char(let y)): return x == y
            case (.number(let x), .number(let y)):
                if x == y { return true }
                // PyTorch writes whole floats as "3." in tensors.
                guard let tolerance, let u = Double(x.hasSuffix(".") ? x + "0" : x), let v = Double(y.hasSuffix(".") ? y + "0" : y) else { return false }
                return Swift.abs(u - v) <= tolerance * Swift.max(Swift.abs(u), Swift.abs(v)) || Swift.abs(u - v) <= tolerance * 1e-3
            default: return false
            }
        }
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == .any { star = pi; mark = ti; pi += 1; continue }
            if pi < p.count, same(p[pi], t[ti]) { pi += 1; ti += 1; continue }
            if star >= 0 { pi = star + 1; mark += 1; ti = mark; continue }
            return false
        }
        while pi < p.count, p[pi] == .any { pi += 1 }
        return pi == p.count
    }

    /// A line diff (longest common subsequence): "  " same, "- " expected only, "+ " got only.
    public static func diff(expected: [String], got: [String]) -> [String] {
        let a = Array(expected.prefix(400)), b = Array(got.prefix(400))
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : Swift.max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var out: [String] = [], i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] { out.append("  " + a[i]); i += 1; j += 1 }
            else if j < b.count, i == a.count || lcs[i][j + 1] >= lcs[i + 1][j] { out.append("+ " + b[j]); j += 1 }
            else { out.append("- " + a[i]); i += 1 }
        }
        if expected.count > a.count || got.count > b.count { out.append("  [diff cut after 400 lines]") }
        return out
    }
}
