import DLXEngine

/// `torch.nn`, `torch.nn.functional`, module attributes and calls, dlx's short forms, and `summary`.
extension Interpreter {
    /// The names come from the family's table (HelpTexts+Families.swift), which gives each its help.
    static var moduleAttributeNames: [String] { moduleMethods.names }

    private func moduleType(_ name: String, _ build: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Module) -> Value {
        .object(TypeObject(name, qualified: Interpreter.pytorchClassPath(name)) { a, i throws(DLXError) in .module(try build(&a, i)) })
    }

    /// The files of `torch.nn.modules` that define PyTorch's layer classes (and the base classes they share,
    /// for isinstance: `nn.modules.batchnorm._BatchNorm`): where `type(layer)`, `nn.Linear`'s repr and a
    /// saved model's pickle name each class.
    static let pytorchModuleFiles: [String: [String]] = [
        "module": ["Module"], "linear": ["Linear", "Identity"], "conv": ["Conv2d", "_ConvNd"],
        "batchnorm": ["BatchNorm1d", "BatchNorm2d", "_BatchNorm", "_NormBase"], "pooling": ["MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d"],
        "activation": ["ReLU", "Sigmoid", "Tanh", "Softmax", "LogSoftmax"], "dropout": ["Dropout", "Dropout2d", "_DropoutNd"],
        "container": ["Sequential", "ModuleList", "ModuleDict"], "flatten": ["Flatten"],
        "loss": ["CrossEntropyLoss", "MSELoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss"],
    ]
    private static let pytorchFileOfClass: [String: String] = {
        var out: [String: String] = [:]
        for (file, names) in pytorchModuleFiles { for n in names { out[n] = file } }
        return out
    }()

    /// `torch.nn.modules.linear.Linear` for "Linear".
    static func pytorchClassPath(_ name: String) -> String {
        "torch.nn.modules.\(pytorchFileOfClass[name] ?? "module").\(name)"
    }

    func intPair(_ v: Value, _ what: String) throws(DLXError) -> IntPair {
        switch v {
        case .int(let n): return IntPair(n)
        case .tuple(let t) where t.count == 2: return IntPair(try toInt(t[0], what), try toInt(t[1], what))
        case .list(let l) where l.items.count == 2: return IntPair(try toInt(l.items[0], what), try toInt(l.items[1], what))
        case .string(let s): throw DLXError("NotImplementedError", "\(what)='\(s)' is not supported in dlx; give the padding as numbers")
        default: throw .type("\(what) must be an int or a pair of ints, not \(v.typeName)")
        }
    }

    private func optionalInt(_ a: inout Arguments, _ i: Int?, _ name: String, _ def: Int) throws(DLXError) -> Int {
        try a.get(i, name).map { v throws(DLXError) in try toInt(v, name) } ?? def
    }

    /// A layer's `device=` and `dtype=` (float32 only): the layer is made on the CPU (its initialisation
    /// draws from the session's generator there) and then moved to the device, as `.to(device)` would.
    private func layerDevice(_ a: inout Arguments) throws(DLXError) -> (any Backend) {
        let target = try deviceArgument(&a)
        if let d = try a.get(nil, "dtype"), !d.isNone, try toDType(d) != .float32 {
            throw DLXError("NotImplementedError", "dlx layers hold float32 parameters")
        }
        return target
    }

    /// `layer` with its parameters and buffers on `target`.
    private func placed(_ layer: Module, on target: any Backend) throws(DLXError) -> Module {
        guard target !== session.backend else { return layer }
        try move(layer, to: target.device)
        return layer
    }

