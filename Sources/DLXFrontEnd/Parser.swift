/// A recursive-descent parser over the lexer's tokens, with Python's grammar and precedence.
public struct Parser {
    var tokens: [Token]
    var pos = 0
    /// Nesting of expressions being parsed; bounded so that hostile input cannot exhaust the stack.
    var depth = 0
    /// `yield`s seen in the function being parsed (a function that has one is a generator).
    var yields = 0
    static let maxDepth = 200
    /// Operators in one chain (`a + b + c ...`): each adds a level to the tree the evaluator walks.
    static let maxChain = 1000

    func checkChain(_ n: inout Int) throws(SyntaxError) {
        n += 1
        if n > Parser.maxChain { throw SyntaxError("expression too long (more than \(Parser.maxChain) operators in a row)", current.span) }
    }

    public init(tokens: [Token]) { self.tokens = tokens }

    /// Parses a whole cell or script into statements.
    public static func parse(_ source: String, firstLine: Int = 1) throws(SyntaxError) -> [Stmt] {
        var parser = Parser(tokens: try Lexer.tokenize(source, firstLine: firstLine))
        return try parser.program()
    }

    // MARK: - Token helpers

    var current: Token { tokens[pos] }
    var kind: TokenKind { tokens[pos].kind }
    func peekKind(_ k: Int) -> TokenKind { tokens[min(pos + k, tokens.count - 1)].kind }
    var previousSpan: SourceSpan { tokens[max(pos - 1, 0)].span }

    mutating func advance() -> Token {
        let t = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }
    func isOp(_ s: String) -> Bool { kind == .op(s) }
    func isKeyword(_ s: String) -> Bool { kind == .keyword(s) }
    mutating func accept(_ s: String) -> Bool {
        if isOp(s) || isKeyword(s) { pos += 1; return true }
        return false
    }
    mutating func expect(_ s: String, _ what: String? = nil) throws(SyntaxError) -> Token {
        if isOp(s) || isKeyword(s) { return advance() }
        throw unexpected(expecting: what ?? "'\(s)'")
    }

    func unexpected(expecting: String) -> SyntaxError {
        let t = current
        switch t.kind {
        case .eof: return SyntaxError("unexpected end of input, expected \(expecting)", t.span, incomplete: true)
        case .newline: return SyntaxError("expected \(expecting)", t.span)
        case .indent: return SyntaxError("unexpected indent", t.span)
        case .dedent: return SyntaxError("unexpected unindent", t.span)
        default: return SyntaxError("invalid syntax: unexpected \(describe(t.kind)), expected \(expecting)", t.span)
        }
    }

    func describe(_ k: TokenKind) -> String {
        switch k {
        case .name(let n): return "name '\(n)'"
        case .keyword(let n): return "keyword '\(n)'"
        case .int(let v): return "number \(v)"
        case .float(let v): return "number \(v)"
        case .string, .fstring, .bytes: return "string"
        case .op(let o): return "'\(o)'"
        case .newline: return "end of line"
        case .indent: return "indent"
        case .dedent: return "unindent"
        case .eof: return "end of input"
        }
    }

    func unsupported(_ what: String, _ span: SourceSpan) -> SyntaxError {
        SyntaxError("'\(what)' is not supported in dlx", span)
    }

    // MARK: - Statements

    mutating func program() throws(SyntaxError) -> [Stmt] {
        var statements: [Stmt] = []
        while kind != .eof {
            if kind == .newline { pos += 1; continue }
            statements += try statement()
        }
        return statements
    }

    mutating func statement() throws(SyntaxError) -> [Stmt] {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth { throw SyntaxError("too many nested blocks", current.span) }
        if case .keyword(let k) = kind {
            switch k {
            case "if": return [try ifStatement()]
            case "for": return [try forStatement()]
            case "while": return [try whileStatement()]
            case "def": return [try functionDefinition(decorators: [])]
            case "class": return [try classDefinition(decorators: [])]
            case "with": return [try withStatement()]
            case "try": return [try tryStatement()]
            case "async", "await":
                throw SyntaxError("'\(k)' (asynchronous code) is not supported in dlx", current.span)
            case "elif", "else", "except", "finally":
                throw SyntaxError("invalid syntax: '\(k)' without a matching statement", current.span)
            default: break
            }
        }
        if kind == .indent { throw SyntaxError("unexpected indent", current.span) }
        if isOp("@") { return [try decorated()] }
        return try simpleStatements()
    }

