/// `collections.deque`: a list with cheap ends and an optional maximum length (the far end drops out).
final class DequeObject: PyObject {
    var items: [Value]
    let maxlen: Int?

    var heapLink = HeapLink()

    init(_ items: [Value], maxlen: Int?) {
        self.maxlen = maxlen
        self.items = []
        append(items, left: false)
        Heap.adopt(self)
    }
    deinit { Heap.leave(self) }

    var typeName: String { "deque" }
    var qualifiedName: String { "collections.deque" }
    var attributeNames: [String] {
        ["append", "appendleft", "clear", "copy", "count", "extend", "extendleft", "index", "insert", "maxlen", "pop", "popleft",
         "remove", "reverse", "rotate"]
    }

    func append(_ new: [Value], left: Bool) {
        for v in new {
            if left { items.insert(v, at: 0) } else { items.append(v) }
            if let maxlen, items.count > maxlen {
                if left { items.removeLast() } else { items.removeFirst() }
            }
        }
    }

    func repr(_ interpreter: Interpreter) -> String {
        let list = (try? interpreter.repr(.list(ListBox(items)))) ?? "[...]"
        return "deque(" + list + (maxlen.map { ", maxlen=\($0)" } ?? "") + ")"
    }

    func attribute(_ name: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "maxlen": return maxlen.map { .int($0) } ?? Value.none
        case "append", "appendleft":
            return interpreter.method(name) { [self] a, _ throws(DLXError) in
                append([try a.required(0, "x")], left: name == "appendleft")
                return Value.none
            }
        case "extend", "extendleft":
            return interpreter.method(name) { [self] a, i throws(DLXError) in
                append(try i.iterateAll(try a.required(0, "iterable")), left: name == "extendleft")
                return Value.none
            }
        case "pop", "popleft":
            return interpreter.method(name) { [self] _, _ throws(DLXError) in
                guard !items.isEmpty else { throw DLXError("IndexError", "pop from an empty deque") }
                return name == "pop" ? items.removeLast() : items.removeFirst()
            }
        case "rotate":
            return interpreter.method(name) { [self] a, i throws(DLXError) in
                let n = try a.get(0, "n").map { v throws(DLXError) in try i.indexArgument(v) } ?? 1
                guard items.count > 1 else { return Value.none }
                let k = ((n % items.count) + items.count) % items.count
                items = Array(items.suffix(k) + items.dropLast(k))
                return Value.none
            }
        case "clear": return interpreter.method(name) { [self] _, _ throws(DLXError) in items.removeAll(); return Value.none }
        case "reverse": return interpreter.method(name) { [self] _, _ throws(DLXError) in items.reverse(); return Value.none }
        case "copy": return interpreter.method(name) { [self] _, _ throws(DLXError) in .object(DequeObject(items, maxlen: maxlen)) }
        case "insert":
            return interpreter.method(name) { [self] a, i throws(DLXError) in
                if let maxlen, items.count >= maxlen { throw DLXError("IndexError", "deque already at its maximum size") }
                var at = try i.indexArgument(try a.required(0, "i"))
                if at < 0 { at = max(0, at + items.count) }
                items.insert(try a.required(1, "x"), at: min(at, items.count))
                return Value.none
            }
        case "count", "index", "remove":
            return interpreter.method(name) { [self] a, i throws(DLXError) in
                let x = try a.required(0, "x")
                var n = 0
                for (k, v) in items.enumerated() where try i.equal(v, x) {
                    if name == "index" { return .int(k) }
                    if name == "remove" { items.remove(at: k); return Value.none }
                    n += 1
                }
                if name == "index" { throw .value("\(try i.repr(x)) is not in deque") }
                if name == "remove" { throw .value("\(try i.repr(x)) is not in deque") }
                return .int(n)
            }
        default: return nil
        }
    }

    func makeIterator(_ interpreter: Interpreter) throws(DLXError) -> ValueIterator? { try interpreter.iterator(.tuple(items)) }
    func length(_ interpreter: Interpreter) throws(DLXError) -> Int? { items.count }
    func item(_ key: Value, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        if case .slice = key { throw .type("sequence index must be integer, not 'slice'") }
        return items[try interpreter.normalizedIndex(key, items.count, "deque")]
    }
}
