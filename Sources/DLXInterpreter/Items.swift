import DLXEngine

/// Indexing and attribute access, dispatched on the kind of value.
extension Interpreter {
    func getItem(_ base: Value, _ index: [Value]) throws(DLXError) -> Value {
        if case .tensor(let t) = base {
            let items = try indexItems(index)
            return .tensor(try engine { () throws(TensorError) in try t.index(items) })
        }
        guard index.count == 1 else {
            if case .dict(let d) = base { return try dictItem(d, .tuple(index)) }
            if case .object(let o) = base, let v = try o.item(.tuple(index), self) { return v }   // x[a, b]: a tuple key
            throw .type("\(base.typeName) indices must be integers or slices, not tuple")
        }
        let key = index[0]
        switch base {
        case .list(let l): return try sequenceItem(l.items, key, "list") { .list(ListBox($0)) }
        case .tuple(let t): return try sequenceItem(t, key, "tuple") { .tuple($0) }
        case .size(let s):
            return try sequenceItem(s.map { .int($0) }, key, "tuple") { vs in .size(vs.map { if case .int(let i) = $0 { return i } else { return 0 } }) }
        case .string(let s):
            return try sequenceItem(s.map { .string(String($0)) }, key, "string") { parts in
                .string(parts.map { if case .string(let c) = $0 { return c } else { return "" } }.joined())
            }
        case .dict(let d): return try dictItem(d, key)
        case .module(let m as ModuleList):
            if case .slice(let a, let b, let c) = key {
                return .module(ModuleList(try sliceIndices(a, b, c, m.modules.count).map { m.modules[$0] }))
            }
            return .module(m.modules[try normalizedIndex(key, m.modules.count, "ModuleList")])
        case .module(let m as ModuleDict):
            guard case .string(let k) = key, let found = m.entries.first(where: { $0.0 == k }) else { throw keyError(key) }
            return .module(found.1)
        case .module(let m as Sequential):
            if case .slice(let a, let b, let c) = key {
                // A slice keeps the children's names, as PyTorch's does.
                let picked = try sliceIndices(a, b, c, m.modules.count)
                let names = m.children.map { $0.0 }
                return .module(Sequential(picked.map { m.modules[$0] }, names: picked.map { names[$0] }))
            }
            return .module(m.modules[try normalizedIndex(key, m.modules.count, "Sequential")])
        case .object(let o):
            if let v = try o.item(key, self) { return v }
        case .module(let m as UserModule):
            if let v = try m.item(key, self) { return v }
        default: break
        }
        throw .type("'\(base.typeName)' object is not subscriptable")
    }

    private func dictItem(_ d: DictBox, _ key: Value) throws(DLXError) -> Value {
        if let v = try d.get(key) { return v }
        guard let v = try missingDictItem(d, key) else { throw keyError(key) }
        return v
    }

    private func sequenceItem(_ items: [Value], _ key: Value, _ what: String, _ make: ([Value]) -> Value) throws(DLXError) -> Value {
        if case .slice(let a, let b, let c) = key {
            return make(try sliceIndices(a, b, c, items.count).map { items[$0] })
        }
        if case .tensor(let t) = key, t.rank == 0, !t.dtype.isFloatingPoint {
            return items[try normalizedIndex(.int(try toInt(key, "index")), items.count, what)]
        }
        return items[try normalizedIndex(key, items.count, what)]
    }

    /// Index values as the engine's index items.
    func indexItems(_ index: [Value]) throws(DLXError) -> [IndexItem] {
        var items: [IndexItem] = []
        for v in index {
            switch v {
            case .int(let i): items.append(.int(i))
            case .bool(let b): items.append(.tensor(try engine { () throws(TensorError) in try Tensor.full([], b ? 1 : 0, dtype: .bool, on: session.backend) }))
            case .slice(let a, let b, let c): items.append(.slice(a, b, c ?? 1))
            case .none: items.append(.newAxis)
            case .ellipsis: items.append(.ellipsis)
            case .tensor(let t):
                if t.rank == 0 && !t.dtype.isFloatingPoint && t.dtype != .bool {
                    items.append(.int(try toInt(v, "index")))
                } else {
                    items.append(.tensor(t))
                }
            case .tuple(let inner): items += try indexItems(inner)
            case .list(let l):
                items.append(.tensor(try tensorData(.list(l), dtype: nil)))
            case .object(let a as NDArrayObject): items += try indexItems([.tensor(a.tensor)])   // t[np_indices]
            case .object(let n as NumpyScalar): items += try indexItems([n.pythonNumber])
            default:
                throw DLXError("IndexError", "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got \(v.typeName))")
            }
        }
        return items
    }