    /// `a; b; c` up to the end of the line.
    mutating func simpleStatements() throws(SyntaxError) -> [Stmt] {
        var out = [try smallStatement()]
        while accept(";") {
            if kind == .newline || kind == .eof { break }
            out.append(try smallStatement())
        }
        if kind == .eof { return out }
        guard kind == .newline else { throw unexpected(expecting: "end of statement") }
        pos += 1
        return out
    }

    private mutating func smallStatement() throws(SyntaxError) -> Stmt {
        let start = current.span
        if case .keyword(let k) = kind {
            switch k {
            case "pass": pos += 1; return Stmt(.pass, start)
            case "break": pos += 1; return Stmt(.breakLoop, start)
            case "continue": pos += 1; return Stmt(.continueLoop, start)
            case "return":
                pos += 1
                if kind == .newline || kind == .eof || isOp(";") { return Stmt(.returnValue(nil), start) }
                let value = try expressionList()
                return Stmt(.returnValue(value), start.to(value.span))
            case "import": return try importStatement()
            case "from": return try fromImport()
            case "del":
                pos += 1
                var targets = [try expression()]
                while accept(",") { targets.append(try expression()) }
                return Stmt(.delete(targets), start.to(previousSpan))
            case "global", "nonlocal":
                pos += 1
                var names = [try name()]
                while accept(",") { names.append(try name()) }
                return Stmt(k == "global" ? .global(names) : .nonlocal(names), start.to(previousSpan))
            case "raise":
                pos += 1
                if kind == .newline || kind == .eof || isOp(";") { return Stmt(.raise(nil, cause: nil), start) }
                let exception = try expression()
                let cause = accept("from") ? try expression() : nil
                return Stmt(.raise(exception, cause: cause), start.to(previousSpan))
            case "assert":
                pos += 1
                let test = try expression()
                let message = accept(",") ? try expression() : nil
                return Stmt(.assert(test, message: message), start.to(previousSpan))
            default: break
            }
        }
        let first = try expressionList(allowStar: true)
        if case .op(let o) = kind, o.count >= 2, o.hasSuffix("="), o != "==", o != "<=", o != ">=", o != "!=" {
            guard let op = BinaryOp(rawValue: String(o.dropLast())) else { throw unexpected(expecting: "an operator") }
            pos += 1
            try checkTarget(first, augmented: true)
            let value = try expressionList()
            return Stmt(.augmentedAssign(target: first, op: op, value: value), start.to(value.span))
        }
        if accept(":") {
            try checkTarget(first, augmented: true)
            let annotation = try expression()
            let value = accept("=") ? try expressionList(allowStar: true) : nil
            return Stmt(.annotated(target: first, annotation: annotation, value: value), start.to(previousSpan))
        }
        guard isOp("=") else { return Stmt(.expression(first), first.span) }
        var targets = [first]
        var value = first
        while accept("=") {
            value = try expressionList(allowStar: true)
            targets.append(value)
        }
        targets.removeLast()
        for t in targets { try checkTarget(t, augmented: false) }
        return Stmt(.assign(targets: targets, value: value), start.to(value.span))
    }

    func checkTarget(_ e: Expr, augmented: Bool) throws(SyntaxError) {
        switch e.kind {
        case .name, .attribute, .subscript: return
        case .tuple(let items) where !augmented, .list(let items) where !augmented:
            for i in items { try checkTarget(i, augmented: false) }
        case .starred(let inner) where !augmented: try checkTarget(inner, augmented: false)
        case .call: throw SyntaxError("cannot assign to function call", e.span)
        default: throw SyntaxError("cannot assign to expression", e.span)
        }
    }

    mutating func name() throws(SyntaxError) -> String {
        if case .name(let n) = kind { pos += 1; return n }
        throw unexpected(expecting: "a name")
    }

    mutating func dottedName() throws(SyntaxError) -> [String] {
        var path = [try name()]
        while accept(".") { path.append(try name()) }
        return path
    }

    private mutating func importStatement() throws(SyntaxError) -> Stmt {
        let start = advance().span
        var names: [ImportName] = []
        repeat {
            let s = current.span
            let path = try dottedName()
            let alias = accept("as") ? try name() : nil
            names.append(ImportName(path: path, alias: alias, span: s.to(previousSpan)))
        } while accept(",")
        return Stmt(.importModules(names), start.to(previousSpan))
    }

