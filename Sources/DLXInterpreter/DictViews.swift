import DLXFrontEnd

/// `d.keys()`, `d.values()`, `d.items()`: live views of a dict, printed as `dict_keys([...])`.
final class DictView: PyObject, ObjectProtocols {
    enum Kind: String { case keys, values, items }
    let dict: DictBox
    let kind: Kind
    init(_ dict: DictBox, _ kind: Kind) { self.dict = dict; self.kind = kind }

    var typeName: String { "dict_" + kind.rawValue }

    var elements: [Value] {
        switch kind {
        case .keys: return dict.keys
        case .values: return dict.values
        case .items: return zip(dict.keys, dict.values).map { .tuple([$0, $1]) }
        }
    }

    func repr(_ i: Interpreter) -> String { (try? checkedRepr(i)) ?? typeName + "(...)" }
    func checkedRepr(_ i: Interpreter) throws(DLXError) -> String? { typeName + "(" + (try i.repr(.list(ListBox(elements)))) + ")" }

    func length(_ i: Interpreter) throws(DLXError) -> Int? { dict.count }

    func makeIterator(_ i: Interpreter) throws(DLXError) -> ValueIterator? { ValueIterator(over: elements) }

    func contains(_ item: Value, _ i: Interpreter) throws(DLXError) -> Bool? {
        switch kind {
        case .keys: return try dict.get(item) != nil
        case .items:
            guard case .tuple(let kv) = item, kv.count == 2, let v = try dict.get(kv[0]) else { return false }
            return try i.equal(v, kv[1])
        case .values: return try dict.values.pyAny { v throws(DLXError) in try i.equal(v, item) }
        }
    }

    /// Keys and items views are set-like: they compare and combine as sets do.
    private func asSet(_ v: Value, _ i: Interpreter) throws(DLXError) -> SetObject? {
        switch v {
        case .object(let s as SetObject): return s
        case .object(let o as DictView) where o.kind != .values: return try SetObject(o.elements, i)
        default: return nil
        }
    }

    func compare(_ op: CompareOp, _ other: Value, _ i: Interpreter) throws(DLXError) -> Value? {
        guard kind != .values else {
            if op == .equal || op == .notEqual { return .bool(i.identical(.object(self), other) == (op == .equal)) }
            return nil
        }
        guard let o = try asSet(other, i) else { return op == .equal ? .bool(false) : op == .notEqual ? .bool(true) : nil }
        return try SetObject(elements, i).compare(op, .object(o), i)
    }

    func binaryOperator(_ op: BinaryOp, _ other: Value, reflected: Bool, _ i: Interpreter) throws(DLXError) -> Value? {
        guard kind != .values, [.bitAnd, .bitOr, .bitXor, .subtract].contains(op) else { return nil }
        guard let items = try? i.iterateAll(other) else { return nil }
        let o = Value.object(try SetObject(items, i))
        let me = try SetObject(elements, i)
        return reflected ? try (o.protocols as! SetObject).binaryOperator(op, .object(me), reflected: false, i)
                         : try me.binaryOperator(op, o, reflected: false, i)
    }

    var attributeNames: [String] { [] }
}
