import DLXFrontEnd
import CSupport

/// A function defined with `def` or `lambda`: parameters bound as Python binds them (positional,
/// keyword, defaults evaluated once at definition, `*args`, keyword-only, `**kwargs`), a fresh frame of
/// locals per call whose parent is the scope the function was defined in (closures), and a generator
/// instead of a run when the body yields.
final class UserFunction: PyObject {
    let definition: FunctionDef
    var name: String
    var defaults: [Value?]   // (a var for the cycle collector, which makes its storage unique and clears it)
    /// The scope it was defined in (nil: the globals); cut only when a call's frame is collected as garbage.
    private(set) var closure: Frame?
    /// Where it was defined, for tracebacks.
    let source: String
    /// The class whose body defined it (set when the class is made), for `super()`.
    var definingClass: PyClass? = nil
    var attributes = AttributeTable()
    var heapLink = HeapLink()

    init(_ definition: FunctionDef, defaults: [Value?], closure: Frame?, source: String) {
        self.definition = definition; self.name = definition.name; self.defaults = defaults
        self.closure = closure; self.source = source
        Heap.adopt(self)
    }
    deinit { Heap.leave(self) }

    /// At the end of a session (see `tearDown`): the scope and class it refers to are let go.
    func cutClosure() { closure = nil; definingClass = nil }

    var parameters: [Parameter] { definition.parameters }
    var typeName: String { "function" }
    var qualifiedName: String { "function" }
    func repr(_ interpreter: Interpreter) -> String {
        let qual = definingClass.map { $0.name + "." + name } ?? name
        return "<function \(qual) at \(interpreter.session.address(of: self))>"
    }

    func attribute(_ n: String, _ i: Interpreter) throws(DLXError) -> Value? {
        if let v = attributes[n] { return v }
        switch n {
        case "__name__", "__qualname__": return .string(name)
        case "__doc__":
            if case .expression(let e)? = definition.body.first?.kind, case .string(let s) = e.kind { return .string(s) }
            return Value.none
        case "__module__": return .string("__main__")
        default: return attributes[n]
        }
    }

    func setAttribute(_ n: String, _ value: Value, _ i: Interpreter) throws(DLXError) -> Bool {
        if n == "__name__", case .string(let s) = value { name = s; return true }
        attributes[n] = value
        return true
    }

    /// A frame with every parameter bound from `args`, or Python's TypeError.
    func bind(_ args: Arguments) throws(DLXError) -> Frame {
        let frame = Frame(.function, parent: closure, name: name, source: source)
        let positional = parameters.filter { $0.kind == .positional }
        let varArgs = parameters.first { $0.kind == .varArgs }
        let varKeywords = parameters.first { $0.kind == .varKeywords }
        if args.positional.count > positional.count && varArgs == nil {
            let n = positional.count, given = args.positional.count
            let required = zip(positional, defaults).filter { $0.1 == nil }.count
            let takes = required == n ? "\(n)" : "from \(required) to \(n)"
            throw .type("\(name)() takes \(takes) positional argument\(n == 1 ? "" : "s") but \(given) \(given == 1 ? "was" : "were") given")
        }
        for (p, v) in zip(positional, args.positional) { frame.locals[p.name] = v }
        if let varArgs { frame.locals[varArgs.name] = .tuple(Array(args.positional.dropFirst(positional.count))) }
        let extra = varKeywords == nil ? nil : DictBox()   // (a dict only for a **kwargs parameter)
        for (k, v) in args.keywords {
            guard let p = parameters.first(where: { $0.name == k && ($0.kind == .positional || $0.kind == .keywordOnly) }) else {
                guard let extra else { throw .type("\(name)() got an unexpected keyword argument '\(k)'") }
                try extra.set(.string(k), v)
                continue
            }
            if frame.locals[p.name] != nil { throw .type("\(name)() got multiple values for argument '\(k)'") }
            frame.locals[k] = v
        }
        if let varKeywords, let extra { frame.locals[varKeywords.name] = .dict(extra) }
        var missing: [String] = [], missingKeywords: [String] = []
        for (i, p) in parameters.enumerated() where frame.locals[p.name] == nil {
            if let d = defaults[i] { frame.locals[p.name] = d }
            else if p.kind == .positional { missing.append("'\(p.name)'") }
            else if p.kind == .keywordOnly { missingKeywords.append("'\(p.name)'") }
        }
        if !missing.isEmpty { throw .type("\(name)() missing \(UserFunction.list(missing, "positional"))") }
        if !missingKeywords.isEmpty { throw .type("\(name)() missing \(UserFunction.list(missingKeywords, "keyword-only"))") }
        frame.globalNames = UserFunction.declaredGlobals(definition.body)
        frame.definingClass = definingClass
        frame.firstArgument = args.positional.first
        return frame
    }

