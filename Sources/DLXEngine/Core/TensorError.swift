/// Errors the engine throws. `kind` is the Python exception class a PyTorch user would see.
public struct TensorError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case runtime = "RuntimeError"
        case value = "ValueError"
        case index = "IndexError"
        case type = "TypeError"
        case memory = "MemoryError"
        case notImplemented = "NotImplementedError"
        case io = "OSError"
        case interrupted = "KeyboardInterrupt"
        case recursion = "RecursionError"
        /// A pickle that cannot or may not be read (`pickle.UnpicklingError`).
        case unpickling = "UnpicklingError"
        case eof = "EOFError"
    }
    public var kind: Kind
    public var message: String
    /// An error of the code that called the engine back (a user module's forward inside `fit`), carried
    /// through the engine unchanged so that the caller can restore it.
    public var underlying: (any Error)? = nil
    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
    public static func == (a: TensorError, b: TensorError) -> Bool { a.kind == b.kind && a.message == b.message }
    public static func runtime(_ m: String) -> TensorError { TensorError(.runtime, m) }
    public static func value(_ m: String) -> TensorError { TensorError(.value, m) }
    public static func index(_ m: String) -> TensorError { TensorError(.index, m) }
    public static func type(_ m: String) -> TensorError { TensorError(.type, m) }
    /// PyTorch's error for operands on two devices.
    public static func devices(_ a: Device, _ b: Device) -> TensorError {
        .runtime("Expected all tensors to be on the same device, but found at least two devices, \(a) and \(b)!")
    }
    public var description: String { "\(kind.rawValue): \(message)" }
}
