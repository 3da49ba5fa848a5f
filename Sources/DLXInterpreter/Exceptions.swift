import DLXFrontEnd
import DLXEngine

/// Python's exceptions: the built-in classes and their hierarchy, `raise`, and `try` statements. An error
/// is a `DLXError` as it unwinds; it becomes an exception object when code catches it (`except E as e`) and
/// carries that object from then on, so a re-raised exception keeps its identity and attributes.
extension Interpreter {
    /// Python's built-in exception classes and their bases.
    static let exceptionHierarchy: [(String, String?)] = [
        ("BaseException", nil), ("SystemExit", "BaseException"), ("KeyboardInterrupt", "BaseException"),
        ("GeneratorExit", "BaseException"), ("Exception", "BaseException"),
        ("ArithmeticError", "Exception"), ("ZeroDivisionError", "ArithmeticError"), ("OverflowError", "ArithmeticError"),
        ("FloatingPointError", "ArithmeticError"), ("AssertionError", "Exception"), ("AttributeError", "Exception"),
        ("BufferError", "Exception"), ("EOFError", "Exception"), ("ImportError", "Exception"),
        ("ModuleNotFoundError", "ImportError"), ("LookupError", "Exception"), ("IndexError", "LookupError"),
        ("KeyError", "LookupError"), ("MemoryError", "Exception"), ("NameError", "Exception"),
        ("UnboundLocalError", "NameError"), ("OSError", "Exception"), ("FileNotFoundError", "OSError"),
        ("FileExistsError", "OSError"), ("PermissionError", "OSError"), ("IsADirectoryError", "OSError"),
        ("NotADirectoryError", "OSError"), ("TimeoutError", "OSError"), ("InterruptedError", "OSError"),
        ("ReferenceError", "Exception"), ("RuntimeError", "Exception"), ("NotImplementedError", "RuntimeError"),
        ("RecursionError", "RuntimeError"), ("StopIteration", "Exception"), ("SyntaxError", "Exception"),
        ("IndentationError", "SyntaxError"), ("SystemError", "Exception"), ("TypeError", "Exception"),
        ("ValueError", "Exception"), ("UnicodeError", "ValueError"), ("UnicodeDecodeError", "UnicodeError"),
        ("UnicodeEncodeError", "UnicodeError"), ("JSONDecodeError", "ValueError"), ("Warning", "Exception"),
        ("UserWarning", "Warning"), ("DeprecationWarning", "Warning"), ("RuntimeWarning", "Warning"),
        ("FutureWarning", "Warning"), ("UsageError", "Exception"),
        ("UFuncTypeError", "TypeError"), ("AxisError", "ValueError"),   // NumPy's
        ("UnidentifiedImageError", "OSError"), ("DecompressionBombError", "Exception"),
    ]

    static let exceptionNames = Set(exceptionHierarchy.map { $0.0 })

    /// The built-in exception class called `name`; an unknown name (an engine's own error kind) becomes a
    /// subclass of Exception.
    func exceptionClass(_ name: String) -> PyClass {
        if let c = session.builtinClasses[name] { return c }
        let base = Interpreter.exceptionHierarchy.first { $0.0 == name }.map { $0.1 } ?? "Exception"
        let module = name == "JSONDecodeError" ? "json.decoder" : name == "UnidentifiedImageError" ? "PIL"
            : name == "DecompressionBombError" ? "PIL.Image" : "builtins"
        let c = PyClass(name: name, module: module, bases: base.map { [exceptionClass($0)] } ?? [objectClass], native: .exception)
        session.builtinClasses[name] = c
        return c
    }

    /// The exception object for an error: the one raised, or a new one of the error's class.
    func exceptionObject(_ error: inout DLXError) -> PyInstance {
        if let e = error.exception { return e }
        let e = PyInstance(exceptionClass(error.type))
        e.attributes["args"] = .tuple(error.args ?? (error.message.isEmpty ? [] : [.string(error.message)]))
        // An OSError's message "[Errno 2] No such file or directory: 'path'" gives errno, strerror, filename.
        if error.args == nil, e.cls.isSubclass(of: exceptionClass("OSError")), error.message.hasPrefix("[Errno "),
           let close = error.message.firstIndex(of: "]"),
           let number = Int(error.message[error.message.index(error.message.startIndex, offsetBy: 7)..<close]) {
            var text = String(error.message[error.message.index(after: close)...].dropFirst())
            var file: Value = .none
            let parts = text.split(separator: ": '", omittingEmptySubsequences: false)
            if parts.count >= 2, text.hasSuffix("'") {
                file = .string(String(parts.dropFirst().joined(separator: ": '").dropLast()))
                text = String(parts[0])
            }
            e.attributes["args"] = .tuple([.int(number), .string(text)])
            e.attributes["errno"] = .int(number)
            e.attributes["strerror"] = .string(text)
            e.attributes["filename"] = file
        }
        error.exception = e
        return e
    }