    func nnMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        m["functional"] = .object(namespace("torch.nn.functional")!)
        m["Module"] = .object(TypeObject("Module", qualified: "torch.nn.modules.module.Module"))
        m.merge(moreNNMembers()) { a, _ in a }
        m.merge(binaryLossModules()) { a, _ in a }
        m["Identity"] = moduleType("Identity") { a, _ throws(DLXError) in
            _ = a.rest(from: 0)
            for (k, _) in a.keywords { _ = try a.get(nil, k) }
            return Identity()
        }
        m["Flatten"] = moduleType("Flatten") { a, i throws(DLXError) in
            Flatten(startDim: try i.optionalInt(&a, 0, "start_dim", 1), endDim: try i.optionalInt(&a, 1, "end_dim", -1))
        }
        m["Linear"] = moduleType("Linear") { a, i throws(DLXError) in
            let inF = try i.toInt(try a.required(0, "in_features"), "in_features")
            let outF = try i.toInt(try a.required(1, "out_features"), "out_features")
            let bias = try a.get(2, "bias").map { v throws(DLXError) in try i.truthy(v) } ?? true
            let target = try i.layerDevice(&a)
            return try i.placed(try i.engine { () throws(TensorError) in
                try Linear(inF, outF, bias: bias, backend: i.session.backend, generator: &i.session.generator)
            }, on: target)
        }
        for (name, kind) in [("ReLU", Activation.Kind.relu), ("Sigmoid", .sigmoid), ("Tanh", .tanh)] {
            m[name] = moduleType(name) { a, _ throws(DLXError) in
                _ = try a.get(0, "inplace")
                return Activation(kind)
            }
        }
        for name in ["Softmax", "LogSoftmax"] {
            m[name] = moduleType(name) { a, i throws(DLXError) in
                let d = try a.get(0, "dim").flatMap { v throws(DLXError) -> Int? in v.isNone ? nil : try i.toInt(v, "dim") }
                return Softmax(dim: d, log: name == "LogSoftmax")
            }
        }
        m["Sequential"] = moduleType("Sequential") { a, i throws(DLXError) in
            let given = a.rest(from: 0)
            // Sequential(OrderedDict([("fc", layer), ...])): children by those names.
            if given.count == 1, case .dict(let d) = given[0] {
                let names = try d.keys.map { k throws(DLXError) in try i.toStringValue(k, "name") }
                return Sequential(try i.modules(d.values), names: names)
            }
            return Sequential(try i.modules(given))
        }
        m["Conv2d"] = moduleType("Conv2d") { a, i throws(DLXError) in
            let inC = try i.toInt(try a.required(0, "in_channels"), "in_channels")
            let outC = try i.toInt(try a.required(1, "out_channels"), "out_channels")
            let k = try i.intPair(try a.required(2, "kernel_size"), "kernel_size")
            let s = try a.get(3, "stride").map { v throws(DLXError) in try i.intPair(v, "stride") } ?? IntPair(1)
            let p = try a.get(4, "padding").map { v throws(DLXError) in try i.intPair(v, "padding") } ?? IntPair(0)
            let d = try a.get(5, "dilation").map { v throws(DLXError) in try i.intPair(v, "dilation") } ?? IntPair(1)
            if let g = try a.get(6, "groups"), try i.toInt(g, "groups") != 1 {
                throw DLXError("NotImplementedError", "Conv2d with groups other than 1 is not supported in dlx")
            }
            let bias = try a.get(7, "bias").map { v throws(DLXError) in try i.truthy(v) } ?? true
            if let pm = try a.get(8, "padding_mode"), try i.toStringValue(pm, "padding_mode") != "zeros" {
                throw DLXError("NotImplementedError", "Conv2d supports padding_mode='zeros' only in dlx")
            }
            let target = try i.layerDevice(&a)
            return try i.placed(try i.engine { () throws(TensorError) in
                try Conv2d(inC, outC, kernelSize: k, stride: s, padding: p, dilation: d, bias: bias,
                           backend: i.session.backend, generator: &i.session.generator)
            }, on: target)
        }
        m["MaxPool2d"] = moduleType("MaxPool2d") { a, i throws(DLXError) in
            let k = try i.intPair(try a.required(0, "kernel_size"), "kernel_size")
            let s = try a.get(1, "stride").flatMap { v throws(DLXError) -> IntPair? in v.isNone ? nil : try i.intPair(v, "stride") }
            let p = try a.get(2, "padding").map { v throws(DLXError) in try i.intPair(v, "padding") } ?? IntPair(0)
            let d = try a.get(3, "dilation").map { v throws(DLXError) in try i.intPair(v, "dilation") } ?? IntPair(1)
            if let r = try a.get(4, "return_indices"), try i.truthy(r) { throw DLXError("NotImplementedError", "return_indices=True is not supported in dlx") }
            if let c = try a.get(5, "ceil_mode"), try i.truthy(c) { throw DLXError("NotImplementedError", "ceil_mode=True is not supported in dlx") }
            return try i.engine { () throws(TensorError) in try MaxPool2d(kernelSize: k, stride: s, padding: p, dilation: d) }
        }
        for (name, dims) in [("BatchNorm1d", 1), ("BatchNorm2d", 2)] {
            m[name] = moduleType(name) { a, i throws(DLXError) in
                let n = try i.toInt(try a.required(0, "num_features"), "num_features")
                let eps = try a.get(1, "eps").map { v throws(DLXError) in try i.toDouble(v, "eps") } ?? 1e-5
                let momentum = try a.get(2, "momentum").map { v throws(DLXError) in try i.toDouble(v, "momentum") } ?? 0.1
                let affine = try a.get(3, "affine").map { v throws(DLXError) in try i.truthy(v) } ?? true
                if let t = try a.get(4, "track_running_stats"), !(try i.truthy(t)) {
                    throw DLXError("NotImplementedError", "track_running_stats=False is not supported in dlx")
                }
                let target = try i.layerDevice(&a)
                return try i.placed(try i.engine { () throws(TensorError) in
                    try BatchNorm(dims: dims, n, eps: eps, momentum: momentum, affine: affine, backend: i.session.backend)
                }, on: target)
            }
        }
        for name in ["Dropout", "Dropout2d"] {
            m[name] = moduleType(name) { a, i throws(DLXError) in
                let pValue = try a.get(0, "p")
                let p = try pValue.map { v throws(DLXError) in try i.toDouble(v, "p") } ?? 0.5
                _ = try a.get(1, "inplace")
                let d = try i.engine { () throws(TensorError) in try Dropout(p: p) }
                // PyTorch keeps p as given: Dropout(0) prints p=0.
                if case .int(let n)? = pValue { d.pText = String(n) }
                d.channelwise = name == "Dropout2d"
                return d
            }
        }
        m["AvgPool2d"] = moduleType("AvgPool2d") { a, i throws(DLXError) in
            let k = try i.intPair(try a.required(0, "kernel_size"), "kernel_size")
            let s = try a.get(1, "stride").flatMap { v throws(DLXError) -> IntPair? in v.isNone ? nil : try i.intPair(v, "stride") }
            let p = try a.get(2, "padding").map { v throws(DLXError) in try i.intPair(v, "padding") } ?? IntPair(0)
            return try i.engine { () throws(TensorError) in try AvgPool2d(kernelSize: k, stride: s, padding: p) }
        }
        m["AdaptiveAvgPool2d"] = moduleType("AdaptiveAvgPool2d") { a, i throws(DLXError) in
            AdaptiveAvgPool2d(outputSize: try i.intPair(try a.required(0, "output_size"), "output_size"))
        }
        for (name, kind) in [("CrossEntropyLoss", Loss.Kind.crossEntropy), ("MSELoss", .mse), ("NLLLoss", .nll)] {
            m[name] = moduleType(name) { a, i throws(DLXError) in
                let r = try a.get(nil, "reduction").map { v throws(DLXError) in try i.toStringValue(v, "reduction") } ?? "mean"
                guard let reduction = Loss.Reduction(rawValue: r) else { throw .value("\(r) is not a valid value for reduction") }
                return Loss(kind, reduction: reduction)
            }
        }
        m["modules"] = .object(Namespace("torch.nn.modules", nnModulesMembers(m)))
        return m
    }

    /// `torch.nn.modules.<file>.<Class>`, for code that names a layer's class by its module (and the base
    /// classes PyTorch's layers share, for isinstance: `nn.modules.batchnorm._BatchNorm`).
    func nnModulesMembers(_ nn: [String: Value]) -> [String: Value] {
        var out: [String: Value] = [:]
        for (file, names) in Interpreter.pytorchModuleFiles {
            var members: [String: Value] = [:]
            for n in names { members[n] = nn[n] ?? .object(TypeObject(n, qualified: "torch.nn.modules.\(file).\(n)")) }
            out[file] = .object(Namespace("torch.nn.modules.\(file)", members))
        }
        return out
    }

    func functionalMembers() -> [String: Value] {
        var m: [String: Value] = binaryLossFunctions()
        for name in ["relu", "sigmoid", "tanh", "softmax", "log_softmax"] {
            m[name] = function(name) { a, i throws(DLXError) in
                let t = try i.toTensor(try a.required(0, "input"), "input")
                var rest = Arguments(Array(a.positional.dropFirst()), keywords: a.keywords.filter { $0.0 != "inplace" && $0.0 != "_stacklevel" })
                if name == "softmax" || name == "log_softmax" {
                    _ = try a.get(nil, "_stacklevel")
                    // No dim: PyTorch's deprecated implicit choice (0 for 0-, 1- and 3-d inputs, else 1), with its warning.
                    let dim = try a.get(1, "dim")
                    if dim == nil || dim!.isNone {
                        i.warn("Implicit dimension choice for \(name) has been deprecated. Change the call to include dim=X as an argument.")
                        let implicit = [0, 1, 3].contains(t.rank) ? 0 : 1
                        rest = Arguments([.int(implicit)] + Array(a.positional.dropFirst(2)), keywords: rest.keywords.filter { $0.0 != "dim" })
                    }
                }
                a = Arguments()
                return try i.call(try i.tensorAttribute(t, name)!, &rest)
            }
        }
        m["conv2d"] = function("conv2d") { a, i throws(DLXError) in
            let x = try i.toTensor(try a.required(0, "input"), "input"), w = try i.toTensor(try a.required(1, "weight"), "weight")
            let b = try a.get(2, "bias").flatMap { v throws(DLXError) -> Tensor? in v.isNone ? nil : try i.toTensor(v, "bias") }
            let s = try a.get(3, "stride").map { v throws(DLXError) in try i.intPair(v, "stride") } ?? IntPair(1)
            let p = try a.get(4, "padding").map { v throws(DLXError) in try i.intPair(v, "padding") } ?? IntPair(0)
            let d = try a.get(5, "dilation").map { v throws(DLXError) in try i.intPair(v, "dilation") } ?? IntPair(1)
            if let g = try a.get(6, "groups"), try i.toInt(g, "groups") != 1 {
                throw DLXError("NotImplementedError", "conv2d with groups other than 1 is not supported in dlx")
            }
            guard w.rank == 4 else { throw DLXError("RuntimeError", "weight should have at least three dimensions") }
            return .tensor(try i.engine { () throws(TensorError) in try Tensor.conv2d(x, weight: w, bias: b, stride: s.asPair, padding: p.asPair, dilation: d.asPair) })
        }
        for name in ["max_pool2d", "avg_pool2d"] {
            m[name] = function(name) { a, i throws(DLXError) in
                let x = try i.toTensor(try a.required(0, "input"), "input")
                let k = try i.intPair(try a.required(1, "kernel_size"), "kernel_size")
                let s = try a.get(2, "stride").flatMap { v throws(DLXError) -> IntPair? in v.isNone ? nil : try i.intPair(v, "stride") } ?? k
                let p = try a.get(3, "padding").map { v throws(DLXError) in try i.intPair(v, "padding") } ?? IntPair(0)
                return .tensor(try i.engine { () throws(TensorError) in
                    name == "max_pool2d" ? try Tensor.maxPool2d(x, kernel: k.asPair, stride: s.asPair, padding: p.asPair, dilation: IntPair(1))
                        : try Tensor.avgPool2d(x, kernel: k.asPair, stride: s.asPair, padding: p.asPair)
                })
            }
        }
        m["dropout"] = function("dropout") { a, i throws(DLXError) in
            let x = try i.toTensor(try a.required(0, "input"), "input")
            let p = try a.get(1, "p").map { v throws(DLXError) in try i.toDouble(v, "p") } ?? 0.5
            let training = try a.get(2, "training").map { v throws(DLXError) in try i.truthy(v) } ?? true
            _ = try a.get(3, "inplace")
            let d = try i.engine { () throws(TensorError) in try Dropout(p: p) }
            d.training = training
            var context = ForwardContext(generator: i.session.generator)
            defer { i.session.generator = context.generator }
            return .tensor(try i.engine { () throws(TensorError) in try d(x, &context) })
        }
        for (name, kind) in [("cross_entropy", Loss.Kind.crossEntropy), ("mse_loss", .mse), ("nll_loss", .nll)] {
            m[name] = function(name) { a, i throws(DLXError) in
                let x = try i.toTensor(try a.required(0, "input"), "input"), y = try i.toTensor(try a.required(1, "target"), "target")
                let r = try a.get(nil, "reduction").map { v throws(DLXError) in try i.toStringValue(v, "reduction") } ?? "mean"
                guard let reduction = Loss.Reduction(rawValue: r) else { throw .value("\(r) is not a valid value for reduction") }
                return .tensor(try i.engine { () throws(TensorError) in try Loss(kind, reduction: reduction).loss(x, y) })
            }
        }
        return m
    }

    /// `seq(...)`, `linear(i, o)`, ...: dlx's short forms of the nn constructors.
    func shortForm(_ name: String) -> Value? {
        let map = ["seq": "Sequential", "flatten": "Flatten", "linear": "Linear", "relu": "ReLU", "sigmoid": "Sigmoid",
                   "tanh": "Tanh", "softmax": "Softmax"]
        guard let full = map[name], let nn = namespace("torch.nn"), let ctor = nn.members[full] else { return nil }
        return ctor
    }

    func modules(_ values: [Value]) throws(DLXError) -> [Module] {
        try values.map { v throws(DLXError) in
            guard case .module(let m) = v else { throw .type("\(v.typeName) is not a Module subclass") }
            return m
        }
    }

    // MARK: - Module values

    func callModule(_ m: Module, _ a: inout Arguments) throws(DLXError) -> Value {
        if m is Loss || m is BinaryCrossEntropyLoss {
            guard a.positional.count == 2 else { throw .type("\(m.typeName).forward() takes 2 positional arguments (input, target) but \(a.positional.count) were given") }
            let x = try toTensor(a.positional[0], "input"), y = try toTensor(a.positional[1], "target")
            return .tensor(try engine { () throws(TensorError) in
                if let bce = m as? BinaryCrossEntropyLoss { return try bce.loss(x, y) }
                return try (m as! Loss).loss(x, y)
            })
        }
        guard a.positional.count == 1, a.keywords.isEmpty else {
            throw .type("\(m.typeName).forward() takes 1 positional argument but \(a.positional.count) were given")
        }
        let x = try toTensor(a.positional[0], "input")
        if let s = m as? Softmax, s.dim == nil {
            warn("Implicit dimension choice for \(s.log ? "log_softmax" : "softmax") has been deprecated. Change the call to include dim=X as an argument.")
        }
        try checkInterrupt()
        // Inside a user module's forward, the layers it calls share its context (summary's observer).
        var context = forwardContext ?? ForwardContext(generator: session.generator)
        defer {
            if forwardContext != nil { forwardContext = context } else { session.generator = context.generator }
        }
        return .tensor(try engine { () throws(TensorError) in try m(x, &context) })
    }

    func moduleAttribute(_ m: Module, _ name: String) throws(DLXError) -> Value? {
        func meth(_ body: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Value) -> Value { method(name, body) }
        if let c = m.allChildren.first(where: { $0.0 == name }) { return .module(c.1) }
        if let box = m.addedAttributes[name] as? ValueBox { return box.value }
        if let p = m.ownParameters.first(where: { $0.0 == name }) { return .tensor(p.1) }
        if let b = m.ownBuffers.first(where: { $0.0 == name }) { return .tensor(b.1) }
        switch (m, name) {
        case (_, "training"): return .bool(m.training)
        case (_, "parameters"):
            return meth { _, i throws(DLXError) in
                let ps = m.parameters
                return .object(GeneratorIterator("Module.parameters", i, ps.map { .tensor($0) }))
            }
        case (_, "named_parameters"):
            return meth { _, i throws(DLXError) in
                .object(GeneratorIterator("Module.named_parameters", i, m.namedParameters().map { .tuple([.string($0.0), .tensor($0.1)]) }))
            }
        case (_, "children"):
            return meth { _, i throws(DLXError) in .object(GeneratorIterator("Module.children", i, m.allChildren.map { .module($0.1) })) }
        case (_, "modules"):
            return meth { _, i throws(DLXError) in .object(GeneratorIterator("Module.modules", i, m.allModules.map { .module($0) })) }
        case (_, "train"):
            return meth { a, i throws(DLXError) in
                m.setTraining(try a.get(0, "mode").map { v throws(DLXError) in try i.truthy(v) } ?? true)
                return .module(m)
            }
        case (_, "eval"): return meth { _, _ throws(DLXError) in m.setTraining(false); return .module(m) }
        case (_, "to"):
            return meth { a, i throws(DLXError) in
                for v in a.rest(from: 0) + [try a.get(nil, "device")].compactMap({ $0 }) {
                    switch v {
                    case .device(let d): try i.move(m, to: d)
                    case .string(let s):
                        guard let d = Device.parse(s) else { throw DLXError("RuntimeError", "Invalid device string: '\(s)'") }
                        try i.move(m, to: d)
                    case .dtype(let d) where d == .float32: break
                    default: throw .type("to() received an invalid combination of arguments: got \(v.typeName)")
                    }
                }
                return .module(m)
            }
        case (_, "cpu"): return meth { _, i throws(DLXError) in try i.move(m, to: .cpu); return .module(m) }
        case (_, "cuda"):
            return meth { a, i throws(DLXError) in
                try i.move(m, to: try i.cudaArgument(&a))
                return .module(m)
            }
        case (_, "zero_grad"):
            return meth { _, _ throws(DLXError) in
                for p in m.parameters { p.grad = nil }
                return Value.none
            }
        case (_, "forward"):
            return meth { a, i throws(DLXError) in let r = try i.callModule(m, &a); a = Arguments(); return r }
        case (let l as Linear, "in_features"): return .int(l.inFeatures)
        case (let l as Linear, "out_features"): return .int(l.outFeatures)
        case (let l as Linear, "bias") where l.bias == nil: return Value.none
        case (let f as Flatten, "start_dim"): return .int(f.startDim)
        case (let f as Flatten, "end_dim"): return .int(f.endDim)
        case (let c as Conv2d, "in_channels"): return .int(c.inChannels)
        case (let c as Conv2d, "out_channels"): return .int(c.outChannels)
        case (let c as Conv2d, "kernel_size"): return .tuple([.int(c.kernelSize.h), .int(c.kernelSize.w)])
        case (let c as Conv2d, "stride"): return .tuple([.int(c.stride.h), .int(c.stride.w)])
        case (let c as Conv2d, "padding"): return .tuple([.int(c.padding.h), .int(c.padding.w)])
        case (let d as Dropout, "p"): return .float(d.p)
        case (let b as BatchNorm, "num_features"): return .int(b.numFeatures)
        case (let b as BatchNorm, "eps"): return .float(b.eps)
        case (let b as BatchNorm, "momentum"): return .float(b.momentum)
        case (let s as Softmax, "dim"): return s.dim.map { .int($0) } ?? Value.none
        case (let s as Sequential, "append"):
            return meth { a, i throws(DLXError) in
                for m in try i.modules([try a.required(0, "module")]) { s.append(m) }
                return .module(s)
            }
        case (let s as Sequential, "extend"):
            return meth { a, i throws(DLXError) in
                for m in try i.modules(try i.iterateAll(try a.required(0, "sequential"))) { s.append(m) }
                return .module(s)
            }
        case (let s as Sequential, "insert"):
            return meth { a, i throws(DLXError) in
                let n = s.modules.count
                var index = try i.toInt(try a.required(0, "index"), "index")
                guard let added = try i.modules([try a.required(1, "module")]).first else { return .module(s) }
                guard -n <= index && index <= n else { throw DLXError("IndexError", "Index out of range: \(index)") }
                if index < 0 { index += n }
                if s.names != nil { throw DLXError("NotImplementedError", "insert into a Sequential of named children is not supported in dlx") }
                s.modules.insert(added, at: index)
                return .module(s)
            }
        default: return try extraModuleAttribute(m, name)
        }
    }

    func setModuleAttribute(_ m: Module, _ name: String, _ value: Value) throws(DLXError) -> Bool {
        switch (m, name) {
        case (_, "training"): m.setTraining(try truthy(value)); return true
        case (let l as Linear, "weight"):
            let t = try toTensor(value, "weight")
            guard t.shape == l.weight.shape else { throw DLXError("RuntimeError", "weight must have shape \(l.weight.shape), got \(t.shape)") }
            l.weight = t
            return true
        case (let l as Linear, "bias"):
            if value.isNone { l.bias = nil; return true }
            let t = try toTensor(value, "bias")
            guard t.shape == [l.outFeatures] else { throw DLXError("RuntimeError", "bias must have shape [\(l.outFeatures)], got \(t.shape)") }
            l.bias = t
            return true
        default:
            // Any other attribute, as PyTorch allows on every module: a module becomes a child, anything else
            // is kept for the code that set it. Names the layer already answers stay its own.
            if (try? moduleAttribute(m, name)) ?? nil != nil, !m.addedChildren.contains(where: { $0.0 == name }), m.addedAttributes[name] == nil {
                return false
            }
            m.addedChildren.removeAll { $0.0 == name }
            m.addedAttributes[name] = nil
            // A Sequential runs every child in order, those assigned later included (its _modules in PyTorch).
            if case .module(let child) = value, let seq = m as? Sequential {
                seq.names = seq.names ?? seq.modules.indices.map(String.init)
                if let k = seq.names!.firstIndex(of: name) { seq.modules[k] = child } else { seq.modules.append(child); seq.names!.append(name) }
                return true
            }
            if case .module(let child) = value { m.addedChildren.append((name, child)) } else { m.addedAttributes[name] = ValueBox(value) }
            return true
        }
    }

    /// torchsummary's `summary(model, input_size, batch_size=-1, device="cuda")`.
    func torchsummary() -> Value {
        function("summary") { a, i throws(DLXError) in
            let model = try a.required(0, "model")
            guard case .module(let m) = model else { throw .type("summary() expects a model (nn.Module), got \(model.typeName)") }
            var sizeValue = try a.required(1, "input_size")
            if case .list(let l) = sizeValue {
                guard l.items.count == 1 else { throw DLXError("NotImplementedError", "summary of a model with several inputs is not supported in dlx") }
                sizeValue = l.items[0]
            }
            let size = try i.toShape([sizeValue], "summary")
            let batch = try a.get(2, "batch_size").map { v throws(DLXError) in try i.toInt(v, "batch_size") } ?? -1
            let device = try a.get(3, "device").map { v throws(DLXError) in try i.toStringValue(v, "device") } ?? "cuda"
            guard ["cuda", "cpu"].contains(device.lowercased()) else {
                throw DLXError("AssertionError", "Input device is not valid, please specify 'cuda' or 'cpu'")
            }
            try i.checkInterrupt()
            let text = try i.engine { () throws(TensorError) in
                // The example batch goes where the model is (torchsummary would fail on a mismatch instead).
                try ModelSummary.table(m, inputSize: size, batchSize: batch, generator: &i.session.generator,
                                       backend: i.modelDevice(m) ?? i.session.backend)
            }
            i.session.write(text + "\n")
            return Value.none
        }
    }
}

/// The generator objects that `model.parameters()` and friends return.
final class GeneratorIterator: PyObject {
    let name: String
    let iterator: ValueIterator
    let kind: String
    init(_ name: String, _ iterator: ValueIterator, typeName: String = "generator") {
        self.name = name; self.iterator = iterator; self.kind = typeName
    }
    init(_ name: String, _ interpreter: Interpreter, _ values: [Value]) {
        self.name = name
        self.kind = "generator"
        var k = 0
        iterator = ValueIterator { () throws(DLXError) -> Value? in
            guard k < values.count else { return nil }
            k += 1
            return values[k - 1]
        }
    }
    var typeName: String { kind }
    func repr(_ interpreter: Interpreter) -> String {
        kind == "generator" ? "<generator object \(name) at \(interpreter.session.address(of: self))>"
            : "<\(kind) object at \(interpreter.session.address(of: self))>"
    }
    func makeIterator(_ interpreter: Interpreter) throws(DLXError) -> ValueIterator? { iterator }
}

/// A language value held by an engine object that knows nothing of the language (a module's attribute).
final class ValueBox {
    let value: Value
    init(_ value: Value) { self.value = value }
}
