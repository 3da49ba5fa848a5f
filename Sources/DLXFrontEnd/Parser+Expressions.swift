/// Expressions, by Python's precedence from `expression` (loosest) down to `atom`.
extension Parser {
    // MARK: - Expressions

    /// `a, b, c` becomes a tuple; a single expression stays itself.
    public mutating func expressionList(allowStar: Bool = false) throws(SyntaxError) -> Expr {
        if isKeyword("yield") { return try yieldExpression() }
        let first = try starOrExpression(allowStar)
        guard isOp(",") else { return first }
        var items = [first]
        while accept(",") {
            if endsExpressionList { break }
            items.append(try starOrExpression(allowStar))
        }
        return Expr(.tuple(items), first.span.to(previousSpan))
    }

    var endsExpressionList: Bool {
        switch kind {
        case .newline, .eof: return true
        case .op(let o): return o == "=" || o == ")" || o == ";" || o == "]" || o == "}" || (o.hasSuffix("=") && o.count >= 2 && o != "==")
        default: return false
        }
    }

    mutating func starOrExpression(_ allowStar: Bool) throws(SyntaxError) -> Expr {
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
        if depth > Parser.maxDepth { throw tooDeep() }
        if isKeyword("lambda") { return try lambda() }
        if isKeyword("yield") { return try yieldExpression() }
        if isKeyword("await") { throw SyntaxError("'await' (asynchronous code) is not supported in dlx", current.span) }
        if case .name(let n) = kind, peekKind(1) == .op(":=") {
            let s = current.span
            pos += 2
            let value = try expression()
            return Expr(.namedExpr(n, value), s.to(value.span))
        }
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

    mutating func orTest() throws(SyntaxError) -> Expr {
        var left = try andTest()
        var chain = 0
        while accept("or") {
            try checkChain(&chain)
            let right = try andTest()
            left = Expr(.or(left, right), left.span.to(right.span))
        }
        return left
    }

    mutating func andTest() throws(SyntaxError) -> Expr {
        var left = try notTest()
        var chain = 0
        while accept("and") {
            try checkChain(&chain)
            let right = try notTest()
            left = Expr(.and(left, right), left.span.to(right.span))
        }
        return left
    }

    mutating func notTest() throws(SyntaxError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth { throw tooDeep() }
        if isKeyword("not") {
            let s = advance().span
            let inner = try notTest()
            return Expr(.not(inner), s.to(inner.span))
        }
        return try comparison()
    }

    mutating func comparison() throws(SyntaxError) -> Expr {
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

    mutating func binaryLevel(_ ops: [String], _ next: (inout Parser) throws(SyntaxError) -> Expr) throws(SyntaxError) -> Expr {
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

    mutating func bitOr() throws(SyntaxError) -> Expr { try binaryLevel(["|"]) { p throws(SyntaxError) in try p.bitXor() } }
    mutating func bitXor() throws(SyntaxError) -> Expr { try binaryLevel(["^"]) { p throws(SyntaxError) in try p.bitAnd() } }
    mutating func bitAnd() throws(SyntaxError) -> Expr { try binaryLevel(["&"]) { p throws(SyntaxError) in try p.shift() } }
    mutating func shift() throws(SyntaxError) -> Expr { try binaryLevel(["<<", ">>"]) { p throws(SyntaxError) in try p.arith() } }
    mutating func arith() throws(SyntaxError) -> Expr { try binaryLevel(["+", "-"]) { p throws(SyntaxError) in try p.term() } }
    mutating func term() throws(SyntaxError) -> Expr {
        try binaryLevel(["*", "/", "//", "%", "@"]) { p throws(SyntaxError) in try p.factor() }
    }

    mutating func factor() throws(SyntaxError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth { throw tooDeep() }
        if case .op(let o) = kind, let op = UnaryOp(rawValue: o) {
            let s = advance().span
            let inner = try factor()
            return Expr(.unary(op, inner), s.to(inner.span))
        }
        return try power()
    }

    mutating func power() throws(SyntaxError) -> Expr {
        let base = try primary()
        guard accept("**") else { return base }
        let exponent = try factor()
        return Expr(.binary(.power, base, exponent), base.span.to(exponent.span))
    }

    mutating func primary() throws(SyntaxError) -> Expr {
        var e = try atom()
        var chain = 0
        while true {
            // `.x`, `(...)` and `[...]` in a row each nest the tree the evaluator walks: bounded as operators are.
            if isOp(".") || isOp("(") || isOp("[") { try checkChain(&chain) }
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
    mutating func arguments() throws(SyntaxError) -> [Argument] {
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

    mutating func subscriptItems() throws(SyntaxError) -> [Expr] {
        var items: [Expr] = []
        repeat {
            if isOp("]") { break }
            items.append(try subscriptItem())
        } while accept(",")
        _ = try expect("]", "']' or ','")
        if items.isEmpty { throw SyntaxError("an index is needed inside '[]'", previousSpan) }
        return items
    }

    mutating func subscriptItem() throws(SyntaxError) -> Expr {
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

    mutating func atom() throws(SyntaxError) -> Expr {
        let t = current
        switch t.kind {
        case .name(let n):
            pos += 1
            if n == "load", case .name = kind { return try loadCommand(t.span) }
            return Expr(.name(n), t.span)
        case .int(let v): pos += 1; return Expr(.int(v), t.span)
        case .float(let v): pos += 1; return Expr(.float(v), t.span)
        case .string, .fstring, .bytes: return try strings()
        case .keyword("None"): pos += 1; return Expr(.none, t.span)
        case .keyword("True"): pos += 1; return Expr(.bool(true), t.span)
        case .keyword("False"): pos += 1; return Expr(.bool(false), t.span)
        case .op("..."): pos += 1; return Expr(.ellipsis, t.span)
        case .op("("): return try parenthesised()
        case .op("["): return try listDisplay()
        case .op("{"): return try dictDisplay()
        case .keyword("lambda"): return try lambda()
        case .keyword("yield"): return try yieldExpression()
        case .keyword("await"): throw SyntaxError("'await' (asynchronous code) is not supported in dlx", t.span)
        default: throw unexpected(expecting: "an expression")
        }
    }

    mutating func loadCommand(_ start: SourceSpan) throws(SyntaxError) -> Expr {
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
    mutating func strings() throws(SyntaxError) -> Expr {
        let start = current.span
        var parts: [FStringPart] = []
        var plain = ""
        var isF = false
        var bytes: [UInt8]? = nil
        while true {
            if case .bytes(let b) = kind {
                guard bytes != nil || (plain.isEmpty && parts.isEmpty) else { throw SyntaxError("cannot mix bytes and nonbytes literals", current.span) }
                bytes = (bytes ?? []) + b; pos += 1; continue
            }
            if bytes != nil {
                switch kind { case .string, .fstring: throw SyntaxError("cannot mix bytes and nonbytes literals", current.span); default: break }
            }
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
        if let bytes { return Expr(.bytes(bytes), start.to(previousSpan)) }
        if !isF { return Expr(.string(plain), start.to(previousSpan)) }
        if !plain.isEmpty { parts.append(.text(plain)) }
        return Expr(.fstring(parts), start.to(previousSpan))
    }

    mutating func parenthesised() throws(SyntaxError) -> Expr {
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

    mutating func listDisplay() throws(SyntaxError) -> Expr {
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

    mutating func comprehension(_ k: ComprehensionKind, element: Expr, start: SourceSpan) throws(SyntaxError) -> Expr {
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

    /// `{}`, `{k: v, ...}`, `{a, b}`, `{k: v for ...}`, `{x for ...}`.
    mutating func dictDisplay() throws(SyntaxError) -> Expr {
        let start = advance().span
        var pairs: [(Expr?, Expr)] = []
        var items: [Expr] = []
        while !isOp("}") {
            if accept("**") {
                guard items.isEmpty else { throw unexpected(expecting: "an expression") }
                pairs.append((nil, try bitOr()))
                if !accept(",") { break }
                continue
            }
            let key = try starOrExpression(true)
            if pairs.isEmpty && items.isEmpty && isKeyword("for") {
                let e = try comprehension(.set, element: key, start: start)
                _ = try expect("}")
                return Expr(e.kind, start.to(previousSpan))
            }
            if accept(":") {
                guard items.isEmpty else { throw unexpected(expecting: "',' or '}'") }
                let value = try expression()
                if pairs.isEmpty && isKeyword("for") {
                    let e = try comprehension(.list, element: value, start: start)
                    guard case .comprehension(_, _, let clauses) = e.kind else { break }
                    _ = try expect("}")
                    return Expr(.dictComprehension(key: key, value: value, clauses: clauses), start.to(previousSpan))
                }
                pairs.append((key, value))
            } else {
                guard pairs.isEmpty else { throw unexpected(expecting: "':'") }
                items.append(key)
            }
            if !accept(",") { break }
        }
        _ = try expect("}", "'}' or ','")
        if !items.isEmpty { return Expr(.set(items), start.to(previousSpan)) }
        return Expr(.dict(pairs), start.to(previousSpan))
    }

    /// `lambda params: expression`.
    mutating func lambda() throws(SyntaxError) -> Expr {
        let start = advance().span
        let parameters = try parameterList(closing: ":", annotations: false)
        _ = try expect(":")
        let outer = yields
        defer { yields = outer }
        let body = try expression()
        let span = start.to(body.span)
        let def = FunctionDef(name: "<lambda>", parameters: parameters, body: [Stmt(.returnValue(body), body.span)],
                              decorators: [], isGenerator: false, span: span)
        return Expr(.lambda(def), span)
    }

    /// `yield`, `yield x`, `yield a, b`, `yield from xs`.
    mutating func yieldExpression() throws(SyntaxError) -> Expr {
        let start = advance().span
        yields += 1
        if accept("from") {
            let source = try expression()
            return Expr(.yieldFrom(source), start.to(source.span))
        }
        if endsExpressionList || isOp(")") { return Expr(.yield(nil), start) }
        let value = try expressionList()
        return Expr(.yield(value), start.to(value.span))
    }
}

extension Parser {
    /// Nesting past `maxDepth` (which keeps hostile input from overflowing the stack), in Python's words.
    func tooDeep() -> SyntaxError {
        SyntaxError("too many nested parentheses (dlx allows \(Parser.maxDepth) levels of nesting)", current.span)
    }
}
