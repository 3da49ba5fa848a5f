import DLXEngine

/// The `torch` module: tensor creation, dtypes, devices, seeding, and functional forms of tensor methods.
extension Interpreter {
    func function(_ name: String, _ body: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Value) -> Value {
        .object(BuiltinFunction(name, body))
    }

    /// A cached namespace, built on first use.
    func namespace(_ path: String) -> Namespace? {
        if let n = session.namespaces[path] { return n }
        let members: [String: Value]
        switch path {
        case "torch": members = torchMembers()
        case "torch.nn": members = nnMembers()
        case "torch.nn.functional": members = functionalMembers()
        case "torch.optim": members = optimMembers().merging(["lr_scheduler": .object(namespace("torch.optim.lr_scheduler")!)]) { a, _ in a }
        case "torch.optim.lr_scheduler": members = schedulerMembers()
        case "torch.utils": members = ["data": .object(namespace("torch.utils.data")!)]
        case "torch.utils.data": members = dataMembers()
        case "torch.cuda": members = cudaMembers()
        case "torch.random": members = torchRandomModule()
        case "torch.backends": members = backendsMembers()
        case "torch.accelerator": members = acceleratorMembers()
        case "torchvision": members = ["datasets": .object(namespace("torchvision.datasets")!),
                                       "transforms": .object(namespace("torchvision.transforms")!)]
        case "torchvision.datasets": members = datasetMembers()
        case "torchvision.transforms", "torchvision.transforms.v2": members = transformMembers()
        case "torchvision.transforms.functional", "torchvision.transforms.v2.functional": members = transformFunctionalMembers()
        case "torchsummary": members = ["summary": torchsummary()]
        case "torch.onnx": members = onnxMembers()
        case "safetensors": members = safetensorsMembers()
        case "safetensors.torch": members = safetensorsTorchMembers()
        case "time": members = timeMembers()
        case "random": members = randomMembers()
        case "numpy": members = numpyMembers()
        case "numpy.random": members = numpyRandomMembers()
        case "math": members = mathMembers()
        case "collections": members = collectionsMembers()
        case "itertools": members = itertoolsMembers()
        case "functools": members = functoolsMembers()
        case "operator": members = operatorMembers()
        case "json": members = jsonMembers()
        case "os": members = osMembers()
        case "os.path": members = osPathMembers()
        case "sys": members = sysMembers()
        case "gc": members = gcMembers()
        case "argparse": members = argparseMembers()
        case "copy": members = copyMembers()
        case "typing": members = typingMembers()
        case "warnings": members = warningsMembers()
        case "__future__": members = futureMembers()
        case "matplotlib": members = matplotlibMembers()
        case "matplotlib.pyplot": members = pyplotMembers()
        case "PIL": members = pilMembers()
        case "PIL.Image": members = pilImageMembers()
        case "tqdm", "tqdm.auto", "tqdm.notebook", "tqdm.std": members = tqdmMembers(path)
        default: return nil
        }
        let n = Namespace(path, members)
        session.namespaces[path] = n
        // Help is keyed by where a function lives (transforms.v2 shares transforms' texts).
        let helpPath = path.hasPrefix("torchvision.transforms.v2") ? "torchvision.transforms" + path.dropFirst("torchvision.transforms.v2".count) : path
        for (key, value) in members {
            if case .object(let f as BuiltinFunction) = value, f.helpKey == f.name { f.helpKey = helpPath + "." + key }
            if case .object(let t as TypeObject) = value, t.helpKey == t.name { t.helpKey = helpPath + "." + key }
        }
        if path == "torchvision.transforms" { n.members["v2"] = .object(namespace("torchvision.transforms.v2")!) }
        if path.hasPrefix("torchvision.transforms"), !path.hasSuffix(".functional") {
            n.members["functional"] = .object(namespace(path + ".functional")!)
        }
        return n
    }

