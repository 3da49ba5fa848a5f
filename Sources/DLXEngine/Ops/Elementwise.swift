#if canImport(Glibc)
import Glibc
#endif

/// Binary elementwise operations, with broadcasting and PyTorch's type promotion.
public enum ElementwiseOp: Sendable, Equatable {
    case add, sub, mul, div, floorDiv, mod, pow, maximum, minimum
    case eq, ne, lt, le, gt, ge
    case logicalAnd, logicalOr, logicalXor

    var isComparison: Bool {
        switch self {
        case .eq, .ne, .lt, .le, .gt, .ge: return true
        default: return false
        }
    }

    /// PyTorch's grad_fn name, for the differentiable operations.
    var gradName: String? {
        switch self {
        case .add: return "AddBackward0"
        case .sub: return "SubBackward0"
        case .mul: return "MulBackward0"
        case .div: return "DivBackward0"
        case .pow: return "PowBackward0"
        case .maximum: return "MaximumBackward0"
        case .minimum: return "MinimumBackward0"
        case .mod: return "RemainderBackward0"
        default: return nil
        }
    }

    var kernel: BinaryKernel? {
        switch self {
        case .add: return .add
        case .sub: return .sub
        case .mul: return .mul
        case .div: return .div
        case .pow: return .pow
        case .maximum: return .max
        case .minimum: return .min
        default: return nil
        }
    }
}

/// One side of a binary operation: a tensor, or a Python number (which promotes more weakly).
public enum Operand {
    case tensor(Tensor)
    case scalar(Scalar)
}

extension Tensor {
    /// The dtype an operation computes in, by PyTorch's rules: dimensioned tensors lead, zero-dim tensors
    /// and Python numbers only raise the category (bool < integer < float).
    static func resultType(_ a: Operand, _ b: Operand) -> DType {
        var dimensioned: DType? = nil, zeroDim: DType? = nil, scalar: DType? = nil
        for o in [a, b] {
            switch o {
            case .tensor(let t):
                if t.rank > 0 { dimensioned = dimensioned.map { DType.promote($0, t.dtype) } ?? t.dtype }
                else { zeroDim = zeroDim.map { DType.promote($0, t.dtype) } ?? t.dtype }
            case .scalar(let s):
                let d = s.inferredDType
                scalar = scalar.map { DType.promote($0, d) } ?? d
            }
        }
        var result = dimensioned ?? zeroDim ?? scalar ?? .float32
        if let z = zeroDim, dimensioned != nil, z.category > result.category { result = z }
        if let s = scalar, s.category > result.category {
            result = s.category == 2 ? .float32 : s.category == 1 ? .int64 : .bool
        }
        return result
    }

    public static func binary(_ op: ElementwiseOp, _ a: Operand, _ b: Operand) throws(TensorError) -> Tensor {
        guard let ref = a.tensor ?? b.tensor else { throw .type("binary operation needs a tensor operand") }
        let out = try ref.backend.autograd.with(enabled: false) { () throws(TensorError) in try binaryForward(op, a, b) }
        guard out.dtype.isFloatingPoint, let name = op.gradName else { return out }
        let x = a.tensor, y = b.tensor
        let inputs = [x, y].compactMap { $0 }
        let (saving, savingOutput) = savedTensors(op, x, y)
        return out.recorded(name, inputs, saving: saving, savingOutput: savingOutput) { g, out throws(TensorError) in
            let (ga, gb) = try binaryBackward(op, g, a, b, out)
            return (x == nil ? [] : [try ga.map { t throws(TensorError) in try t.sumTo(x!.shape) }])
                + (y == nil ? [] : [try gb.map { t throws(TensorError) in try t.sumTo(y!.shape) }])
        }
    }

