import DLXFrontEnd

/// `collections`' dict subclasses are dlx dicts with a flavour, so that they are dicts everywhere (len,
/// iteration, `in`, `d[k] = v`, isinstance(x, dict), json); repr, missing keys and a few methods ask the flavour.
public enum DictFlavor {
    case plain, ordered, counter
    /// defaultdict, with its `default_factory` (None: a missing key is a KeyError).
    case defaulting(Value)

    var typeName: String {
        switch self {
        case .plain: return "dict"
        case .ordered: return "OrderedDict"
        case .counter: return "Counter"
        case .defaulting: return "defaultdict"
        }
    }

    var isCounter: Bool {
        if case .counter = self { return true }
        return false
    }

    var qualifiedName: String {
        if case .plain = self { return "dict" }
        return "collections." + typeName
    }
}

extension Interpreter {
    func collectionsMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        for flavor in [DictFlavor.ordered, .counter, .defaulting(.none)] {
            m[flavor.typeName] = .object(TypeObject(flavor.typeName, qualified: flavor.qualifiedName) { a, i throws(DLXError) in
                try i.makeFlavoredDict(flavor, &a)
            })
        }
        m["namedtuple"] = function("namedtuple") { a, i throws(DLXError) in try i.namedTupleClass(&a) }
        m["deque"] = .object(TypeObject("deque", qualified: "collections.deque") { a, i throws(DLXError) in
            let items = try a.get(0, "iterable").map { v throws(DLXError) in try i.iterateAll(v) } ?? []
            let maxlen = try a.get(1, "maxlen").flatMap { v throws(DLXError) -> Int? in v.isNone ? nil : try i.indexArgument(v) }
            if let maxlen, maxlen < 0 { throw .value("maxlen must be non-negative") }
            return .object(DequeObject(items, maxlen: maxlen))
        })
        return m
    }

    private func makeFlavoredDict(_ flavor: DictFlavor, _ a: inout Arguments) throws(DLXError) -> Value {
        let d = DictBox()
        var rest = a.positional
        if case .defaulting = flavor {
            let factory = rest.first ?? Value.none
            guard factory.isNone || isCallableValue(factory) else { throw .type("first argument must be callable or None") }
            d.flavor = .defaulting(factory)
            rest = Array(rest.dropFirst())
        } else {
            d.flavor = flavor
        }
        guard rest.count <= 1 else { throw .type("expected at most 1 argument, got \(rest.count)") }
        try updateDict(d, rest.first, a.keywords)
        a = Arguments()
        return .dict(d)
    }

    /// `d.update(source, **keywords)`: from a mapping or from key-value pairs; a Counter counts.
    func updateDict(_ d: DictBox, _ source: Value?, _ keywords: [(String, Value)], sign: Int = 1) throws(DLXError) {
        func add(_ k: Value, _ v: Value) throws(DLXError) {
            guard case .counter = d.flavor else { try d.set(k, v); return }
            let old = try d.get(k) ?? .int(0)
            try d.set(k, try binaryOp(sign > 0 ? .add : .subtract, old, v))
        }
        if case .dict(let src)? = source {
            for (k, v) in zip(src.keys, src.values) { try add(k, v) }
        } else if let source, !source.isNone {
            let it = try iterator(source)
            var n = 0
            while let item = try it.next() {
                if case .counter = d.flavor { try add(item, .int(1)); continue }
                guard let pair = try? iterateAll(item) else {
                    throw .type("cannot convert dictionary update sequence element #\(n) to a sequence")
                }
                guard pair.count == 2 else { throw .value("dictionary update sequence element #\(n) has length \(pair.count); 2 is required") }
                try d.set(pair[0], pair[1])
                n += 1
            }
        }
        for (k, v) in keywords { try add(.string(k), v) }
    }

    /// A new dict with the same flavour and items.
    func copyDict(_ d: DictBox) throws(DLXError) -> DictBox {
        let out = DictBox()
        out.flavor = d.flavor
        for (k, v) in zip(d.keys, d.values) { try out.set(k, v) }
        return out
    }

    /// OrderedDict([('a', 1)]), defaultdict(<class 'list'>, {...}), Counter({...}) by count; nil for plain dicts.
    func flavoredDictRepr(_ d: DictBox) throws(DLXError) -> String? {
        func braces(_ pairs: [(Value, Value)]) throws(DLXError) -> String {
            "{" + (try reprs(pairs.map { $0.0 }, pairs.map { $0.1 })).joined(separator: ", ") + "}"
        }
        switch d.flavor {
        case .plain: return nil
        case .ordered:
            if d.count == 0 { return "OrderedDict()" }
            return "OrderedDict(" + (try repr(.list(ListBox(zip(d.keys, d.values).map { .tuple([$0, $1]) })))) + ")"
        case .defaulting(let factory):
            return "defaultdict(\(try repr(factory)), \(try braces(Array(zip(d.keys, d.values)))))"
        case .counter:
            if d.count == 0 { return "Counter()" }
            return "Counter(" + (try braces(try mostCommon(d))) + ")"
        }
    }

    /// Items by decreasing count, ties in insertion order (`Counter.most_common`).
    func mostCommon(_ d: DictBox) throws(DLXError) -> [(Value, Value)] {
        var order = Array(d.keys.indices)
        var failure: DLXError? = nil
        order.sort { x, y in
            do {
                let c = try self.order(d.values[x], d.values[y], .greater)
                return c != 0 ? c > 0 : x < y
            } catch { failure = error as? DLXError; return false }
        }
        if let failure { throw failure }
        return order.map { (d.keys[$0], d.values[$0]) }
    }

    /// `d[key]` for a key `d` lacks: a defaultdict calls its factory and keeps the value, a Counter counts 0.
    func missingDictItem(_ d: DictBox, _ key: Value) throws(DLXError) -> Value? {
        switch d.flavor {
        case .counter: return .int(0)
        case .defaulting(let factory):
            if factory.isNone { return nil }
            var none = Arguments()
            let v = try call(factory, &none)
            try d.set(key, v)
            return v
        default: return nil
        }
    }

    /// The flavours' own dict methods (Counter's update and subtract, OrderedDict's popitem and move_to_end,
    /// ...); the plain dict's are the table in ListDictMethods.swift.
    func collectionsDictAttribute(_ d: DictBox, _ name: String) throws(DLXError) -> Value? {
        switch (name, d.flavor) {
        case ("update", .counter), ("subtract", .counter):
            return method(name) { a, i throws(DLXError) in
                try i.updateDict(d, a.positional.first, a.keywords, sign: name == "update" ? 1 : -1)
                a = Arguments()
                return Value.none
            }
        case ("popitem", .ordered):
            return method(name) { a, i throws(DLXError) in
                let last = try i.flag(&a, 0, "last", true)
                guard d.count > 0 else { throw DLXError("KeyError", "'dictionary is empty'") }
                let k = last ? d.keys[d.count - 1] : d.keys[0], v = try d.get(k) ?? Value.none
                _ = try d.remove(k)
                return .tuple([k, v])
            }
        case ("move_to_end", .ordered):
            return method(name) { a, i throws(DLXError) in
                let k = try a.required(0, "key")
                let last = try i.flag(&a, 1, "last", true)
                guard let v = try d.get(k) else { throw i.keyError(k) }
                _ = try d.remove(k)
                if last { try d.set(k, v); return Value.none }
                let rest = Array(zip(d.keys, d.values))
                d.removeAll()
                try d.set(k, v)
                for (key, value) in rest { try d.set(key, value) }
                return Value.none
            }
        case ("default_factory", .defaulting(let factory)): return factory
        case ("most_common", .counter):
            return method(name) { a, i throws(DLXError) in
                let all = try i.mostCommon(d)
                let n = try a.get(0, "n").flatMap { v throws(DLXError) -> Int? in v.isNone ? nil : try i.indexArgument(v) } ?? all.count
                return .list(ListBox(all.prefix(max(0, n)).map { .tuple([$0.0, $0.1]) }))
            }
        case ("elements", .counter):
            return method(name) { _, i throws(DLXError) in
                var out: [Value] = []
                for (k, v) in zip(d.keys, d.values) {
                    let n = try i.indexArgument(v)
                    if n > 0 { out += Array(repeating: k, count: n) }
                }
                return .object(try i.iterator(.list(ListBox(out))))
            }
        case ("total", .counter):
            return method(name) { _, i throws(DLXError) in
                var t = Value.int(0)
                for v in d.values { t = try i.binaryOp(.add, t, v) }
                return t
            }
        default: return nil
        }
    }

    /// Counter `+ - | &` (keeping positive counts), dict `|` (a merged copy), and named tuples as tuples;
    /// nil where the operands are none of these.
    func collectionsBinaryOp(_ op: BinaryOp, _ a: Value, _ b: Value) throws(DLXError) -> Value? {
        if let (x, y) = Value.asTuples(a, b) { return try binaryOp(op, x, y) }
        guard case .dict(let x) = a, case .dict(let y) = b else { return nil }
        if case .counter = x.flavor, case .counter = y.flavor, [.add, .subtract, .bitOr, .bitAnd].contains(op) {
            let out = DictBox()
            out.flavor = .counter
            let zero = Value.int(0)
            for (k, v) in zip(x.keys, x.values) {
                let w = try y.get(k) ?? zero
                let r: Value
                switch op {
                case .add: r = try binaryOp(.add, v, w)
                case .subtract: r = try binaryOp(.subtract, v, w)
                case .bitOr: r = try order(v, w, .less) < 0 ? w : v
                default: r = try order(v, w, .less) < 0 ? v : w
                }
                if try order(r, zero, .greater) > 0 { try out.set(k, r) }
            }
            guard op != .bitAnd else { return .dict(out) }
            for (k, w) in zip(y.keys, y.values) where try x.get(k) == nil {
                if op == .subtract {
                    if try order(w, zero, .less) < 0 { try out.set(k, try binaryOp(.subtract, zero, w)) }
                } else if try order(w, zero, .greater) > 0 {
                    try out.set(k, w)
                }
            }
            return .dict(out)
        }
        guard op == .bitOr else { return nil }
        let out = try copyDict(x)
        for (k, v) in zip(y.keys, y.values) { try out.set(k, v) }
        return .dict(out)
    }
}
