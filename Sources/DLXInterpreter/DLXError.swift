import DLXFrontEnd
import DLXEngine

/// An error raised while running dlx code: a Python exception class name, a message, and where.
public struct DLXError: Error, CustomStringConvertible {
    public var type: String
    public var message: String
    public var span: SourceSpan?

    public init(_ type: String, _ message: String, span: SourceSpan? = nil) {
        self.type = type; self.message = message; self.span = span
    }

    public init(_ e: TensorError, span: SourceSpan? = nil) {
        self.init(e.kind.rawValue, e.message, span: span)
    }

    public init(_ e: SyntaxError) {
        self.init("SyntaxError", e.message, span: e.span)
    }

    /// `TypeError: message`, as Python's last traceback line.
    public var description: String { message.isEmpty ? type : "\(type): \(message)" }

    static func type(_ m: String) -> DLXError { DLXError("TypeError", m) }
    static func value(_ m: String) -> DLXError { DLXError("ValueError", m) }
    static func name(_ n: String) -> DLXError { DLXError("NameError", "name '\(n)' is not defined") }
    static func attribute(_ v: Value, _ n: String) -> DLXError {
        DLXError("AttributeError", "'\(v.typeName)' object has no attribute '\(n)'")
    }
}

/// Control flow that unwinds the evaluator: `break`, `continue`, `return`.
enum ControlFlow: Error {
    case breakLoop
    case continueLoop
    case returnValue(Value)
}