    /// The tensors `binaryBackward` reads for the operands that need a gradient, and whether it reads the
    /// output: their versions are checked before it runs.
    static func savedTensors(_ op: ElementwiseOp, _ x: Tensor?, _ y: Tensor?) -> ([Tensor?], Bool) {
        let needA = x?.requiresGrad == true, needB = y?.requiresGrad == true
        switch op {
        case .mul: return ([needB ? x : nil, needA ? y : nil], false)
        case .div: return ([y], needB)
        case .pow: return ([x, needA ? y : nil], needB)
        case .maximum, .minimum: return ([x, y], false)
        default: return ([], false)
        }
    }

    /// Gradients of a binary op with respect to each operand (before un-broadcasting).
    static func binaryBackward(_ op: ElementwiseOp, _ g: Tensor, _ a: Operand, _ b: Operand, _ out: Tensor) throws(TensorError) -> (Tensor?, Tensor?) {
        let needA = a.tensor?.requiresGrad == true, needB = b.tensor?.requiresGrad == true
        switch op {
        case .add: return (g, g)
        case .sub: return (g, needB ? try g.negated() : nil)
        case .mul:
            return (needA ? try Tensor.binary(.mul, .tensor(g), b) : nil, needB ? try Tensor.binary(.mul, .tensor(g), a) : nil)
        case .div:
            let ga = needA ? try Tensor.binary(.div, .tensor(g), b) : nil
            // d(a/b)/db = -out / b
            let gb = needB ? try Tensor.binary(.div, .tensor(g.times(out).negated()), b) : nil
            return (ga, gb)
        case .pow:
            var ga: Tensor? = nil, gb: Tensor? = nil
            if needA {
                // d(a^c)/da = c * a^(c-1)
                let cMinus1: Operand
                switch b {
                case .scalar(let c): cMinus1 = .scalar(.float(c.double - 1))
                case .tensor(let c): cMinus1 = .tensor(try Tensor.binary(.sub, .tensor(c), .scalar(.int(1))))
                }
                let powered = try Tensor.binary(.pow, a, cMinus1)
                ga = try Tensor.binary(.mul, .tensor(g.times(powered)), b)
            }
            if needB, case .tensor(let base) = a { gb = try g.times(out).times(try base.unary(.log)) }
            return (ga, gb)
        case .maximum, .minimum:
            // The gradient goes to the operand that won (to both, halved, on ties).
            let first = try Tensor.binary(op == .maximum ? .gt : .lt, a, b).to(.float32)
            let tie = try Tensor.binary(.eq, a, b).to(.float32).scaled(0.5)
            let wa = try first.plus(tie)
            let wb = try Tensor.ones(wa.shape, on: wa.backend).minus(wa)
            return (needA ? try g.times(wa) : nil, needB ? try g.times(wb) : nil)
        case .mod: return (g, nil)
        default: return (nil, nil)
        }
    }

    static func binaryForward(_ op: ElementwiseOp, _ a: Operand, _ b: Operand) throws(TensorError) -> Tensor {
        guard let first = a.tensor ?? b.tensor else { throw .type("binary operation needs a tensor operand") }
        let compute = resultType(a, b)
        let shape = try broadcastShape(a.shape, b.shape)
        var a = a, b = b
        if case .tensor(let x) = a, case .tensor(let y) = b, x.device != y.device {
            // As in PyTorch, a zero-dim CPU tensor combines with a tensor on any device (as a number).
            if x.rank == 0 && x.device == .cpu { a = .scalar(try x.scalar()) }
            else if y.rank == 0 && y.device == .cpu { b = .scalar(try y.scalar()) }
            else { throw .devices(x.device, y.device) }
        }
        let ref = a.tensor ?? b.tensor ?? first
        var outType = compute
        if op.isComparison || [.logicalAnd, .logicalOr, .logicalXor].contains(op) { outType = .bool }
        else if op == .div && !compute.isFloatingPoint { outType = .float32 }
        if compute == .bool && (op == .sub) {
            throw .runtime("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.")
        }
        let out = try Tensor.empty(shape, dtype: outType, on: ref.backend)
        if out.count == 0 { return out }
        if let acc = out.accelerator {
            try deviceBinary(op, a, b, out, compute: compute, acc)
            return out
        }
        if compute == .float32 && outType == .float32, let k = op.kernel {
            try floatKernel(k, a, b, out)
            return out
        }
        try genericKernel(op, a, b, out, compute: compute)
        return out
    }

