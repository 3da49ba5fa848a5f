/// Methods of Python's lists and dicts.
extension Interpreter {
    static let listMethods: [String: BuiltinMethod<ListBox>] = [
        "append": { l, a, i throws(DLXError) in
            try i.reserve(l.items.count + 1, .items)
            l.items.append(try a.required(0, "object"))
            return .none
        },
        "extend": { l, a, i throws(DLXError) in
            let more = try i.iterateAll(try a.required(0, "iterable"))
            try i.reserve(l.items.count + more.count, .items)
            l.items += more
            return .none
        },
        "insert": { l, a, i throws(DLXError) in
            var at = try i.integerArgument(try a.required(0, "index"))
            if at < 0 { at = max(0, at + l.items.count) }
            try i.reserve(l.items.count + 1, .items)
            l.items.insert(try a.required(1, "object"), at: min(at, l.items.count))
            return .none
        },
        "pop": { l, a, i throws(DLXError) in
            guard !l.items.isEmpty else { throw DLXError("IndexError", "pop from empty list") }
            var at = try a.get(0, "index").map { v throws(DLXError) in try i.integerArgument(v) } ?? -1
            if at < 0 { at += l.items.count }
            guard at >= 0 && at < l.items.count else { throw DLXError("IndexError", "pop index out of range") }
            return l.items.remove(at: at)
        },
        "remove": { l, a, i throws(DLXError) in
            let x = try a.required(0, "value")
            for (k, v) in l.items.enumerated() where try i.equal(v, x) { l.items.remove(at: k); return .none }
            throw .value("list.remove(x): x not in list")
        },
        "index": { l, a, i throws(DLXError) in
            let x = try a.required(0, "value")
            func bound(_ k: Int, _ name: String, _ def: Int) throws(DLXError) -> Int {
                guard let v = try a.get(k, name) else { return def }
                guard case .int(var n) = v else { throw .type("slice indices must be integers or have an __index__ method") }
                if n < 0 { n = max(0, n + l.items.count) }
                return min(n, l.items.count)
            }
            let start = try bound(1, "start", 0), stop = try bound(2, "stop", l.items.count)
            let items = l.items
            if start < stop { for k in start..<stop where try i.equal(items[k], x) { return .int(k) } }
            throw .value("\(try i.repr(x)) is not in list")
        },
        "count": { l, a, i throws(DLXError) in
            let x = try a.required(0, "value")
            var n = 0
            for v in l.items where try i.equal(v, x) { n += 1 }
            return .int(n)
        },
        "clear": { l, _, _ throws(DLXError) in l.items.removeAll(); return .none },
        "copy": { l, _, _ throws(DLXError) in .list(ListBox(l.items)) },
        "reverse": { l, _, _ throws(DLXError) in l.items.reverse(); return .none },
        "sort": { l, a, i throws(DLXError) in
            guard a.positional.isEmpty else { throw .type("sort() takes no positional arguments") }
            let reverse = try a.get(nil, "reverse").map { v throws(DLXError) in try i.truthy(v) } ?? false
            l.items = try i.sortedValues(l.items, key: try a.get(nil, "key"), reverse: reverse)
            return .none
        },
    ]

    static let dictMethods: [String: BuiltinMethod<DictBox>] = [
        "keys": { d, _, _ throws(DLXError) in .object(DictView(d, .keys)) },
        "values": { d, _, _ throws(DLXError) in .object(DictView(d, .values)) },
        "items": { d, _, _ throws(DLXError) in .object(DictView(d, .items)) },
        "get": { d, a, _ throws(DLXError) in
            let k = try a.required(0, "key"), def = try a.get(1, "default")
            return try d.get(k) ?? def ?? .none
        },
        "setdefault": { d, a, _ throws(DLXError) in
            let k = try a.required(0, "key"), def = try a.get(1, "default")
            if let v = try d.get(k) { return v }
            try d.set(k, def ?? .none)
            return def ?? .none
        },
        "pop": { d, a, i throws(DLXError) in
            let k = try a.required(0, "key"), def = try a.get(1, "default")
            if let v = try d.get(k) { _ = try d.remove(k); return v }
            if let def { return def }
            throw i.keyError(k)
        },
        "popitem": { d, _, i throws(DLXError) in
            guard let k = d.keys.last, let v = d.values.last else { throw i.keyError(.string("popitem(): dictionary is empty")) }
            _ = try d.remove(k)
            return .tuple([k, v])
        },
        "update": { d, a, i throws(DLXError) in
            guard a.positional.count <= 1 else { throw .type("update expected at most 1 argument, got \(a.positional.count)") }
            if let other = a.positional.first { try i.update(d, from: other) }
            for (k, v) in a.keywords { try d.set(.string(k), v) }
            a = Arguments()
            return .none
        },
        "copy": { d, _, _ throws(DLXError) in .dict(d.copy()) },
        "clear": { d, _, _ throws(DLXError) in d.removeAll(); return .none },
        "fromkeys": { _, a, i throws(DLXError) in try i.dictFromKeys(&a) },
    ]