    func setItem(_ base: Value, _ index: [Value], _ value: Value) throws(DLXError) {
        switch base {
        case .tensor(let t):
            try checkInPlace(t)
            let items = try indexItems(index)
            guard let o = operand(value) else {
                throw .type("can't assign a \(value.typeName) to a \(t.dtype.pytorchScalarName)Tensor")
            }
            try engine { () throws(TensorError) in try t.indexPut(items, o) }
        case .list(let l):
            guard index.count == 1 else { throw .type("list indices must be integers or slices, not tuple") }
            if case .slice(let a, let b, let c) = index[0] {
                let positions = try sliceIndices(a, b, c, l.items.count)
                let values = try iterateAll(value)
                if c == nil || c == 1 {
                    let lo = positions.first ?? min(max((a ?? 0) < 0 ? (a ?? 0) + l.items.count : (a ?? 0), 0), l.items.count)
                    l.items.replaceSubrange(lo..<(lo + positions.count), with: values)
                } else {
                    guard values.count == positions.count else {
                        throw .value("attempt to assign sequence of size \(values.count) to extended slice of size \(positions.count)")
                    }
                    for (p, v) in zip(positions, values) { l.items[p] = v }
                }
                return
            }
            l.items[try normalizedIndex(index[0], l.items.count, "list assignment")] = value
        case .dict(let d):
            try d.set(index.count == 1 ? index[0] : .tuple(index), value)
        case .module(let m as ModuleList):
            guard case .module(let new) = value else { throw .type("\(value.typeName) is not a Module subclass") }
            m.modules[try normalizedIndex(index[0], m.modules.count, "ModuleList")] = new
        case .module(let m as ModuleDict):
            guard case .module(let new) = value else { throw .type("\(value.typeName) is not a Module subclass") }
            m.set(try toStringValue(index[0], "key"), new)
        case .module(let m as Sequential):
            guard case .module(let new) = value else { throw .type("\(value.typeName) is not a Module subclass") }
            m.modules[try normalizedIndex(index[0], m.modules.count, "Sequential")] = new
        default:
            if let p = base.protocols, try p.setItem(index.count == 1 ? index[0] : .tuple(index), value, self) { return }
            throw .type("'\(base.typeName)' object does not support item assignment")
        }
    }

    func getAttribute(_ base: Value, _ name: String) throws(DLXError) -> Value {
        if name == "__class__", base.protocols as? UserObject == nil { return typeOf(base) }
        switch base {
        case .tensor(let t): if let v = try tensorAttribute(t, name) { return markedMethod(v, of: base, name) }
        case .module(let u as UserModule):
            if let v = try u.attribute(name, self) { return v }
            if let v = try moduleAttribute(u, name) { return markedMethod(v, of: base, name) }
            if let v = try u.fallbackAttribute(name, self) { return v }
            throw .attribute(base, name)
        case .module(let m):
            if let v = try moduleAttribute(m, name) {
                if case .object(let f as BuiltinFunction) = v, f.isMethod {
                    f.bound = (base, name == "forward" ? m.typeName : table(describing: name, of: base).map { String($0.prefix.split(separator: ".").last!) } ?? "Module")
                }
                return markedMethod(v, of: base, name)
            }
        case .object(let o): if let v = try o.attribute(name, self) { return markedMethod(v, of: base, name) }
        case .list(let l): if let v = listMethod(l, name) { return v }
        case .dict(let d):
            if name == "_metadata", let m = d.metadata { return m }
            if let v = try collectionsDictAttribute(d, name) ?? dictMethod(d, name) { return v }
        case .string(let s): if let v = stringMethod(s, name) { return v }
        case .size(let s):
            if name == "numel" {
                return method(name) { _, _ throws(DLXError) in
                    var n = 1
                    for d in s {
                        let (p, overflow) = n.multipliedReportingOverflow(by: d)
                        if overflow { throw DLXError("RuntimeError", "numel: integer multiplication overflow") }
                        n = p
                    }
                    return .int(n)
                }
            }
        case .dtype(let d):
            if name == "is_floating_point" { return .bool(d.isFloatingPoint) }
            if name == "itemsize" { return .int(d.itemSize) }
        case .device(let d):
            if name == "type" { return .string(d.type) }
            if name == "index" { if case .cuda(let i) = d { return .int(i) } else { return Value.none } }
        case .float(let f):
            if name == "is_integer" { return method(name) { _, _ throws(DLXError) in .bool(f == f.rounded()) } }
        default: break
        }
        if case .object(let t as TypeObject) = base, let v = unboundMethod(t.name, name) { return v }
        if case .object(let o) = base, o is Namespace {
            throw .attribute(base, name, "module '\((o as! Namespace).name)' has no attribute '\(name)'")
        }
        throw .attribute(base, name)
    }

    func setAttribute(_ base: Value, _ name: String, _ value: Value) throws(DLXError) {
        switch base {
        case .object(let o): if try o.setAttribute(name, value, self) { return }
        case .module(let u as UserModule): if try u.setAttribute(name, value, self) { return }
        case .module(let m): if try setModuleAttribute(m, name, value) { return }
        case .tensor(let t): if try setTensorAttribute(t, name, value) { return }
        case .dict(let d) where name == "_metadata":
            if case .ordered = d.flavor { d.metadata = value; return }
        default: break
        }
        throw DLXError("AttributeError", "'\(base.typeName)' object has no attribute '\(name)' that can be set")
    }

    /// A bound method value.
    func method(_ name: String, _ body: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Value) -> Value {
        .object(BuiltinFunction(name, method: true, body))
    }
}