    /// Float32 through the backend's row kernel: dimensions are coalesced so that same-shape operands
    /// run as one long row, and a bias row broadcast over a batch runs row by row.
    private static func floatKernel(_ k: BinaryKernel, _ a: Operand, _ b: Operand, _ out: Tensor) throws(TensorError) {
        var scalars: [Float] = [0, 0]
        func prepare(_ o: Operand, _ slot: Int) throws(TensorError) -> Tensor? {
            switch o {
            case .scalar(let s): scalars[slot] = Float(s.double); return nil
            case .tensor(let t):
                let f = try t.to(.float32)
                return try f.expand(to: out.shape)
            }
        }
        let x = try prepare(a, 0), y = try prepare(b, 1)
        let shape = out.shape
        let dims = coalesce(shape, [x?.strides ?? [Int](repeating: 0, count: shape.count),
                                    y?.strides ?? [Int](repeating: 0, count: shape.count)])
        let backend = out.backend
        scalars.withUnsafeBufferPointer { sp in
            let basePA = x.map { UnsafePointer($0.f32) } ?? sp.baseAddress!
            let basePB = y.map { UnsafePointer($0.f32) } ?? sp.baseAddress! + 1
            let o = out.f32
            let n = dims.shape.count
            let inner = dims.shape[n - 1]
            let sa = dims.strides[0][n - 1], sb = dims.strides[1][n - 1]
            let rows = out.count / Swift.max(inner, 1)
            var index = [Int](repeating: 0, count: n)
            var offA = 0, offB = 0
            for r in 0..<rows {
                backend.binaryRow(k, basePA + offA, sa, basePB + offB, sb, o + r * inner, count: inner)
                var d = n - 2
                while d >= 0 {
                    index[d] += 1
                    offA += dims.strides[0][d]; offB += dims.strides[1][d]
                    if index[d] < dims.shape[d] { break }
                    offA -= dims.strides[0][d] * dims.shape[d]; offB -= dims.strides[1][d] * dims.shape[d]
                    index[d] = 0
                    d -= 1
                }
            }
        }
    }

    /// Merges adjacent dimensions that every stride set walks contiguously.
    static func coalesce(_ shape: [Int], _ strides: [[Int]]) -> (shape: [Int], strides: [[Int]]) {
        if shape.isEmpty { return ([1], strides.map { _ in [0] }) }
        var sh = [shape[0]]
        var st = strides.map { [$0[0]] }
        for d in 1..<shape.count {
            let mergeable = strides.indices.allSatisfy { s in st[s][st[s].count - 1] == strides[s][d] * shape[d] }
            if mergeable || sh[sh.count - 1] == 1 {
                sh[sh.count - 1] *= shape[d]
                for s in strides.indices { st[s][st[s].count - 1] = strides[s][d] }
            } else if shape[d] == 1 {
                continue
            } else {
                sh.append(shape[d])
                for s in strides.indices { st[s].append(strides[s][d]) }
            }
        }
        return (sh, st)
    }

