import DLXEngine
import DLXFrontEnd

/// An operand of NumPy's arithmetic: an array or NumPy scalar (its dtype counts), or a Python number,
/// which is "weak" (NEP 50): it takes the array's dtype unless it is of a higher kind (an int array plus
/// 1.5 is float64; a float32 array plus 1.5 stays float32).
enum NumpyOperand {
    case array(Tensor)
    case weak(Scalar)

    var shape: [Int] { if case .array(let t) = self { return t.shape } else { return [] } }
}

/// NumPy's operators on arrays and NumPy scalars: broadcasting, NumPy's type promotion and error texts.
extension Interpreter {
    /// The operand a value is in NumPy arithmetic, or nil for what NumPy would not take.
    func numpyOperand(_ v: Value) throws(DLXError) -> NumpyOperand? {
        switch v {
        case .bool(let b): return .weak(.bool(b))
        case .int(let n): return .weak(.int(Int64(n)))
        case .float(let f): return .weak(.float(f))
        case .list, .tuple: return .array(try numpyData(v, dtype: nil))
        default: return try numpySource(v).map { .array($0) }
        }
    }

    /// The dtype NumPy computes `a op b` in.
    func numpyResultType(_ a: NumpyOperand, _ b: NumpyOperand) throws(DLXError) -> DType {
        switch (a, b) {
        case (.array(let x), .array(let y)): return DType.numpyPromote(x.dtype, y.dtype)
        case (.array(let x), .weak(let s)), (.weak(let s), .array(let x)):
            let d = x.dtype
            switch s {
            case .bool: return d
            case .int(let n):
                if d == .bool { return .int64 }
                let range: ClosedRange<Int64>? = d == .uint8 ? 0...255 : d == .int32 ? Int64(Int32.min)...Int64(Int32.max) : nil
                if let range, !range.contains(n) { throw DLXError("OverflowError", "Python integer \(n) out of bounds for \(d.name)") }
                return d
            case .float: return d.isFloatingPoint ? d : .float64
            }
        case (.weak(let x), .weak(let y)): return DType.numpyPromote(x.inferredDType == .float32 ? .float64 : x.inferredDType,
                                                                     y.inferredDType == .float32 ? .float64 : y.inferredDType)
        }
    }

    /// The broadcast shape, or NumPy's ValueError.
    func numpyBroadcast(_ a: [Int], _ b: [Int]) throws(DLXError) -> [Int] {
        let n = Swift.max(a.count, b.count)
        let x = [Int](repeating: 1, count: n - a.count) + a, y = [Int](repeating: 1, count: n - b.count) + b
        var out: [Int] = []
        for (p, q) in zip(x, y) {
            guard p == q || p == 1 || q == 1 else {
                throw .value("operands could not be broadcast together with shapes \(Interpreter.numpyShapeText(a)) \(Interpreter.numpyShapeText(b)) ")
            }
            out.append(p == 1 ? q : p)
        }
        return out
    }

    /// NumPy's name of the ufunc behind an operator, for its messages.
    static func numpyUfuncName(_ op: BinaryOp) -> String {
        switch op {
        case .add: return "add"
        case .subtract: return "subtract"
        case .multiply: return "multiply"
        case .divide: return "divide"
        case .floorDivide: return "floor_divide"
        case .modulo: return "remainder"
        case .power: return "power"
        case .bitAnd: return "bitwise_and"
        case .bitOr: return "bitwise_or"
        case .bitXor: return "bitwise_xor"
        case .leftShift: return "left_shift"
        case .rightShift: return "right_shift"
        case .matmul: return "matmul"
        }
    }

    /// An operand converted to the dtype of the computation.
    func numpyCast(_ o: NumpyOperand, _ d: DType) throws(DLXError) -> Operand {
        switch o {
        case .array(let t): return .tensor(try engine { () throws(TensorError) in try t.to(d) })
        case .weak(let s):
            if d.isFloatingPoint { return .scalar(.float(s.double)) }
            if d == .bool { return .scalar(.bool(s.double != 0)) }
            return .scalar(.int(Int64(s.exactInt)))
        }
    }

