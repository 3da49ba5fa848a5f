import DLXFrontEnd
import DLXEngine

/// Evaluates the syntax tree against a session. The shell gives it source text; it gives back output
/// through the session's `write` and `display`, and errors as `DLXError` with a source position.
public final class Interpreter {
    public let session: Session
    /// The scopes of the running code, innermost last: user functions' frames, class bodies and
    /// comprehensions. Empty at the top level, where names are the session's globals.
    var frames: [Frame] = []
    /// Where the code being run comes from, for tracebacks ("lesson.py", "Cell In[3]"); the shell sets it.
    public var sourceName = "<stdin>"
    /// Code from this source (a grading key's checks) sees Python's built-ins (`sum`, `len`, `print`, ...)
    /// whatever the session's globals rebind them to; its other names are the session's as usual. Code
    /// from any other source, such as the submission's functions that the checks call, is unaffected.
    public var trustedSource: String? = nil
    /// The forward pass running now (a user module's `forward`): modules called inside it share it, so that
    /// `summary`'s observer sees them and dropout draws from one generator.
    var forwardContext: ForwardContext? = nil
    /// The forward `torch.onnx.export` is tracing: tensor functions and methods report to it.
    var onnxTrace: ForwardTrace? = nil
    /// Lists and dicts whose repr is being made (a container met again inside itself prints `[...]`).
    var reprInProgress = Set<ObjectIdentifier>()
    /// The errors being handled by the `except` clauses running now, innermost last (for a bare `raise`).
    var handling: [DLXError] = []
    /// The line of the statement running now (for warnings).
    var currentLine = 0
    /// Scripts running inside one another through `%run` (a script that runs itself stops at the recursion limit).
    var runDepth = 0

    public init(session: Session) { self.session = session }

    /// The session ends with its interpreter (one each): the cycles it still holds are cut (see `tearDown`).
    deinit { tearDown() }

    /// Runs a cell or a script chunk. With `displayAll`, every top-level expression statement's value is
    /// displayed (a script); otherwise only a final expression statement's (a notebook cell).
    public func run(_ source: String, firstLine: Int = 1, displayAll: Bool = false) throws(DLXError) {
        try session.heap.entered { () throws(DLXError) in try runEntered(source, firstLine: firstLine, displayAll: displayAll) }
    }

    private func runEntered(_ source: String, firstLine: Int, displayAll: Bool) throws(DLXError) {
        if Interpreter.isCellMagic(source) {
            try runCellMagic(source, firstLine: firstLine)
            return
        }
        // A magic line among other statements: run the top-level statements one by one.
        if source.contains("\n%") || (source.hasPrefix("%") && source.contains("\n")) {
            let cells = CellSplitter.split(source, firstLine: firstLine)
            if cells.count > 1 {
                for (i, cell) in cells.enumerated() {
                    // In a notebook cell only the last statement's value shows.
                    let last = displayAll || i == cells.count - 1
                    try session.redirecting(display: last ? nil : { _ in }) { () throws(DLXError) in
                        try run(cell.text, firstLine: cell.firstLine, displayAll: displayAll)
                    }
                }
                return
            }
        }
        do {
            if try runMagic(source, firstLine: firstLine) { return }
        } catch var error {
            if (error.span?.start.line ?? 0) == 0 {
                error.span = SourceSpan(SourceLocation(line: firstLine, column: 1), SourceLocation(line: firstLine, column: 2))
            }
            throw error
        }
        do {
            try execute(try parse(source, firstLine: firstLine), displayAll: displayAll)
        } catch var error {
            if frames.isEmpty { addSuggestion(to: &error) }
            throw error
        }
    }

    func parse(_ source: String, firstLine: Int) throws(DLXError) -> [Stmt] {
        do { return try Parser.parse(source, firstLine: firstLine) } catch { throw DLXError(error) }
    }

    /// Runs parsed statements; see `run` for `displayAll`.
    func execute(_ statements: [Stmt], displayAll: Bool) throws(DLXError) {
        for (i, s) in statements.enumerated() {
            atSafePoint()
            currentLine = s.span.start.line
            if case .expression(let e) = s.kind {
                let v = try eval(e)
                if displayAll || i == statements.count - 1, !v.isNone { session.display(v) }
                continue
            }
            try exec(s)
        }
    }