    /// Every other dtype and operation: values through Double (floats) or Int64 (integers and bools).
    private static func genericKernel(_ op: ElementwiseOp, _ a: Operand, _ b: Operand, _ out: Tensor, compute: DType) throws(TensorError) {
        let n = out.count
        try out.backend.checkHostArray(n, elementSize: 2 * MemoryLayout<Double>.stride)   // the two operands' values
        if compute.isFloatingPoint || op == .div {
            let x = try a.doubles(out.shape), y = try b.doubles(out.shape)
            for i in 0..<n {
                let p = x[i], q = y[i]
                let v: Double
                switch op {
                case .add: v = p + q
                case .sub: v = p - q
                case .mul: v = p * q
                case .div: v = p / q
                case .floorDiv: v = (p / q).rounded(.down)
                case .mod: let r = _fmod(p, q); v = (r != 0 && (r < 0) != (q < 0)) ? r + q : r
                case .pow: v = _pow(p, q)
                case .maximum: v = p.isNaN || q.isNaN ? .nan : Swift.max(p, q)
                case .minimum: v = p.isNaN || q.isNaN ? .nan : Swift.min(p, q)
                case .eq, .ne, .lt, .le, .gt, .ge, .logicalAnd, .logicalOr, .logicalXor:
                    v = Tensor.predicate(op, p, q) ? 1 : 0
                }
                out.store(compute == .float32 && out.dtype == .float32 ? Double(Float(v)) : v, i)
            }
            return
        }
        let x = try a.ints(out.shape), y = try b.ints(out.shape)
        for i in 0..<n {
            let p = x[i], q = y[i]
            var v: Int64
            switch op {
            case .add: v = p &+ q
            case .sub: v = p &- q
            case .mul: v = p &* q
            case .div: v = 0  // handled in the float branch
            case .floorDiv, .mod:
                guard q != 0 else { throw .runtime("ZeroDivisionError") }
                let (quotient, overflow) = p.dividedReportingOverflow(by: q)
                var fq = overflow ? Int64.min : quotient
                if (p % q != 0) && ((p < 0) != (q < 0)) { fq -= 1 }
                v = op == .floorDiv ? fq : p &- fq &* q
            case .pow:
                guard q >= 0 else { throw .runtime("Integers to negative integer powers are not allowed.") }
                v = 1
                var base = p, e = q
                while e > 0 { if e & 1 == 1 { v = v &* base }; base = base &* base; e >>= 1 }
            case .maximum: v = Swift.max(p, q)
            case .minimum: v = Swift.min(p, q)
            case .eq, .ne, .lt, .le, .gt, .ge, .logicalAnd, .logicalOr, .logicalXor:
                v = Tensor.predicate(op, p, q) ? 1 : 0
            }
            if compute == .bool && !op.isComparison { v = v != 0 ? 1 : 0 }
            out.storeInt(v, i)
        }
    }

    /// Comparisons and logical operations, for any number type.
    @inline(__always)
    static func predicate<T: Comparable & Numeric>(_ op: ElementwiseOp, _ p: T, _ q: T) -> Bool {
        switch op {
        case .eq: return p == q
        case .ne: return p != q
        case .lt: return p < q
        case .le: return p <= q
        case .gt: return p > q
        case .ge: return p >= q
        case .logicalAnd: return p != 0 && q != 0
        case .logicalOr: return p != 0 || q != 0
        default: return (p != 0) != (q != 0)
        }
    }

    // MARK: - Unary

    public enum UnaryOp: Sendable {
        case neg, abs, exp, log, sqrt, relu, sigmoid, tanh, logicalNot

        var kernel: UnaryKernel? {
            switch self {
            case .neg: return .neg
            case .abs: return .abs
            case .exp: return .exp
            case .log: return .log
            case .sqrt: return .sqrt
            case .relu: return .relu
            case .sigmoid: return .sigmoid
            case .tanh: return .tanh
            case .logicalNot: return nil
            }
        }

        var gradName: String {
            switch self {
            case .neg: return "NegBackward0"
            case .abs: return "AbsBackward0"
            case .exp: return "ExpBackward0"
            case .log: return "LogBackward0"
            case .sqrt: return "SqrtBackward0"
            case .relu: return "ReluBackward0"
            case .sigmoid: return "SigmoidBackward0"
            case .tanh: return "TanhBackward0"
            case .logicalNot: return "LogicalNotBackward0"
            }
        }
    }

