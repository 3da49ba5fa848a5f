import DLXFrontEnd
import DLXEngine

/// An error raised while running dlx code: a Python exception class name, a message, and where.
public struct DLXError: Error, CustomStringConvertible {
    public var type: String
    public var message: String
    public var span: SourceSpan?
    /// The exception object a `raise` statement raised (or that an `except ... as e` made); nil until then.
    var exception: PyInstance? = nil
    /// Python's `args` when they are not just the message (a KeyError's key).
    var args: [Value]? = nil
    /// The user functions the error passed through, innermost first.
    public var traceback: [TraceFrame] = []
    /// False for the grader's limits (time, Ctrl-C's stop of a limit): no `except` clause catches them.
    public var catchable = true
    /// A "Did you mean" to add if the error reaches the top level (NameError, AttributeError).
    var suggestion: Suggestion? = nil

    public init(_ type: String, _ message: String, span: SourceSpan? = nil) {
        self.type = type; self.message = message; self.span = span
    }

    public init(_ e: TensorError, span: SourceSpan? = nil) {
        if let inner = e.underlying as? DLXError { self = inner; return }
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
        attribute(v, n, "'\(v.typeName)' object has no attribute '\(n)'")
    }
    static func attribute(_ v: Value, _ n: String, _ message: String) -> DLXError {
        var e = DLXError("AttributeError", message)
        e.suggestion = .attribute(v, n)
        return e
    }
}

/// One frame of a traceback: the function, and where in it the error passed.
public struct TraceFrame: Sendable {
    public var function: String
    /// The source the function was defined in (a file, or a cell's name), and the line and span in it.
    public var source: String
    public var span: SourceSpan?
}

/// Control flow that unwinds the evaluator: `break`, `continue`, `return`.
enum ControlFlow: Error {
    case breakLoop
    case continueLoop
    case returnValue(Value)
}
