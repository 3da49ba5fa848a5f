import DLXFrontEnd

/// Python's `set` and `frozenset`: hashable items without repeats. Items keep insertion order, except
/// that a set of small non-negative ints iterates in ascending order, as CPython's table does for them.
final class SetObject: PyObject, ObjectProtocols {
    private(set) var items: [Value] = []
    private var index: [HashKey: Int] = [:]
    let frozen: Bool
    var heapLink = HeapLink()

    init(_ values: [Value], _ i: Interpreter, frozen: Bool = false) throws(DLXError) {
        self.frozen = frozen
        for v in values { try insert(v) }
        Heap.adopt(self)
    }
    deinit { Heap.leave(self) }

    var typeName: String { frozen ? "frozenset" : "set" }
    var count: Int { items.count }

    func has(_ v: Value) throws(DLXError) -> Bool { index[try HashKey(v)] != nil }

    func insert(_ v: Value) throws(DLXError) {
        let k = try HashKey(v)
        guard index[k] == nil else { return }
        index[k] = items.count
        items.append(v)
    }

    @discardableResult
    func remove(_ v: Value) throws(DLXError) -> Bool {
        let k = try HashKey(v)
        guard let at = index.removeValue(forKey: k) else { return false }
        items.remove(at: at)
        for (key, j) in index where j > at { index[key] = j - 1 }
        return true
    }

    /// The order CPython iterates in, for the cases that are easy to match.
    var ordered: [Value] {
        let ints = items.compactMap { v -> Int? in if case .int(let n) = v, n >= 0 { return n }; return nil }
        guard ints.count == items.count else { return items }
        var size = 8
        while size * 3 < items.count * 5 { size *= 2 }
        if ints.allSatisfy({ $0 < size }) { return ints.sorted().map { .int($0) } }
        return items
    }

    func repr(_ i: Interpreter) -> String { (try? checkedRepr(i)) ?? "set(...)" }

    func checkedRepr(_ i: Interpreter) throws(DLXError) -> String? {
        if items.isEmpty { return frozen ? "frozenset()" : "set()" }
        let body = "{" + (try i.reprs(ordered)).joined(separator: ", ") + "}"
        return frozen ? "frozenset(\(body))" : body
    }

    func length(_ i: Interpreter) throws(DLXError) -> Int? { items.count }
    func contains(_ item: Value, _ i: Interpreter) throws(DLXError) -> Bool? { try has(item) }
    func makeIterator(_ i: Interpreter) throws(DLXError) -> ValueIterator? {
        let snapshot = ordered, size = items.count
        var k = 0
        return ValueIterator { [self] () throws(DLXError) -> Value? in
            guard items.count == size else { throw DLXError("RuntimeError", "Set changed size during iteration") }
            guard k < snapshot.count else { return nil }
            k += 1
            return snapshot[k - 1]
        }
    }

    private func other(_ v: Value, _ i: Interpreter) throws(DLXError) -> SetObject? {
        if case .object(let s as SetObject) = v { return s }
        return nil
    }

    private func make(_ values: [Value], _ i: Interpreter) throws(DLXError) -> Value {
        .object(try SetObject(values, i, frozen: frozen))
    }

    func binaryOperator(_ op: BinaryOp, _ rhs: Value, reflected: Bool, _ i: Interpreter) throws(DLXError) -> Value? {
        guard let o = try other(rhs, i) else { return nil }
        let (a, b) = reflected ? (o, self) : (self, o)
        switch op {
        case .bitOr: return try make(a.items + b.items, i)
        case .bitAnd: return try make(try a.items.pyFilter { x throws(DLXError) in try b.has(x) }, i)
        case .subtract: return try make(try a.items.pyFilter { x throws(DLXError) in !(try b.has(x)) }, i)
        case .bitXor:
            return try make(try a.items.pyFilter { x throws(DLXError) in !(try b.has(x)) } + b.items.pyFilter { x throws(DLXError) in !(try a.has(x)) }, i)
        default: return nil
        }
    }

