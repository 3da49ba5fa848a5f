import DLXEngine

/// Tensor properties and methods, as PyTorch names them.
extension Interpreter {
    /// The names come from the family's table (HelpTexts+Tensor.swift), which gives each its help.
    static var tensorAttributeNames: [String] { tensorMethods.names }

    func plainTensorAttribute(_ t: Tensor, _ name: String) throws(DLXError) -> Value? {
        func m(_ body: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Value) -> Value { method(name, body) }
        func e(_ body: () throws(TensorError) -> Tensor) throws(DLXError) -> Value { .tensor(try engine(body)) }
        switch name {
        case "shape": return .size(t.shape)
        case "dtype": return .dtype(t.dtype)
        case "device": return .device(t.device)
        case "ndim": return .int(t.rank)
        case "requires_grad": return .bool(t.requiresGrad)
        case "grad": return t.grad.map { .tensor($0) } ?? Value.none
        case "grad_fn": return t.gradFn.map { .object(GradFnObject($0)) } ?? Value.none
        case "is_leaf": return .bool(t.isLeaf)
        case "data": return .tensor(t.detached())
        case "backward":
            return m { a, i throws(DLXError) in
                let g = try a.get(0, "gradient").flatMap { v throws(DLXError) -> Tensor? in v.isNone ? nil : try i.toTensor(v, "gradient") }
                let createGraph = try a.get(2, "create_graph").map { v throws(DLXError) in try i.truthy(v) } ?? false
                // PyTorch: retain_graph defaults to create_graph.
                let retain = try a.get(1, "retain_graph").flatMap { v throws(DLXError) -> Bool? in v.isNone ? nil : try i.truthy(v) } ?? createGraph
                if createGraph { throw DLXError("NotImplementedError", "backward(create_graph=True) (gradients of gradients) is not supported in dlx") }
                _ = try a.get(3, "inputs")
                try i.engine { () throws(TensorError) in try t.backward(g, retainGraph: retain) }
                return Value.none
            }
        case "T":
            return try e { () throws(TensorError) in try t.permute(Array((0..<t.rank).reversed())) }
        case "size":
            return m { a, i throws(DLXError) in
                a.accepts(1)
                guard let d = try a.get(0, "dim"), !d.isNone else { return .size(t.shape) }
                let k = try i.toInt(d, "dim")
                let dim = try i.engine { () throws(TensorError) in try normalizeDim(k, t.rank) }
                return .int(t.shape[dim])
            }
        case "dim": return m { _, _ throws(DLXError) in .int(t.rank) }
        case "numel": return m { _, _ throws(DLXError) in .int(t.count) }
        case "is_contiguous": return m { _, _ throws(DLXError) in .bool(t.isContiguous) }
        case "storage_offset": return m { _, _ throws(DLXError) in .int(t.offset) }
        case "stride":
            return m { a, i throws(DLXError) in
                guard let d = try a.get(0, "dim"), !d.isNone else { return .tuple(t.strides.map { .int($0) }) }
                let k = try i.toInt(d, "dim")
                let dim = try i.engine { () throws(TensorError) in try normalizeDim(k, t.rank) }
                return .int(t.strides[dim])
            }
        case "item":
            return m { _, i throws(DLXError) in
                guard t.count == 1 else {
                    throw DLXError("RuntimeError", "a Tensor with \(t.count) elements cannot be converted to Scalar")
                }
                return i.pythonValue(try i.engine { () throws(TensorError) in try t.scalar() })
            }
        case "tolist": return m { _, i throws(DLXError) in try i.toList(try i.engine { () throws(TensorError) in try t.onHost() }) }
        case "numpy": return m { _, _ throws(DLXError) in try NDArrayObject.make(t) }
        case "sum", "mean", "argmax", "argmin", "max", "min":
            return m { a, i throws(DLXError) in try i.reduction(t, name, &a) }
        case "abs", "exp", "log", "sqrt", "relu", "sigmoid", "tanh":
            let op: Tensor.UnaryOp = ["abs": .abs, "exp": .exp, "log": .log, "sqrt": .sqrt, "relu": .relu, "sigmoid": .sigmoid, "tanh": .tanh][name]!
            return m { _, i throws(DLXError) in .tensor(try i.engine { () throws(TensorError) in try t.unary(op) }) }
        case "softmax", "log_softmax":
            return m { a, i throws(DLXError) in
                let d = try i.toInt(try a.required(0, "dim"), "dim")
                _ = try a.get(1, "dtype")
                return .tensor(try i.engine { () throws(TensorError) in try t.softmax(d, log: name == "log_softmax") })
            }
        case "float", "long", "int", "bool", "double":
            let d: DType = ["float": .float32, "long": .int64, "int": .int32, "bool": .bool, "double": .float64][name]!
            return m { _, i throws(DLXError) in .tensor(try i.engine { () throws(TensorError) in try t.to(d) }) }
        case "type":
            return m { a, i throws(DLXError) in
                guard let d = try a.get(0, "dtype") else { return .string("torch." + t.dtype.pytorchScalarName + "Tensor") }
                let target = try i.toDTypeOrTensorType(d)
                return .tensor(try i.engine { () throws(TensorError) in try t.to(target) })
            }
        case "to": return m { a, i throws(DLXError) in try i.tensorTo(t, &a) }
        case "cpu": return m { _, i throws(DLXError) in .tensor(try i.move(t, to: .cpu)) }
        case "cuda":
            return m { a, i throws(DLXError) in
                let d = try i.cudaArgument(&a)
                _ = try a.get(nil, "non_blocking")
                return .tensor(try i.move(t, to: d))
            }
        case "reshape", "view":
            return m { a, i throws(DLXError) in
                let shape = try i.toShape(a.rest(from: 0), name)
                return .tensor(try i.engine { () throws(TensorError) in name == "view" ? try t.view(shape) : try t.reshape(shape) })
            }
        case "view_as":
            return m { a, i throws(DLXError) in
                let o = try i.toTensor(try a.required(0, "other"), "other")
                return .tensor(try i.engine { () throws(TensorError) in try t.view(o.shape) })
            }
        case "repeat":
            return m { a, i throws(DLXError) in
                let counts = try i.toShape(a.rest(from: 0), name)
                guard counts.count >= t.rank else {
                    throw DLXError("RuntimeError", "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
                }
                return .tensor(try i.engine { () throws(TensorError) in
                    // The result must fit (and its size be a number) before any copy is made.
                    let padded = Array(repeating: 1, count: counts.count - t.rank) + t.shape
                    let sizes = try zip(padded, counts).map { (d, r) throws(TensorError) -> Int in
                        let (n, overflow) = d.multipliedReportingOverflow(by: r)
                        if overflow { throw TensorError.runtime("Storage size calculation overflowed with sizes=\(counts)") }
                        return n
                    }
                    let (bytes, overflow) = (try Tensor.checkedCount(sizes)).multipliedReportingOverflow(by: t.dtype.itemSize)
                    if overflow { throw TensorError.runtime("Storage size calculation overflowed with sizes=\(sizes)") }
                    try t.backend.checkHostMemory(byteCount: bytes)
                    // Copies joined along each dimension (autograd through cat), after leading ones as needed.
                    var x = try t.reshape(padded)
                    for (d, r) in counts.enumerated() where r != 1 {
                        guard r >= 0 else { throw TensorError.runtime("Trying to create tensor with negative dimension \(r): \(counts)") }
                        x = r == 0 ? try x.narrow(d, 0, 0) : try Tensor.cat(Array(repeating: x, count: r), dim: d)
                    }
                    return x
                })
            }
        case "expand":
            return m { a, i throws(DLXError) in
                var shape = try i.toShape(a.rest(from: 0), name)
                let lead = shape.count - t.rank
                for (k, s) in shape.enumerated() where s == -1 && k >= lead { shape[k] = t.shape[k - lead] }
                return .tensor(try i.engine { () throws(TensorError) in try t.expand(to: shape) })
            }
        case "flatten":
            return m { a, i throws(DLXError) in
                let s = try a.get(0, "start_dim").map { v throws(DLXError) in try i.toInt(v, "start_dim") } ?? 0
                let en = try a.get(1, "end_dim").map { v throws(DLXError) in try i.toInt(v, "end_dim") } ?? -1
                return .tensor(try i.engine { () throws(TensorError) in try t.flatten(s, en) })
            }
        case "unsqueeze":
            return m { a, i throws(DLXError) in
                let d = try i.toInt(try a.required(0, "dim"), "dim")
                return .tensor(try i.engine { () throws(TensorError) in try t.unsqueeze(d) })
            }
        case "squeeze":
            return m { a, i throws(DLXError) in
                let d = try a.get(0, "dim").flatMap { v throws(DLXError) -> Int? in v.isNone ? nil : try i.toInt(v, "dim") }
                return .tensor(try i.engine { () throws(TensorError) in try t.squeeze(d) })
            }
        case "permute":
            return m { a, i throws(DLXError) in
                let dims = try i.toShape(a.rest(from: 0), name)
                return .tensor(try i.engine { () throws(TensorError) in try t.permute(dims) })
            }
        case "transpose":
            return m { a, i throws(DLXError) in
                let x = try i.toInt(try a.required(0, "dim0"), "dim0"), y = try i.toInt(try a.required(1, "dim1"), "dim1")
                return .tensor(try i.engine { () throws(TensorError) in try t.transpose(x, y) })
            }
        case "t": return m { _, i throws(DLXError) in .tensor(try i.engine { () throws(TensorError) in try t.t() }) }
        case "contiguous": return m { _, i throws(DLXError) in .tensor(try i.engine { () throws(TensorError) in try t.contiguous() }) }
        case "clone": return m { _, i throws(DLXError) in .tensor(try i.engine { () throws(TensorError) in try t.clone() }) }
        case "detach":
            return m { _, _ throws(DLXError) in .tensor(t.detached()) }
        case "requires_grad_":
            return m { a, i throws(DLXError) in
                let on = try a.get(0, "requires_grad").map { v throws(DLXError) in try i.truthy(v) } ?? true
                try i.setRequiresGrad(t, on)
                return .tensor(t)
            }
        case "fill_", "zero_":
            return m { a, i throws(DLXError) in
                try i.checkInPlace(t)
                let v = name == "zero_" ? 0 : try i.toDouble(try a.required(0, "value"), "value")
                try i.engine { () throws(TensorError) in try t.fill(v) }
                return .tensor(t)
            }
        case "eq", "ne", "gt", "lt", "ge", "le", "add", "sub", "mul", "div", "pow", "maximum", "minimum":
            let op: ElementwiseOp = ["eq": .eq, "ne": .ne, "gt": .gt, "lt": .lt, "ge": .ge, "le": .le, "add": .add, "sub": .sub,
                                     "mul": .mul, "div": .div, "pow": .pow, "maximum": .maximum, "minimum": .minimum][name]!
            return m { a, i throws(DLXError) in
                let other = try a.required(0, "other")
                guard var o = i.operand(other) else { throw .type("\(name)(): argument 'other' must be Tensor or Number, not \(other.typeName)") }
                if name == "add" || name == "sub" { o = try i.alphaOperand(o, try a.get(nil, "alpha")) }
                if name == "div", let mode = try a.get(nil, "rounding_mode"), !mode.isNone {
                    return .tensor(try i.divide(.tensor(t), o, roundingMode: try i.toStringValue(mode, "rounding_mode")))
                }
                return .tensor(try i.engine { () throws(TensorError) in try Tensor.binary(op, .tensor(t), o) })
            }
        case "matmul":
            return m { a, i throws(DLXError) in
                let o = try i.toTensor(try a.required(0, "other"), "other")
                return .tensor(try i.engine { () throws(TensorError) in try t.matmul(o) })
            }
        default: return try moreTensorAttribute(t, name)
        }
    }

    func setTensorAttribute(_ t: Tensor, _ name: String, _ value: Value) throws(DLXError) -> Bool {
        switch name {
        case "requires_grad":
            try setRequiresGrad(t, try truthy(value))
            return true
        case "grad":
            if value.isNone { t.grad = nil; return true }
            t.grad = try toTensor(value, "grad")
            return true
        default: return false
        }
    }

    func setRequiresGrad(_ t: Tensor, _ on: Bool) throws(DLXError) {
        guard t.isLeaf else {
            throw DLXError("RuntimeError", "you can only change requires_grad flags of leaf variables.")
        }
        guard !on || t.dtype.isFloatingPoint else {
            throw DLXError("RuntimeError", "only Tensors of floating point dtype can require gradients")
        }
        t.requiresGrad = on
    }

    /// PyTorch refuses to change a leaf that autograd is watching.
    func checkInPlace(_ t: Tensor) throws(DLXError) {
        if t.requiresGrad && t.isLeaf && session.backend.autograd.enabled {
            throw DLXError("RuntimeError", "a leaf Variable that requires grad is being used in an in-place operation.")
        }
    }

    func pythonValue(_ s: Scalar) -> Value {
        switch s {
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int(i))
        case .float(let f): return .float(f)
        }
    }

