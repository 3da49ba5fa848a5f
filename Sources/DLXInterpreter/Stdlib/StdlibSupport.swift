#if canImport(Glibc)
import Glibc
#endif

/// Argument conversions and errors shared by the standard-library modules, in CPython's words.
extension Interpreter {
    /// An integer where Python wants one (`__index__`): ints and bools, else
    /// `'float' object cannot be interpreted as an integer`.
    func indexArgument(_ v: Value) throws(DLXError) -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .tensor(let t) where t.count == 1 && !t.dtype.isFloatingPoint: return try toInt(v, "index")
        default: throw .type("'\(v.typeName)' object cannot be interpreted as an integer")
        }
    }

    /// A float where Python calls `__float__`: numbers and one-element tensors, else `must be real number, not str`.
    func realArgument(_ v: Value) throws(DLXError) -> Double {
        switch v {
        case .int, .float, .bool: return try toDouble(v, "")
        case .tensor(let t) where t.count == 1: return try toDouble(v, "")
        default: throw .type("must be real number, not \(v.typeName)")
        }
    }

    /// An optional keyword or positional argument as a Bool (absent: `default`).
    func flag(_ a: inout Arguments, _ index: Int?, _ name: String, _ default: Bool) throws(DLXError) -> Bool {
        guard let v = try a.get(index, name) else { return `default` }
        return try truthy(v)
    }
}

extension DLXError {
    /// The OSError subclass CPython raises for an errno, with its message: `[Errno 2] No such file or directory: 'x'`.
    static func os(_ code: Int32, _ path: String) -> DLXError {
        let type: String
        switch code {
        case ENOENT: type = "FileNotFoundError"
        case EEXIST: type = "FileExistsError"
        case ENOTDIR: type = "NotADirectoryError"
        case EISDIR: type = "IsADirectoryError"
        case EACCES, EPERM: type = "PermissionError"
        default: type = "OSError"
        }
        return DLXError(type, "[Errno \(code)] \(String(cString: strerror(code))): \(Interpreter.quote(path))")
    }

    /// Python's RecursionError, for structures nested past what dlx follows.
    static func recursion(_ while: String = "") -> DLXError {
        DLXError("RecursionError", "maximum recursion depth exceeded" + `while`)
    }
}

extension Interpreter {
    /// Whether `callable(v)` holds: functions, classes, modules and partial objects.
    /// Python's `callable(v)` (also what partial, lru_cache and defaultdict accept).
    func isCallableValue(_ v: Value) -> Bool {
        switch v {
        case .module: return true
        case .object(let o as PyInstance): return o.special("__call__") != nil
        case .object(let o): return o is BuiltinFunction || o is UserFunction || o is TypeObject || o is PyClass || o is BoundMethod
                                 || o is StaticMethod || o is PartialObject || o is CachedFunction
        default: return false
        }
    }
}
