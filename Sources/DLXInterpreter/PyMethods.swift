/// Methods of Python's lists, dicts and strings.
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

    static let stringMethodNames = ["endswith", "format", "join", "lower", "replace", "split", "startswith", "strip", "upper", "center", "ljust", "rjust"]

    func stringMethod(_ s: String, _ name: String) -> Value? {
        switch name {
        case "format": return method(name) { a, i throws(DLXError) in let r = try i.strFormat(s, a); a = Arguments(); return .string(r) }
        case "join":
            return method(name) { a, i throws(DLXError) in
                let parts = try i.iterateAll(try a.required(0, "iterable")).map { v throws(DLXError) in
                    guard case .string(let p) = v else { throw .type("sequence item: expected str instance, \(v.typeName) found") }
                    return p
                }
                return .string(parts.joined(separator: s))
            }
        case "upper": return method(name) { _, _ throws(DLXError) in .string(s.uppercased()) }
        case "lower": return method(name) { _, _ throws(DLXError) in .string(s.lowercased()) }
        case "strip": return method(name) { _, _ throws(DLXError) in .string(s.trimmingSpaces) }
        case "split":
            return method(name) { a, i throws(DLXError) in
                if let sep = try a.get(0, "sep"), !sep.isNone {
                    let p = try i.toStringValue(sep, "sep")
                    guard !p.isEmpty else { throw .value("empty separator") }
                    return .list(ListBox(s.split(separator: p, omittingEmptySubsequences: false).map { .string(String($0)) }))
                }
                return .list(ListBox(s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map { .string(String($0)) }))
            }
        case "startswith", "endswith":
            return method(name) { a, i throws(DLXError) in
                let p = try i.toStringValue(try a.required(0, "prefix"), name)
                return .bool(name == "startswith" ? s.hasPrefix(p) : s.hasSuffix(p))
            }
        case "replace":
            return method(name) { a, i throws(DLXError) in
                let old = try i.toStringValue(try a.required(0, "old"), "replace"), new = try i.toStringValue(try a.required(1, "new"), "replace")
                guard !old.isEmpty else { return .string(s) }
                return .string(s.split(separator: old, omittingEmptySubsequences: false).joined(separator: new))
            }
        case "center", "ljust", "rjust":
            return method(name) { a, i throws(DLXError) in
                let w = try i.toInt(try a.required(0, "width"), "width")
                var fill: Character = " "
                if let f = try a.get(1, "fillchar") {
                    let t = try i.toStringValue(f, "fillchar")
                    guard t.count == 1, let c = t.first else { throw .type("The fill character must be exactly one character long") }
                    fill = c
                }
                let n = max(0, w - s.count)
                guard n <= Interpreter.maxStringBytes else { throw DLXError("MemoryError", "\(name)(\(w)): a string that long does not fit (dlx allows \(Interpreter.maxStringBytes) characters)") }
                guard name == "center" else { return .string(i.pad(s, width: w, fill: fill, align: name == "ljust" ? "<" : ">")) }
                // str.center's split of an odd padding (unlike a format spec's): the extra goes left when the width is odd.
                let left = n / 2 + (n & w & 1)
                return .string(String(repeating: fill, count: left) + s + String(repeating: fill, count: n - left))
            }
        default: return nil
        }
    }
}
