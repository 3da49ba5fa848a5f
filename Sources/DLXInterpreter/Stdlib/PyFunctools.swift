import DLXFrontEnd

/// Python's `functools` (partial, reduce, and pass-through decorators) and `operator`.
extension Interpreter {
    func functoolsMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        m["partial"] = .object(TypeObject("partial", qualified: "functools.partial") { a, i throws(DLXError) in
            guard let f = a.positional.first else { throw .type("type 'partial' takes at least one argument") }
            guard i.isCallableValue(f) else { throw .type("the first argument must be callable") }
            let p = PartialObject(f, Array(a.positional.dropFirst()), a.keywords)
            a = Arguments()
            return .object(p)
        })
        m["cmp_to_key"] = function("cmp_to_key") { a, _ throws(DLXError) in
            let compare = try a.required(0, "mycmp")
            return .object(BuiltinFunction("K") { b, _ throws(DLXError) in .object(ComparisonKey(try b.required(0, "obj"), compare)) })
        }
        m["reduce"] = function("reduce") { a, i throws(DLXError) in
            let f = try a.required(0, "function")
            let it = try i.iterator(try a.required(1, "iterable"))
            var first = try a.get(2, "initial")
            if first == nil { first = try it.next() }
            guard var total = first else {
                throw .type("reduce() of empty iterable with no initial value")
            }
            while let v = try it.next() {
                var args = Arguments([total, v])
                total = try i.call(f, &args)
            }
            return total
        }
        let identity = function("decorator") { a, _ throws(DLXError) in try a.required(0, "function") }
        for name in ["lru_cache", "cache"] {
            m[name] = function(name) { a, i throws(DLXError) in
                let first = try a.get(0, name == "cache" ? "user_function" : "maxsize")
                _ = try a.get(1, "typed")
                if let first, i.isCallableValue(first) { return .object(CachedFunction(first, maxsize: name == "cache" ? nil : 128)) }
                let maxsize = try first.flatMap { v throws(DLXError) -> Int? in v.isNone ? nil : max(0, try i.indexArgument(v)) }
                return i.function("decorating_function") { a, _ throws(DLXError) in .object(CachedFunction(try a.required(0, "user_function"), maxsize: maxsize)) }
            }
        }
        m["wraps"] = function("wraps") { a, _ throws(DLXError) in
            let wrapped = try a.required(0, "wrapped")
            for k in ["assigned", "updated"] { _ = try a.get(nil, k) }
            return .object(BuiltinFunction("wraps") { b, i throws(DLXError) in
                let wrapper = try b.required(0, "wrapper")
                try i.updateWrapper(wrapper, wrapped)
                return wrapper
            })
        }
        m["update_wrapper"] = function("update_wrapper") { a, i throws(DLXError) in
            let wrapper = try a.required(0, "wrapper"), wrapped = try a.required(1, "wrapped")
            for k in ["assigned", "updated"] { _ = try a.get(nil, k) }
            try i.updateWrapper(wrapper, wrapped)
            return wrapper
        }
        m["total_ordering"] = identity
        return m
    }

    /// functools.update_wrapper: the wrapper takes the wrapped function's name, qualified name, module and
    /// docstring, and `__wrapped__` points at it.
    func updateWrapper(_ wrapper: Value, _ wrapped: Value) throws(DLXError) {
        for name in ["__module__", "__name__", "__qualname__", "__doc__"] {
            guard let v = try? getAttribute(wrapped, name) else { continue }
            _ = try? setAttribute(wrapper, name, v)
        }
        _ = try? setAttribute(wrapper, "__wrapped__", wrapped)
    }

    func operatorMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        let binary: [(String, BinaryOp)] = [("add", .add), ("sub", .subtract), ("mul", .multiply), ("truediv", .divide),
                                            ("floordiv", .floorDivide), ("mod", .modulo), ("pow", .power), ("matmul", .matmul),
                                            ("and_", .bitAnd), ("or_", .bitOr), ("xor", .bitXor), ("lshift", .leftShift),
                                            ("rshift", .rightShift), ("concat", .add)]
        for (name, op) in binary {
            m[name] = function(name) { a, i throws(DLXError) in try i.binaryOp(op, try a.required(0, "a"), try a.required(1, "b")) }
        }
        let compare: [(String, CompareOp)] = [("eq", .equal), ("ne", .notEqual), ("lt", .less), ("le", .lessEqual), ("gt", .greater),
                                              ("ge", .greaterEqual), ("is_", .isSame), ("is_not", .isNot)]
        for (name, op) in compare {
            m[name] = function(name) { a, i throws(DLXError) in try i.compare(op, try a.required(0, "a"), try a.required(1, "b")) }
        }
        m["contains"] = function("contains") { a, i throws(DLXError) in .bool(try i.contains(try a.required(0, "a"), try a.required(1, "b"))) }
        m["neg"] = function("neg") { a, i throws(DLXError) in try i.unaryOp(.negate, try a.required(0, "a")) }
        m["pos"] = function("pos") { a, i throws(DLXError) in try i.unaryOp(.plus, try a.required(0, "a")) }
        m["not_"] = function("not_") { a, i throws(DLXError) in .bool(!(try i.truthy(try a.required(0, "a")))) }
        m["truth"] = function("truth") { a, i throws(DLXError) in .bool(try i.truthy(try a.required(0, "a"))) }
        m["getitem"] = function("getitem") { a, i throws(DLXError) in try i.getItem(try a.required(0, "a"), [try a.required(1, "b")]) }
        for name in ["itemgetter", "attrgetter"] {
            m[name] = .object(TypeObject(name, qualified: "operator." + name) { a, i throws(DLXError) in
                guard !a.positional.isEmpty else { throw .type("\(name) expected 1 argument, got 0") }
                return .object(GetterObject(name, a.rest(from: 0)))
            })
        }
        return m
    }
}