    private mutating func fromImport() throws(SyntaxError) -> Stmt {
        let start = advance().span
        if isOp(".") { throw SyntaxError("relative imports are not supported in dlx", current.span) }
        let module = try dottedName()
        _ = try expect("import")
        if isOp("*") { throw SyntaxError("'from ... import *' is not supported in dlx", current.span) }
        let parenthesised = accept("(")
        var names: [ImportName] = []
        repeat {
            if parenthesised && isOp(")") { break }
            let s = current.span
            let n = try name()
            let alias = accept("as") ? try name() : nil
            names.append(ImportName(path: [n], alias: alias, span: s.to(previousSpan)))
        } while accept(",")
        if parenthesised { _ = try expect(")") }
        return Stmt(.importFrom(module: module, names: names), start.to(previousSpan))
    }

    // MARK: - Compound statements

    /// The indented body after a `:`, or simple statements on the same line.
    mutating func block() throws(SyntaxError) -> [Stmt] {
        _ = try expect(":")
        if kind != .newline { return try simpleStatements() }
        pos += 1
        guard kind == .indent else {
            if kind == .eof { throw SyntaxError("expected an indented block", current.span, incomplete: true) }
            throw SyntaxError("expected an indented block", current.span)
        }
        pos += 1
        var body: [Stmt] = []
        while kind != .dedent && kind != .eof {
            if kind == .newline { pos += 1; continue }
            body += try statement()
        }
        if kind == .dedent { pos += 1 }
        return body
    }

    private mutating func ifStatement() throws(SyntaxError) -> Stmt {
        let start = advance().span
        var branches: [(condition: Expr, body: [Stmt])] = []
        branches.append((try namedExpression(), try block()))
        var otherwise: [Stmt]? = nil
        while true {
            if accept("elif") { branches.append((try namedExpression(), try block())); continue }
            if accept("else") { otherwise = try block() }
            break
        }
        return Stmt(.ifElse(branches: branches, otherwise: otherwise), start.to(previousSpan))
    }

    mutating func namedExpression() throws(SyntaxError) -> Expr {
        let e = try expression()
        if isOp(":=") { throw SyntaxError("cannot use assignment expressions with \(describe(tokens[pos - 1].kind))", current.span) }
        return e
    }

    private mutating func forStatement() throws(SyntaxError) -> Stmt {
        let start = advance().span
        let target = try targetList()
        _ = try expect("in")
        let iterable = try expressionList()
        let body = try block()
        let otherwise = accept("else") ? try block() : nil
        return Stmt(.forLoop(target: target, iterable: iterable, body: body, otherwise: otherwise), start.to(previousSpan))
    }

    /// `x`, `x, y`, `(i, (x, y))`: stops before `in`.
    mutating func targetList() throws(SyntaxError) -> Expr {
        let first = try bitOr()
        guard isOp(",") else { try checkTarget(first, augmented: false); return first }
        var items = [first]
        while accept(",") {
            if isKeyword("in") { break }
            items.append(try bitOr())
        }
        let e = Expr(.tuple(items), first.span.to(previousSpan))
        try checkTarget(e, augmented: false)
        return e
    }

    private mutating func whileStatement() throws(SyntaxError) -> Stmt {
        let start = advance().span
        let condition = try namedExpression()
        let body = try block()
        let otherwise = accept("else") ? try block() : nil
        return Stmt(.whileLoop(condition: condition, body: body, otherwise: otherwise), start.to(previousSpan))
    }

    /// `@decorator` lines before a `def` or `class`.
    private mutating func decorated() throws(SyntaxError) -> Stmt {
        var decorators: [Expr] = []
        while accept("@") {
            decorators.append(try namedExpression())
            guard kind == .newline else { throw unexpected(expecting: "end of line after a decorator") }
            pos += 1
        }
        if isKeyword("def") { return try functionDefinition(decorators: decorators) }
        if isKeyword("class") { return try classDefinition(decorators: decorators) }
        throw unexpected(expecting: "'def' or 'class' after a decorator")
    }

    private mutating func functionDefinition(decorators: [Expr]) throws(SyntaxError) -> Stmt {
        let start = advance().span
        let fname = try name()
        _ = try expect("(")
        let parameters = try parameterList(closing: ")", annotations: true)
        _ = try expect(")")
        let returns = accept("->") ? try expression() : nil
        let outer = yields
        yields = 0
        defer { yields = outer }
        let body = try block()
        let span = start.to(previousSpan)
        var def = FunctionDef(name: fname, parameters: parameters, body: body, decorators: decorators, isGenerator: yields > 0, span: span)
        def.returns = returns
        return Stmt(.function(def), span)
    }