    func numpyBinary(_ op: BinaryOp, _ a: NumpyOperand, _ b: NumpyOperand) throws(DLXError) -> Value {
        try numpyValue(try numpyBinaryTensor(op, a, b))
    }

    /// Two Python numbers: the first becomes an array of its default dtype (np.add(1, 2) is np.int64(3)).
    func numpyStrong(_ a: NumpyOperand, _ b: NumpyOperand) throws(DLXError) -> NumpyOperand {
        if case .weak = a, case .weak = b { return .array(try numpyCastTensor(a)) }
        return a
    }

    func numpyBinaryTensor(_ op: BinaryOp, _ a: NumpyOperand, _ b: NumpyOperand) throws(DLXError) -> Tensor {
        let a = try numpyStrong(a, b)
        if op == .matmul { return try numpyMatmul(try numpyCastTensor(a), try numpyCastTensor(b)) }
        let shape = try numpyBroadcast(a.shape, b.shape)
        let d = try numpyResultType(a, b)
        let name = Interpreter.numpyUfuncName(op)
        switch op {
        case .bitAnd, .bitOr, .bitXor, .leftShift, .rightShift:
            guard !d.isFloatingPoint, d == .bool ? [.bitAnd, .bitOr, .bitXor].contains(op) : true else {
                throw .type("ufunc '\(name)' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''")
            }
            if d == .bool {
                let k: ElementwiseOp = op == .bitAnd ? .logicalAnd : op == .bitOr ? .logicalOr : .logicalXor
                let x = try numpyCast(a, d), y = try numpyCast(b, d)
                return try engine { () throws(TensorError) in try Tensor.binary(k, x, y) }
            }
            return try numpyIntegerHost(op, a, b, d, shape)
        case .subtract where d == .bool:
            throw .type("numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.")
        case .floorDivide, .modulo where !d.isFloatingPoint:
            return try numpyIntegerHost(op, a, b, d == .bool ? .int64 : d, shape)
        case .power where !d.isFloatingPoint:
            if case .weak(let s) = b, s.double < 0 { throw .value("Integers to negative integer powers are not allowed.") }
            if case .array(let t) = b, try engine({ () throws(TensorError) in try t.int64s() }).contains(where: { $0 < 0 }) {
                throw .value("Integers to negative integer powers are not allowed.")
            }
        default: break
        }
        var compute = d
        if op == .divide && !d.isFloatingPoint { compute = .float64 }
        if d == .bool && op != .divide { compute = .int64 }
        let x = try numpyCast(a, compute), y = try numpyCast(b, compute)
        guard let k = elementwise(op) else { throw .type("unsupported operand type(s) for \(op.rawValue): 'numpy.ndarray'") }
        let r = try engine { () throws(TensorError) in try Tensor.binary(k, x, y) }
        if d == .bool && (op == .add || op == .multiply) { return try engine { () throws(TensorError) in try r.to(.bool) } }
        return r
    }

    func numpyCastTensor(_ o: NumpyOperand) throws(DLXError) -> Tensor {
        switch o {
        case .array(let t): return t
        case .weak(let s):
            return try engine { () throws(TensorError) in
                if case .int(let n) = s { return try Tensor.from([n], shape: [], dtype: .int64, on: session.backend) }
                return try Tensor.full([], s.double, dtype: s.inferredDType == .float32 ? .float64 : s.inferredDType, on: session.backend)
            }
        }
    }

