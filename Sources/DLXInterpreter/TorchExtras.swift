import DLXEngine

/// More of the `torch` module: `__version__`, `backends`, `accelerator`, `get_default_dtype`, `randperm`,
/// the legacy tensor types (`LongTensor`, `FloatTensor`), `true_divide`, `clamp`, `all`, `isfinite`, `sort`,
/// and `out=` for the functional forms.
extension Interpreter {
    /// The PyTorch release whose behaviour dlx follows.
    static let torchVersion = "2.15.0"

    static let legacyTensorTypes: [(String, DType)] = [
        ("FloatTensor", .float32), ("DoubleTensor", .float64), ("LongTensor", .int64), ("IntTensor", .int32),
        ("ByteTensor", .uint8), ("BoolTensor", .bool),
    ]

    func moreTorchMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        m["__version__"] = .string(Interpreter.torchVersion)
        m["backends"] = .object(namespace("torch.backends")!)
        m["accelerator"] = .object(namespace("torch.accelerator")!)
        m["get_default_dtype"] = function("get_default_dtype") { _, _ throws(DLXError) in .dtype(.float32) }
        m["set_default_dtype"] = function("set_default_dtype") { a, i throws(DLXError) in
            guard try i.toDType(try a.required(0, "d")) == .float32 else {
                throw DLXError("NotImplementedError", "dlx computes in float32: set_default_dtype accepts torch.float32 only")
            }
            return Value.none
        }
        for (name, dtype) in Interpreter.legacyTensorTypes {
            // torch.LongTensor([1, 2]) holds the data; torch.LongTensor(2, 3) is a tensor of that size (zeros in dlx).
            m[name] = .object(TypeObject(name, qualified: "torch.\(name)") { a, i throws(DLXError) in
                let args = a.rest(from: 0)
                if args.isEmpty { return .tensor(try i.engine { () throws(TensorError) in try Tensor.zeros([0], dtype: dtype, on: i.session.backend) }) }
                if args.allSatisfy({ if case .int = $0 { return true }; return false }) {
                    let shape = try i.toShape(args, name)
                    return .tensor(try i.engine { () throws(TensorError) in try Tensor.zeros(shape, dtype: dtype, on: i.session.backend) })
                }
                guard args.count == 1 else { throw .type("new() received an invalid combination of arguments") }
                if case .tensor(let t) = args[0] { return .tensor(try i.engine { () throws(TensorError) in try t.to(dtype) }) }
                return .tensor(try i.tensorData(args[0], dtype: dtype))
            })
        }
        // Functional forms of the methods in TensorInPlace.
        for name in ["true_divide", "clamp", "clip", "all", "any", "isfinite", "isnan", "isinf", "sort", "neg", "floor_divide", "equal", "flip", "allclose"] {
            m[name] = tensorFunction(name)
        }
        return m
    }

    /// `nn.init.calculate_gain(nonlinearity, param=None)`: PyTorch's recommended gains (an int 1 for the linear ones).
    func calculateGain() -> Value {
        let f = BuiltinFunction("calculate_gain") { a, i throws(DLXError) in
            let name = try i.toStringValue(try a.required(0, "nonlinearity"), "nonlinearity")
            let param = try a.get(1, "param")
            switch name {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid": return .int(1)
            case "tanh": return .float(5.0 / 3)
            case "relu": return .float(2.0.squareRoot())
            case "selu": return .float(3.0 / 4)
            case "leaky_relu":
                var slope = 0.01
                if let p = param, !p.isNone {
                    if case .bool = p { throw .value("negative_slope \(try i.repr(p)) not a valid number") }
                    guard i.scalar(p) != nil else { throw .value("negative_slope \(try i.repr(p)) not a valid number") }
                    slope = try i.toDouble(p, "param")
                }
                return .float((2.0 / (1 + slope * slope)).squareRoot())
            default: throw .value("Unsupported nonlinearity \(name)")
            }
        }
        f.helpKey = "torch.nn.init.calculate_gain"
        return .object(f)
    }

    /// `torch.NAME(input, *args, out=None, **kwargs)`: the tensor method NAME of input, the result written into
    /// `out` when given.
    func tensorFunction(_ name: String) -> Value {
        function(name) { a, i throws(DLXError) in
            let t = try i.toTensor(try a.required(0, "input"), "input")
            guard let bound = try i.tensorAttribute(t, name) else { throw .type("torch.\(name) is not supported") }
            let out = a.keywords.first { $0.0 == "out" }?.1
            var rest = Arguments(Array(a.positional.dropFirst()), keywords: a.keywords.filter { $0.0 != "out" })
            a = Arguments()
            let result = try i.call(bound, &rest)
            guard let out, !out.isNone else { return result }
            return try i.writeOut(result, into: out, name)
        }
    }

    /// `torch.backends`: no cuDNN and no MPS in dlx; the cuDNN switches are kept as settable flags.
    func backendsMembers() -> [String: Value] {
        let cudnn = Namespace("torch.backends.cudnn", [
            "is_available": function("is_available") { _, _ throws(DLXError) in .bool(false) },
            "version": function("version") { _, _ throws(DLXError) in Value.none },
            "enabled": .bool(true), "benchmark": .bool(false), "deterministic": .bool(false),
        ])
        let mps = Namespace("torch.backends.mps", [
            "is_available": function("is_available") { _, _ throws(DLXError) in .bool(false) },
            "is_built": function("is_built") { _, _ throws(DLXError) in .bool(false) },
        ])
        for (path, n) in [("torch.backends.cudnn", cudnn), ("torch.backends.mps", mps)] {
            for (key, value) in n.members { if case .object(let f as BuiltinFunction) = value { f.helpKey = path + "." + key } }
        }
        return ["cudnn": .object(cudnn), "mps": .object(mps)]
    }

    /// `torch.accelerator`: the CUDA device when dlx found one (the same probe as torch.cuda), else none.
    func acceleratorMembers() -> [String: Value] {
        [
            "is_available": function("is_available") { _, i throws(DLXError) in .bool(!i.session.cudaDeviceNames.isEmpty) },
            "current_accelerator": function("current_accelerator") { a, i throws(DLXError) in
                _ = try a.get(0, "check_available")
                return i.session.cudaDeviceNames.isEmpty ? Value.none : .device(.cuda(0))
            },
            "device_count": function("device_count") { _, i throws(DLXError) in .int(i.session.cudaDeviceNames.count) },
            "current_device_index": function("current_device_index") { _, i throws(DLXError) in
                .int(i.session.cudaDeviceNames.isEmpty ? -1 : 0)
            },
            "synchronize": function("synchronize") { a, i throws(DLXError) in
                _ = try a.get(0, "device")
                for b in i.session.deviceBackends.values { try i.engine { () throws(TensorError) in try b.kernels.synchronize() } }
                return Value.none
            },
        ]
    }

    /// `torch.add(a, b, out=c)`: the result written into `out` (resized, with PyTorch's warning, when it
    /// has elements and another shape), which is returned.
    func writeOut(_ result: Value, into outValue: Value, _ function: String) throws(DLXError) -> Value {
        guard case .tensor(let out) = outValue else { throw .type("\(function)(): argument 'out' must be Tensor, not \(outValue.typeName)") }
        guard case .tensor(let r) = result else { throw .type("\(function)() got an unexpected keyword argument 'out'") }
        if session.backend.autograd.enabled && (out.requiresGrad || r.requiresGrad) {
            throw DLXError("RuntimeError", "\(function)(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad.")
        }
        if r.dtype != out.dtype && r.dtype.isFloatingPoint && !out.dtype.isFloatingPoint {
            throw DLXError("RuntimeError", "result type \(r.dtype.pytorchScalarName) can't be cast to the desired output type \(out.dtype.pytorchScalarName)")
        }
        if out.shape != r.shape {
            if out.count != 0 {
                warn("An output with one or more elements was resized since it had shape \(out.shape), which does not match the required output "
                     + "shape \(r.shape). This behavior is deprecated, and in a future PyTorch release outputs will not be resized unless they have "
                     + "zero elements. You can explicitly reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0).")
            }
            try engine { () throws(TensorError) in try out.resize(r.shape) }
        }
        try engine { () throws(TensorError) in try out.copy(from: r) }
        return outValue
    }

    /// A Python warning (PyTorch's own, and `warnings.warn`): recorded inside `catch_warnings(record=True)`,
    /// hidden inside `catch_warnings()`, else on standard error once per message and place, as Python's default
    /// filter shows it: `file:line: UserWarning: message`.
    func warn(_ message: String, category: String = "UserWarning") {
        try? warn(.string(message), category: exceptionClass(category))
    }

    func warn(_ message: Value, category given: PyClass) throws(DLXError) {
        var category = given
        if case .object(let o as PyInstance) = message, o.cls.native == .exception { category = o.cls }
        let text = try str(message)
        let action = session.warningFilters.first { $0.1 == nil || category.isSubclass(of: $0.1!) }?.0 ?? "default"
        if action == "ignore" { return }
        if action == "error" {
            if case .object(let o as PyInstance) = message, o.cls.native == .exception { throw try raising(message) }
            var make = Arguments([.string(text)])
            throw try raising(try category.call(&make, self) ?? .none)
        }
        if let list = session.warningRecords.last {
            var make = Arguments([.string(text)])
            var instance = message
            if case .object(let o as PyInstance) = message, o.cls.native == .exception {} else { instance = try category.call(&make, self) ?? message }
            list.items.append(.object(WarningMessage(message: instance, category: category, filename: sourceName, lineno: currentLine)))
            return
        }
        let line = "\(sourceName):\(currentLine): \(category.name): \(text)\n"
        guard session.warningsShown.insert(line).inserted || action == "always" else { return }
        session.writeError(line)
    }
}
