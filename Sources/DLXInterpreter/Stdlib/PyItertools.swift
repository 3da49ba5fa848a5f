/// Python's `itertools`: lazy iterators as CPython's, in its orders (product's odometer, permutations'
/// cycles). Each is a class, as in CPython (`<class 'itertools.chain'>`), whose instances are iterators.
extension Interpreter {
    func itertoolsMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        func add(_ name: String, _ make: @escaping (inout Arguments, Interpreter) throws(DLXError) -> ValueIterator) {
            m[name] = .object(TypeObject(name, qualified: "itertools." + name) { a, i throws(DLXError) in .object(try make(&a, i)) })
        }
        add("count") { a, i throws(DLXError) in
            var n = try a.get(0, "start") ?? .int(0)
            let step = try a.get(1, "step") ?? .int(1)
            return ValueIterator { () throws(DLXError) -> Value? in
                defer { n = (try? i.binaryOp(.add, n, step)) ?? n }
                return n
            }
        }
        add("cycle") { a, i throws(DLXError) in
            let it = try i.iterator(try a.required(0, "iterable"))
            var saved: [Value] = [], k = 0, firstPass = true
            return ValueIterator { () throws(DLXError) -> Value? in
                if firstPass {
                    if let v = try it.next() { saved.append(v); return v }
                    firstPass = false
                }
                guard !saved.isEmpty else { return nil }
                defer { k = (k + 1) % saved.count }
                return saved[k]
            }
        }
        add("repeat") { a, i throws(DLXError) in
            let v = try a.required(0, "object")
            var left = try a.get(1, "times").map { t throws(DLXError) in try i.indexArgument(t) }
            return ValueIterator { () throws(DLXError) -> Value? in
                if let n = left { guard n > 0 else { return nil }; left = n - 1 }
                return v
            }
        }
        add("chain") { a, i throws(DLXError) in try i.chained(try i.iterator(.list(ListBox(a.rest(from: 0))))) }
        if case .object(let chain as TypeObject)? = m["chain"] {
            chain.members["from_iterable"] = function("from_iterable") { a, i throws(DLXError) in
                .object(try i.chained(try i.iterator(try a.required(0, "iterable"))))
            }
        }
        add("islice") { a, i throws(DLXError) in try i.islice(&a) }
        add("zip_longest") { a, i throws(DLXError) in
            let its = try a.rest(from: 0).map { v throws(DLXError) in try i.iterator(v) }
            let fill = try a.get(nil, "fillvalue") ?? Value.none
            var done = Array(repeating: false, count: its.count)
            return ValueIterator { () throws(DLXError) -> Value? in
                var row: [Value] = []
                for (k, it) in its.enumerated() {
                    if !done[k], let v = try it.next() { row.append(v) } else { done[k] = true; row.append(fill) }
                }
                return done.allSatisfy({ $0 }) ? nil : .tuple(row)
            }
        }
        add("accumulate") { a, i throws(DLXError) in
            let it = try i.iterator(try a.required(0, "iterable"))
            let f = try a.get(1, "func").flatMap { $0.isNone ? nil : $0 }
            var total = try a.get(nil, "initial").flatMap { $0.isNone ? nil : $0 }
            var pendingInitial = total != nil
            return ValueIterator { () throws(DLXError) -> Value? in
                if pendingInitial { pendingInitial = false; return total }
                guard let v = try it.next() else { return nil }
                if let t = total {
                    if let f { var args = Arguments([t, v]); total = try i.call(f, &args) } else { total = try i.binaryOp(.add, t, v) }
                } else {
                    total = v
                }
                return total
            }
        }
        add("groupby") { a, i throws(DLXError) in try GroupBy(try i.iterator(try a.required(0, "iterable")), key: try a.get(1, "key"), i).outer() }
        add("starmap") { a, i throws(DLXError) in
            let f = try a.required(0, "function"), it = try i.iterator(try a.required(1, "iterable"))
            return ValueIterator { () throws(DLXError) -> Value? in
                guard let v = try it.next() else { return nil }
                var args = Arguments(try i.iterateAll(v))
                return try i.call(f, &args)
            }
        }
        for name in ["takewhile", "dropwhile", "filterfalse"] {
            add(name) { a, i throws(DLXError) in
                let predicate = try a.required(0, "predicate"), it = try i.iterator(try a.required(1, "iterable"))
                var switched = false   // takewhile: stopped; dropwhile: dropping is over
                return ValueIterator { () throws(DLXError) -> Value? in
                    if switched { return name == "takewhile" ? nil : try it.next() }
                    while let v = try it.next() {
                        var args = Arguments([v])
                        let holds = try i.truthy(predicate.isNone ? v : try i.call(predicate, &args))
                        if name == "takewhile" { if holds { return v }; switched = true; return nil }
                        if !holds { switched = name == "dropwhile"; return v }
                    }
                    return nil
                }
            }
        }
        add("compress") { a, i throws(DLXError) in
            let data = try i.iterator(try a.required(0, "data")), selectors = try i.iterator(try a.required(1, "selectors"))
            return ValueIterator { () throws(DLXError) -> Value? in
                while let v = try data.next(), let s = try selectors.next() { if try i.truthy(s) { return v } }
                return nil
            }
        }
        add("pairwise") { a, i throws(DLXError) in
            let it = try i.iterator(try a.required(0, "iterable"))
            var previous: Value? = nil
            return ValueIterator { () throws(DLXError) -> Value? in
                if previous == nil { previous = try it.next() }
                guard let p = previous, let v = try it.next() else { return nil }
                previous = v
                return .tuple([p, v])
            }
        }
        m.merge(combinatoricMembers()) { a, _ in a }
        m["tee"] = function("tee") { a, i throws(DLXError) in
            let it = try i.iterator(try a.required(0, "iterable"))
            let n = try a.get(1, "n").map { v throws(DLXError) in try i.indexArgument(v) } ?? 2
            guard n >= 0 else { throw .value("n must be >= 0") }
            let buffer = TeeBuffer(it)
            return .tuple((0..<n).map { _ in
                var k = 0
                return .object(ValueIterator { () throws(DLXError) -> Value? in
                    defer { k += 1 }
                    return try buffer.item(k)
                })
            })
        }
        return m
    }

    func chained(_ sources: ValueIterator) throws(DLXError) -> ValueIterator {
        var current: ValueIterator? = nil
        return ValueIterator { [self] () throws(DLXError) -> Value? in
            while true {
                if let c = current, let v = try c.next() { return v }
                guard let next = try sources.next() else { return nil }
                current = try iterator(next)
            }
        }
    }

    /// `islice(iterable, stop)` / `islice(iterable, start, stop[, step])`, consuming as CPython does.
    private func islice(_ a: inout Arguments) throws(DLXError) -> ValueIterator {
        let it = try iterator(try a.required(0, "iterable"))
        let rest = a.rest(from: 1)
        guard (1...3).contains(rest.count) else { throw .type("islice expected at most 4 arguments, got \(rest.count + 1)") }
        func bound(_ v: Value, _ message: String) throws(DLXError) -> Int? {
            if v.isNone { return nil }
            guard case .int(let n) = v, n >= 0 else { throw .value(message) }
            return n
        }
        let indexMessage = "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize."
        let stopMessage = "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize."
        let start = rest.count == 1 ? 0 : try bound(rest[0], indexMessage) ?? 0
        let stop = try bound(rest.count == 1 ? rest[0] : rest[1], rest.count == 1 ? stopMessage : indexMessage)
        var step = 1
        if rest.count == 3, !rest[2].isNone {
            guard case .int(let s) = rest[2], s > 0 else { throw .value("Step for islice() must be a positive integer or None.") }
            step = s
        }
        var count = 0, next = start
        return ValueIterator { () throws(DLXError) -> Value? in
            while count < next {
                guard try it.next() != nil else { return nil }
                count += 1
            }
            if let stop, count >= stop { return nil }
            guard let v = try it.next() else { return nil }
            count += 1
            let old = next
            next += step
            if next < old || (stop.map { next > $0 } ?? false) { next = stop ?? next }
            return v
        }
    }

    /// product, permutations, combinations, combinations_with_replacement: CPython's index algorithms over
    /// pools read at the start; each step gives the next tuple's indices.
    private func combinatoricMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        typealias Steps = (pools: [[Value]], next: () -> [Int]?)
        func add(_ name: String, _ make: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Steps) {
            m[name] = .object(TypeObject(name, qualified: "itertools." + name) { a, i throws(DLXError) in
                let (pools, next) = try make(&a, i)
                return .object(ValueIterator { () throws(DLXError) -> Value? in
                    next().map { indices in .tuple(indices.enumerated().map { pools[pools.count == 1 ? 0 : $0.offset][$0.element] }) }
                })
            })
        }
        func length(_ a: inout Arguments, _ i: Interpreter, _ name: String, _ n: Int) throws(DLXError) -> Int {
            guard let v = try a.get(1, "r"), !v.isNone else {
                if name == "permutations" { return n }
                throw .type("\(name)() missing required argument 'r' (pos 2)")
            }
            let k = try i.indexArgument(v)
            guard k >= 0 else { throw .value("r must be non-negative") }
            try i.reserve(k, .items, name + "()")   // CPython's MemoryError: r indices are made first
            return k
        }
        add("product") { a, i throws(DLXError) in
            let repeatCount = try a.get(nil, "repeat").map { v throws(DLXError) in try i.indexArgument(v) } ?? 1
            guard repeatCount >= 0 else { throw .value("repeat argument cannot be negative") }
            let base = try a.rest(from: 0).map { v throws(DLXError) in try i.iterateAll(v) }
            try i.reserve(Interpreter.product(base.count, repeatCount), .items, "product()")
            let pools = Array(repeating: base, count: repeatCount).flatMap { $0 }
            let sizes = pools.map { $0.count }
            var indices: [Int]? = sizes.contains(0) ? nil : Array(repeating: 0, count: sizes.count)
            var first = true
            // One pool of one item would read as the single-pool case: pad the table instead.
            return (pools.count == 1 ? pools + [[]] : pools, {
                guard var idx = indices else { return nil }
                if first { first = false; return idx }
                for k in stride(from: idx.count - 1, through: 0, by: -1) {
                    idx[k] += 1
                    if idx[k] < sizes[k] { indices = idx; return idx }
                    idx[k] = 0
                }
                indices = nil
                return nil
            })
        }
        add("permutations") { a, i throws(DLXError) in
            let pool = try i.iterateAll(try a.required(0, "iterable"))
            let n = pool.count, k = try length(&a, i, "permutations", n)
            var indices = Array(0..<n), cycles = Array(stride(from: n, to: n - k, by: -1))
            var state = k > n ? 2 : 0   // 0: first, 1: running, 2: done
            return ([pool], {
                switch state {
                case 2: return nil
                case 0: state = 1; return Array(indices.prefix(k))
                default:
                    for j in stride(from: k - 1, through: 0, by: -1) {
                        cycles[j] -= 1
                        if cycles[j] == 0 {
                            indices = Array(indices[..<j]) + indices[(j + 1)...] + [indices[j]]
                            cycles[j] = n - j
                        } else {
                            indices.swapAt(j, n - cycles[j])
                            return Array(indices.prefix(k))
                        }
                    }
                    state = 2
                    return nil
                }
            })
        }
        for name in ["combinations", "combinations_with_replacement"] {
            let replace = name != "combinations"
            add(name) { a, i throws(DLXError) in
                let pool = try i.iterateAll(try a.required(0, "iterable"))
                let n = pool.count, k = try length(&a, i, name, n)
                var indices = replace ? Array(repeating: 0, count: k) : Array(0..<k)
                var state = (!replace && k > n) || (replace && n == 0 && k > 0) ? 2 : 0
                return ([pool], {
                    switch state {
                    case 2: return nil
                    case 0: state = 1; return indices
                    default:
                        var j = k - 1
                        while j >= 0 && indices[j] == (replace ? n - 1 : j + n - k) { j -= 1 }
                        guard j >= 0 else { state = 2; return nil }
                        if replace {
                            let v = indices[j] + 1
                            for t in j..<k { indices[t] = v }
                        } else {
                            indices[j] += 1
                            for t in (j + 1)..<max(j + 1, k) { indices[t] = indices[t - 1] + 1 }
                        }
                        return indices
                    }
                })
            }
        }
        return m
    }
}

