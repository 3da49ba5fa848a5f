import DLXFrontEnd

/// Comprehensions and generator expressions. Each runs in a scope of its own, so its loop variables never
/// leak into the code around it (Python 3); a generator expression is lazy: its first iterable is evaluated
/// at once, everything else as items are asked for.
extension Interpreter {
    /// The items of a comprehension's clauses as a lazy iterator; `produce` makes each item from the scope.
    func comprehensionItems(_ clauses: [ComprehensionClause], _ produce: @escaping () throws(DLXError) -> Value) throws(DLXError) -> ValueIterator {
        let scope = Frame(.comprehension, parent: closureScope, name: "<genexpr>", source: lexicalSource)
        var iterators: [ValueIterator?] = Array(repeating: nil, count: clauses.count)
        iterators[0] = try iterator(try eval(clauses[0].iterable))
        var level = 0
        return ValueIterator { [unowned self] () throws(DLXError) -> Value? in
            try self.within(scope) { () throws(DLXError) -> Value? in
                while level >= 0 {
                    try self.checkInterrupt()
                    guard let it = iterators[level], let v = try it.next() else {
                        iterators[level] = nil
                        level -= 1
                        continue
                    }
                    let clause = clauses[level]
                    try self.assign(clause.target, v)
                    var keep = true
                    for c in clause.conditions where !(try self.truthy(try self.eval(c))) { keep = false; break }
                    if !keep { continue }
                    if level == clauses.count - 1 { return try produce() }
                    level += 1
                    iterators[level] = try self.iterator(try self.eval(clauses[level].iterable))
                }
                return nil
            }
        }
    }

    func comprehension(_ kind: ComprehensionKind, _ element: Expr, _ clauses: [ComprehensionClause]) throws(DLXError) -> Value {
        let items = try comprehensionItems(clauses) { [unowned self] () throws(DLXError) -> Value in try self.eval(element) }
        switch kind {
        case .generator: return .object(GeneratorIterator("<genexpr>", items))
        case .list: return .list(ListBox(try iterateAll(.object(items))))
        case .set: return .object(try SetObject(try iterateAll(.object(items)), self))
        }
    }

    func dictComprehension(_ key: Expr, _ value: Expr, _ clauses: [ComprehensionClause]) throws(DLXError) -> Value {
        let items = try comprehensionItems(clauses) { [unowned self] () throws(DLXError) -> Value in
            .tuple([try self.eval(key), try self.eval(value)])
        }
        let d = DictBox()
        while let pair = try items.next() {
            if case .tuple(let kv) = pair { try d.set(kv[0], kv[1]) }
        }
        return .dict(d)
    }
}