    func compare(_ op: CompareOp, _ rhs: Value, _ i: Interpreter) throws(DLXError) -> Value? {
        guard let o = try other(rhs, i) else {
            if op == .equal { return .bool(false) }
            if op == .notEqual { return .bool(true) }
            return nil
        }
        let sub = try items.pyAll { x throws(DLXError) in try o.has(x) }
        let sup = try o.items.pyAll { x throws(DLXError) in try has(x) }
        switch op {
        case .equal: return .bool(sub && sup)
        case .notEqual: return .bool(!(sub && sup))
        case .lessEqual: return .bool(sub)
        case .less: return .bool(sub && !sup)
        case .greaterEqual: return .bool(sup)
        case .greater: return .bool(sup && !sub)
        default: return nil
        }
    }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        func m(_ body: @escaping (inout Arguments) throws(DLXError) -> Value) -> Value {
            i.method(name) { a, _ throws(DLXError) in try body(&a) }
        }
        func mutating(_ body: @escaping (inout Arguments) throws(DLXError) -> Value) -> Value? {
            frozen ? nil : m(body)
        }
        func others(_ a: inout Arguments) throws(DLXError) -> [SetObject] {
            try a.rest(from: 0).map { v throws(DLXError) in try SetObject(try i.iterateAll(v), i) }
        }
        switch name {
        case "add": return mutating { a throws(DLXError) in try self.insert(try a.required(0, "elem")); return .none }
        case "discard": return mutating { a throws(DLXError) in try self.remove(try a.required(0, "elem")); return .none }
        case "remove":
            return mutating { a throws(DLXError) in
                let v = try a.required(0, "elem")
                guard try self.remove(v) else { throw i.keyError(v) }
                return .none
            }
        case "pop":
            return mutating { _ throws(DLXError) in
                guard let v = self.ordered.first else { throw i.keyError(.string("pop from an empty set")) }
                try self.remove(v)
                return v
            }
        case "clear": return mutating { _ throws(DLXError) in self.items = []; self.index = [:]; return .none }
        case "update":
            return mutating { a throws(DLXError) in
                for s in try others(&a) { for v in s.items { try self.insert(v) } }
                return .none
            }
        case "copy": return m { _ throws(DLXError) in try self.make(self.items, i) }
        case "union":
            return m { a throws(DLXError) in try self.make(self.items + (try others(&a)).flatMap { $0.items }, i) }
        case "intersection":
            return m { a throws(DLXError) in
                var out = self.items
                for s in try others(&a) { out = try out.pyFilter { x throws(DLXError) in try s.has(x) } }
                return try self.make(out, i)
            }
        case "difference":
            return m { a throws(DLXError) in
                var out = self.items
                for s in try others(&a) { out = try out.pyFilter { x throws(DLXError) in !(try s.has(x)) } }
                return try self.make(out, i)
            }
        case "symmetric_difference":
            return m { a throws(DLXError) in
                let o = try SetObject(try i.iterateAll(try a.required(0, "other")), i)
                return try self.binaryOperator(.bitXor, .object(o), reflected: false, i) ?? .none
            }
        case "issubset", "issuperset", "isdisjoint":
            return m { a throws(DLXError) in
                let o = try SetObject(try i.iterateAll(try a.required(0, "other")), i)
                switch name {
                case "issubset": return .bool(try self.items.pyAll { x throws(DLXError) in try o.has(x) })
                case "issuperset": return .bool(try o.items.pyAll { x throws(DLXError) in try self.has(x) })
                default: return .bool(!(try self.items.pyAny { x throws(DLXError) in try o.has(x) }))
                }
            }
        default: return nil
        }
    }

    var attributeNames: [String] {
        ["add", "clear", "copy", "difference", "discard", "intersection", "isdisjoint", "issubset", "issuperset", "pop",
         "remove", "symmetric_difference", "union", "update"]
    }
}

extension Array {
    /// `filter`, `allSatisfy` and `contains(where:)` for predicates that throw Python errors.
    func pyFilter(_ keep: (Element) throws(DLXError) -> Bool) throws(DLXError) -> [Element] {
        var out: [Element] = []
        for x in self where try keep(x) { out.append(x) }
        return out
    }
    func pyAll(_ test: (Element) throws(DLXError) -> Bool) throws(DLXError) -> Bool {
        for x in self where !(try test(x)) { return false }
        return true
    }
    func pyAny(_ test: (Element) throws(DLXError) -> Bool) throws(DLXError) -> Bool {
        for x in self where try test(x) { return true }
        return false
    }
}

/// For the cycle collector (Memory/Heap.swift): the items, not their hashed forms (an item with `__hash__` is
/// held there again, so it counts as held from outside and a cycle through it is kept).
extension SetObject: Collectable {
    func ownStorage() { Value.ownStorage(&items) }
    func traverse(_ visit: (AnyObject) -> Void) { for v in items { Value.traverse(v, visit) } }
    func clear() { items = []; index = [:] }
}