    /// Evaluates one expression from source, for `help`, completion tests and the like.
    public func evaluate(_ source: String) throws(DLXError) -> Value {
        try session.heap.entered { () throws(DLXError) in try evaluateEntered(source) }
    }

    private func evaluateEntered(_ source: String) throws(DLXError) -> Value {
        do {
            var p = Parser(tokens: try Lexer.tokenize(source))
            return try eval(try p.expressionList())
        } catch let e as SyntaxError {
            throw DLXError(e)
        } catch let e as DLXError {
            throw e
        } catch {
            throw DLXError("RuntimeError", "\(error)")
        }
    }

    /// Runs engine code, turning its errors into dlx errors.
    @inline(__always)
    func engine<T>(_ body: () throws(TensorError) -> T) throws(DLXError) -> T {
        do { return try body() } catch {
            // Engine loops stop on `stopRequested`; say why (Ctrl-C or a time limit).
            if error.kind == .interrupted, let stop = session.pendingStop() { throw stop }
            var e = DLXError(error)
            // Past a memory limit the grader set (--max-memory), the MemoryError is the grader's: uncatchable.
            if error.kind == .memory, session.limits.memoryLimited { e.catchable = false }
            throw e
        }
    }

    func checkInterrupt() throws(DLXError) {
        if let stop = session.pendingStop() { throw stop }
    }

    /// For engine loops (training, evaluation): whether the running cell must stop.
    func stopRequested() -> Bool { session.pendingStop() != nil }

    // MARK: - Expressions

    func eval(_ e: Expr) throws(DLXError) -> Value {
        do {
            return try evalUnchecked(e)
        } catch var error {
            if error.span == nil { error.span = e.span }
            throw error
        }
    }

