/// The end of a session. What the session still holds when it ends -- a module's functions and the scope they
/// close over, a class and its methods, a list that contains itself -- is emptied, container by container, from
/// the session's names: this also cuts the cycles that pass through an object the cycle collector does not look
/// into (a named tuple holding an instance that holds it), which the collector keeps. The values then go as their
/// last references do, and a final collection frees the cycles that were already garbage. The walk keeps an
/// explicit stack and visits each object once.
extension Interpreter {
    func tearDown() {
        defer { session.heap.collect() }
        var pending: [Value] = Array(session.globals.values)
        for module in session.localModules.values { pending.append(contentsOf: module.members.values); module.members = [:] }
        session.globals = [:]
        session.localModules = [:]
        var seen = Set<ObjectIdentifier>()
        while let value = pending.popLast() {
            switch value {
            case .list(let l):
                guard seen.insert(ObjectIdentifier(l)).inserted else { continue }
                pending.append(contentsOf: l.items)
                l.items = []
            case .tuple(let items):
                pending.append(contentsOf: items)
            case .dict(let d):
                guard seen.insert(ObjectIdentifier(d)).inserted else { continue }
                pending.append(contentsOf: d.keys)
                pending.append(contentsOf: d.values)
                d.removeAll()
            case .object(let o):
                guard seen.insert(ObjectIdentifier(o)).inserted else { continue }
                Interpreter.empty(o, into: &pending)
            default:
                break
            }
        }
    }

    /// Moves what `o` holds onto `pending` and lets go of it.
    private static func empty(_ o: AnyObject, into pending: inout [Value]) {
        switch o {
        case let f as UserFunction:
            pending.append(contentsOf: f.attributes.pairs.map(\.1))
            pending.append(contentsOf: f.defaults.compactMap { $0 })
            f.attributes = AttributeTable()
            var scope = f.closure
            while let frame = scope {
                pending.append(contentsOf: frame.locals.values)
                frame.locals = [:]
                frame.firstArgument = nil
                scope = frame.parent
            }
            f.cutClosure()
        case let c as PyClass:
            pending.append(contentsOf: c.attributes.pairs.map(\.1))
            c.attributes = AttributeTable()
        case let i as PyInstance:
            pending.append(contentsOf: i.attributes.pairs.map(\.1))
            i.attributes = AttributeTable()
        case let m as UserModule:
            pending.append(contentsOf: m.attributes.pairs.map(\.1))
            m.attributes = AttributeTable()
        case let n as Namespace where !n.library:
            pending.append(contentsOf: n.members.values)
            n.members = [:]
        default:
            break
        }
    }
}