    private func torchMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        for d in DType.allCases { m[d.name] = .dtype(d) }
        m["float"] = .dtype(.float32); m["double"] = .dtype(.float64); m["long"] = .dtype(.int64); m["int"] = .dtype(.int32)
        m["nn"] = .object(namespace("torch.nn")!)
        m["optim"] = .object(namespace("torch.optim")!)
        m["utils"] = .object(namespace("torch.utils")!)
        m["cuda"] = .object(namespace("torch.cuda")!)
        m["onnx"] = .object(namespace("torch.onnx")!)
        m.merge(moreTorchMembers()) { a, _ in a }
        m.merge(serializationMembers()) { a, _ in a }
        m.merge(torchRandomMembers()) { a, _ in a }
        m.merge(numpyTorchMembers()) { a, _ in a }
        m["random"] = .object(namespace("torch.random")!)
        m["Tensor"] = .object(TypeObject("Tensor", qualified: "torch.Tensor"))
        m["Size"] = .object(TypeObject("Size", qualified: "torch.Size") { a, i throws(DLXError) in
            .size(try i.toShape([try a.get(0, "sizes") ?? .tuple([])], "Size"))
        })
        m["device"] = .object(TypeObject("device", qualified: "torch.device") { a, i throws(DLXError) in
            let v = try a.required(0, "type")
            if case .device = v { return v }
            let s = try i.toStringValue(v, "device")
            var text = s
            if let idx = try a.get(1, "index") { text += ":\(try i.toInt(idx, "index"))" }
            guard let d = Device.parse(text) else {
                throw DLXError("RuntimeError", "Expected one of cpu, cuda device type at start of device string: \(s)")
            }
            return .device(d)
        })
        m["tensor"] = function("tensor") { a, i throws(DLXError) in
            let data = try a.required(0, "data")
            let dtype = try a.get(nil, "dtype").flatMap { v throws(DLXError) -> DType? in v.isNone ? nil : try i.toDType(v) }
            let target = try i.deviceArgument(&a)
            let host = try i.tensorData(data, dtype: dtype)
            let t = try i.engine { () throws(TensorError) in try host.transferred(to: target) }
            if let rg = try a.get(nil, "requires_grad"), try i.truthy(rg) {
                guard t.dtype.isFloatingPoint else { throw DLXError("RuntimeError", "Only Tensors of floating point and complex dtype can require gradients") }
                t.requiresGrad = true
            }
            return .tensor(t)
        }
        for name in ["zeros", "ones", "empty", "rand", "randn"] {
            m[name] = function(name) { a, i throws(DLXError) in try i.creation(name, &a) }
        }
        m["full"] = function("full") { a, i throws(DLXError) in
            let shape = try i.toShape([try a.required(0, "size")], "full")
            let fill = try a.required(1, "fill_value")
            let inferred: DType = { if case .float = fill { return .float32 }; if case .bool = fill { return .bool }; return .int64 }()
            let dtype = try a.get(nil, "dtype").flatMap { v throws(DLXError) -> DType? in v.isNone ? nil : try i.toDType(v) } ?? inferred
            let target = try i.deviceArgument(&a)
            let v = try i.toDouble(fill, "fill_value")
            return .tensor(try i.engine { () throws(TensorError) in try Tensor.full(shape, v, dtype: dtype, on: target) })
        }
        m["arange"] = function("arange") { a, i throws(DLXError) in
            let nums = a.rest(from: 0)
            guard (1...3).contains(nums.count) else { throw .type("arange() takes from 1 to 3 positional arguments but \(nums.count) were given") }
            let isFloat = nums.contains { if case .float = $0 { return true }; return false }
            let v = try nums.map { x throws(DLXError) in try i.toDouble(x, "arange() argument") }
            let start = nums.count == 1 ? 0 : v[0], end = nums.count == 1 ? v[0] : v[1], step = nums.count == 3 ? v[2] : 1
            let dtype = try a.get(nil, "dtype").flatMap { x throws(DLXError) -> DType? in x.isNone ? nil : try i.toDType(x) } ?? (isFloat ? .float32 : .int64)
            let target = try i.deviceArgument(&a)
            return .tensor(try i.engine { () throws(TensorError) in try Tensor.arange(start, end, step, dtype: dtype, on: target) })
        }
        m["linspace"] = function("linspace") { a, i throws(DLXError) in
            let start = try a.required(0, "start"), end = try a.required(1, "end")
            let steps = try i.toInt(try a.required(2, "steps"), "steps")
            let dtype = try a.get(nil, "dtype").flatMap { x throws(DLXError) -> DType? in x.isNone ? nil : try i.toDType(x) } ?? .float32
            let grad = try a.get(nil, "requires_grad").map { v throws(DLXError) in try i.truthy(v) } ?? false
            let target = try i.deviceArgument(&a)
            let (s, e) = (try i.toDouble(start, "start"), try i.toDouble(end, "end"))
            let t = try i.engine { () throws(TensorError) in try Tensor.linspace(s, e, steps: steps, dtype: dtype, on: target) }
            if grad { t.requiresGrad = true }
            return .tensor(t)
        }
        m["eye"] = function("eye") { a, i throws(DLXError) in
            let n = try i.toInt(try a.required(0, "n"), "n")
            let mm = try a.get(1, "m").map { v throws(DLXError) in try i.toInt(v, "m") } ?? n
            let dtype = try a.get(nil, "dtype").flatMap { v throws(DLXError) -> DType? in v.isNone ? nil : try i.toDType(v) } ?? .float32
            let grad = try a.get(nil, "requires_grad").map { v throws(DLXError) in try i.truthy(v) } ?? false
            let target = try i.deviceArgument(&a)
            guard n >= 0 && mm >= 0 else { throw DLXError("RuntimeError", "n must be greater or equal to 0, got \(min(n, mm))") }
            let t = try i.engine { () throws(TensorError) in try Tensor.eye(n, mm, dtype: dtype, on: i.session.backend).transferred(to: target) }
            if grad {
                guard dtype.isFloatingPoint else { throw DLXError("RuntimeError", "Only Tensors of floating point and complex dtype can require gradients") }
                t.requiresGrad = true
            }
            return .tensor(t)
        }
        for name in ["zeros_like", "ones_like", "rand_like", "randn_like"] {
            m[name] = function(name) { a, i throws(DLXError) in
                let t = try i.toTensor(try a.required(0, "input"), "input")
                let dtype = try a.get(nil, "dtype").map { v throws(DLXError) in try i.toDType(v) } ?? t.dtype
                let base = String(name.dropLast(5))
                var args = Arguments([.size(t.shape)], keywords: [("dtype", .dtype(dtype))])
                return try i.creation(base, &args)
            }
        }
        for name in ["cat", "concat", "stack"] {
            m[name] = function(name) { a, i throws(DLXError) in
                let items = try i.iterateAll(try a.required(0, "tensors"))
                let tensors = try items.map { v throws(DLXError) in try i.toTensor(v, "expected Tensor as element in argument 0, but got \(v.typeName);") }
                let dim = try a.get(1, "dim").map { v throws(DLXError) in try i.toInt(v, "dim") } ?? 0
                return .tensor(try i.engine { () throws(TensorError) in
                    name == "stack" ? try Tensor.stack(tensors, dim: dim) : try Tensor.cat(tensors, dim: dim)
                })
            }
        }
        m["is_tensor"] = function("is_tensor") { a, _ throws(DLXError) in
            if case .tensor = try a.required(0, "obj") { return .bool(true) }
            return .bool(false)
        }
        m["numel"] = function("numel") { a, i throws(DLXError) in .int(try i.toTensor(try a.required(0, "input"), "input").count) }
        m["no_grad"] = function("no_grad") { _, _ throws(DLXError) in .object(NoGrad()) }
        m["inference_mode"] = function("inference_mode") { a, i throws(DLXError) in
            .object(NoGrad(enabled: !(try a.get(0, "mode").map { v throws(DLXError) in try i.truthy(v) } ?? true), name: "inference_mode"))
        }
        m["enable_grad"] = function("enable_grad") { _, _ throws(DLXError) in .object(NoGrad(enabled: true, name: "enable_grad")) }
        m["set_grad_enabled"] = function("set_grad_enabled") { a, i throws(DLXError) in
            let on = try i.truthy(try a.required(0, "mode"))
            // Takes effect at once, as in PyTorch, and also works as a context manager.
            i.session.backend.autograd.enabled = on
            return .object(NoGrad(enabled: on, name: "set_grad_enabled"))
        }
        // torch.compile gives the model back: dlx runs it as it is.
        m["compile"] = function("compile") { a, _ throws(DLXError) in
            let model = try a.required(0, "model")
            for k in ["mode", "backend", "fullgraph", "dynamic"] { _ = try a.get(nil, k) }
            return model
        }
        // Functional forms: torch.exp(x), torch.argmax(x, dim=1), torch.flatten(x, 1), ...
        for name in ["abs", "exp", "log", "sqrt", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "sum", "mean", "max", "min",
                     "argmax", "argmin", "flatten", "reshape", "unsqueeze", "squeeze", "permute", "transpose", "t", "matmul",
                     "eq", "ne", "gt", "lt", "ge", "le", "add", "sub", "mul", "div", "pow", "maximum", "minimum", "clone"] {
            m[name] = tensorFunction(name)
        }
        return m
    }

    /// The backend a creation function's `device=` names (the CPU's when absent).
    func deviceArgument(_ a: inout Arguments) throws(DLXError) -> any Backend {
        guard let d = try a.get(nil, "device"), !d.isNone else { return session.backend }
        switch d {
        case .device(let dev): return try session.backend(for: dev)
        case .string(let s):
            guard let dev = Device.parse(s) else { throw DLXError("RuntimeError", "Invalid device string: '\(s)'") }
            return try session.backend(for: dev)
        default: throw .type("device must be torch.device or str, not \(d.typeName)")
        }
    }

    /// zeros, ones, empty, rand, randn.
    func creation(_ name: String, _ a: inout Arguments) throws(DLXError) -> Value {
        let sizeKw = try a.get(nil, "size")
        let shape = try toShape(sizeKw.map { [$0] } ?? a.rest(from: 0), name)
        let dtype = try a.get(nil, "dtype").flatMap { v throws(DLXError) -> DType? in v.isNone ? nil : try toDType(v) } ?? .float32
        let requiresGrad = try a.get(nil, "requires_grad").map { v throws(DLXError) in try truthy(v) } ?? false
        let backend = try deviceArgument(&a)
        let generator = name.hasPrefix("rand") ? try generatorArgument(&a) : nil
        if (name == "rand" || name == "randn") && !dtype.isFloatingPoint {
            throw DLXError("RuntimeError", "\"\(name == "rand" ? "check_uniform_bounds" : "normal_kernel_cpu")\" not implemented for '\(dtype.pytorchScalarName)'")
        }
        let t: Tensor = try drawing(from: generator) { g throws(TensorError) in
            switch name {
            case "ones": return try Tensor.ones(shape, dtype: dtype, on: backend)
            case "rand": return try Tensor.rand(shape, dtype: dtype, generator: &g, on: backend)
            case "randn": return try Tensor.randn(shape, dtype: dtype, generator: &g, on: backend)
            default: return try Tensor.zeros(shape, dtype: dtype, on: backend)
            }
        }
        if requiresGrad {
            guard dtype.isFloatingPoint else { throw DLXError("RuntimeError", "Only Tensors of floating point and complex dtype can require gradients") }
            t.requiresGrad = true
        }
        return .tensor(t)
    }

    private func cudaMembers() -> [String: Value] {
        [
            // Available: the driver loaded and found a device (or the emulated GPU is on).
            "is_available": function("is_available") { _, i throws(DLXError) in .bool(!i.session.cudaDeviceNames.isEmpty) },
            "device_count": function("device_count") { _, i throws(DLXError) in .int(i.session.cudaDeviceNames.count) },
            "get_device_name": function("get_device_name") { a, i throws(DLXError) in
                let v = try a.get(0, "device")
                var index = 0
                if let v, !v.isNone, let d = try i.toDevice(v), case .cuda(let k) = d { index = k }
                let names = i.session.cudaDeviceNames
                guard !names.isEmpty else { throw DLXError("RuntimeError", i.session.cudaUnavailableReason) }
                guard index >= 0, index < names.count else { throw DLXError("AssertionError", "Invalid device id") }
                return .string(names[index])
            },
            "synchronize": function("synchronize") { _, i throws(DLXError) in
                for b in i.session.deviceBackends.values { try i.engine { () throws(TensorError) in try b.kernels.synchronize() } }
                return Value.none
            },
        ]
    }
}

