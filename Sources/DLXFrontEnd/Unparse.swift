/// Source text for an expression, as Python's `ast.unparse` writes it: what `__annotations__` holds under
/// `from __future__ import annotations` (`'list[int]'`, `'Callable[[Any], int] | None'`).
extension Expr {
    public var source: String { Expr.unparse(self, 0) }

    /// Operator precedence, loosest first, for parentheses where Python's unparser puts them.
    private static func precedence(_ k: ExprKind) -> Int {
        switch k {
        case .lambda: return 1
        case .conditional: return 2
        case .or: return 3
        case .and: return 4
        case .not: return 5
        case .compare: return 6
        case .binary(let op, _, _):
            switch op {
            case .bitOr: return 7
            case .bitXor: return 8
            case .bitAnd: return 9
            case .leftShift, .rightShift: return 10
            case .add, .subtract: return 11
            case .power: return 14
            default: return 12
            }
        case .unary: return 13
        default: return 16
        }
    }

    private static func unparse(_ e: Expr, _ outer: Int) -> String {
        let p = precedence(e.kind)
        let text = body(e)
        return p < outer ? "(" + text + ")" : text
    }

    private static func list(_ items: [Expr]) -> String { items.map { unparse($0, 0) }.joined(separator: ", ") }

    private static func body(_ e: Expr) -> String {
        switch e.kind {
        case .name(let n): return n
        case .int(let v): return String(v)
        case .float(let v): return v == v.rounded() && abs(v) < 1e16 ? String(Int(v)) + ".0" : "\(v)"
        case .string(let s): return PythonText.quote(s)
        case .bytes: return "b'...'"
        case .fstring: return "f'...'"
        case .bool(let b): return b ? "True" : "False"
        case .none: return "None"
        case .ellipsis: return "..."
        case .list(let items): return "[" + list(items) + "]"
        case .tuple(let items): return items.count == 1 ? "(" + unparse(items[0], 0) + ",)" : "(" + list(items) + ")"
        case .set(let items): return "{" + list(items) + "}"
        case .dict(let pairs):
            return "{" + pairs.map { k, v in k.map { unparse($0, 0) + ": " } .map { $0 + unparse(v, 0) } ?? "**" + unparse(v, 15) }.joined(separator: ", ") + "}"
        case .attribute(let base, let n): return unparse(base, 16) + "." + n
        case .subscript(let base, let items):
            // A tuple index prints without its parentheses: dict[str, int].
            return unparse(base, 16) + "[" + list(items) + "]"
        case .slice(let a, let b, let c):
            var s = (a.map { unparse($0, 0) } ?? "") + ":" + (b.map { unparse($0, 0) } ?? "")
            if let c { s += ":" + unparse(c, 0) }
            return s
        case .call(let f, let args):
            let parts = args.map { a -> String in
                switch a.kind {
                case .positional: return unparse(a.value, 0)
                case .keyword(let k): return k + "=" + unparse(a.value, 0)
                case .star: return "*" + unparse(a.value, 15)
                case .doubleStar: return "**" + unparse(a.value, 15)
                }
            }
            return unparse(f, 16) + "(" + parts.joined(separator: ", ") + ")"
        case .unary(let op, let x):
            return (op == .negate ? "-" : op == .plus ? "+" : "~") + unparse(x, 13)
        case .binary(let op, let l, let r):
            let p = precedence(e.kind)
            return op == .power ? unparse(l, p + 1) + " ** " + unparse(r, p) : unparse(l, p) + " " + op.rawValue + " " + unparse(r, p + 1)
        case .compare(let first, let rest):
            return unparse(first, 7) + rest.map { " " + $0.0.rawValue + " " + unparse($0.1, 7) }.joined()
        case .and(let l, let r): return unparse(l, 4) + " and " + unparse(r, 5)
        case .or(let l, let r): return unparse(l, 3) + " or " + unparse(r, 4)
        case .not(let x): return "not " + unparse(x, 5)
        case .conditional(let t, let c, let o): return unparse(t, 3) + " if " + unparse(c, 3) + " else " + unparse(o, 2)
        case .starred(let x): return "*" + unparse(x, 15)
        case .lambda: return "lambda: ..."
        case .yield(let x): return "yield" + (x.map { " " + unparse($0, 0) } ?? "")
        case .yieldFrom(let x): return "yield from " + unparse(x, 0)
        case .namedExpr(let n, let v): return n + " := " + unparse(v, 2)
        case .load(let path, _, _): return "load " + path.joined(separator: ".")
        case .comprehension, .dictComprehension: return "(...)"
        }
    }
}