    /// `t.tolist()`. Every element becomes a Python value, so the count is checked first, against dlx's cap
    /// on items and the memory limit (a broadcast view of 2**40 elements takes no memory as a tensor).
    func toList(_ t: Tensor) throws(DLXError) -> Value {
        var items = 0, level = 1   // the values of every level: [2**62, 0] is 2**62 empty lists
        for s in t.shape {
            level = Interpreter.product(level, s)
            items = Interpreter.sum(items, level)
        }
        try reserve(items, .items)
        func list(_ t: Tensor) -> Value {
            if t.rank == 0 { return (try? t.scalar()).map { pythonValue($0) } ?? Value.none }
            var out: [Value] = []
            for k in 0..<t.shape[0] {
                let sub = t.view(shape: Array(t.shape.dropFirst()), strides: Array(t.strides.dropFirst()), offset: t.offset + k * t.strides[0])
                out.append(list(sub))
            }
            return .list(ListBox(out))
        }
        return list(t)
    }

    /// `x.sum()`, `x.max(dim=1)`, `x.argmax(dim=1, keepdim=True)`, `x.max(other)`.
    func reduction(_ t: Tensor, _ name: String, _ a: inout Arguments) throws(DLXError) -> Value {
        let op = ReductionOp(rawValue: name)!
        let dimValue = try a.get(0, "dim")
        let keepdim = try a.get(1, "keepdim").map { v throws(DLXError) in try truthy(v) } ?? false
        _ = try a.get(nil, "dtype")
        if case .tensor(let other)? = dimValue, name == "max" || name == "min" {
            return .tensor(try engine { () throws(TensorError) in try Tensor.binary(name == "max" ? .maximum : .minimum, .tensor(t), .tensor(other)) })
        }
        guard let dv = dimValue, !dv.isNone else {
            return .tensor(try engine { () throws(TensorError) in try t.reduce(op) })
        }
        var dims: [Int]
        switch dv {
        case .tuple(let ds): dims = try ds.map { v throws(DLXError) in try toInt(v, "dim") }
        case .list(let l): dims = try l.items.map { v throws(DLXError) in try toInt(v, "dim") }
        default: dims = [try toInt(dv, "dim")]
        }
        // An empty dim list reduces over every dimension, as PyTorch's sum and mean do.
        if dims.isEmpty {
            guard op == .sum || op == .mean else { throw .type("\(name)(): argument 'dim' must be int, not \(dv.typeName)") }
            dims = Array(0..<t.rank)
            if dims.isEmpty { return .tensor(try engine { () throws(TensorError) in try t.reduce(op) }) }
        }
        if dims.count > 1 {
            guard op == .sum || op == .mean else { throw .type("\(name)(): argument 'dim' must be int, not tuple") }
            let normalized = try engine { () throws(TensorError) in try dims.map { d throws(TensorError) in try normalizeDim(d, t.rank) } }
            var r = t
            for d in normalized.sorted(by: >) {
                r = try engine { () throws(TensorError) in try r.reduce(op, dim: d, keepdim: keepdim).values }
            }
            return .tensor(r)
        }
        let result = try engine { () throws(TensorError) in try t.reduce(op, dim: dims[0], keepdim: keepdim) }
        if let indices = result.indices {
            return .object(ReturnTypes(name: name, fields: [("values", .tensor(result.values)), ("indices", .tensor(indices))]))
        }
        return .tensor(result.values)
    }

