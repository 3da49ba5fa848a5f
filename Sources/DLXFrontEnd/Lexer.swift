/// Turns source text into tokens, Python-style: NEWLINE ends a logical line, brackets and a trailing
/// backslash join physical lines, and INDENT/DEDENT track the indentation of block bodies.
public struct Lexer {
    private let chars: [Unicode.Scalar]
    private var pos = 0
    private var line: Int
    private var lineStart = 0
    private var depth = 0
    private var indents = [0]
    private var atLineStart = true
    private var tokens: [Token] = []

    public init(_ source: String, firstLine: Int = 1) {
        chars = Array(source.unicodeScalars)
        line = firstLine
    }

    public static func tokenize(_ source: String, firstLine: Int = 1) throws(SyntaxError) -> [Token] {
        var lexer = Lexer(source, firstLine: firstLine)
        return try lexer.run()
    }

    private var here: SourceLocation { SourceLocation(line: line, column: pos - lineStart + 1) }
    private func peek(_ k: Int = 0) -> Unicode.Scalar? { pos + k < chars.count ? chars[pos + k] : nil }

    private mutating func newLine() { line += 1; lineStart = pos }

    mutating func run() throws(SyntaxError) -> [Token] {
        while true {
            if atLineStart && depth == 0 {
                if try !indentation() { break }
            }
            guard let c = peek() else { break }
            let start = here
            switch c {
            case " ", "\t", "\r", "\u{0C}":
                pos += 1
            case "#":
                while let d = peek(), d != "\n" { pos += 1 }
            case "\n":
                pos += 1
                if depth == 0 {
                    if let last = tokens.last, last.kind != .newline { add(.newline, start) }
                    atLineStart = true
                }
                newLine()
            case "\\":
                pos += 1
                while let d = peek(), d == " " || d == "\t" || d == "\r" { pos += 1 }
                guard let d = peek() else {
                    throw SyntaxError("unexpected end of input after line continuation", span(start), incomplete: true)
                }
                guard d == "\n" else { throw SyntaxError("unexpected character after line continuation character", span(start)) }
                pos += 1
                newLine()
                if peek() == nil {
                    throw SyntaxError("unexpected end of input after line continuation", span(start), incomplete: true)
                }
            default:
                try token(c, start)
            }
        }
        let end = here
        if depth > 0 {
            throw SyntaxError("'\(openBrackets.last ?? "(")' was never closed", openSpans.last ?? span(end), incomplete: true)
        }
        if let last = tokens.last, last.kind != .newline { add(.newline, end) }
        while indents.count > 1 { indents.removeLast(); add(.dedent, end) }
        add(.eof, end)
        return tokens
    }

    private var openBrackets: [Character] = []
    private var openSpans: [SourceSpan] = []

    private mutating func add(_ kind: TokenKind, _ start: SourceLocation) {
        tokens.append(Token(kind, SourceSpan(start, here)))
    }
    private func span(_ start: SourceLocation) -> SourceSpan { SourceSpan(start, SourceLocation(line: start.line, column: start.column + 1)) }

    /// Measures the indentation of a new logical line; returns false at the end of input.
    private mutating func indentation() throws(SyntaxError) -> Bool {
        while true {
            var width = 0
            while let c = peek(), c == " " || c == "\t" || c == "\u{0C}" {
                width = c == "\t" ? (width / 8 + 1) * 8 : width + 1
                pos += 1
            }
            guard let c = peek() else { return false }
            if c == "#" { while let d = peek(), d != "\n" { pos += 1 } ; continue }
            if c == "\r" { pos += 1; continue }
            if c == "\n" { pos += 1; newLine(); continue }
            atLineStart = false
            let start = here
            if width > indents.last! {
                indents.append(width)
                add(.indent, start)
            } else {
                while width < indents.last! {
                    indents.removeLast()
                    add(.dedent, start)
                }
                if width != indents.last! {
                    throw SyntaxError("unindent does not match any outer indentation level", span(start))
                }
            }
            return true
        }
    }

    private static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic
    }
    private static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        isNameStart(c) || ("0"..."9").contains(c)
    }

    private mutating func token(_ c: Unicode.Scalar, _ start: SourceLocation) throws(SyntaxError) {
        if Lexer.isNameStart(c) {
            // String prefixes: r, b, f, rb, fr (any case).
            var k = 0
            while k < 2, let p = peek(k), "rRbBfFuU".unicodeScalars.contains(p) { k += 1 }
            if k > 0, let q = peek(k), q == "'" || q == "\"" {
                let prefix = String(String.UnicodeScalarView(chars[pos..<pos + k])).lowercased()
                pos += k
                return try string(prefix: prefix, start)
            }
            var name = String.UnicodeScalarView()
            while let d = peek(), Lexer.isNameChar(d) { name.append(d); pos += 1 }
            let s = String(name)
            add(pythonKeywords.contains(s) ? .keyword(s) : .name(s), start)
            return
        }
        if ("0"..."9").contains(c) || (c == "." && peek(1).map { ("0"..."9").contains($0) } == true) {
            return try number(start)
        }
        if c == "'" || c == "\"" { return try string(prefix: "", start) }
        for op in Lexer.operators where matches(op) {
            pos += op.unicodeScalars.count
            switch op {
            case "(", "[", "{":
                depth += 1
                openBrackets.append(Character(op))
                openSpans.append(SourceSpan(start, here))
            case ")", "]", "}":
                let want: Character = op == ")" ? "(" : op == "]" ? "[" : "{"
                guard let open = openBrackets.last else {
                    throw SyntaxError("unmatched '\(op)'", SourceSpan(start, here))
                }
                guard open == want else {
                    throw SyntaxError("closing parenthesis '\(op)' does not match opening parenthesis '\(open)'", SourceSpan(start, here))
                }
                depth -= 1
                openBrackets.removeLast()
                openSpans.removeLast()
            default: break
            }
            add(.op(op), start)
            return
        }
        let code = String(c.value, radix: 16, uppercase: true)
        let hex = String(repeating: "0", count: Swift.max(0, 4 - code.count)) + code
        if c.properties.generalCategory == .control || c.properties.generalCategory == .format || c.value == 0xFFFD {
            throw SyntaxError("invalid non-printable character U+\(hex)", span(start))
        }
        throw SyntaxError("invalid character '\(Character(c))' (U+\(hex))", span(start))
    }

    // Longest first, so that `**=` wins over `**` and `*`.
    private static let operators: [String] = [
        "**=", "//=", ">>=", "<<=", "...",
        "**", "//", "==", "!=", "<=", ">=", "->", "+=", "-=", "*=", "/=", "%=", "@=", "&=", "|=", "^=", ":=", "<<", ">>",
        "+", "-", "*", "/", "%", "@", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "~", "&", "|", "^", "?", "!",
    ]

    private func matches(_ op: String) -> Bool {
        var k = 0
        for u in op.unicodeScalars {
            guard let c = peek(k), c == u else { return false }
            k += 1
        }
        return true
    }

    private mutating func number(_ start: SourceLocation) throws(SyntaxError) {
        var text = ""
        func digits(_ allowed: (Unicode.Scalar) -> Bool) {
            while let d = peek(), allowed(d) || d == "_" {
                if d != "_" { text.unicodeScalars.append(d) }
                pos += 1
            }
        }
        let isDigit: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
        if peek() == "0", let x = peek(1), "xXoObB".unicodeScalars.contains(x) {
            pos += 2
            let radix = x == "x" || x == "X" ? 16 : x == "o" || x == "O" ? 8 : 2
            digits { $0.properties.isASCIIHexDigit }
            guard let v = Int(text, radix: radix) else {
                throw SyntaxError("invalid integer literal", SourceSpan(start, here))
            }
            add(.int(v), start)
            return
        }
        digits(isDigit)
        var isFloat = false
        if peek() == ".", !(peek(1) == "." && peek(2) == ".") {
            isFloat = true
            text += "."
            pos += 1
            digits(isDigit)
        }
        if let e = peek(), e == "e" || e == "E" {
            let sign = peek(1)
            let hasSign = sign == "+" || sign == "-"
            if let d = peek(hasSign ? 2 : 1), isDigit(d) {
                isFloat = true
                text += "e"
                if hasSign { text.unicodeScalars.append(sign!) }
                pos += hasSign ? 2 : 1
                digits(isDigit)
            }
        }
        if let j = peek(), j == "j" || j == "J" {
            throw SyntaxError("complex numbers are not supported", SourceSpan(start, here))
        }
        if let d = peek(), Lexer.isNameStart(d) {
            throw SyntaxError("invalid decimal literal", SourceSpan(start, here))
        }
        if isFloat {
            guard let v = Double(text) else { throw SyntaxError("invalid float literal", SourceSpan(start, here)) }
            add(.float(v), start)
        } else {
            guard let v = Int(text) else {
                throw SyntaxError("integer literal too large: \(text)", SourceSpan(start, here))
            }
            add(.int(v), start)
        }
    }

    private mutating func string(prefix: String, _ start: SourceLocation) throws(SyntaxError) {
        let quote = peek()!
        let triple = peek(1) == quote && peek(2) == quote
        pos += triple ? 3 : 1
        let raw = prefix.contains("r")
        let isF = prefix.contains("f")
        let isBytes = prefix.contains("b")
        var value = String.UnicodeScalarView()
        while true {
            guard let c = peek() else {
                throw SyntaxError(triple ? "unterminated triple-quoted string literal" : "unterminated string literal",
                                  SourceSpan(start, here), incomplete: triple)
            }
            if c == quote {
                if !triple { pos += 1; break }
                if peek(1) == quote && peek(2) == quote { pos += 3; break }
            }
            if c == "\n" {
                if !triple { throw SyntaxError("unterminated string literal", SourceSpan(start, here)) }
                value.append(c); pos += 1; newLine(); continue
            }
            if isBytes && !c.isASCII {
                throw SyntaxError("bytes can only contain ASCII literal characters", SourceSpan(start, here))
            }
            if c == "\\" && !raw && !isF {
                pos += 1
                guard let e = peek() else { continue }
                pos += 1
                switch e {
                case "u" where isBytes, "U" where isBytes: value.append("\\"); value.append(e)
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                case "0": value.append("\0")
                case "\\": value.append("\\")
                case "'": value.append("'")
                case "\"": value.append("\"")
                case "a": value.append("\u{07}")
                case "b": value.append("\u{08}")
                case "f": value.append("\u{0C}")
                case "v": value.append("\u{0B}")
                case "\n": newLine()
                case "x", "u", "U":
                    let n = e == "x" ? 2 : e == "u" ? 4 : 8
                    var hex = ""
                    for _ in 0..<n {
                        guard let h = peek(), h.properties.isASCIIHexDigit else {
                            throw SyntaxError("truncated \\\(Character(e)) escape", SourceSpan(start, here))
                        }
                        hex.unicodeScalars.append(h); pos += 1
                    }
                    guard let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) else {
                        throw SyntaxError("invalid escape \\\(Character(e))\(hex)", SourceSpan(start, here))
                    }
                    value.append(s)
                default:
                    value.append("\\"); value.append(e)
                }
                continue
            }
            if c == "\\" && isF, let e = peek(1) {
                // f-strings keep escapes for the parser, which unescapes the text parts.
                value.append(c); value.append(e); pos += 2
                if e == "\n" { newLine() }
                continue
            }
            value.append(c)
            pos += 1
        }
        if isBytes { add(.bytes(value.map { UInt8($0.value) }), start); return }
        add(isF ? .fstring(String(value)) : .string(String(value)), start)
    }
}
