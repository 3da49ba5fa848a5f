/// Splits an f-string body into literal text and `{expression!conversion:spec}` fields.
enum FStringParser {
    static func parse(_ body: String, span: SourceSpan) throws(SyntaxError) -> [FStringPart] {
        let chars = Array(body)
        var i = 0
        return try parts(chars, &i, span: span, inSpec: false)
    }

    private static func parts(_ chars: [Character], _ i: inout Int, span: SourceSpan, inSpec: Bool) throws(SyntaxError) -> [FStringPart] {
        var out: [FStringPart] = []
        var text = ""
        while i < chars.count {
            let c = chars[i]
            if inSpec && c == "}" { break }
            if c == "{" {
                if i + 1 < chars.count && chars[i + 1] == "{" { text.append("{"); i += 2; continue }
                if !text.isEmpty { out.append(.text(text)); text = "" }
                i += 1
                out.append(try field(chars, &i, span: span))
                continue
            }
            if c == "}" {
                if i + 1 < chars.count && chars[i + 1] == "}" { text.append("}"); i += 2; continue }
                throw SyntaxError("f-string: single '}' is not allowed", span)
            }
            if c == "\\" && i + 1 < chars.count {
                let e = chars[i + 1]
                i += 2
                switch e {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "\\": text.append("\\")
                case "'": text.append("'")
                case "\"": text.append("\"")
                default: text.append("\\"); text.append(e)
                }
                continue
            }
            text.append(c)
            i += 1
        }
        if !text.isEmpty { out.append(.text(text)) }
        return out
    }

    private static func field(_ chars: [Character], _ i: inout Int, span: SourceSpan) throws(SyntaxError) -> FStringPart {
        var depth = 0
        var source = ""
        var quote: Character? = nil
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "(" || c == "[" || c == "{" {
                depth += 1
            } else if c == ")" || c == "]" || c == "}" {
                if depth == 0 { break }
                depth -= 1
            } else if depth == 0 && (c == "!" || c == ":") && !(c == "!" && i + 1 < chars.count && chars[i + 1] == "=") {
                break
            }
            source.append(c)
            i += 1
        }
        var conversion: Character? = nil
        if i < chars.count && chars[i] == "!" {
            guard i + 1 < chars.count, "rsa".contains(chars[i + 1]) else {
                throw SyntaxError("f-string: invalid conversion character", span)
            }
            conversion = chars[i + 1]
            i += 2
        }
        var spec: [FStringPart] = []
        if i < chars.count && chars[i] == ":" {
            i += 1
            spec = try parts(chars, &i, span: span, inSpec: true)
        }
        guard i < chars.count && chars[i] == "}" else { throw SyntaxError("f-string: expecting '}'", span) }
        i += 1
        let trimmed = source.trimmingSpaces
        if trimmed.isEmpty { throw SyntaxError("f-string: empty expression not allowed", span) }
        let selfDocumenting = trimmed.hasSuffix("=") && !trimmed.hasSuffix("==")
        let exprSource = selfDocumenting ? String(trimmed.dropLast()) : trimmed
        var parser = Parser(tokens: try Lexer.tokenize(exprSource, firstLine: span.start.line))
        let expr = try parser.expression()
        guard parser.current.kind == .newline || parser.current.kind == .eof else {
            throw SyntaxError("f-string: invalid expression '\(exprSource)'", span)
        }
        let placed = Expr(expr.kind, span)
        if selfDocumenting {
            // `{x=}` prints "x=" and then the repr, unless a conversion or spec says otherwise.
            return .value(placed, conversion: conversion ?? (spec.isEmpty ? "r" : nil), spec: [.text(source)] + spec)
        }
        return .value(placed, conversion: conversion, spec: spec)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " { s.removeFirst() }
        while let l = s.last, l == " " { s.removeLast() }
        return String(s)
    }
}
