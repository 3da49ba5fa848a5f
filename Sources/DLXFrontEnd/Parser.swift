/// A recursive-descent parser over the lexer's tokens, with Python's grammar and precedence.
public struct Parser {
    private var tokens: [Token]
    private var pos = 0
    /// Nesting of expressions being parsed; bounded so that hostile input cannot exhaust the stack.
    private var depth = 0
    static let maxDepth = 200
    /// Operators in one chain (`a + b + c ...`): each adds a level to the tree the evaluator walks.
    static let maxChain = 1000

    private func checkChain(_ n: inout Int) throws(SyntaxError) {
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
    private var kind: TokenKind { tokens[pos].kind }
    private func peekKind(_ k: Int) -> TokenKind { tokens[min(pos + k, tokens.count - 1)].kind }
    private var previousSpan: SourceSpan { tokens[max(pos - 1, 0)].span }

    private mutating func advance() -> Token {
        let t = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }
    private func isOp(_ s: String) -> Bool { kind == .op(s) }
    private func isKeyword(_ s: String) -> Bool { kind == .keyword(s) }
    private mutating func accept(_ s: String) -> Bool {
        if isOp(s) || isKeyword(s) { pos += 1; return true }
        return false
    }
    private mutating func expect(_ s: String, _ what: String? = nil) throws(SyntaxError) -> Token {
        if isOp(s) || isKeyword(s) { return advance() }
        throw unexpected(expecting: what ?? "'\(s)'")
    }

    private func unexpected(expecting: String) -> SyntaxError {
        let t = current
        switch t.kind {
        case .eof: return SyntaxError("unexpected end of input, expected \(expecting)", t.span, incomplete: true)
        case .newline: return SyntaxError("expected \(expecting)", t.span)
        case .indent: return SyntaxError("unexpected indent", t.span)
        case .dedent: return SyntaxError("unexpected unindent", t.span)
        default: return SyntaxError("invalid syntax: unexpected \(describe(t.kind)), expected \(expecting)", t.span)
        }
    }

    private func describe(_ k: TokenKind) -> String {
        switch k {
        case .name(let n): return "name '\(n)'"
        case .keyword(let n): return "keyword '\(n)'"
        case .int(let v): return "number \(v)"
        case .float(let v): return "number \(v)"
        case .string, .fstring: return "string"
        case .op(let o): return "'\(o)'"
        case .newline: return "end of line"
        case .indent: return "indent"
        case .dedent: return "unindent"
        case .eof: return "end of input"
        }
    }

    private func unsupported(_ what: String, _ span: SourceSpan) -> SyntaxError {
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

    private mutating func statement() throws(SyntaxError) -> [Stmt] {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth { throw SyntaxError("too many nested blocks", current.span) }
        if case .keyword(let k) = kind {
            switch k {
            case "if": return [try ifStatement()]
            case "for": return [try forStatement()]
            case "while": return [try whileStatement()]
            case "def": return [try functionDefinition()]
            case "with": return [try withStatement()]
            case "class", "try", "async", "lambda", "yield", "raise", "nonlocal", "await":
                throw unsupported(k, current.span)
            case "elif", "else", "except", "finally":
                throw SyntaxError("invalid syntax: '\(k)' without a matching statement", current.span)
            default: break
            }
        }
        if kind == .indent { throw SyntaxError("unexpected indent", current.span) }
        return try simpleStatements()
    }

    /// `a; b; c` up to the end of the line.
    private mutating func simpleStatements() throws(SyntaxError) -> [Stmt] {
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
            case "global":
                pos += 1
                var names = [try name()]
                while accept(",") { names.append(try name()) }
                return Stmt(.global(names), start.to(previousSpan))
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
        if isOp(":") {
            throw SyntaxError("type annotations are not supported in dlx", current.span)
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

    private func checkTarget(_ e: Expr, augmented: Bool) throws(SyntaxError) {
        switch e.kind {
        case .name, .attribute, .subscript: return
        case .tuple(let items) where !augmented, .list(let items) where !augmented:
            for i in items { try checkTarget(i, augmented: false) }
        case .starred(let inner) where !augmented: try checkTarget(inner, augmented: false)
        case .call: throw SyntaxError("cannot assign to function call", e.span)
        default: throw SyntaxError("cannot assign to expression", e.span)
        }
    }

    private mutating func name() throws(SyntaxError) -> String {
        if case .name(let n) = kind { pos += 1; return n }
        throw unexpected(expecting: "a name")
    }

    private mutating func dottedName() throws(SyntaxError) -> [String] {
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
    private mutating func block() throws(SyntaxError) -> [Stmt] {
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

    private mutating func namedExpression() throws(SyntaxError) -> Expr {
        let e = try expression()
        if isOp(":=") { throw SyntaxError("':=' is not supported in dlx", current.span) }
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
    private mutating func targetList() throws(SyntaxError) -> Expr {
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

    private mutating func functionDefinition() throws(SyntaxError) -> Stmt {
        let start = advance().span
        let fname = try name()
        _ = try expect("(")
        var parameters: [Parameter] = []
        var seenDefault = false
        while !isOp(")") {
            let s = current.span
            if isOp("*") || isOp("**") { throw SyntaxError("'*args' and '**kwargs' parameters are not supported in dlx", s) }
            let p = try name()
            if isOp(":") { throw SyntaxError("type annotations are not supported in dlx", current.span) }
            var value: Expr? = nil
            if accept("=") { value = try expression(); seenDefault = true }
            else if seenDefault { throw SyntaxError("non-default argument follows default argument", s) }
            if parameters.contains(where: { $0.name == p }) {
                throw SyntaxError("duplicate argument '\(p)' in function definition", s)
            }
            parameters.append(Parameter(name: p, defaultValue: value, span: s.to(previousSpan)))
            if !accept(",") { break }
        }
        _ = try expect(")")
        if isOp("->") { throw SyntaxError("return annotations are not supported in dlx", current.span) }
        let body = try block()
        return Stmt(.function(name: fname, parameters: parameters, body: body), start.to(previousSpan))
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
        if isOp(",") { throw SyntaxError("several context managers in one 'with' are not supported in dlx", current.span) }
        let body = try block()
        return Stmt(.with(context: context, name: target, body: body), start.to(previousSpan))
    }

    // MARK: - Expressions

    /// `a, b, c` becomes a tuple; a single expression stays itself.
    public mutating func expressionList(allowStar: Bool = false) throws(SyntaxError) -> Expr {
        let first = try starOrExpression(allowStar)
        guard isOp(",") else { return first }
        var items = [first]
        while accept(",") {
            if endsExpressionList { break }
            items.append(try starOrExpression(allowStar))
        }
        return Expr(.tuple(items), first.span.to(previousSpan))
    }

    private var endsExpressionList: Bool {
        switch kind {
        case .newline, .eof: return true
        case .op(let o): return o == "=" || o == ")" || o == ";" || o == "]" || o == "}" || (o.hasSuffix("=") && o.count >= 2 && o != "==")
        default: return false
        }
    }

    private mutating func starOrExpression(_ allowStar: Bool) throws(SyntaxError) -> Expr {
        if isOp("*") {
            let s = advance().span
            let inner = try bitOr()
            return Expr(.starred(inner), s.to(inner.span))
        }
        return try expression()
    }

    public mutating func expression() throws(SyntaxError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth { throw SyntaxError("too many nested expressions", current.span) }
        if isKeyword("lambda") { throw unsupported("lambda", current.span) }
        if isKeyword("yield") { throw unsupported("yield", current.span) }
        if isKeyword("await") { throw unsupported("await", current.span) }
        let then = try orTest()
        guard isKeyword("if") else { return then }
        // A conditional expression; inside comprehensions `if` is a filter, handled by the caller.
        let save = pos
        pos += 1
        let condition = try orTest()
        guard accept("else") else { pos = save; return then }
        let otherwise = try expression()
        return Expr(.conditional(then: then, condition: condition, otherwise: otherwise), then.span.to(otherwise.span))
    }

    private mutating func orTest() throws(SyntaxError) -> Expr {
        var left = try andTest()
        var chain = 0
        while accept("or") {
            try checkChain(&chain)
            let right = try andTest()
            left = Expr(.or(left, right), left.span.to(right.span))
        }
        return left
    }

    private mutating func andTest() throws(SyntaxError) -> Expr {
        var left = try notTest()
        var chain = 0
        while accept("and") {
            try checkChain(&chain)
            let right = try notTest()
            left = Expr(.and(left, right), left.span.to(right.span))
        }
        return left
    }

    private mutating func notTest() throws(SyntaxError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth { throw SyntaxError("too many nested 'not's", current.span) }
        if isKeyword("not") {
            let s = advance().span
            let inner = try notTest()
            return Expr(.not(inner), s.to(inner.span))
        }
        return try comparison()
    }

    private mutating func comparison() throws(SyntaxError) -> Expr {
        let left = try bitOr()
        var rest: [(CompareOp, Expr)] = []
        while true {
            var op: CompareOp? = nil
            switch kind {
            case .op(let o): op = CompareOp(rawValue: o)
            case .keyword("in"): op = .isIn
            case .keyword("is"):
                if peekKind(1) == .keyword("not") { pos += 1; op = .isNot } else { op = .isSame }
            case .keyword("not"):
                if peekKind(1) == .keyword("in") { pos += 1; op = .notIn }
            default: break
            }
            guard let o = op else { break }
            pos += 1
            if rest.count > Parser.maxChain { throw SyntaxError("expression too long (more than \(Parser.maxChain) operators in a row)", current.span) }
            rest.append((o, try bitOr()))
        }
        if rest.isEmpty { return left }
        return Expr(.compare(left, rest), left.span.to(rest.last!.1.span))
    }

    private mutating func binaryLevel(_ ops: [String], _ next: (inout Parser) throws(SyntaxError) -> Expr) throws(SyntaxError) -> Expr {
        var left = try next(&self)
        var chain = 0
        while case .op(let o) = kind, ops.contains(o), let op = BinaryOp(rawValue: o) {
            pos += 1
            try checkChain(&chain)
            let right = try next(&self)
            left = Expr(.binary(op, left, right), left.span.to(right.span))
        }
        return left
    }

    private mutating func bitOr() throws(SyntaxError) -> Expr { try binaryLevel(["|"]) { p throws(SyntaxError) in try p.bitXor() } }
    private mutating func bitXor() throws(SyntaxError) -> Expr { try binaryLevel(["^"]) { p throws(SyntaxError) in try p.bitAnd() } }
    private mutating func bitAnd() throws(SyntaxError) -> Expr { try binaryLevel(["&"]) { p throws(SyntaxError) in try p.shift() } }
    private mutating func shift() throws(SyntaxError) -> Expr { try binaryLevel(["<<", ">>"]) { p throws(SyntaxError) in try p.arith() } }
    private mutating func arith() throws(SyntaxError) -> Expr { try binaryLevel(["+", "-"]) { p throws(SyntaxError) in try p.term() } }
    private mutating func term() throws(SyntaxError) -> Expr {
        try binaryLevel(["*", "/", "//", "%", "@"]) { p throws(SyntaxError) in try p.factor() }
    }

    private mutating func factor() throws(SyntaxError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth { throw SyntaxError("too many nested parentheses or operators", current.span) }
        if case .op(let o) = kind, let op = UnaryOp(rawValue: o) {
            let s = advance().span
            let inner = try factor()
            return Expr(.unary(op, inner), s.to(inner.span))
        }
        return try power()
    }

    private mutating func power() throws(SyntaxError) -> Expr {
        let base = try primary()
        guard accept("**") else { return base }
        let exponent = try factor()
        return Expr(.binary(.power, base, exponent), base.span.to(exponent.span))
    }

    private mutating func primary() throws(SyntaxError) -> Expr {
        var e = try atom()
        while true {
            if accept(".") {
                let n = try name()
                e = Expr(.attribute(e, n), e.span.to(previousSpan))
            } else if isOp("(") {
                pos += 1
                let args = try arguments()
                e = Expr(.call(e, args), e.span.to(previousSpan))
            } else if isOp("[") {
                pos += 1
                let items = try subscriptItems()
                e = Expr(.subscript(e, items), e.span.to(previousSpan))
            } else {
                return e
            }
        }
    }

    /// After `(`: call arguments up to and including `)`.
    private mutating func arguments() throws(SyntaxError) -> [Argument] {
        var args: [Argument] = []
        var seenKeyword = false
        while !isOp(")") {
            if accept("*") {
                args.append(Argument(.star, try expression()))
            } else if accept("**") {
                args.append(Argument(.doubleStar, try expression()))
                seenKeyword = true
            } else if case .name(let n) = kind, peekKind(1) == .op("=") {
                pos += 2
                if args.contains(where: { if case .keyword(n) = $0.kind { return true } else { return false } }) {
                    throw SyntaxError("keyword argument repeated: \(n)", previousSpan)
                }
                args.append(Argument(.keyword(n), try expression()))
                seenKeyword = true
            } else {
                let s = current.span
                var value = try expression()
                if isKeyword("for") {
                    value = try comprehension(.generator, element: value, start: s)
                }
                if seenKeyword { throw SyntaxError("positional argument follows keyword argument", value.span) }
                args.append(Argument(.positional, value))
            }
            if !accept(",") { break }
        }
        _ = try expect(")", "')' or ','")
        return args
    }

    private mutating func subscriptItems() throws(SyntaxError) -> [Expr] {
        var items: [Expr] = []
        repeat {
            if isOp("]") { break }
            items.append(try subscriptItem())
        } while accept(",")
        _ = try expect("]", "']' or ','")
        if items.isEmpty { throw SyntaxError("an index is needed inside '[]'", previousSpan) }
        return items
    }

    private mutating func subscriptItem() throws(SyntaxError) -> Expr {
        let start = current.span
        var lower: Expr? = nil
        if !isOp(":") { lower = try expression() }
        guard accept(":") else { return lower! }
        var upper: Expr? = nil, step: Expr? = nil
        if !isOp(":") && !isOp("]") && !isOp(",") { upper = try expression() }
        if accept(":") {
            if !isOp("]") && !isOp(",") { step = try expression() }
        }
        return Expr(.slice(lower, upper, step), start.to(previousSpan))
    }

    private mutating func atom() throws(SyntaxError) -> Expr {
        let t = current
        switch t.kind {
        case .name(let n):
            pos += 1
            if n == "load", case .name = kind { return try loadCommand(t.span) }
            return Expr(.name(n), t.span)
        case .int(let v): pos += 1; return Expr(.int(v), t.span)
        case .float(let v): pos += 1; return Expr(.float(v), t.span)
        case .string, .fstring: return try strings()
        case .keyword("None"): pos += 1; return Expr(.none, t.span)
        case .keyword("True"): pos += 1; return Expr(.bool(true), t.span)
        case .keyword("False"): pos += 1; return Expr(.bool(false), t.span)
        case .op("..."): pos += 1; return Expr(.ellipsis, t.span)
        case .op("("): return try parenthesised()
        case .op("["): return try listDisplay()
        case .op("{"): return try dictDisplay()
        case .keyword(let k) where k == "lambda" || k == "yield" || k == "await": throw unsupported(k, t.span)
        default: throw unexpected(expecting: "an expression")
        }
    }

    private mutating func loadCommand(_ start: SourceSpan) throws(SyntaxError) -> Expr {
        var path = [try name()]
        while isOp("."), case .name = peekKind(1) { pos += 1; path.append(try name()) }
        var args: [Argument]? = nil
        if accept("(") { args = try arguments() }
        var index: Expr? = nil
        if accept("[") {
            index = try expression()
            _ = try expect("]")
        }
        return Expr(.load(path: path, arguments: args, index: index), start.to(previousSpan))
    }

    /// Adjacent string literals concatenate, as in Python.
    private mutating func strings() throws(SyntaxError) -> Expr {
        let start = current.span
        var parts: [FStringPart] = []
        var plain = ""
        var isF = false
        while true {
            if case .string(let s) = kind { plain += s; pos += 1; continue }
            if case .fstring(let body) = kind {
                isF = true
                if !plain.isEmpty { parts.append(.text(plain)); plain = "" }
                parts += try FStringParser.parse(body, span: current.span)
                pos += 1
                continue
            }
            break
        }
        if !isF { return Expr(.string(plain), start.to(previousSpan)) }
        if !plain.isEmpty { parts.append(.text(plain)) }
        return Expr(.fstring(parts), start.to(previousSpan))
    }

    private mutating func parenthesised() throws(SyntaxError) -> Expr {
        let start = advance().span
        if accept(")") { return Expr(.tuple([]), start.to(previousSpan)) }
        let first = try starOrExpression(true)
        if isKeyword("for") {
            let e = try comprehension(.generator, element: first, start: start)
            _ = try expect(")")
            return Expr(e.kind, start.to(previousSpan))
        }
        if accept(")") {
            if case .starred = first.kind { throw SyntaxError("cannot use starred expression here", first.span) }
            return Expr(first.kind, start.to(previousSpan))
        }
        var items = [first]
        while accept(",") {
            if isOp(")") { break }
            items.append(try starOrExpression(true))
        }
        _ = try expect(")", "')' or ','")
        return Expr(.tuple(items), start.to(previousSpan))
    }

    private mutating func listDisplay() throws(SyntaxError) -> Expr {
        let start = advance().span
        var items: [Expr] = []
        while !isOp("]") {
            let item = try starOrExpression(true)
            if items.isEmpty && isKeyword("for") {
                let e = try comprehension(.list, element: item, start: start)
                _ = try expect("]")
                return Expr(e.kind, start.to(previousSpan))
            }
            items.append(item)
            if !accept(",") { break }
        }
        _ = try expect("]", "']' or ','")
        return Expr(.list(items), start.to(previousSpan))
    }

    private mutating func comprehension(_ k: ComprehensionKind, element: Expr, start: SourceSpan) throws(SyntaxError) -> Expr {
        var clauses: [ComprehensionClause] = []
        while accept("for") {
            let target = try targetList()
            _ = try expect("in")
            let iterable = try orTest()
            var conditions: [Expr] = []
            while accept("if") { conditions.append(try orTest()) }
            clauses.append(ComprehensionClause(target: target, iterable: iterable, conditions: conditions))
        }
        return Expr(.comprehension(kind: k, element: element, clauses: clauses), start.to(previousSpan))
    }

    private mutating func dictDisplay() throws(SyntaxError) -> Expr {
        let start = advance().span
        var pairs: [(Expr, Expr)] = []
        while !isOp("}") {
            if isOp("**") { throw SyntaxError("'**' in dict displays is not supported in dlx", current.span) }
            let key = try expression()
            guard accept(":") else {
                throw SyntaxError("sets are not supported in dlx", key.span)
            }
            pairs.append((key, try expression()))
            if !accept(",") { break }
        }
        _ = try expect("}", "'}' or ','")
        return Expr(.dict(pairs), start.to(previousSpan))
    }
}
