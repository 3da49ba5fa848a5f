import DLXFrontEnd
import DLXEngine

/// Python's operators over dlx values; tensors go to the engine's broadcasting ops.
extension Interpreter {
    func truthy(_ v: Value) throws(DLXError) -> Bool {
        switch v {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let f): return f != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.items.isEmpty
        case .tuple(let t): return !t.isEmpty
        case .dict(let d): return d.count > 0
        case .size(let s): return !s.isEmpty
        case .tensor(let t):
            guard t.count == 1 else {
                throw DLXError("RuntimeError", t.count == 0 ? "Boolean value of Tensor with no values is ambiguous"
                               : "Boolean value of Tensor with more than one value is ambiguous")
            }
            return try engine { () throws(TensorError) in try t.scalar() }.double != 0
        case .object(let o):
            if let p = o as? any ObjectProtocols, let t = try p.truth(self) { return t }
            if let n = try o.length(self) { return n > 0 }
            return true
        case .module(let m as UserModule):
            return try m.truth(self) ?? true
        default: return true
        }
    }

    /// A Python number as an engine scalar, or nil for non-numbers.
    func scalar(_ v: Value) -> Scalar? {
        switch v {
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int64(i))
        case .float(let f): return .float(f)
        case .object(let n as NumpyScalar): return n.value
        default: return nil
        }
    }

    func operand(_ v: Value) -> Operand? {
        if case .tensor(let t) = v { return .tensor(t) }
        if case .object(let a as NDArrayObject) = v { return .tensor(a.tensor) }
        return scalar(v).map { .scalar($0) }
    }

    func unaryOp(_ op: UnaryOp, _ v: Value) throws(DLXError) -> Value {
        switch (op, v) {
        case (.negate, .int(let i)):
            let (r, o) = 0.subtractingReportingOverflow(i)
            if o { throw DLXError("OverflowError", "integer overflow") }
            return .int(r)
        case (.negate, .float(let f)): return .float(-f)
        case (.negate, .bool(let b)): return .int(b ? -1 : 0)
        case (.plus, .int), (.plus, .float): return v
        case (.plus, .bool(let b)): return .int(b ? 1 : 0)
        case (.invert, .int(let i)): return .int(~i)
        case (.invert, .bool(let b)): return .int(b ? -2 : -1)
        case (.negate, .tensor(let t)): return .tensor(try engine { () throws(TensorError) in try t.unary(.neg) })
        case (.plus, .tensor): return v
        case (.invert, .tensor(let t)):
            guard t.dtype == .bool else {
                throw .type("~ (bitwise not) on tensors is supported for bool tensors in dlx, not \(t.dtype.name)")
            }
            return .tensor(try engine { () throws(TensorError) in try t.unary(.logicalNot) })
        default:
            if case .object(let o as NumpyUnaryOperand) = v { return try o.unaryOperator(op, self) }
            throw .type("bad operand type for unary \(op.rawValue): '\(v.typeName)'")
        }
    }

    func binaryOp(_ op: BinaryOp, _ a: Value, _ b: Value) throws(DLXError) -> Value {
        // User objects (their `__add__`, then the other side's `__radd__`), and sets.
        if let p = a.protocols, let r = try p.binaryOperator(op, b, reflected: false, self) { return r }
        if let p = b.protocols, let r = try p.binaryOperator(op, a, reflected: true, self) { return r }
        if op == .add, isDataset(a), isDataset(b) { return try concatDatasets([a, b]) }
        // "%s" % tensor formats the tensor (str.__mod__ runs first: a tensor has no __rmod__ for strings).
        if op == .modulo, case .string(let fmt) = a { return .string(try percentFormat(fmt, b)) }
        if case .tensor = a { return try tensorBinary(op, a, b) }
        if case .tensor = b { return try tensorBinary(op, a, b) }
        if let x = scalar(a), let y = scalar(b) { return try numberBinary(op, x, y) }
        switch (op, a, b) {
        case (.add, .string(let x), .string(let y)):
            try reserve(Interpreter.sum(x.utf8.count, y.utf8.count), .text)
            return .string(x + y)
        case (.add, .list(let x), .list(let y)):
            try reserve(Interpreter.sum(x.items.count, y.items.count), .items)
            return .list(ListBox(x.items + y.items))
        case (.add, .tuple(let x), .tuple(let y)):
            try reserve(Interpreter.sum(x.count, y.count), .items)
            return .tuple(x + y)
        case (.add, .size(let x), .size(let y)): return .size(x + y)
        case (.add, .size(let x), .tuple(let y)): return .tuple(x.map { .int($0) } + y)
        case (.add, .tuple(let x), .size(let y)): return .tuple(x + y.map { .int($0) })
        case (.multiply, .string(let s), .int(let n)), (.multiply, .int(let n), .string(let s)):
            try reserve(Interpreter.product(s.utf8.count, n), .text)
            return .string(String(repeating: s, count: max(0, n)))
        case (.multiply, .list(let l), .int(let n)), (.multiply, .int(let n), .list(let l)):
            try reserve(Interpreter.product(l.items.count, n), .items)
            return .list(ListBox(Array(repeating: l.items, count: max(0, n)).flatMap { $0 }))
        case (.multiply, .tuple(let t), .int(let n)), (.multiply, .int(let n), .tuple(let t)):
            try reserve(Interpreter.product(t.count, n), .items)
            return .tuple(Array(repeating: t, count: max(0, n)).flatMap { $0 })
        case (.multiply, .string, .bool(let n)), (.multiply, .list, .bool(let n)), (.multiply, .tuple, .bool(let n)):
            return try binaryOp(op, a, .int(n ? 1 : 0))
        case (.multiply, .bool(let n), .string), (.multiply, .bool(let n), .list), (.multiply, .bool(let n), .tuple):
            return try binaryOp(op, .int(n ? 1 : 0), b)
        case (.modulo, .string(let fmt), _):
            return .string(try percentFormat(fmt, b))
        case (.bitOr, .dict(let x), .dict(let y)):
            let d = x.copy()
            try update(d, from: .dict(y))
            return .dict(d)
        default:
            if let r = try collectionsBinaryOp(op, a, b) { return r }
            throw sequenceOperandError(op, a, b)
                ?? .type("unsupported operand type(s) for \(op.rawValue): '\(a.typeName)' and '\(b.typeName)'")
        }
    }

    /// Python's own messages for `"a" + 1` and `"a" * "b"`.
    private func sequenceOperandError(_ op: BinaryOp, _ a: Value, _ b: Value) -> DLXError? {
        func isSequence(_ v: Value) -> Bool {
            switch v { case .string, .list, .tuple: return true; default: return false }
        }
        if op == .add, isSequence(a) {
            let name = a.typeName, other = b.typeName
            return .type("can only concatenate \(name) (not \"\(other)\") to \(name)")
        }
        if op == .multiply, isSequence(a) || isSequence(b) {
            return .type("can't multiply sequence by non-int of type '\((isSequence(a) ? b : a).typeName)'")
        }
        return nil
    }

    func inPlaceOp(_ op: BinaryOp, _ a: Value, _ b: Value) throws(DLXError) -> Value {
        // Lists extend in place; tensors update in place (x += 1 changes x and its views).
        if op == .bitOr, case .dict(let d) = a {
            try update(d, from: b)
            return a
        }
        if op == .add, case .list(let l) = a {
            let more = try iterateAll(b)
            try reserve(Interpreter.sum(l.items.count, more.count), .items)
            l.items += more
            return a
        }
        if case .object(let arr as NDArrayObject) = a { return try numpyInPlace(op, arr, b) }
        if case .tensor(let t) = a, let o = operand(b), let k = elementwise(op) {
            return try inPlace(t) { [self] x throws(DLXError) in try engine { () throws(TensorError) in try Tensor.binary(k, .tensor(x), o) } }
        }
        return try binaryOp(op, a, b)
    }

    func elementwise(_ op: BinaryOp) -> ElementwiseOp? {
        switch op {
        case .add: return .add
        case .subtract: return .sub
        case .multiply: return .mul
        case .divide: return .div
        case .floorDivide: return .floorDiv
        case .modulo: return .mod
        case .power: return .pow
        case .bitAnd: return .logicalAnd
        case .bitOr: return .logicalOr
        case .bitXor: return .logicalXor
        default: return nil
        }
    }

    private func tensorBinary(_ op: BinaryOp, _ a: Value, _ b: Value) throws(DLXError) -> Value {
        guard let x = operand(a), let y = operand(b) else {
            throw .type("unsupported operand type(s) for \(op.rawValue): '\(a.typeName)' and '\(b.typeName)'")
        }
        if op == .matmul {
            guard case .tensor(let l) = a, case .tensor(let r) = b else {
                throw .type("unsupported operand type(s) for @: '\(a.typeName)' and '\(b.typeName)'")
            }
            return .tensor(try engine { () throws(TensorError) in try l.matmul(r) })
        }
        if [.bitAnd, .bitOr, .bitXor].contains(op) {
            for v in [a, b] { if case .tensor(let t) = v, t.dtype != .bool {
                throw .type("bitwise operators on tensors are supported for bool tensors in dlx, not \(t.dtype.name)")
            } }
        }
        guard let k = elementwise(op) else {
            throw .type("unsupported operand type(s) for \(op.rawValue): '\(a.typeName)' and '\(b.typeName)'")
        }
        return .tensor(try engine { () throws(TensorError) in try Tensor.binary(k, x, y) })
    }

    private func numberBinary(_ op: BinaryOp, _ x: Scalar, _ y: Scalar) throws(DLXError) -> Value {
        if case .float = x { return try floatBinary(op, x.double, y.double) }
        if case .float = y { return try floatBinary(op, x.double, y.double) }
        let a = x.exactInt, b = y.exactInt
        func checked(_ r: (Int, Bool)) throws(DLXError) -> Value {
            if r.1 { throw DLXError("OverflowError", "integer result too large for dlx (64-bit integers)") }
            return .int(r.0)
        }
        switch op {
        case .add: return try checked(a.addingReportingOverflow(b))
        case .subtract: return try checked(a.subtractingReportingOverflow(b))
        case .multiply: return try checked(a.multipliedReportingOverflow(by: b))
        case .divide:
            guard b != 0 else { throw DLXError("ZeroDivisionError", "division by zero") }
            return .float(Double(a) / Double(b))
        case .floorDivide, .modulo:
            guard b != 0 else { throw DLXError("ZeroDivisionError", op == .modulo ? "integer modulo by zero" : "integer division or modulo by zero") }
            if a == Int.min && b == -1 { throw DLXError("OverflowError", "integer overflow") }
            var q = a / b
            if (a % b != 0) && ((a < 0) != (b < 0)) { q -= 1 }
            return .int(op == .floorDivide ? q : a - q * b)
        case .power:
            if b < 0 {
                guard a != 0 else { throw DLXError("ZeroDivisionError", "0.0 cannot be raised to a negative power") }
                return .float(_pow(Double(a), Double(b)))
            }
            var result = 1, base = a, e = b
            while e > 0 {
                if e & 1 == 1 { let r = result.multipliedReportingOverflow(by: base); if r.overflow { throw DLXError("OverflowError", "integer result too large for dlx (64-bit integers)") }; result = r.partialValue }
                e >>= 1
                if e > 0 { let r = base.multipliedReportingOverflow(by: base); if r.overflow { throw DLXError("OverflowError", "integer result too large for dlx (64-bit integers)") }; base = r.partialValue }
            }
            return .int(result)
        case .bitAnd: return .int(a & b)
        case .bitOr: return .int(a | b)
        case .bitXor: return .int(a ^ b)
        case .leftShift:
            guard b >= 0 else { throw DLXError("ValueError", "negative shift count") }
            return try checked(b >= 63 ? (0, a != 0) : (a << b, (a << b) >> b != a))
        case .rightShift:
            guard b >= 0 else { throw DLXError("ValueError", "negative shift count") }
            return .int(b >= 63 ? (a < 0 ? -1 : 0) : a >> b)
        case .matmul: throw .type("unsupported operand type(s) for @: 'int' and 'int'")
        }
    }

    private func floatBinary(_ op: BinaryOp, _ a: Double, _ b: Double) throws(DLXError) -> Value {
        switch op {
        case .add: return .float(a + b)
        case .subtract: return .float(a - b)
        case .multiply: return .float(a * b)
        case .divide:
            guard b != 0 else { throw DLXError("ZeroDivisionError", "float division by zero") }
            return .float(a / b)
        case .floorDivide:
            guard b != 0 else { throw DLXError("ZeroDivisionError", "float floor division by zero") }
            return .float((a / b).rounded(.down))
        case .modulo:
            guard b != 0 else { throw DLXError("ZeroDivisionError", "float modulo") }
            let r = _fmodD(a, b)
            return .float(r != 0 && (r < 0) != (b < 0) ? r + b : r)
        case .power:
            if a == 0 && b < 0 { throw DLXError("ZeroDivisionError", "0.0 cannot be raised to a negative power") }
            return .float(_pow(a, b))
        default:
            throw .type("unsupported operand type(s) for \(op.rawValue): 'float' and 'float'")
        }
    }

    // MARK: - Comparison

    func compare(_ op: CompareOp, _ a: Value, _ b: Value) throws(DLXError) -> Value {
        switch op {
        case .isSame: return .bool(identical(a, b))
        case .isNot: return .bool(!identical(a, b))
        case .isIn: return .bool(try contains(b, a))
        case .notIn: return .bool(!(try contains(b, a)))
        default: break
        }
        if let p = a.protocols, let r = try p.compare(op, b, self) { return r }
        if let p = b.protocols, let r = try p.compare(op.reflected, a, self) { return r }
        if case .tensor = a, let x = operand(a), let y = operand(b) { return try tensorCompare(op, x, y) }
        if case .tensor = b, let x = operand(a), let y = operand(b) { return try tensorCompare(op, x, y) }
        if op == .equal { return .bool(try equal(a, b)) }
        if op == .notEqual { return .bool(!(try equal(a, b))) }
        let c = try order(a, b, op)
        switch op {
        case .less: return .bool(c < 0)
        case .lessEqual: return .bool(c <= 0)
        case .greater: return .bool(c > 0)
        default: return .bool(c >= 0)
        }
    }

    private func tensorCompare(_ op: CompareOp, _ x: Operand, _ y: Operand) throws(DLXError) -> Value {
        let k = op.elementwise ?? .ge
        return .tensor(try engine { () throws(TensorError) in try Tensor.binary(k, x, y) })
    }

    func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.none, .none), (.ellipsis, .ellipsis): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.tensor(let x), .tensor(let y)): return x === y
        case (.module(let x), .module(let y)): return x === y
        case (.object(let x), .object(let y)): return x === y
        case (.list(let x), .list(let y)): return x === y
        case (.dict(let x), .dict(let y)): return x === y
        case (.dtype(let x), .dtype(let y)): return x == y
        default: return false
        }
    }

    func equal(_ a: Value, _ b: Value) throws(DLXError) -> Bool {
        if let (x, y) = Value.asTuples(a, b) { return try equal(x, y) }
        if let x = scalar(a), let y = scalar(b) {
            // Ints compare exactly (2**53 + 1 != 2**53), mixed with floats by value as Python does.
            if case .float = x { return x.double == y.double }
            if case .float = y { return x.double == y.double }
            return x.exactInt == y.exactInt
        }
        if let p = a.protocols, let r = try p.compare(.equal, b, self) { return try truthy(r) }
        if let p = b.protocols, let r = try p.compare(.equal, a, self) { return try truthy(r) }
        switch (a, b) {
        case (.object(let x as TypeObject), .object(let y as TypeObject)): return x.qualified == y.qualified
        case (.none, .none): return true
        case (.string(let x), .string(let y)): return x == y
        case (.list(let x), .list(let y)): return try sequenceEqual(x.items, y.items)
        case (.tuple(let x), .tuple(let y)): return try sequenceEqual(x, y)
        case (.size(let x), .size(let y)): return x == y
        case (.size(let x), .tuple(let y)), (.tuple(let y), .size(let x)): return try sequenceEqual(x.map { .int($0) }, y)
        case (.dtype(let x), .dtype(let y)): return x == y
        case (.device(let x), .device(let y)): return x == y
        case (.device(let x), .string(let y)), (.string(let y), .device(let x)): return x.description == y || (x == .cpu && y == "cpu")
        case (.dict(let x), .dict(let y)):
            guard x.count == y.count else { return false }
            for (k, v) in zip(x.keys, x.values) {
                guard let w = try y.get(k), try equal(v, w) else { return false }
            }
            return true
        default: return identical(a, b)
        }
    }

    /// Items compare by identity first, as Python's do (so a list that contains itself equals itself).
    private func sequenceEqual(_ x: [Value], _ y: [Value]) throws(DLXError) -> Bool {
        guard x.count == y.count else { return false }
        try Interpreter.ensureStack("maximum recursion depth exceeded in comparison")
        for (p, q) in zip(x, y) where !identical(p, q) { if !(try equal(p, q)) { return false } }
        return true
    }

    /// -1, 0 or 1, for numbers, strings and sequences.
    func order(_ a: Value, _ b: Value, _ op: CompareOp) throws(DLXError) -> Int {
        if let (x, y) = Value.asTuples(a, b) { return try order(x, y, op) }
        if let x = scalar(a), let y = scalar(b) {
            if case .float = x {} else if case .float = y {} else {
                let (p, q) = (x.exactInt, y.exactInt)
                return p < q ? -1 : p > q ? 1 : 0
            }
            let p = x.double, q = y.double
            if p.isNaN || q.isNaN { return op == .greater || op == .greaterEqual ? -1 : 1 }
            return p < q ? -1 : p > q ? 1 : 0
        }
        let strict: CompareOp = op == .greater || op == .greaterEqual ? .greater : .less
        if let p = a.protocols, let r = try p.compare(strict, b, self) {
            if try truthy(r) { return strict == .less ? -1 : 1 }
            if let q = try p.compare(.equal, b, self), try truthy(q) { return 0 }
            return strict == .less ? 1 : -1
        }
        if let p = b.protocols, let r = try p.compare(strict.reflected, a, self) {
            if try truthy(r) { return strict == .less ? -1 : 1 }
            return strict == .less ? 1 : -1
        }
        switch (a, b) {
        case (.string(let x), .string(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.list(let x), .list(let y)): return try sequenceOrder(x.items, y.items, op)
        case (.tuple(let x), .tuple(let y)): return try sequenceOrder(x, y, op)
        default:
            throw .type("'\(op.rawValue)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
        }
    }

    private func sequenceOrder(_ x: [Value], _ y: [Value], _ op: CompareOp) throws(DLXError) -> Int {
        for (p, q) in zip(x, y) where !(try equal(p, q)) { return try order(p, q, op) }
        return x.count < y.count ? -1 : x.count > y.count ? 1 : 0
    }

    func contains(_ container: Value, _ item: Value) throws(DLXError) -> Bool {
        if let p = container.protocols, let r = try p.contains(item, self) { return r }
        if case .module(let d as ModuleDict) = container {
            guard case .string(let k) = item else { return false }
            return d.entries.contains { $0.0 == k }
        }
        switch container {
        case .string(let s):
            guard case .string(let sub) = item else { throw .type("'in <string>' requires string as left operand, not \(item.typeName)") }
            return sub.isEmpty || s.contains(sub)
        case .dict(let d): return try d.get(item) != nil
        case .tensor(let t):
            guard let o = operand(item) else { throw .type("Tensor.__contains__ only supports Tensor or scalar, but you passed in a \(item.typeName).") }
            let eq = try engine { () throws(TensorError) in try Tensor.binary(.eq, .tensor(t), o) }
            return try engine { () throws(TensorError) in try eq.int64s() }.contains { $0 != 0 }
        default:
            for v in try iterateAll(container) where try equal(v, item) { return true }
            return false
        }
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _fmodD(_ a: Double, _ b: Double) -> Double { fmod(a, b) }
@inline(__always) func _pow(_ a: Double, _ b: Double) -> Double { pow(a, b) }
#endif

extension CompareOp {
    /// The engine's comparison for `==`, `!=`, `<`, `<=`, `>`, `>=` (nil for `is` and `in`).
    var elementwise: ElementwiseOp? {
        switch self {
        case .equal: return .eq
        case .notEqual: return .ne
        case .less: return .lt
        case .lessEqual: return .le
        case .greater: return .gt
        case .greaterEqual: return .ge
        default: return nil
        }
    }

    /// The comparison with its operands swapped: `a < b` is `b > a`.
    var reflected: CompareOp {
        switch self {
        case .less: return .greater
        case .greater: return .less
        case .lessEqual: return .greaterEqual
        case .greaterEqual: return .lessEqual
        default: return self
        }
    }
}

extension Scalar {
    /// A bool or int scalar's exact value (not through Double, which rounds past 2^53).
    var exactInt: Int {
        switch self {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return Int(i)
        default: return Int(double)
        }
    }
}