    /// Integer floor division, remainder (0 for a zero divisor, as NumPy gives with a warning) and bit
    /// operations, on the host.
    private func numpyIntegerHost(_ op: BinaryOp, _ a: NumpyOperand, _ b: NumpyOperand, _ d: DType, _ shape: [Int]) throws(DLXError) -> Tensor {
        func values(_ o: NumpyOperand) throws(DLXError) -> [Int64] {
            switch o {
            case .weak(let s): return [Int64](repeating: Int64(s.exactInt), count: shape.reduce(1, *))
            case .array(let t): return try engine { () throws(TensorError) in try t.expand(to: shape).int64s() }
            }
        }
        let x = try values(a), y = try values(b)
        var out = [Int64](repeating: 0, count: x.count)
        for k in 0..<x.count {
            let p = x[k], q = y[k]
            switch op {
            case .floorDivide, .modulo:
                guard q != 0 else { continue }
                var f = p.dividedReportingOverflow(by: q).partialValue
                if p.remainderReportingOverflow(dividingBy: q).partialValue != 0 && (p < 0) != (q < 0) { f &-= 1 }
                out[k] = op == .floorDivide ? f : p &- f &* q
            case .bitAnd: out[k] = p & q
            case .bitOr: out[k] = p | q
            case .bitXor: out[k] = p ^ q
            case .leftShift: out[k] = q < 0 || q > 63 ? 0 : p << q
            default: out[k] = q < 0 || q > 63 ? (p < 0 ? -1 : 0) : p >> q
            }
        }
        return try engine { () throws(TensorError) in try Tensor.from(out, shape: shape, dtype: d, on: session.backend) }
    }

    func numpyCompare(_ op: CompareOp, _ a: NumpyOperand, _ b: NumpyOperand) throws(DLXError) -> Value? {
        guard let k = op.elementwise else { return nil }
        let a = try numpyStrong(a, b)
        _ = try numpyBroadcast(a.shape, b.shape)
        var d = try numpyResultType(a, b)
        if case .weak(.int) = b, d == .bool { d = .int64 }
        let x = try numpyCast(a, d), y = try numpyCast(b, d)
        return try numpyValue(try engine { () throws(TensorError) in try Tensor.binary(k, x, y) })
    }

    /// `a @ b` and `np.matmul`: the engine's matrix product (BLAS for float32) in the promoted dtype.
    func numpyMatmul(_ a: Tensor, _ b: Tensor) throws(DLXError) -> Tensor {
        for (k, t) in [a, b].enumerated() where t.rank == 0 {
            throw .value("matmul: Input operand \(k) does not have enough dimensions (has 0, gufunc core with signature (n?,k),(k,m?)->(n?,m?) requires 1)")
        }
        let inner = b.rank == 1 ? b.shape[0] : b.shape[b.rank - 2]
        guard a.shape[a.rank - 1] == inner else {
            throw .value("matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size \(inner) is different from \(a.shape[a.rank - 1]))")
        }
        if a.rank > 2 || b.rank > 2 {
            _ = try numpyBroadcast(Array(a.shape.dropLast(a.rank == 1 ? 1 : 2)), Array(b.shape.dropLast(b.rank == 1 ? 1 : 2)))
        }
        let d = DType.numpyPromote(a.dtype, b.dtype)
        let compute: DType = d == .bool ? .int64 : d
        let r = try engine { () throws(TensorError) in try a.to(compute).matmul(b.to(compute)) }
        return d == .bool ? try engine { () throws(TensorError) in try r.to(.bool) } : r
    }

    /// `-a`, `+a`, `~a`.
    func numpyUnary(_ op: UnaryOp, _ t: Tensor) throws(DLXError) -> Value {
        switch op {
        case .negate:
            guard t.dtype != .bool else {
                throw .type("The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.")
            }
            return try numpyValue(try engine { () throws(TensorError) in try t.unary(.neg) })
        case .plus: return try numpyValue(try engine { () throws(TensorError) in try t.clone() })
        case .invert:
            if t.dtype == .bool { return try numpyValue(try engine { () throws(TensorError) in try t.unary(.logicalNot) }) }
            guard !t.dtype.isFloatingPoint else {
                throw .type("ufunc 'invert' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''")
            }
            let v = try engine { () throws(TensorError) in try t.int64s() }.map { ~$0 }
            return try numpyValue(try engine { () throws(TensorError) in try Tensor.from(v, shape: t.shape, dtype: t.dtype, on: session.backend) })
        }
    }