/// `functools.partial(f, *args, **keywords)`: calls f with these arguments before the call's own.
final class PartialObject: PyObject {
    let function: Value
    // (vars for the cycle collector, which makes their storage unique)
    var arguments: [Value]
    var keywords: [(String, Value)]
    var heapLink = HeapLink()
    deinit { Heap.leave(self) }

    init(_ function: Value, _ arguments: [Value], _ keywords: [(String, Value)]) {
        // A partial of a partial is flattened, as CPython does.
        if case .object(let inner as PartialObject) = function {
            self.function = inner.function
            self.arguments = inner.arguments + arguments
            self.keywords = inner.keywords.filter { k in !keywords.contains { $0.0 == k.0 } } + keywords
        } else {
            self.function = function; self.arguments = arguments; self.keywords = keywords
        }
        Heap.adopt(self)
    }

    var typeName: String { "partial" }
    var qualifiedName: String { "functools.partial" }
    var attributeNames: [String] { ["args", "func", "keywords"] }

    func repr(_ interpreter: Interpreter) -> String {
        let parts = ([function] + arguments).map { (try? interpreter.repr($0)) ?? "?" }
            + keywords.map { $0.0 + "=" + ((try? interpreter.repr($0.1)) ?? "?") }
        return "functools.partial(" + parts.joined(separator: ", ") + ")"
    }

    func attribute(_ name: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "func": return function
        case "args": return .tuple(arguments)
        case "keywords":
            let d = DictBox()
            for (k, v) in keywords { try d.set(.string(k), v) }
            return .dict(d)
        default: return nil
        }
    }

    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        var merged = Arguments(arguments + args.positional,
                               keywords: keywords.filter { k in !args.keywords.contains { $0.0 == k.0 } } + args.keywords)
        args = Arguments()
        return try interpreter.call(function, &merged)
    }
}