/// `groupby`: the outer iterator and each group's share one source; moving on abandons the current group.
private final class GroupBy {
    enum Key { case sentinel, value(Value) }
    let source: ValueIterator
    let key: Value?
    let interpreter: Interpreter
    var target = Key.sentinel, current = Key.sentinel
    var currentValue: Value = .none
    var group = 0

    init(_ source: ValueIterator, key: Value?, _ interpreter: Interpreter) {
        self.source = source; self.key = key.flatMap { $0.isNone ? nil : $0 }; self.interpreter = interpreter
    }

    func same(_ a: Key, _ b: Key) throws(DLXError) -> Bool {
        switch (a, b) {
        case (.sentinel, .sentinel): return true
        case (.value(let x), .value(let y)): return try interpreter.equal(x, y)
        default: return false
        }
    }

    /// Reads the next value and its key; false at the end.
    func advance() throws(DLXError) -> Bool {
        guard let v = try source.next() else { return false }
        currentValue = v
        if let key { var args = Arguments([v]); current = .value(try interpreter.call(key, &args)) } else { current = .value(v) }
        return true
    }

    func outer() -> ValueIterator {
        ValueIterator { [self] () throws(DLXError) -> Value? in
            group += 1
            while try same(current, target) { guard try advance() else { return nil } }
            target = current
            guard case .value(let k) = current else { return nil }
            let id = group, groupKey = current
            var started = false, finished = false
            return .tuple([k, .object(ValueIterator { [self] () throws(DLXError) -> Value? in
                guard !finished, id == group else { finished = true; return nil }
                if started { guard try advance() else { finished = true; return nil } }
                started = true
                if try same(current, groupKey) { return currentValue }
                finished = true
                return nil
            })])
        }
    }
}

/// `tee`'s shared buffer of what the source has given.
private final class TeeBuffer {
    let source: ValueIterator
    var items: [Value] = []
    var ended = false
    init(_ source: ValueIterator) { self.source = source }
    func item(_ k: Int) throws(DLXError) -> Value? {
        while items.count <= k && !ended {
            if let v = try source.next() { items.append(v) } else { ended = true }
        }
        return k < items.count ? items[k] : nil
    }
}