    /// Python's "1 required positional argument: 'x'" / "2 required ...: 'x' and 'y'" / "'x', 'y', and 'z'".
    static func list(_ names: [String], _ kind: String) -> String {
        let joined: String
        switch names.count {
        case 1: joined = names[0]
        case 2: joined = names[0] + " and " + names[1]
        default: joined = names.dropLast().joined(separator: ", ") + ", and " + names.last!
        }
        return "\(names.count) required \(kind) argument\(names.count == 1 ? "" : "s"): \(joined)"
    }

    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        try interpreter.checkDepth()
        var frame = try bind(args)
        args = Arguments()
        if definition.isGenerator { return .object(UserGenerator(self, frame, interpreter)) }
        defer { if frame.madeClosures { UserFunction.collect(&frame) } }
        return try interpreter.runBody(frame, definition.body)
    }

    /// A call's frame that holds a function defined in it (a recursive inner `def`, a lambda kept in a
    /// local) and that function's closure are a reference cycle, which reference counting never frees
    /// (CPython's cycle collector does). When the call ends and nothing else holds either, the cycle is cut.
    /// Anything outside still holding one of them (a returned or stored closure, a generator) keeps
    /// everything as it is.
    static func collect(_ frame: inout Frame) {
        var inner: [(String, UserFunction)] = []
        for (name, value) in frame.locals {
            guard case .object(let o) = value, let f = o as? UserFunction, f.closure === frame else { continue }
            inner.append((name, f))
        }
        guard !inner.isEmpty else { return }
        for (name, _) in inner { frame.locals[name] = nil }
        var escaped = false
        for k in inner.indices where !escaped {
            // Held only by `inner` now that the locals let go of it: no one outside has it.
            escaped = !isKnownUniquelyReferenced(&inner[k].1)
        }
        if !escaped {
            for (_, f) in inner { f.closure = nil }
            if isKnownUniquelyReferenced(&frame) { return }   // garbage: the frame and its functions go now
            for (_, f) in inner { f.closure = frame }
        }
        for (name, f) in inner { frame.locals[name] = .object(f) }
    }

    /// Names a `global` statement anywhere in the body declares.
    static func declaredGlobals(_ body: [Stmt]) -> Set<String> {
        var out = Set<String>()
        for s in body {
            switch s.kind {
            case .global(let names): out.formUnion(names)
            case .ifElse(let branches, let otherwise):
                for b in branches { out.formUnion(declaredGlobals(b.body)) }
                if let o = otherwise { out.formUnion(declaredGlobals(o)) }
            case .forLoop(_, _, let b, let o), .whileLoop(_, let b, let o):
                out.formUnion(declaredGlobals(b))
                if let o { out.formUnion(declaredGlobals(o)) }
            case .with(_, _, let b): out.formUnion(declaredGlobals(b))
            case .tryStatement(let b, let handlers, let o, let f):
                out.formUnion(declaredGlobals(b))
                for h in handlers { out.formUnion(declaredGlobals(h.body)) }
                out.formUnion(declaredGlobals(o ?? []))
                out.formUnion(declaredGlobals(f ?? []))
            default: break
            }
        }
        return out
    }
}

extension Interpreter {
    /// Python's recursion limit, and a guard on the stack itself: deep recursion of any kind (calls,
    /// `__repr__` calling `repr`, nested data) is a RecursionError before the thread's stack runs out.
    func checkDepth() throws(DLXError) {
        guard frames.count < session.maxCallDepth else { throw DLXError("RecursionError", "maximum recursion depth exceeded") }
        try Interpreter.ensureStack()
    }

    /// Whatever recurses (calls, reprs, comparisons, hashing of nested data) stops with Python's RecursionError
    /// while the thread still has `stackReserve` bytes of stack.
    static func ensureStack(_ message: String = "maximum recursion depth exceeded") throws(DLXError) {
        if dlx_stack_remaining() < stackReserve { throw DLXError("RecursionError", message) }
    }

    /// Stack kept free below the deepest user call: enough for the engine and the error's unwinding (four
    /// times more under a sanitizer, whose frames are larger).
    static let stackReserve: UInt = dlx_sanitizer() == nil ? 256 << 10 : 1 << 20

    /// Runs a function body in its frame: its return value, and its frame in the traceback of an error.
    func runBody(_ frame: Frame, _ body: [Stmt]) throws(DLXError) -> Value {
        frames.append(frame)
        defer { frames.removeLast() }
        do {
            try execBlock(body)
        } catch let flow as ControlFlow {
            if case .returnValue(let v) = flow { return v }
            throw DLXError("SyntaxError", "'break' outside loop")
        } catch var e as DLXError {
            // The frame shows where in it the error passed; the caller then gives the call's place.
            e.traceback.append(TraceFrame(function: frame.name, source: frame.source, span: e.span ?? frame.span))
            e.span = nil
            throw e
        } catch {
            throw DLXError("RuntimeError", "\(error)")
        }
        return Value.none
    }
}