    /// `a += b`: the result written into a's memory (its views see it), if NumPy's same-kind rule lets the
    /// result's dtype be cast to a's.
    func numpyInPlace(_ op: BinaryOp, _ arr: NDArrayObject, _ other: Value) throws(DLXError) -> Value {
        guard let o = try numpyOperand(other) else { return try binaryOp(op, .object(arr), other) }
        let target = arr.tensor
        let r = try numpyBinaryTensor(op, .array(target), o)
        let kinds: [DType: Int] = [.bool: 0, .uint8: 1, .int32: 1, .int64: 1, .float32: 2, .float64: 2]
        if kinds[r.dtype]! > kinds[target.dtype]! {
            throw DLXError("UFuncTypeError", "Cannot cast ufunc '\(Interpreter.numpyUfuncName(op))' output from dtype('\(r.dtype.name)') to dtype('\(target.dtype.name)') with casting rule 'same_kind'")
        }
        guard r.shape == target.shape else {
            throw .value("non-broadcastable output operand with shape \(Interpreter.numpyShapeText(target.shape)) doesn't match the broadcast shape \(Interpreter.numpyShapeText(r.shape))")
        }
        try engine { () throws(TensorError) in try target.copy(from: r) }
        return .object(arr)
    }
}

/// Operators of the ndarray.
extension NDArrayObject {
    func binaryOperator(_ op: BinaryOp, _ other: Value, reflected: Bool, _ i: Interpreter) throws(DLXError) -> Value? {
        if case .tensor = other { return nil }   // a tensor's operators take the array (PyTorch's result)
        guard let o = try i.numpyOperand(other) else { return nil }
        return try i.numpyBinary(op, reflected ? o : .array(tensor), reflected ? .array(tensor) : o)
    }

    func compare(_ op: CompareOp, _ other: Value, _ i: Interpreter) throws(DLXError) -> Value? {
        if case .tensor = other { return nil }
        guard let o = try? i.numpyOperand(other) else { return nil }
        return try i.numpyCompare(op, .array(tensor), o)
    }

    func truth(_ i: Interpreter) throws(DLXError) -> Bool? {
        guard tensor.count == 1 else {
            if tensor.count == 0 { throw .value("The truth value of an empty array is ambiguous. Use `array.size > 0` to check that an array is not empty.") }
            throw .value("The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()")
        }
        return try i.engine { () throws(TensorError) in try tensor.scalar() }.double != 0
    }

    func contains(_ item: Value, _ i: Interpreter) throws(DLXError) -> Bool? {
        guard let o = try i.numpyOperand(item), let eq = try i.numpyCompare(.equal, .array(tensor), o) else { return nil }
        guard case .object(let r as NDArrayObject) = eq else { return try i.truthy(eq) }
        return try i.engine { () throws(TensorError) in try r.tensor.int64s() }.contains { $0 != 0 }
    }
}

/// `-x`, `~x`, `abs(x)` of arrays and NumPy scalars.
protocol NumpyUnaryOperand: AnyObject {
    func unaryOperator(_ op: UnaryOp, _ i: Interpreter) throws(DLXError) -> Value
    func absolute(_ i: Interpreter) throws(DLXError) -> Value
}

extension NDArrayObject: NumpyUnaryOperand {
    func unaryOperator(_ op: UnaryOp, _ i: Interpreter) throws(DLXError) -> Value { try i.numpyUnary(op, tensor) }
    func absolute(_ i: Interpreter) throws(DLXError) -> Value {
        try i.numpyValue(try i.engine { () throws(TensorError) in try tensor.unary(.abs) })
    }
}

extension NumpyScalar: NumpyUnaryOperand {
    func unaryOperator(_ op: UnaryOp, _ i: Interpreter) throws(DLXError) -> Value { try i.numpyUnary(op, try tensor(i)) }
    func absolute(_ i: Interpreter) throws(DLXError) -> Value {
        let t = try tensor(i)
        return try i.numpyValue(try i.engine { () throws(TensorError) in try t.unary(.abs) })
    }
}
