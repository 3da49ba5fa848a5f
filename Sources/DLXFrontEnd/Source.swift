/// A place in the source text: 1-based line and column.
public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public var description: String { "\(line):\(column)" }
}

/// A half-open range of source text on one or more lines; `end` is the column after the last character.
public struct SourceSpan: Equatable, Sendable {
    public var start: SourceLocation
    public var end: SourceLocation
    public init(_ start: SourceLocation, _ end: SourceLocation) { self.start = start; self.end = end }
    public static let unknown = SourceSpan(SourceLocation(line: 0, column: 0), SourceLocation(line: 0, column: 0))
    public func to(_ other: SourceSpan) -> SourceSpan { SourceSpan(start, other.end) }
}

/// A syntax problem. `incomplete` marks input that could still become valid with more lines
/// (an open bracket, a trailing backslash), which is how the prompt knows to ask for a continuation.
public struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var span: SourceSpan
    public var incomplete: Bool
    public init(_ message: String, _ span: SourceSpan, incomplete: Bool = false) {
        self.message = message; self.span = span; self.incomplete = incomplete
    }
    public var description: String { "SyntaxError: \(message)" }
}