    func tensorTo(_ t: Tensor, _ a: inout Arguments) throws(DLXError) -> Value {
        var result = t
        for v in a.rest(from: 0) + [try a.get(nil, "dtype"), try a.get(nil, "device")].compactMap({ $0 }) {
            switch v {
            case .dtype(let d): result = try engine { () throws(TensorError) in try result.to(d) }
            case .device(let d): result = try move(result, to: d)
            case .string(let s):
                guard let d = Device.parse(s) else { throw DLXError("RuntimeError", "Invalid device string: '\(s)'") }
                result = try move(result, to: d)
            case .tensor(let other):
                result = try move(result, to: other.device)
                result = try engine { () throws(TensorError) in try result.to(other.dtype) }
            case .none: break
            default: throw .type("to() received an invalid combination of arguments: got \(v.typeName)")
            }
        }
        _ = try a.get(nil, "non_blocking")
        return .tensor(result)
    }

    func toDTypeOrTensorType(_ v: Value) throws(DLXError) -> DType {
        if case .string(let s) = v {
            let map: [String: DType] = ["torch.FloatTensor": .float32, "torch.LongTensor": .int64, "torch.DoubleTensor": .float64,
                                        "torch.IntTensor": .int32, "torch.ByteTensor": .uint8, "torch.BoolTensor": .bool]
            guard let d = map[s] else { throw .value("invalid type: '\(s)'") }
            return d
        }
        return try toDType(v)
    }
}

/// PyTorch's named tuples such as `torch.return_types.max(values=..., indices=...)`.
final class ReturnTypes: PyObject {
    let name: String
    let fields: [(String, Value)]
    init(name: String, fields: [(String, Value)]) { self.name = name; self.fields = fields }
    var typeName: String { name }
    var qualifiedName: String { "torch.return_types." + name }
    func repr(_ interpreter: Interpreter) -> String {
        let parts = fields.map { "\($0.0)=" + ((try? interpreter.repr($0.1)) ?? "?") }
        return "torch.return_types.\(name)(\n" + parts.joined(separator: ",\n") + ")"
    }
    func attribute(_ n: String, _ interpreter: Interpreter) throws(DLXError) -> Value? { fields.first { $0.0 == n }?.1 }
    func length(_ interpreter: Interpreter) throws(DLXError) -> Int? { fields.count }
    func item(_ key: Value, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        fields[try interpreter.normalizedIndex(key, fields.count, "tuple")].1
    }
    func makeIterator(_ interpreter: Interpreter) throws(DLXError) -> ValueIterator? {
        try interpreter.iterator(.tuple(fields.map { $0.1 }))
    }
    var attributeNames: [String] { fields.map { $0.0 } }
}