/// `with torch.no_grad():` — operations inside record no autograd graph; also `torch.enable_grad()`,
/// `torch.inference_mode()`, and each of them as a decorator (`@torch.no_grad()`).
final class NoGrad: PyObject, ContextManager {
    private var saved: [Bool] = []
    let enabled: Bool
    let name: String
    init(enabled: Bool = false, name: String = "no_grad") { self.enabled = enabled; self.name = name }
    var typeName: String { name }
    var qualifiedName: String { "torch.autograd.grad_mode.\(name)" }
    func enter(_ interpreter: Interpreter) -> Value {
        let state = interpreter.session.backend.autograd
        saved.append(state.enabled)
        state.enabled = enabled
        return Value.none
    }
    /// `@torch.no_grad()` over a function: the function runs in this mode.
    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        let f = try args.required(0, "func")
        args = Arguments()
        let enabled = self.enabled
        return .object(BuiltinFunction((f.userFunction?.name) ?? name) { a, i throws(DLXError) in
            try i.session.backend.autograd.with(enabled: enabled) { () throws(DLXError) in
                var inner = a
                a = Arguments()
                return try i.call(f, &inner)
            }
        })
    }
    func exit(_ interpreter: Interpreter) {
        interpreter.session.backend.autograd.enabled = saved.popLast() ?? true
    }
}
