/// Methods of Python's lists and dicts.
extension Interpreter {
    func listMethod(_ l: ListBox, _ name: String) -> Value? {
        switch name {
        case "append": return method(name) { a, _ throws(DLXError) in l.items.append(try a.required(0, "object")); return Value.none }
        case "extend": return method(name) { a, i throws(DLXError) in l.items += try i.iterateAll(try a.required(0, "iterable")); return Value.none }
        case "insert":
            return method(name) { a, i throws(DLXError) in
                var at = try i.toInt(try a.required(0, "index"), "index")
                if at < 0 { at = max(0, at + l.items.count) }
                l.items.insert(try a.required(1, "object"), at: min(at, l.items.count))
                return Value.none
            }
        case "pop":
            return method(name) { a, i throws(DLXError) in
                guard !l.items.isEmpty else { throw DLXError("IndexError", "pop from empty list") }
                let at = try a.get(0, "index").map { v throws(DLXError) in try i.normalizedIndex(v, l.items.count, "pop") } ?? l.items.count - 1
                return l.items.remove(at: at)
            }
        case "remove":
            return method(name) { a, i throws(DLXError) in
                let x = try a.required(0, "value")
                for (k, v) in l.items.enumerated() where try i.equal(v, x) { l.items.remove(at: k); return Value.none }
                throw .value("list.remove(x): x not in list")
            }
        case "index":
            return method(name) { a, i throws(DLXError) in
                let x = try a.required(0, "value")
                for (k, v) in l.items.enumerated() where try i.equal(v, x) { return .int(k) }
                throw .value("\(try i.repr(x)) is not in list")
            }
        case "count":
            return method(name) { a, i throws(DLXError) in
                let x = try a.required(0, "value")
                var n = 0
                for v in l.items where try i.equal(v, x) { n += 1 }
                return .int(n)
            }
        case "clear": return method(name) { _, _ throws(DLXError) in l.items.removeAll(); return Value.none }
        case "copy": return method(name) { _, _ throws(DLXError) in .list(ListBox(l.items)) }
        case "reverse": return method(name) { _, _ throws(DLXError) in l.items.reverse(); return Value.none }
        case "sort":
            return method(name) { a, i throws(DLXError) in
                let reverse = try a.get(nil, "reverse").map { v throws(DLXError) in try i.truthy(v) } ?? false
                l.items = try i.sortedValues(l.items, key: try a.get(nil, "key"), reverse: reverse)
                return Value.none
            }
        default: return nil
        }
    }

    func dictMethod(_ d: DictBox, _ name: String) -> Value? {
        switch name {
        case "keys": return method(name) { _, _ throws(DLXError) in .list(ListBox(d.keys)) }
        case "values": return method(name) { _, _ throws(DLXError) in .list(ListBox(d.values)) }
        case "items": return method(name) { _, _ throws(DLXError) in .list(ListBox(zip(d.keys, d.values).map { .tuple([$0, $1]) })) }
        case "get":
            return method(name) { a, _ throws(DLXError) in
                let k = try a.required(0, "key")
                if let v = try d.get(k) { return v }
                return try a.get(1, "default") ?? Value.none
            }
        case "pop":
            return method(name) { a, i throws(DLXError) in
                let k = try a.required(0, "key")
                if let v = try d.get(k) { _ = try d.remove(k); return v }
                if let def = try a.get(1, "default") { return def }
                throw DLXError("KeyError", try i.repr(k))
            }
        case "update":
            return method(name) { a, _ throws(DLXError) in
                if case .dict(let other)? = try a.get(0, "other") {
                    for (k, v) in zip(other.keys, other.values) { try d.set(k, v) }
                }
                return Value.none
            }
        default: return nil
        }
    }
}
