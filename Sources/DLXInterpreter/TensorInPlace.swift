import DLXEngine

/// More tensor methods: the in-place family (`add_`, `mul_`, `clamp_`, `resize_`, `scatter_`, `normal_`, ...),
/// `clamp`, `all`/`any`, `isfinite`, `sort`, `new_ones` and friends, and `numpy()`.
extension Interpreter {
    /// `other * alpha` for `add(other, alpha=...)` and `sub`: PyTorch's `self + alpha * other`.
    func alphaOperand(_ other: Operand, _ alpha: Value?) throws(DLXError) -> Operand {
        guard let alpha, let a = scalar(alpha), a.double != 1 else { return other }
        switch other {
        case .scalar(let s):
            if case .float = s { return .scalar(.float(s.double * a.double)) }
            if case .float = a { return .scalar(.float(s.double * a.double)) }
            return .scalar(.int(Int64(s.double * a.double)))
        case .tensor(let t): return .tensor(try engine { () throws(TensorError) in try Tensor.binary(.mul, .tensor(t), .scalar(a)) })
        }
    }

    static func tensorOf(_ o: Operand) -> Tensor? { if case .tensor(let t) = o { return t }; return nil }

    /// `div`'s rounding modes: "trunc" rounds toward zero, "floor" down; both keep integer inputs integer.
    func divide(_ a: Operand, _ b: Operand, roundingMode: String?) throws(DLXError) -> Tensor {
        switch roundingMode {
        case nil: return try engine { () throws(TensorError) in try Tensor.binary(.div, a, b) }
        case "floor"?: return try engine { () throws(TensorError) in try Tensor.binary(.floorDiv, a, b) }
        case "trunc"?:
            return try engine { () throws(TensorError) in
                let q = try Tensor.binary(.div, a, b)
                let magnitude = try Tensor.binary(.floorDiv, .tensor(try q.unary(.abs)), .scalar(.int(1)))
                let negative = try Tensor.binary(.lt, .tensor(q), .scalar(.int(0))).to(q.dtype)
                let sign = try Tensor.binary(.sub, .scalar(.int(1)), .tensor(try Tensor.binary(.mul, .tensor(negative), .scalar(.int(2)))))
                let t = try Tensor.binary(.mul, .tensor(magnitude), .tensor(sign))
                let integer = [a, b].allSatisfy { x in
                    switch x { case .tensor(let t): return !t.dtype.isFloatingPoint; case .scalar(let s): if case .float = s { return false }; return true }
                }
                return integer ? try t.to([a, b].compactMap { Interpreter.tensorOf($0) }.first?.dtype ?? .int64) : t
            }
        case let mode?:
            throw DLXError("RuntimeError", "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '\(mode)'")
        }
    }

    /// A `min`/`max` bound: a number, a tensor, or None.
    private func bound(_ v: Value?) throws(DLXError) -> Operand? {
        guard let v, !v.isNone else { return nil }
        guard let o = operand(v) else { throw .type("clamp(): argument 'min' must be Number or Tensor, not \(v.typeName)") }
        return o
    }

    func clamped(_ t: Tensor, _ lower: Operand?, _ upper: Operand?) throws(DLXError) -> Tensor {
        guard lower != nil || upper != nil else { throw DLXError("RuntimeError", "torch.clamp: At least one of 'min' or 'max' must not be None") }
        return try engine { () throws(TensorError) in
            switch (lower, upper) {
            case (.tensor, _), (_, .tensor):
                var r = t
                if let lower { r = try Tensor.binary(.maximum, .tensor(r), lower) }
                if let upper { r = try Tensor.binary(.minimum, .tensor(r), upper) }
                return r
            default:
                func s(_ o: Operand?) -> Scalar? { if case .scalar(let v)? = o { return v }; return nil }
                return try t.clamp(min: s(lower), max: s(upper))
            }
        }
    }

    /// Runs an in-place op: `compute` gets the tensor (or the snapshot of it that autograd keeps) and returns
    /// the new value; the method returns the tensor itself, as PyTorch's in-place methods do.
    func inPlace(_ t: Tensor, _ compute: @escaping (Tensor) throws(DLXError) -> Tensor) throws(DLXError) -> Value {
        try checkInPlace(t)
        try engine { () throws(TensorError) in
            try t.updateInPlace { x throws(TensorError) in
                do throws(DLXError) { return try compute(x) } catch { throw TensorError(error) }
            }
        }
        return .tensor(t)
    }

