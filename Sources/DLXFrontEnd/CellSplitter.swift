/// Cuts a script into top-level statements ("cells"), each with the line it starts on, so that a script
/// runs statement by statement like a notebook: output appears as it is made, and with --keep-going a
/// syntax error costs only its own statement. It only tracks brackets, strings and indentation, so it
/// never fails: whatever it cannot make sense of becomes a cell of its own and the parser reports it.
public enum CellSplitter {
    public struct Cell: Equatable, Sendable {
        public var text: String
        public var firstLine: Int
        public init(text: String, firstLine: Int) { self.text = text; self.firstLine = firstLine }
    }

    /// Clauses that continue the compound statement above them at the same indentation.
    static let continuationKeywords: Set<String> = ["else", "elif", "except", "finally"]

    /// A cell magic (`%%time` at the start of a line) takes the lines below it up to the next blank line,
    /// whatever they hold; the rest is cut into statements.
    public static func split(_ source: String, firstLine: Int = 1) -> [Cell] {
        let raw = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard raw.contains(where: { $0.hasPrefix("%%") }) else { return splitStatements(source, firstLine: firstLine) }
        var cells: [Cell] = []
        var segment: [Substring] = [], segmentStart = 0
        func flush() {
            if !segment.isEmpty { cells += splitStatements(segment.joined(separator: "\n"), firstLine: firstLine + segmentStart) }
            segment = []
        }
        var i = 0
        while i < raw.count {
            guard raw[i].hasPrefix("%%") else {
                if segment.isEmpty { segmentStart = i }
                segment.append(raw[i])
                i += 1
                continue
            }
            flush()
            var end = i + 1
            while end < raw.count && !raw[end].allSatisfy({ $0 == " " || $0 == "\t" }) { end += 1 }
            cells.append(Cell(text: raw[i..<end].joined(separator: "\n"), firstLine: firstLine + i))
            i = end
        }
        flush()
        return cells
    }

    private static func splitStatements(_ source: String, firstLine: Int) -> [Cell] {
        let lines = logicalLines(source).map { ($0.0, $0.1 + firstLine - 1, $0.2) }
        var cells: [Cell] = []
        var current: [String] = []
        var currentStart = 1
        for (text, first, indented) in lines {
            let blank = isBlankOrComment(text)
            if blank {
                if !current.isEmpty { current.append(text) }
                continue
            }
            let keyword = firstWord(text)
            // A decorator belongs to the `def` or `class` below it.
            let decorated = current.last(where: { !isBlankOrComment($0) })?.hasPrefix("@") ?? false
            if !indented && !continuationKeywords.contains(keyword) && !decorated {
                if !current.isEmpty { cells.append(Cell(text: trimTrailingBlank(current), firstLine: currentStart)) }
                current = [text]
                currentStart = first
            } else {
                if current.isEmpty { currentStart = first }
                current.append(text)
            }
        }
        if !current.isEmpty { cells.append(Cell(text: trimTrailingBlank(current), firstLine: currentStart)) }
        return cells
    }

    /// True when `text`, typed at the prompt, needs more lines before it can run: an open bracket,
    /// a trailing backslash, an open triple-quoted string, or a compound statement not yet ended by a blank line.
    public static func needsContinuation(_ text: String) -> Bool {
        // A cell magic's body ends with a blank line, as in IPython.
        if text.hasPrefix("%%") { return !lastLineIsBlank(text) }
        do {
            _ = try Lexer.tokenize(text)
        } catch {
            return error.incomplete
        }
        let lines = logicalLines(text)
        guard let first = lines.first(where: { !isBlankOrComment($0.0) }) else { return false }
        if endsWithColon(first.0) || first.0.hasPrefix("@") {
            // A block ends with an empty line, as in IPython.
            return !(text.hasSuffix("\n\n") || text.hasSuffix("\n \n") || lastLineIsBlank(text))
        }
        return false
    }

