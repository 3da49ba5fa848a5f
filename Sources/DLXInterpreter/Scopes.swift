import DLXFrontEnd

/// One scope of running code: a user function's call, a class body, or a comprehension. Scopes that
/// enclose it lexically (for closures) are reached through `parent`, which is captured when a function is
/// defined, so a nested function sees its enclosing function's variables as they are when it runs, as in
/// Python.
final class Frame {
    enum Kind { case function, classBody, comprehension }
    let kind: Kind
    var locals: [String: Value] = [:]
    var globalNames: Set<String> = []
    var nonlocalNames: Set<String> = []
    /// The lexically enclosing scope (nil: the globals).
    let parent: Frame?
    /// For tracebacks: the function's name, where it was defined, and the statement running now.
    let name: String
    let source: String
    var span: SourceSpan? = nil
    /// A method's class and first argument, for `super()`.
    var definingClass: PyClass? = nil
    var firstArgument: Value? = nil
    /// Set when a function or lambda was made with this frame as its closure (see `UserFunction.collect`).
    var madeClosures = false
    /// The generator this function's body runs for (nil in ordinary calls).
    var generator: GeneratorChannel? = nil
    var heapLink = HeapLink()

    init(_ kind: Kind, parent: Frame?, name: String, source: String) {
        self.kind = kind; self.parent = parent; self.name = name; self.source = source
        Heap.adopt(self)
    }
    deinit { Heap.leave(self) }
}

extension Interpreter {
    /// The scope new functions and comprehensions close over: class bodies are skipped, as in Python.
    var closureScope: Frame? {
        var f = frames.last
        while let s = f, s.kind == .classBody { f = s.parent }
        return f
    }

    /// The file the running code was written in: the innermost frame's (a function of the submission that
    /// a grading check calls), else the source being run.
    var lexicalSource: String { frames.last?.source ?? sourceName }

    /// Whether the running code is the trusted source's (a grading key's checks; see `trustedSource`).
    var runningTrustedCode: Bool { trustedSource != nil && lexicalSource == trustedSource }

    /// The innermost function frame (a comprehension's or class body's enclosing call).
    var functionFrame: Frame? { frames.last { $0.kind == .function } }

    func lookup(_ name: String, _ span: SourceSpan) throws(DLXError) -> Value {
        if let f = frames.last, !f.globalNames.contains(name) {
            if let v = f.locals[name] { return v }
            var p = f.parent
            while let s = p {
                if s.globalNames.contains(name) { break }
                if s.kind != .classBody, let v = s.locals[name] { return v }
                p = s.parent
            }
        }
        if trustedSource != nil, Interpreter.builtinNameSet.contains(name), runningTrustedCode, let v = builtin(name) { return v }
        if let v = session.globals[name] { return v }
        if let v = builtin(name) { return v }
        throw nameError(name, span)
    }

    func assignName(_ name: String, _ value: Value) {
        guard let f = frames.last, !f.globalNames.contains(name) else { session.globals[name] = value; return }
        if f.nonlocalNames.contains(name), let owner = enclosingOwner(of: name, from: f) {
            owner.locals[name] = value
            return
        }
        f.locals[name] = value
    }

    /// The enclosing function scope that holds `name` (for `nonlocal`).
    private func enclosingOwner(of name: String, from f: Frame) -> Frame? {
        var p = f.parent
        while let s = p {
            if s.kind != .classBody && s.locals[name] != nil && !s.nonlocalNames.contains(name) { return s }
            p = s.parent
        }
        return nil
    }

    /// `x := v` binds in the scope that contains the comprehension, as Python does.
    func assignWalrus(_ name: String, _ value: Value) {
        var f = frames.last
        while let s = f, s.kind == .comprehension { f = s.parent }
        guard let target = f, !target.globalNames.contains(name) else { session.globals[name] = value; return }
        target.locals[name] = value
    }

    func deleteName(_ name: String, _ span: SourceSpan) throws(DLXError) {
        if let f = frames.last, !f.globalNames.contains(name), f.locals.removeValue(forKey: name) != nil { return }
        guard session.globals.removeValue(forKey: name) != nil else {
            throw DLXError("NameError", "name '\(name)' is not defined", span: span)
        }
    }

    /// `nonlocal x` must name a variable of an enclosing function.
    func declareNonlocal(_ names: [String], _ span: SourceSpan) throws(DLXError) {
        guard let f = frames.last, f.kind == .function else {
            throw DLXError("SyntaxError", "nonlocal declaration not allowed at module level", span: span)
        }
        for n in names {
            guard enclosingOwner(of: n, from: f) != nil else {
                throw DLXError("SyntaxError", "no binding for nonlocal '\(n)' found", span: span)
            }
            f.nonlocalNames.insert(n)
        }
    }

    /// Runs `body` with `frame` as the innermost scope.
    func within<T, E: Error>(_ frame: Frame, _ body: () throws(E) -> T) throws(E) -> T {
        frames.append(frame)
        defer { frames.removeLast() }
        return try body()
    }
}