    /// Parameters up to `closing` (not consumed): `a, b=1, *args, c, d=2, **kwargs`, with `/` and a bare `*`.
    mutating func parameterList(closing: String, annotations: Bool) throws(SyntaxError) -> [Parameter] {
        var parameters: [Parameter] = []
        var seenDefault = false, keywordOnly = false, seenDoubleStar = false
        while !isOp(closing) {
            let s = current.span
            if seenDoubleStar { throw SyntaxError("arguments cannot follow var-keyword argument", s) }
            var kind = keywordOnly ? Parameter.Kind.keywordOnly : .positional
            if accept("/") {
                guard !parameters.isEmpty, !keywordOnly else { throw SyntaxError("at least one argument must precede /", s) }
                if !accept(",") { break }
                continue
            }
            if accept("**") { kind = .varKeywords; seenDoubleStar = true }
            else if accept("*") {
                if keywordOnly { throw SyntaxError("* argument may appear only once", s) }
                keywordOnly = true
                if isOp(",") || isOp(closing) {
                    if !accept(",") { break }
                    continue
                }
                kind = .varArgs
            }
            let p = try name()
            let annotation = annotations && accept(":") ? try expression() : nil
            var value: Expr? = nil
            if kind == .positional || kind == .keywordOnly {
                if accept("=") { value = try expression(); if kind == .positional { seenDefault = true } }
                else if seenDefault && kind == .positional {
                    throw SyntaxError("non-default argument follows default argument", s)
                }
            }
            if parameters.contains(where: { $0.name == p }) {
                throw SyntaxError("duplicate argument '\(p)' in function definition", s)
            }
            parameters.append(Parameter(name: p, defaultValue: value, span: s.to(previousSpan), kind: kind, annotation: annotation))
            if !accept(",") { break }
        }
        return parameters
    }

    private mutating func classDefinition(decorators: [Expr]) throws(SyntaxError) -> Stmt {
        let start = advance().span
        let cname = try name()
        var bases: [Argument] = []
        if accept("(") { bases = try arguments() }
        let outer = yields
        defer { yields = outer }
        let body = try block()
        let span = start.to(previousSpan)
        return Stmt(.classDef(ClassDef(name: cname, bases: bases, body: body, decorators: decorators, span: span)), span)
    }

    private mutating func tryStatement() throws(SyntaxError) -> Stmt {
        let start = advance().span
        let body = try block()
        var handlers: [ExceptHandler] = []
        while isKeyword("except") {
            let s = advance().span
            if isOp("*") { throw SyntaxError("'except*' is not supported in dlx", current.span) }
            var type: Expr? = nil, name: String? = nil
            if !isOp(":") {
                type = try expression()
                if isOp(",") {
                    throw SyntaxError("multiple exception types must be parenthesized", current.span)
                }
                if accept("as") { name = try self.name() }
            }
            if let last = handlers.last, last.type == nil {
                throw SyntaxError("default 'except:' must be last", s)
            }
            handlers.append(ExceptHandler(type: type, name: name, body: try block(), span: s))
        }
        var otherwise: [Stmt]? = nil, finally: [Stmt]? = nil
        if !handlers.isEmpty && accept("else") { otherwise = try block() }
        if accept("finally") { finally = try block() }
        if handlers.isEmpty && finally == nil {
            if kind == .eof { throw SyntaxError("expected 'except' or 'finally' block", current.span, incomplete: true) }
            throw SyntaxError("expected 'except' or 'finally' block", current.span)
        }
        return Stmt(.tryStatement(body: body, handlers: handlers, otherwise: otherwise, finally: finally), start.to(previousSpan))
    }

    private mutating func withStatement() throws(SyntaxError) -> Stmt {
        let start = advance().span
        let context = try expression()
        var target: Expr? = nil
        if accept("as") {
            let t = try bitOr()
            try checkTarget(t, augmented: false)
            target = t
        }
        // `with a as x, b as y:` is `with a as x:` around `with b as y:`.
        if accept(",") {
            pos -= 1
            tokens[pos] = Token(.keyword("with"), tokens[pos].span)
            let inner = try withStatement()
            return Stmt(.with(context: context, name: target, body: [inner]), start.to(previousSpan))
        }
        let body = try block()
        return Stmt(.with(context: context, name: target, body: body), start.to(previousSpan))
    }
}
