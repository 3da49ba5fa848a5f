public enum TokenKind: Equatable, Sendable {
    case name(String)
    case keyword(String)
    case int(Int)
    case float(Double)
    case string(String)
    /// An f-string's raw body; the parser splits it into text and expressions.
    case fstring(String)
    /// A `b"..."` literal's bytes.
    case bytes([UInt8])
    case op(String)
    case newline
    case indent
    case dedent
    case eof
}

public struct Token: Equatable, Sendable {
    public var kind: TokenKind
    public var span: SourceSpan
    public init(_ kind: TokenKind, _ span: SourceSpan) { self.kind = kind; self.span = span }
}

/// Python's keywords. `load` is not one: it is a dlx command only where a name follows it.
let pythonKeywords: Set<String> = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
]