    static let listMethodNames = listMethods.keys.sorted()
    static let dictMethodNames = dictMethods.keys.sorted()

    func listMethod(_ l: ListBox, _ name: String) -> Value? {
        guard let body = Interpreter.listMethods[name] else { return nil }
        return method(name) { a, i throws(DLXError) in try body(l, &a, i) }
    }

    func dictMethod(_ d: DictBox, _ name: String) -> Value? {
        guard let body = Interpreter.dictMethods[name] else { return nil }
        return method(name) { a, i throws(DLXError) in try body(d, &a, i) }
    }

    /// `dict.fromkeys(iterable, value=None)`.
    func dictFromKeys(_ a: inout Arguments) throws(DLXError) -> Value {
        let d = DictBox()
        let v = try a.get(1, "value") ?? .none
        for k in try iterateAll(try a.required(0, "iterable")) { try d.set(k, v) }
        return .dict(d)
    }

    /// `d.update(other)` and `dict(other)`: another dict, an object with `keys()`, or an iterable of pairs.
    func update(_ d: DictBox, from other: Value) throws(DLXError) {
        if try copyMapping(other, into: d) { return }
        for (n, pair) in try iterateAll(other).enumerated() {
            guard let kv = try? iterateAll(pair) else { throw .type("cannot convert dictionary update sequence element #\(n) to a sequence") }
            guard kv.count == 2 else { throw .value("dictionary update sequence element #\(n) has length \(kv.count); 2 is required") }
            try d.set(kv[0], kv[1])
        }
    }

    /// `{**m}`: a mapping's items, or Python's TypeError.
    func update(_ d: DictBox, mapping: Value) throws(DLXError) {
        guard try copyMapping(mapping, into: d) else { throw .type("'\(mapping.typeName)' object is not a mapping") }
    }

    /// Copies a dict's items, or those of an object with `keys()` and `[]`; false for anything else.
    private func copyMapping(_ other: Value, into d: DictBox) throws(DLXError) -> Bool {
        if case .dict(let o) = other {
            for (k, v) in zip(o.keys, o.values) { try d.set(k, v) }
            return true
        }
        guard case .object(let o) = other, !(o is DictView), let keys = try? getAttribute(other, "keys") else { return false }
        var none = Arguments()
        for k in try iterateAll(try call(keys, &none)) { try d.set(k, try getItem(other, [k])) }
        return true
    }

    /// `str.lower`, `list.append`, `dict.fromkeys`: a method taken from its type, called with the receiver first.
    func unboundMethod(_ type: String, _ name: String) -> Value? {
        if type == "dict" && name == "fromkeys" {
            return .object(BuiltinFunction(name, method: true) { a, i throws(DLXError) in try i.dictFromKeys(&a) })
        }
        func unbound<R>(_ table: [String: BuiltinMethod<R>], _ receiver: @escaping (Value) -> R?) -> Value? {
            guard let body = table[name] else { return nil }
            return .object(BuiltinFunction(name, method: true) { a, i throws(DLXError) in
                guard let first = a.positional.first else { throw .type("unbound method \(type).\(name)() needs an argument") }
                guard let r = receiver(first) else {
                    throw .type("descriptor '\(name)' for '\(type)' objects doesn't apply to a '\(first.typeName)' object")
                }
                var rest = Arguments(Array(a.positional.dropFirst()), keywords: a.keywords)
                rest.function = name
                let v = try body(r, &rest, i)
                try rest.finish()
                a = Arguments()
                return v
            })
        }
        switch type {
        case "str": return unbound(Interpreter.stringMethods) { if case .string(let s) = $0 { return s }; return nil }
        case "list": return unbound(Interpreter.listMethods) { if case .list(let l) = $0 { return l }; return nil }
        case "dict": return unbound(Interpreter.dictMethods) { if case .dict(let d) = $0 { return d }; return nil }
        default: return nil
        }
    }
}