    /// The indentation IPython gives the next line of a cell being typed: one level deeper after a line
    /// ending in `:`, one level shallower after `return`, `pass`, `break`, `continue` or `raise`, else the
    /// last line's.
    public static func nextIndent(_ text: String) -> Int {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let last = lines.last(where: { !isBlankOrComment(String($0)) }) else { return 0 }
        var indent = 0
        for c in last { if c == " " { indent += 1 } else if c == "\t" { indent += 4 } else { break } }
        if endsWithColon(String(last)) { return indent + 4 }
        let dedenting: Set<String> = ["return", "pass", "break", "continue", "raise"]
        return dedenting.contains(firstWord(String(last))) ? max(0, indent - 4) : indent
    }

    private static func lastLineIsBlank(_ text: String) -> Bool {
        guard text.hasSuffix("\n") else { return false }
        let body = text.dropLast()
        let last = body.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
        return last.allSatisfy { $0 == " " || $0 == "\t" }
    }

    static func endsWithColon(_ logical: String) -> Bool {
        var s = stripComment(logical)
        while let c = s.last, c == " " || c == "\t" || c == "\n" || c == "\r" { s.removeLast() }
        return s.hasSuffix(":")
    }

    private static func trimTrailingBlank(_ lines: [String]) -> String {
        var lines = lines
        while let last = lines.last, isBlankOrComment(last) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    static func isBlankOrComment(_ line: String) -> Bool {
        for c in line {
            if c == " " || c == "\t" || c == "\r" || c == "\u{0C}" || c == "\n" { continue }
            return c == "#"
        }
        return true
    }

    private static func firstWord(_ line: String) -> String {
        let t = line.drop { $0 == " " || $0 == "\t" }
        return String(t.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
    }

    /// Removes a trailing `#` comment that is not inside a string.
    static func stripComment(_ line: String) -> String {
        var quote: Character? = nil
        var escaped = false
        var out = ""
        for c in line {
            if let q = quote {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "#" {
                break
            }
            out.append(c)
        }
        return out
    }

    /// Physical lines joined into logical lines (open brackets, backslashes, triple-quoted strings),
    /// each with its first line number and whether it is indented.
    static func logicalLines(_ source: String) -> [(String, Int, Bool)] {
        var result: [(String, Int, Bool)] = []
        var buffer = ""
        var start = 1
        var depth = 0
        var quote: (Character, Bool)? = nil  // (quote character, triple)
        let physical = source.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, raw) in physical.enumerated() {
            let line = String(raw)
            let lineNo = i + 1
            if buffer.isEmpty && depth == 0 && quote == nil { start = lineNo }
            buffer += buffer.isEmpty && depth == 0 && quote == nil ? line : "\n" + line
            var chars = Array(line)
            var j = 0
            var continued = false
            while j < chars.count {
                let c = chars[j]
                if let (q, triple) = quote {
                    if c == "\\" { j += 2; continue }
                    if c == q {
                        if !triple { quote = nil }
                        else if j + 2 < chars.count && chars[j + 1] == q && chars[j + 2] == q { quote = nil; j += 2 }
                    }
                } else if c == "#" {
                    break
                } else if c == "'" || c == "\"" {
                    let triple = j + 2 < chars.count && chars[j + 1] == c && chars[j + 2] == c
                    quote = (c, triple)
                    if triple { j += 2 }
                } else if c == "(" || c == "[" || c == "{" {
                    depth += 1
                } else if c == ")" || c == "]" || c == "}" {
                    depth = max(0, depth - 1)
                } else if c == "\\" && j == chars.count - 1 {
                    continued = true
                }
                j += 1
            }
            if let (_, triple) = quote, !triple { quote = nil }  // a single-quoted string cannot span lines
            chars.removeAll()
            if depth == 0 && quote == nil && !continued {
                let indented = buffer.first == " " || buffer.first == "\t"
                result.append((buffer, start, indented))
                buffer = ""
            }
        }
        if !buffer.isEmpty {
            result.append((buffer, start, buffer.first == " " || buffer.first == "\t"))
        }
        return result
    }
}