    public func unary(_ op: UnaryOp) throws(TensorError) -> Tensor {
        let out = try backend.autograd.with(enabled: false) { () throws(TensorError) in try unaryForward(op) }
        guard out.dtype == .float32, let k = op.kernel else { return out }
        // The backward kernels read the input (abs, log) or the output (exp, sqrt, relu, sigmoid, tanh).
        let readsInput = k == .abs || k == .log
        return out.recorded(op.gradName, [self], saving: [readsInput ? self : nil], savingOutput: !readsInput && k != .neg) { [self] g, y throws(TensorError) in
            [try Tensor.unaryGradient(k, g, input: self, output: y)]
        }
    }

    /// The input gradient of an elementwise function, through the backend's backward kernel.
    static func unaryGradient(_ k: UnaryKernel, _ g: Tensor, input: Tensor, output: Tensor) throws(TensorError) -> Tensor {
        if let acc = output.accelerator { return try deviceUnaryGradient(k, g, input: input, output: output, acc) }
        let gc = try g.to(.float32).contiguous(), x = try input.to(.float32).contiguous(), y = try output.contiguous()
        let result = try Tensor.empty(output.shape, on: output.backend)
        output.backend.unaryBackward(k, grad: gc.f32, input: x.f32, output: y.f32, result.f32, count: result.count)
        return result
    }

    func unaryForward(_ op: UnaryOp) throws(TensorError) -> Tensor {
        if let acc = accelerator { return try deviceUnary(op, acc) }
        let kernel: UnaryKernel? = op.kernel
        if op == .logicalNot {
            let out = try empty(shape, dtype: .bool)
            var i = 0
            forEachOffset { out.storeInt(load($0) == 0 ? 1 : 0, i); i += 1 }
            return out
        }
        if op == .neg && dtype == .bool {
            throw .runtime("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
        }
        let keepsType = op == .neg || op == .abs || op == .relu
        if !dtype.isFloatingPoint && keepsType {
            let out = try empty(shape)
            var i = 0
            forEachOffset { o in
                let v = loadInt(o)
                out.storeInt(op == .neg ? 0 &- v : op == .abs ? (v < 0 ? 0 &- v : v) : Swift.max(v, 0), i)
                i += 1
            }
            return out
        }
        if dtype == .float64 {
            let out = try empty(shape)
            var i = 0
            forEachOffset { o in
                let v = load(o)
                let r: Double
                switch op {
                case .neg: r = -v
                case .abs: r = Swift.abs(v)
                case .exp: r = _exp(v)
                case .log: r = _log(v)
                case .sqrt: r = v.squareRoot()
                case .relu: r = v > 0 ? v : (v.isNaN ? v : 0)
                case .sigmoid: r = 1 / (1 + _exp(-v))
                case .tanh: r = _tanh(v)
                case .logicalNot: r = v == 0 ? 1 : 0
                }
                out.store(r, i)
                i += 1
            }
            return out
        }
        let x = try to(.float32).contiguous()
        let out = try empty(shape, dtype: .float32)
        guard let kernel else { throw .runtime("no kernel for \(op)") }
        backend.unary(kernel, x.f32, out.f32, count: count)
        return out
    }
}

extension Operand {
    var tensor: Tensor? { if case .tensor(let t) = self { return t } else { return nil } }
    var shape: [Int] { tensor?.shape ?? [] }

    /// The operand's values broadcast to `shape`, in row-major order, as Doubles.
    func doubles(_ shape: [Int]) throws(TensorError) -> [Double] {
        switch self {
        case .scalar(let s): return [Double](repeating: s.double, count: shape.reduce(1, *))
        case .tensor(let t): return try t.expand(to: shape).doubles()   // (host tensors only: device ones take deviceBinary)
        }
    }

    /// The same as Int64s (floats truncated toward zero).
    func ints(_ shape: [Int]) throws(TensorError) -> [Int64] {
        switch self {
        case .scalar(let s):
            let i: Int64
            switch s {
            case .bool(let b): i = b ? 1 : 0
            case .int(let v): i = v
            case .float(let f): i = Tensor.toInt64(f)
            }
            return [Int64](repeating: i, count: shape.reduce(1, *))
        case .tensor(let t): return try t.expand(to: shape).int64s()
        }
    }
}
