import DLXFrontEnd

/// What an object can take part in beyond `PyObject`'s basics: operators, comparisons, `in`, item
/// assignment, `str`, truth, hashing. User classes answer through their special methods (`__add__`,
/// `__eq__`, ...), sets through set algebra. nil means "not supported here": the interpreter then tries
/// the other operand or reports Python's TypeError.
protocol ObjectProtocols: PyObject {
    func binaryOperator(_ op: BinaryOp, _ other: Value, reflected: Bool, _ i: Interpreter) throws(DLXError) -> Value?
    func compare(_ op: CompareOp, _ other: Value, _ i: Interpreter) throws(DLXError) -> Value?
    func contains(_ item: Value, _ i: Interpreter) throws(DLXError) -> Bool?
    func setItem(_ key: Value, _ value: Value, _ i: Interpreter) throws(DLXError) -> Bool
    func deleteItem(_ key: Value, _ i: Interpreter) throws(DLXError) -> Bool
    func deleteAttribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Bool
    /// repr and str that may run user code (and so may fail).
    func checkedRepr(_ i: Interpreter) throws(DLXError) -> String?
    func checkedStr(_ i: Interpreter) throws(DLXError) -> String?
    func truth(_ i: Interpreter) throws(DLXError) -> Bool?
    func hashKey(_ i: Interpreter) throws(DLXError) -> HashKey?
}

extension ObjectProtocols {
    func binaryOperator(_ op: BinaryOp, _ other: Value, reflected: Bool, _ i: Interpreter) throws(DLXError) -> Value? { nil }
    func compare(_ op: CompareOp, _ other: Value, _ i: Interpreter) throws(DLXError) -> Value? { nil }
    func contains(_ item: Value, _ i: Interpreter) throws(DLXError) -> Bool? { nil }
    func setItem(_ key: Value, _ value: Value, _ i: Interpreter) throws(DLXError) -> Bool { false }
    func deleteItem(_ key: Value, _ i: Interpreter) throws(DLXError) -> Bool { false }
    func deleteAttribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Bool { false }
    func checkedRepr(_ i: Interpreter) throws(DLXError) -> String? { nil }
    func checkedStr(_ i: Interpreter) throws(DLXError) -> String? { nil }
    func truth(_ i: Interpreter) throws(DLXError) -> Bool? { nil }
    func hashKey(_ i: Interpreter) throws(DLXError) -> HashKey? { nil }
}

extension Value {
    /// The value's object protocols, when it has any.
    var protocols: (any ObjectProtocols)? {
        switch self {
        case .object(let o): return o as? any ObjectProtocols
        case .module(let m): return m as? any ObjectProtocols
        default: return nil
        }
    }
}