    func moreTensorAttribute(_ t: Tensor, _ name: String) throws(DLXError) -> Value? {
        func m(_ body: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Value) -> Value { method(name, body) }
        func other(_ a: inout Arguments) throws(DLXError) -> Operand {
            let v = try a.required(0, "other")
            guard let o = operand(v) else { throw .type("\(name)(): argument 'other' must be Tensor or Number, not \(v.typeName)") }
            return o
        }
        switch name {
        case "add_", "sub_", "mul_", "div_", "true_divide", "floor_divide":
            return m { a, i throws(DLXError) in
                var o = try other(&a)
                if name == "add_" || name == "sub_" { o = try i.alphaOperand(o, try a.get(nil, "alpha")) }
                let mode = name == "div_" ? try a.get(nil, "rounding_mode").flatMap { v throws(DLXError) -> String? in v.isNone ? nil : try i.toStringValue(v, "rounding_mode") } : nil
                if name == "true_divide" { return .tensor(try i.divide(.tensor(t), o, roundingMode: nil)) }
                if name == "floor_divide" { return .tensor(try i.divide(.tensor(t), o, roundingMode: "floor")) }
                return try i.inPlace(t) { x throws(DLXError) in
                    switch name {
                    case "div_": return try i.divide(.tensor(x), o, roundingMode: mode)
                    default:
                        let op: ElementwiseOp = name == "add_" ? .add : name == "sub_" ? .sub : .mul
                        return try i.engine { () throws(TensorError) in try Tensor.binary(op, .tensor(x), o) }
                    }
                }
            }
        case "clamp", "clip", "clamp_", "clip_":
            return m { a, i throws(DLXError) in
                let lower = try i.bound(try a.get(0, "min")), upper = try i.bound(try a.get(1, "max"))
                if !name.hasSuffix("_") { return .tensor(try i.clamped(t, lower, upper)) }
                return try i.inPlace(t) { x throws(DLXError) in try i.clamped(x, lower, upper) }
            }
        case "abs_", "exp_", "log_", "sqrt_", "relu_", "sigmoid_", "tanh_", "neg_", "neg":
            let op: Tensor.UnaryOp = ["abs_": .abs, "exp_": .exp, "log_": .log, "sqrt_": .sqrt, "relu_": .relu, "sigmoid_": .sigmoid,
                                      "tanh_": .tanh, "neg_": .neg, "neg": .neg][name]!
            return m { _, i throws(DLXError) in
                if name == "neg" { return .tensor(try i.engine { () throws(TensorError) in try t.unary(op) }) }
                return try i.inPlace(t) { x throws(DLXError) in try i.engine { () throws(TensorError) in try x.unary(op) } }
            }
        case "copy_":
            return m { a, i throws(DLXError) in
                let src = try i.toTensor(try a.required(0, "src"), "src")
                _ = try a.get(1, "non_blocking")
                return try i.inPlace(t) { _ throws(DLXError) in
                    try i.engine { () throws(TensorError) in try src.transferred(to: t.backend).to(t.dtype).expand(to: t.shape) }
                }
            }
        case "normal_", "uniform_":
            return m { a, i throws(DLXError) in
                let p = try a.get(0, name == "normal_" ? "mean" : "from").map { v throws(DLXError) in try i.toDouble(v, "mean") } ?? 0
                let q = try a.get(1, name == "normal_" ? "std" : "to").map { v throws(DLXError) in try i.toDouble(v, "std") } ?? 1
                let g = try i.generatorArgument(&a)
                try i.checkInPlace(t)
                try i.drawing(from: g) { gen throws(TensorError) in
                    if name == "normal_" { try t.normal(p, q, generator: &gen) } else { try t.uniform(p, q, generator: &gen) }
                }
                return .tensor(t)
            }
        case "random_":
            return m { a, i throws(DLXError) in
                let first = try a.get(0, "from").flatMap { v throws(DLXError) -> Int? in v.isNone ? nil : try i.toInt(v, "from") }
                let second = try a.get(1, "to").flatMap { v throws(DLXError) -> Int? in v.isNone ? nil : try i.toInt(v, "to") }
                let g = try i.generatorArgument(&a)
                try i.checkInPlace(t)
                try i.drawing(from: g) { gen throws(TensorError) in
                    switch (first, second) {
                    case (let from?, let to?): try t.randomIntegers(from, to, generator: &gen)
                    case (let to?, nil): try t.randomIntegers(0, to, generator: &gen)
                    default: try t.randomIntegers(generator: &gen)
                    }
                }
                return .tensor(t)
            }
        case "resize_":
            return m { a, i throws(DLXError) in
                let shape = try i.toShape(a.rest(from: 0), name)
                try i.engine { () throws(TensorError) in try t.resize(shape) }
                return .tensor(t)
            }
        case "scatter_", "scatter":
            return m { a, i throws(DLXError) in
                let dim = try i.toInt(try a.required(0, "dim"), "dim")
                let index = try i.toTensor(try a.required(1, "index"), "index")
                var sv = try a.get(2, "src")
                if sv == nil { sv = try a.get(nil, "value") }
                guard let sv, let source = i.operand(sv) else { throw .type("scatter() missing required argument: 'src' (a Tensor) or 'value' (a number)") }
                if let r = try a.get(nil, "reduce"), !r.isNone {
                    throw DLXError("NotImplementedError", "scatter_(reduce=...) is not supported in dlx")
                }
                let target = name == "scatter" ? try i.engine { () throws(TensorError) in try t.clone() } : t
                if i.session.backend.autograd.enabled && (t.requiresGrad || Interpreter.tensorOf(source)?.requiresGrad == true) {
                    throw DLXError("NotImplementedError", "\(name) of tensors that require grad is not supported in dlx (do it under torch.no_grad())")
                }
                if name == "scatter_" { try i.checkInPlace(t) }
                try i.engine { () throws(TensorError) in try target.scatter(dim: dim, index: index, source: source) }
                return .tensor(target)
            }
        case "all", "any":
            return m { a, i throws(DLXError) in
                let dim = try a.get(0, "dim").flatMap { v throws(DLXError) -> Int? in v.isNone ? nil : try i.toInt(v, "dim") }
                let keep = try a.get(1, "keepdim").map { v throws(DLXError) in try i.truthy(v) } ?? false
                return .tensor(try i.engine { () throws(TensorError) in
                    let nonzero = try Tensor.binary(.ne, .tensor(t), .scalar(.int(0))).to(.int64)
                    var counts = nonzero, size = t.count
                    if let d = dim {
                        counts = try nonzero.reduce(.sum, dim: d, keepdim: keep).values
                        size = t.shape[try normalizeDim(d, t.rank)]
                    } else {
                        counts = try nonzero.reduce(.sum)
                    }
                    return try Tensor.binary(name == "all" ? .eq : .gt, .tensor(counts), .scalar(.int(name == "all" ? Int64(size) : 0)))
                })
            }
        case "equal":
            return m { a, i throws(DLXError) in
                let o = try i.toTensor(try a.required(0, "other"), "other")
                guard o.shape == t.shape, t.count > 0 else { return .bool(o.shape == t.shape) }
                let differ = try i.engine { () throws(TensorError) in try Tensor.binary(.ne, .tensor(t), .tensor(o)).to(.int64).reduce(.sum).scalar() }
                return .bool(differ.double == 0)
            }
        case "allclose":
            return m { a, i throws(DLXError) in
                let o = try i.toTensor(try a.required(0, "other"), "other")
                let rtol = try a.get(1, "rtol").map { v throws(DLXError) in try i.toDouble(v, "rtol") } ?? 1e-5
                let atol = try a.get(2, "atol").map { v throws(DLXError) in try i.toDouble(v, "atol") } ?? 1e-8
                let equalNaN = try a.get(3, "equal_nan").map { v throws(DLXError) in try i.truthy(v) } ?? false
                // |a - b| <= atol + rtol |b| everywhere (NaNs equal only with equal_nan), with broadcasting.
                let far = try i.engine { () throws(TensorError) -> Double in
                    let diff = try Tensor.binary(.sub, .tensor(t), .tensor(o)).unary(.abs)
                    let bound = try Tensor.binary(.add, .tensor(try Tensor.binary(.mul, .tensor(try o.unary(.abs)), .scalar(.float(rtol)))), .scalar(.float(atol)))
                    var close = try Tensor.binary(.logicalOr, .tensor(try Tensor.binary(.le, .tensor(diff), .tensor(bound))),
                                                  .tensor(try Tensor.binary(.eq, .tensor(t), .tensor(o))))
                    if equalNaN {
                        let bothNaN = try Tensor.binary(.logicalAnd, .tensor(try Interpreter.classify(t, "isnan")), .tensor(try Interpreter.classify(o, "isnan")))
                        close = try Tensor.binary(.logicalOr, .tensor(close), .tensor(bothNaN))
                    }
                    return try Tensor.binary(.logicalXor, .tensor(close), .scalar(.bool(true))).to(.int64).reduce(.sum).scalar().double
                }
                return .bool(far == 0)
            }
        case "flip":
            return m { a, i throws(DLXError) in
                let dims = try i.toShape(a.rest(from: 0) + [try a.get(nil, "dims")].compactMap { $0 }, name)
                var r = Value.tensor(t)
                for d in dims {
                    let k = try i.engine { () throws(TensorError) in try normalizeDim(d, t.rank) }
                    let reversed = try i.engine { () throws(TensorError) in
                        try Tensor.from((0..<Int64(t.shape[k])).reversed().map { $0 }, shape: [t.shape[k]], on: i.session.backend)
                    }
                    r = try i.getItem(r, Array(repeating: Value.slice(nil, nil, nil), count: k) + [.tensor(reversed)])
                }
                return r
            }
        case "isfinite", "isnan", "isinf":
            return m { _, i throws(DLXError) in .tensor(try i.engine { () throws(TensorError) in try Interpreter.classify(t, name) }) }
        case "sort":
            return m { a, i throws(DLXError) in
                let dim = try a.get(0, "dim").map { v throws(DLXError) in try i.toInt(v, "dim") } ?? -1
                let descending = try a.get(1, "descending").map { v throws(DLXError) in try i.truthy(v) } ?? false
                _ = try a.get(nil, "stable")
                let r = try i.engine { () throws(TensorError) in try t.sort(dim: dim, descending: descending) }
                return .object(ReturnTypes(name: "sort", fields: [("values", .tensor(r.values)), ("indices", .tensor(r.indices))]))
            }
        case "new_ones", "new_zeros", "new_empty", "new_full", "new_tensor":
            return m { a, i throws(DLXError) in
                let dtype = try a.get(nil, "dtype").flatMap { v throws(DLXError) -> DType? in v.isNone ? nil : try i.toDType(v) } ?? t.dtype
                let grad = try a.get(nil, "requires_grad").map { v throws(DLXError) in try i.truthy(v) } ?? false
                _ = try a.get(nil, "device")
                let made: Tensor
                if name == "new_tensor" {
                    let data = try i.tensorData(try a.required(0, "data"), dtype: dtype)
                    made = try i.engine { () throws(TensorError) in try data.transferred(to: t.backend) }
                } else {
                    let shape = try i.toShape(name == "new_full" ? [try a.required(0, "size")] : a.rest(from: 0), name)
                    let fill = name == "new_full" ? try i.toDouble(try a.required(1, "fill_value"), "fill_value") : name == "new_ones" ? 1 : 0
                    made = try i.engine { () throws(TensorError) in try Tensor.full(shape, fill, dtype: dtype, on: t.backend) }
                }
                if grad { try i.setRequiresGrad(made, true) }
                return .tensor(made)
            }
        default: return nil
        }
    }

    /// isfinite / isnan / isinf, elementwise; integer tensors are all finite.
    static func classify(_ t: Tensor, _ name: String) throws(TensorError) -> Tensor {
        guard t.dtype.isFloatingPoint else { return try Tensor.full(t.shape, name == "isfinite" ? 1 : 0, dtype: .bool, on: t.backend) }
        let nan = try Tensor.binary(.ne, .tensor(t), .tensor(t))
        let inf = try Tensor.binary(.eq, .tensor(try t.unary(.abs)), .scalar(.float(.infinity)))
        switch name {
        case "isnan": return nan
        case "isinf": return inf
        default: return try Tensor.binary(.logicalXor, .scalar(.bool(true)), .tensor(try Tensor.binary(.logicalOr, .tensor(nan), .tensor(inf))))
        }
    }
}