    /// The error that raising `value` makes (`raise X`, `raise X(...)`).
    func raising(_ value: Value) throws(DLXError) -> DLXError {
        var instance: PyInstance
        switch value {
        case .object(let c as PyClass) where c.native == .exception:
            var a = Arguments()
            guard case .object(let o as PyInstance)? = try c.call(&a, self) else { throw .type("exceptions must derive from BaseException") }
            instance = o
        case .object(let o as PyInstance) where o.cls.native == .exception:
            instance = o
        default:
            throw .type("exceptions must derive from BaseException")
        }
        // A __str__ that fails is the handler's problem, not the raise's (Python prints "<exception str() failed>").
        var error = DLXError(instance.cls.name, (try? exceptionStr(instance)) ?? "<exception str() failed>")
        error.exception = instance
        return error
    }

    func exceptionArgs(_ e: UserObject) -> [Value] {
        if case .tuple(let a)? = e.attributes["args"] { return a }
        return []
    }

    /// `str(e)`: the one argument's str, nothing for none, the tuple's repr for several (a KeyError's key as repr).
    func exceptionStr(_ e: UserObject) throws(DLXError) -> String {
        if e.cls.lookup("__str__") != nil, let s = try e.checkedStr(self) { return s }
        let args = exceptionArgs(e)
        if e.cls.isSubclass(of: exceptionClass("OSError")), args.count >= 2, case .int(let n) = args[0] {
            let file = e.attributes["filename"] ?? .none
            return "[Errno \(n)] \(try str(args[1]))" + (file.isNone ? "" : ": " + (try repr(file)))
        }
        switch args.count {
        case 0: return ""
        case 1: return e.cls.isSubclass(of: exceptionClass("KeyError")) ? try repr(args[0]) : try str(args[0])
        default: return try repr(.tuple(args))
        }
    }

    /// `repr(e)`: `ValueError('bad')`.
    func exceptionRepr(_ e: UserObject) throws(DLXError) -> String {
        let args = exceptionArgs(e)
        let inner = args.count == 1 ? try repr(args[0]) : String(try repr(.tuple(args)).dropFirst().dropLast())
        return "\(e.cls.name)(\(inner))"
    }

    /// Whether the error is an instance of the class (or of one in the tuple) an `except` clause names.
    func matches(_ error: inout DLXError, _ filter: Value) throws(DLXError) -> Bool {
        let cls = exceptionObject(&error).cls
        switch filter {
        case .object(let c as PyClass):
            guard c.native == .exception else { throw .type("catching classes that do not inherit from BaseException is not allowed") }
            return cls.isSubclass(of: c)
        case .tuple(let items):
            for f in items where try matches(&error, f) { return true }
            return false
        default:
            throw .type("catching classes that do not inherit from BaseException is not allowed")
        }
    }

    /// `raise`, `raise X`, `raise X from Y`.
    func execRaise(_ exception: Expr?, cause: Expr?, _ span: SourceSpan) throws(DLXError) {
        guard let exception else {
            guard var active = handling.last else { throw DLXError("RuntimeError", "No active exception to reraise", span: span) }
            active.span = active.span ?? span
            throw active
        }
        var error = try raising(try eval(exception))
        error.span = span
        if let cause {
            let c = try eval(cause)
            let instance = error.exception!
            switch c {
            case .none: instance.attributes["__cause__"] = Value.none
            case .object(let k as PyClass) where k.native == .exception:
                var a = Arguments()
                instance.attributes["__cause__"] = try k.call(&a, self) ?? Value.none
            case .object(let o as PyInstance) where o.cls.native == .exception: instance.attributes["__cause__"] = c
            default: throw .type("exception causes must derive from BaseException")
            }
            instance.attributes["__suppress_context__"] = .bool(true)
        }
        if var context = handling.last, let instance = error.exception, instance.attributes["__context__"] == nil {
            instance.attributes["__context__"] = .object(exceptionObject(&context))
        }
        throw error
    }

    /// `try: ... except ...: ... else: ... finally: ...`. `finally` runs on every way out; an error or
    /// `return` in it replaces whatever was unwinding.
    func execTry(_ body: [Stmt], _ handlers: [ExceptHandler], _ otherwise: [Stmt]?, _ finally: [Stmt]?) throws {
        var pending: (any Error)? = nil
        do {
            var raised = false
            do {
                try execBlock(body)
            } catch var error as DLXError {
                raised = true
                guard error.catchable, !handlers.isEmpty else { throw error }
                var chosen: ExceptHandler? = nil
                for h in handlers {
                    guard let t = h.type else { chosen = h; break }
                    if try matches(&error, try eval(t)) { chosen = h; break }
                }
                guard let handler = chosen else { throw error }
                let instance = exceptionObject(&error)
                if let name = handler.name { assignName(name, .object(instance)) }
                handling.append(error)
                defer {
                    handling.removeLast()
                    if let name = handler.name { try? deleteName(name, handler.span) }
                }
                try execBlock(handler.body)
            }
            if !raised, let otherwise { try execBlock(otherwise) }
        } catch {
            pending = error
        }
        // While `finally` runs, the error unwinding is the one being handled (an error raised there names it
        // as its context).
        if let e = pending as? DLXError { handling.append(e) }
        defer { if pending is DLXError { handling.removeLast() } }
        try runFinally(finally)
        if let pending { throw pending }
    }

    private func runFinally(_ finally: [Stmt]?) throws {
        if let finally { try execBlock(finally) }
    }
}