    private func evalUnchecked(_ e: Expr) throws(DLXError) -> Value {
        switch e.kind {
        case .name(let n): return try lookup(n, e.span)
        case .int(let v): return .int(v)
        case .float(let v): return .float(v)
        case .string(let s): return .string(s)
        case .fstring(let parts): return .string(try formatFString(parts))
        case .bytes(let b): return .object(BytesObject(b))
        case .bool(let b): return .bool(b)
        case .none: return Value.none
        case .ellipsis: return .ellipsis
        case .list(let items): return .list(ListBox(try evalItems(items)))
        case .tuple(let items): return .tuple(try evalItems(items))
        case .dict(let pairs):
            let d = DictBox()
            for (k, v) in pairs {
                guard let k else { try update(d, mapping: try eval(v)); continue }
                try d.set(try eval(k), try eval(v))
            }
            return .dict(d)
        case .attribute(let base, let name):
            return try getAttribute(try eval(base), name)
        case .subscript(let base, let items):
            let b = try eval(base)
            return try getItem(b, try evalIndex(items))
        case .slice:
            throw DLXError("SyntaxError", "a slice is only allowed inside []")
        case .call(let callee, let args):
            if args.count == 1, case .call = args[0].value.kind, let v = try layerChain(e) { return v }
            let f = try eval(callee)
            var a = try evalArguments(args)
            return try call(f, &a)
        case .unary(let op, let x):
            return try unaryOp(op, try eval(x))
        case .binary(let op, let l, let r):
            return try binaryOp(op, try eval(l), try eval(r))
        case .compare(let first, let rest):
            var left = try eval(first)
            for (op, re) in rest {
                let right = try eval(re)
                let r = try compare(op, left, right)
                if case .tensor = r, rest.count == 1 { return r }
                if case .object(let o) = r, o is NDArrayObject || o is NumpyScalar, rest.count == 1 { return r }
                if !(try truthy(r)) { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .and(let l, let r):
            let a = try eval(l)
            return try truthy(a) ? try eval(r) : a
        case .or(let l, let r):
            let a = try eval(l)
            return try truthy(a) ? a : try eval(r)
        case .not(let x): return .bool(!(try truthy(try eval(x))))
        case .conditional(let then, let condition, let otherwise):
            return try truthy(try eval(condition)) ? try eval(then) : try eval(otherwise)
        case .starred:
            throw DLXError("SyntaxError", "can't use starred expression here")
        case .load(let path, let arguments, let index):
            var args: Arguments? = nil
            if let arguments { args = try evalArguments(arguments) }
            return try load(path, &args, index: try index.map { ix throws(DLXError) in try eval(ix) }, span: e.span)
        case .comprehension(let kind, let element, let clauses):
            return try comprehension(kind, element, clauses)
        case .dictComprehension(let key, let value, let clauses):
            return try dictComprehension(key, value, clauses)
        case .set(let items): return .object(try SetObject(try evalItems(items), self))
        case .lambda(let def): return try makeFunction(def)
        case .yield(let value):
            return try yieldValue(try value.map { x throws(DLXError) in try eval(x) } ?? Value.none)
        case .yieldFrom(let source):
            let inner = try eval(source)
            if case .object(let g as UserGenerator) = inner {
                while let v = try g.step() { _ = try yieldValue(v) }
                return g.returnValue
            }
            let it = try iterator(inner)
            while let v = try it.next() { _ = try yieldValue(v) }
            return Value.none
        case .namedExpr(let name, let value):
            let v = try eval(value)
            assignWalrus(name, v)
            return v
        }
    }

    /// List items, with `*xs` spliced in.
    func evalItems(_ items: [Expr]) throws(DLXError) -> [Value] {
        var out: [Value] = []
        for item in items {
            if case .starred(let inner) = item.kind {
                out += try iterateAll(try eval(inner))
            } else {
                out.append(try eval(item))
            }
        }
        return out
    }

    func evalIndex(_ items: [Expr]) throws(DLXError) -> [Value] {
        var out: [Value] = []
        for item in items {
            if case .slice(let a, let b, let c) = item.kind {
                func bound(_ x: Expr?) throws(DLXError) -> Int? {
                    guard let x else { return nil }
                    let v = try eval(x)
                    if v.isNone { return nil }
                    return try toIndex(v, "slice indices")
                }
                out.append(.slice(try bound(a), try bound(b), try bound(c)))
            } else {
                out.append(try eval(item))
            }
        }
        return out
    }

    func evalArguments(_ args: [Argument]) throws(DLXError) -> Arguments {
        var a = Arguments()
        for arg in args {
            switch arg.kind {
            case .positional: a.positional.append(try eval(arg.value))
            case .keyword(let k): a.keywords.append((k, try eval(arg.value)))
            case .star: a.positional += try iterateAll(try eval(arg.value))
            case .doubleStar:
                guard case .dict(let d) = try eval(arg.value) else {
                    throw .type("argument after ** must be a mapping")
                }
                for (k, v) in zip(d.keys, d.values) {
                    guard case .string(let name) = k else { throw .type("keywords must be strings") }
                    a.keywords.append((name, v))
                }
            }
        }
        return a
    }

    // MARK: - Calls

    public func call(_ f: Value, _ args: inout Arguments) throws(DLXError) -> Value {
        try Interpreter.ensureStack()
        switch f {
        case .object(let o):
            if onnxTrace != nil, let f = o as? BuiltinFunction, !f.isMethod { return try tracedCall(f, &args) }
            if let v = try o.call(&args, self) { return v }
        case .module(let m as UserModule):
            if let c = m.special("__call__") { return try call(c, &args) }
            return try callUserForward(m, &args)
        case .module(let m):
            return try callModule(m, &args)
        default: break
        }
        throw .type("'\(f.typeName)' object is not callable")
    }

    // MARK: - Statements

    func exec(_ s: Stmt) throws(DLXError) {
        currentLine = s.span.start.line
        do {
            try execUnchecked(s)
        } catch var error {
            if error.span == nil { error.span = s.span }
            throw error
        }
    }

    /// Between two statements, at the top level or in any block, where nothing is half done: generators dropped
    /// while paused are closed, and cycles are collected when enough objects were made (see Memory/Heap.swift).
    @inline(__always)
    func atSafePoint() {
        if !session.droppedGenerators.isEmpty { closeDroppedGenerators() }
        if session.heap.due { session.heap.collect() }
    }

    func execBlock(_ body: [Stmt]) throws {
        var k = 0
        while k < body.count {
            let s = body[k]
            try checkInterrupt()
            atSafePoint()
            frames.last?.span = s.span
            currentLine = s.span.start.line
            // `x = self.conv(x)`, `x = self.bn(x)`, ... in a function: one chain of layer calls.
            if frames.last?.kind == .function, let (name, chain, count) = statementChain(body, k) {
                let v = try eval(chain)
                assignName(name, v)
                k += count
                continue
            }
            k += 1
            if case .expression(let e) = s.kind { _ = try eval(e); continue }
            try execFlow(s)
        }
    }

    /// Executes a statement that may raise control flow (break, continue, return).
    func execFlow(_ s: Stmt) throws {
        switch s.kind {
        case .breakLoop: throw ControlFlow.breakLoop
        case .continueLoop: throw ControlFlow.continueLoop
        case .returnValue(let e):
            guard !frames.isEmpty else { throw DLXError("SyntaxError", "'return' outside function", span: s.span) }
            throw ControlFlow.returnValue(try e.map { x throws(DLXError) in try eval(x) } ?? Value.none)
        case .ifElse(let branches, let otherwise):
            for (c, body) in branches where try truthy(try eval(c)) {
                try execBlock(body)
                return
            }
            if let otherwise { try execBlock(otherwise) }
        case .forLoop(let target, let iterable, let body, let otherwise):
            let it = try iterator(try eval(iterable))
            var broke = false
            while let v = try it.next() {
                try assign(target, v)
                if try runLoopBody(body) { broke = true; break }
            }
            if !broke, let otherwise { try execBlock(otherwise) }
        case .whileLoop(let condition, let body, let otherwise):
            var broke = false
            while try truthy(try eval(condition)) {
                try checkInterrupt()
                if try runLoopBody(body) { broke = true; break }
            }
            if !broke, let otherwise { try execBlock(otherwise) }
        case .with(let context, let name, let body):
            try execWith(try eval(context), name, body, s.span)
        case .tryStatement(let body, let handlers, let otherwise, let finally):
            try execTry(body, handlers, otherwise, finally)
        default:
            try exec(s)
        }
    }

    /// Runs one pass of a loop body; true when it ended with `break`.
    private func runLoopBody(_ body: [Stmt]) throws -> Bool {
        do {
            try execBlock(body)
        } catch let f as ControlFlow {
            switch f {
            case .breakLoop: return true
            case .continueLoop: return false
            case .returnValue: throw f
            }
        }
        return false
    }

    private func execUnchecked(_ s: Stmt) throws(DLXError) {
        switch s.kind {
        case .expression(let e): _ = try eval(e)
        case .assign(let targets, let value):
            let v = try eval(value)
            for t in targets { try assign(t, v) }
        case .augmentedAssign(let target, let op, let value):
            let current = try eval(target)
            let rhs = try eval(value)
            let result = try inPlaceOp(op, current, rhs)
            try assign(target, result)
        case .importModules(let names):
            for n in names { try importModule(n) }
        case .importFrom(let module, let names):
            try importFrom(module, names)
        case .delete(let targets):
            for t in targets { try delete(t) }
        case .pass: break
        case .global(let names):
            guard let f = frames.last else { return }
            for n in names { f.globalNames.insert(n) }
        case .assert(let test, let message):
            if !(try truthy(try eval(test))) {
                throw DLXError("AssertionError", try message.map { m throws(DLXError) in try str(try eval(m)) } ?? "")
            }
        case .function(let def):
            assignName(def.name, try decorate(try makeFunction(def), def.decorators))
        case .classDef(let def):
            assignName(def.name, try decorate(try makeClass(def), def.decorators))
        case .raise(let exception, let cause):
            try execRaise(exception, cause: cause, s.span)
        case .nonlocal(let names):
            try declareNonlocal(names, s.span)
        case .annotated(let target, let annotation, let value):
            try annotate(target, annotation)
            if let value { try assign(target, try eval(value)) }
        default:
            do { try execFlow(s) } catch let e as DLXError { throw e } catch let f as ControlFlow {
                switch f {
                case .breakLoop: throw DLXError("SyntaxError", "'break' outside loop", span: s.span)
                case .continueLoop: throw DLXError("SyntaxError", "'continue' not properly in loop", span: s.span)
                case .returnValue: throw DLXError("SyntaxError", "'return' outside function", span: s.span)
                }
            } catch {
                throw DLXError("RuntimeError", "\(error)", span: s.span)
            }
        }
    }

    // MARK: - Assignment

    func assign(_ target: Expr, _ value: Value) throws(DLXError) {
        switch target.kind {
        case .name(let n): assignName(n, value)
        case .tuple(let items), .list(let items):
            let star = items.firstIndex { if case .starred = $0.kind { return true } else { return false } }
            // Without a starred target, one value more than the targets is enough to know it is too many (an
            // endless iterator is a ValueError at once, as in Python).
            let values = star != nil ? try iterateAll(value) : try firstValues(value, items.count + 1)
            if let star {
                let after = items.count - star - 1
                guard values.count >= items.count - 1 else {
                    throw DLXError("ValueError", "not enough values to unpack (expected at least \(items.count - 1), got \(values.count))", span: target.span)
                }
                for i in 0..<star { try assign(items[i], values[i]) }
                if case .starred(let inner) = items[star].kind {
                    try assign(inner, .list(ListBox(Array(values[star..<(values.count - after)]))))
                }
                for i in 0..<after { try assign(items[star + 1 + i], values[values.count - after + i]) }
                return
            }
            guard values.count == items.count else {
                let msg = values.count > items.count ? "too many values to unpack (expected \(items.count))"
                    : "not enough values to unpack (expected \(items.count), got \(values.count))"
                throw DLXError("ValueError", msg, span: target.span)
            }
            for (t, v) in zip(items, values) { try assign(t, v) }
        case .attribute(let base, let name):
            try setAttribute(try eval(base), name, value)
        case .subscript(let base, let items):
            try setItem(try eval(base), try evalIndex(items), value)
        case .starred:
            throw DLXError("SyntaxError", "starred assignment target must be in a list or tuple", span: target.span)
        default:
            throw DLXError("SyntaxError", "cannot assign to expression", span: target.span)
        }
    }

    /// At most `n` values of an iterable.
    func firstValues(_ v: Value, _ n: Int) throws(DLXError) -> [Value] {
        switch v {
        case .list, .tuple, .size: return try iterateAll(v)
        default:
            let it = try iterator(v)
            var out: [Value] = []
            while out.count < n, let x = try it.next() { out.append(x) }
            return out
        }
    }

    private func delete(_ target: Expr) throws(DLXError) {
        switch target.kind {
        case .name(let n): try deleteName(n, target.span)
        case .attribute(let base, let name):
            let b = try eval(base)
            guard let p = b.protocols, try p.deleteAttribute(name, self) else {
                throw DLXError("AttributeError", "'\(b.typeName)' object has no attribute '\(name)'")
            }
        case .subscript(let base, let items):
            let b = try eval(base)
            let index = try evalIndex(items)
            switch b {
            case .list(let l):
                guard index.count == 1 else { throw .type("list indices must be integers or slices, not tuple") }
                if case .slice(let lo, let hi, let st) = index[0] {
                    let drop = Set(try sliceIndices(lo, hi, st, l.items.count))
                    l.items = l.items.enumerated().filter { !drop.contains($0.offset) }.map { $0.element }
                    return
                }
                let i = try normalizedIndex(index[0], l.items.count, "list assignment")
                l.items.remove(at: i)
            case .dict(let d):
                guard try d.remove(index.count == 1 ? index[0] : .tuple(index)) else { throw keyError(index.count == 1 ? index[0] : .tuple(index)) }
            default:
                if let p = b.protocols, try p.deleteItem(index.count == 1 ? index[0] : .tuple(index), self) { return }
                throw .type("'\(b.typeName)' object doesn't support item deletion")
            }
        case .tuple(let items), .list(let items):
            for i in items { try delete(i) }
        default:
            throw DLXError("SyntaxError", "cannot delete expression", span: target.span)
        }
    }
}

/// Objects usable in `with`: `torch.no_grad()`.
protocol ContextManager: AnyObject {
    func enter(_ interpreter: Interpreter) -> Value
    func exit(_ interpreter: Interpreter)
}

extension Value {
    var isNone: Bool { if case .none = self { return true } else { return false } }
}