/// `functools.lru_cache(maxsize)(f)` and `functools.cache(f)`: results kept by arguments, the least recently
/// used dropped past `maxsize` (None: no bound).
final class CachedFunction: PyObject {
    let function: Value
    let maxsize: Int?
    let results = DictBox()
    var hits = 0, misses = 0

    init(_ function: Value, maxsize: Int?) { self.function = function; self.maxsize = maxsize }

    var typeName: String { "_lru_cache_wrapper" }
    var qualifiedName: String { "functools._lru_cache_wrapper" }
    var attributeNames: [String] { ["cache_clear", "cache_info"] }

    func attribute(_ name: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "__wrapped__": return function
        case "cache_clear":
            return interpreter.method(name) { [self] _, _ throws(DLXError) in
                results.removeAll(); hits = 0; misses = 0
                return Value.none
            }
        case "cache_info":
            return interpreter.method(name) { [self] _, _ throws(DLXError) in
                let shape = NamedTupleShape(name: "CacheInfo", fields: ["hits", "misses", "maxsize", "currsize"], defaults: [])
                return .object(NamedTupleValue(shape, [.int(hits), .int(misses), maxsize.map { .int($0) } ?? Value.none, .int(results.count)]))
            }
        default: return nil
        }
    }

    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        let key = Value.tuple([.tuple(args.positional), .tuple(args.keywords.flatMap { [.string($0.0), $0.1] })])
        if let v = try results.get(key) {
            hits += 1
            if maxsize != nil {   // most recently used last
                _ = try results.remove(key)
                try results.set(key, v)
            }
            args = Arguments()
            return v
        }
        misses += 1
        let v = try interpreter.call(function, &args)
        if maxsize != 0 {
            try results.set(key, v)
            if let maxsize, results.count > maxsize { _ = try results.remove(results.keys[0]) }
        }
        return v
    }
}

/// `operator.itemgetter(*items)` and `operator.attrgetter(*names)` (dotted names follow attributes).
final class GetterObject: PyObject {
    let kind: String
    let keys: [Value]
    init(_ kind: String, _ keys: [Value]) { self.kind = kind; self.keys = keys }

    var typeName: String { kind }
    var qualifiedName: String { "operator." + kind }
    func repr(_ interpreter: Interpreter) -> String {
        "operator.\(kind)(" + keys.map { (try? interpreter.repr($0)) ?? "?" }.joined(separator: ", ") + ")"
    }

    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        args.function = kind
        let obj = try args.required(0, "obj")
        try args.finish()
        let values = try keys.map { k throws(DLXError) -> Value in
            guard kind == "attrgetter" else { return try interpreter.getItem(obj, [k]) }
            guard case .string(let path) = k else { throw .type("attribute name must be a string") }
            var v = obj
            for part in path.split(separator: ".") { v = try interpreter.getAttribute(v, String(part)) }
            return v
        }
        return values.count == 1 ? values[0] : .tuple(values)
    }
}

/// What `functools.cmp_to_key(f)` makes of each item: ordered by `f(a, b)`'s sign.
final class ComparisonKey: PyObject, ObjectProtocols {
    let value: Value
    let compare: Value
    init(_ value: Value, _ compare: Value) { self.value = value; self.compare = compare }
    var typeName: String { "functools.KeyWrapper" }
    func compare(_ op: CompareOp, _ other: Value, _ i: Interpreter) throws(DLXError) -> Value? {
        guard case .object(let o as ComparisonKey) = other else { return nil }
        var a = Arguments([value, o.value])
        let c = try i.call(compare, &a)
        let zero = Value.int(0)
        switch op {
        case .less: return try i.compare(.less, c, zero)
        case .lessEqual: return try i.compare(.lessEqual, c, zero)
        case .greater: return try i.compare(.greater, c, zero)
        case .greaterEqual: return try i.compare(.greaterEqual, c, zero)
        case .equal: return try i.compare(.equal, c, zero)
        case .notEqual: return try i.compare(.notEqual, c, zero)
        default: return nil
        }
    }
}
