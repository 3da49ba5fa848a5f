import DLXEngine

/// Whole modules in torch.save's pickle: `torch.save(model, path)` writes each module as PyTorch pickles it
/// (its class by PyTorch's name, `torch.nn.modules.linear.Linear`, then `__new__` and its `__dict__` in
/// PyTorch 2.15's order), so that PyTorch's `torch.load(path, weights_only=False)` gives a working model;
/// `torch.load(path, weights_only=False)` builds dlx modules from such a pickle: built-in layers by their
/// settings, user classes (`__main__.Net`) from the class of that name defined in the session, without
/// running their `__init__`, as pickle does.
extension Interpreter {
    /// The hooks and sets every module's `__dict__` holds, in order, before `_modules`.
    static let moduleDictPrefix = ["training", "_parameters", "_buffers", "_non_persistent_buffers_set", "_backward_pre_hooks",
                                   "_backward_hooks", "_is_full_backward_hook", "_forward_hooks", "_forward_hooks_with_kwargs",
                                   "_forward_hooks_always_called", "_forward_pre_hooks", "_forward_pre_hooks_with_kwargs",
                                   "_state_dict_hooks", "_state_dict_pre_hooks", "_load_state_dict_pre_hooks",
                                   "_load_state_dict_post_hooks", "_modules"]

    /// The module file and class name PyTorch pickles a built-in layer under.
    static func pickledClass(_ m: Module) -> (String, String) {
        if let u = m as? UserModule { return (u.cls.module, u.cls.name) }
        let path = Interpreter.pytorchClassPath(m.typeName)
        return (String(path.dropLast(m.typeName.count + 1)), m.typeName)
    }

    /// A layer's own settings, after `_modules`, as PyTorch's `__init__` stores them.
    func layerSettings(_ m: Module) throws(DLXError) -> [(String, PickleOut)] {
        func pair(_ p: IntPair, tuple: Bool) -> PickleOut { tuple || p.wasPair ? .tuple([.int(p.h), .int(p.w)]) : .int(p.h) }
        switch m {
        case let l as Linear: return [("in_features", .int(l.inFeatures)), ("out_features", .int(l.outFeatures))]
        case let c as Conv2d:
            return [("in_channels", .int(c.inChannels)), ("out_channels", .int(c.outChannels)), ("kernel_size", pair(c.kernelSize, tuple: true)),
                    ("stride", pair(c.stride, tuple: true)), ("padding", pair(c.padding, tuple: true)), ("dilation", pair(c.dilation, tuple: true)),
                    ("transposed", .bool(false)), ("output_padding", .tuple([.int(0), .int(0)])), ("groups", .int(1)),
                    ("padding_mode", .string("zeros")),
                    ("_reversed_padding_repeated_twice", .tuple([.int(c.padding.w), .int(c.padding.w), .int(c.padding.h), .int(c.padding.h)]))]
        case let b as BatchNorm:
            return [("num_features", .int(b.numFeatures)), ("eps", .float(b.eps)), ("momentum", .float(b.momentum)),
                    ("affine", .bool(b.weight != nil)), ("track_running_stats", .bool(true))]
        case let p as MaxPool2d:
            return [("kernel_size", pair(p.kernelSize, tuple: false)), ("stride", pair(p.stride, tuple: false)), ("padding", pair(p.padding, tuple: false)),
                    ("dilation", pair(p.dilation, tuple: false)), ("return_indices", .bool(false)), ("ceil_mode", .bool(false))]
        case let p as AvgPool2d:
            return [("kernel_size", pair(p.kernelSize, tuple: false)), ("stride", pair(p.stride, tuple: false)), ("padding", pair(p.padding, tuple: false)),
                    ("ceil_mode", .bool(false)), ("count_include_pad", .bool(true)), ("divisor_override", .none)]
        case let p as AdaptiveAvgPool2d: return [("output_size", pair(p.outputSize, tuple: false))]
        case let d as Dropout: return [("p", d.pText.flatMap { Int($0) }.map { .int($0) } ?? .float(d.p)), ("inplace", .bool(false))]
        case let f as Flatten: return [("start_dim", .int(f.startDim)), ("end_dim", .int(f.endDim))]
        case let a as Activation: return a.kind == .relu ? [("inplace", .bool(false))] : []
        case let s as Softmax: return [("dim", s.dim.map { .int($0) } ?? .none)]
        case let l as Loss:
            switch l.kind {
            case .mse: return [("reduction", .string(l.reduction.rawValue))]
            case .nll: return [("reduction", .string(l.reduction.rawValue)), ("ignore_index", .int(-100))]
            case .crossEntropy: return [("reduction", .string(l.reduction.rawValue)), ("ignore_index", .int(-100)), ("label_smoothing", .float(0))]
            }
        case is Sequential, is ModuleList, is ModuleDict, is Identity: return []
        default: throw .type("cannot pickle '\(m.typeName)' module in dlx: save its state_dict() instead")
        }
    }

    /// `Class.__new__(Class)` then a BUILD of its `__dict__`.
    func modulePickle(_ m: Module, _ w: TorchArchiveWriter, _ memo: inout PickleMemo, depth: Int) throws(DLXError) -> PickleOut {
        let id = ObjectIdentifier(m)
        if memo.modules.contains(id) { return .shared(id, .none) }   // written already: the memo gives it back
        memo.modules.insert(id)
        func tensors(_ slots: [(String, Tensor?)], parameters: Bool) throws(DLXError) -> PickleOut {
            var out: [(PickleOut, PickleOut)] = []
            for (n, t) in slots {
                guard let t else { out.append((.string(n), .none)); continue }
                out.append((.string(n), .shared(ObjectIdentifier(t), try engine { () throws(TensorError) in
                    parameters ? try w.parameter(t) : try w.tensor(t)
                })))
            }
            return .dict(out)
        }
        let user = m as? UserModule
        let parameters: [(String, Tensor?)] = user?.parameterSlots ?? Interpreter.parameterSlots(m)
        let buffers: [(String, Tensor?)] = user?.bufferSlots ?? m.ownBuffers.map { ($0.0, Optional($0.1)) }
        // Storages are numbered as the tree is built: in the order the pickle meets them.
        let hooks = PickleOut.reduce(.global("collections", "OrderedDict"), [])
        var state: [(PickleOut, PickleOut)] = [
            (.string("training"), .bool(m.training)), (.string("_parameters"), try tensors(parameters, parameters: true)),
            (.string("_buffers"), try tensors(buffers, parameters: false)),
            (.string("_non_persistent_buffers_set"), .reduce(.global("__builtin__", "set"), [.list([])])),
        ]
        var children: [(PickleOut, PickleOut)] = []
        for (n, c) in (user?.modules ?? m.allChildren.map { ($0.0, Optional($0.1)) }) {
            children.append((.string(n), try c.map { c throws(DLXError) in try modulePickle(c, w, &memo, depth: depth + 1) } ?? .none))
        }
        for name in Interpreter.moduleDictPrefix[4..<16] { state.append((.string(name), name == "_is_full_backward_hook" ? .none : hooks)) }
        state.append((.string("_modules"), .dict(children)))
        if let user {
            for (n, v) in user.attributes.pairs { state.append((.string(n), try pickleOut(v, w, &memo, depth: depth + 1))) }
        } else {
            for (n, v) in try layerSettings(m) { state.append((.string(n), v)) }
        }
        let (file, name) = Interpreter.pickledClass(m)
        return .shared(id, .newObject(.global(file, name), [], state: .dict(state)))
    }

    /// A built-in layer's parameters by PyTorch's names, None where it has none (a Linear without bias).
    static func parameterSlots(_ m: Module) -> [(String, Tensor?)] {
        switch m {
        case let l as Linear: return [("weight", l.weight), ("bias", l.bias)]
        case let c as Conv2d: return [("weight", c.weight), ("bias", c.bias)]
        case let b as BatchNorm: return [("weight", b.weight), ("bias", b.bias)]
        default: return m.ownParameters.map { ($0.0, Optional($0.1)) }
        }
    }

    // MARK: - Loading

    /// The built-in layer classes a pickle may name (under their PyTorch module files), and the session's
    /// own nn.Module classes.
    func loadableModuleClass(_ g: PickleGlobal) -> Bool {
        if g.module.hasPrefix("torch.nn.modules."), case .object(let t as TypeObject)? = nnType(g.name) { return t.name == g.name }
        if case .object(let c as PyClass)? = session.globals[g.name], c.native == .module, c.module == g.module { return true }
        return false
    }

    private func nnType(_ name: String) -> Value? { namespace("torch.nn")?.members[name] }

    /// A module from its pickled `__dict__`.
    func moduleFromPickle(_ n: PickleNode, _ memo: inout [ObjectIdentifier: Value], depth: Int) throws(DLXError) -> Module {
        guard case .instance(let g) = n.kind else { throw DLXError("UnpicklingError", "not a module") }
        guard case .node(let s)? = n.state, s.kind == .dict else {
            throw DLXError("UnpicklingError", "\(g) was pickled without its __dict__")
        }
        var fields: [(String, PickleValue)] = []
        for (k, v) in zip(s.items, s.values) {
            guard case .string(let key) = k else { throw DLXError("UnpicklingError", "\(g)'s __dict__ has a key that is not a string") }
            fields.append((key, v))
        }
        func field(_ name: String) -> PickleValue? { fields.first { $0.0 == name }?.1 }
        func slots(_ name: String) throws(DLXError) -> [(String, Value)] {
            guard let v = field(name) else { return [] }
            guard case .dict(let d) = try value(from: v, &memo, depth: depth + 1) else { throw DLXError("UnpicklingError", "\(g).\(name) must be a dict") }
            var out: [(String, Value)] = []
            for (k, x) in zip(d.keys, d.values) { out.append((try toStringValue(k, name), x)) }
            return out
        }
        func tensor(_ v: Value, _ what: String) throws(DLXError) -> Tensor? {
            switch v {
            case .none: return nil
            case .tensor(let t): return t
            default: throw DLXError("UnpicklingError", "\(g).\(what) must be a tensor or None, not \(v.typeName)")
            }
        }
        let training: Bool
        if case .bool(let b)? = field("training") { training = b } else { training = true }
        let parameters = try slots("_parameters"), buffers = try slots("_buffers")
        let id = ObjectIdentifier(n)
        var children: [(String, Module?)] = []
        // The module goes into the memo before its children, for a child that points back at it.
        let module: Module
        if case .object(let c as PyClass)? = session.globals[g.name], c.native == .module, c.module == g.module {
            let u = UserModule(c, self)
            u.initialised = true
            memo[id] = .module(u)
            for (k, v) in parameters { u.parameterSlots.append((k, try tensor(v, k))) }
            for (k, v) in buffers { u.bufferSlots.append((k, try tensor(v, k))) }
            for (k, v) in try slots("_modules") { children.append((k, try optionalModule(v, g, k))) }
            u.modules = children
            for (k, v) in fields where !Interpreter.moduleDictPrefix.contains(k) {
                u.attributes[k] = try value(from: v, &memo, depth: depth + 1)
            }
            module = u
        } else {
            for (k, v) in try slots("_modules") { children.append((k, try optionalModule(v, g, k))) }
            var settings: [(String, Value)] = []
            for (k, v) in fields where !Interpreter.moduleDictPrefix.contains(k) { settings.append((k, try value(from: v, &memo, depth: depth + 1))) }
            module = try builtinModule(g, settings: settings, children: children, parameters: parameters)
            memo[id] = .module(module)
            // The file's tensors become the layer's own (a parameter loaded twice stays one parameter).
            var given: [String: Tensor] = [:]
            for (k, v) in parameters + buffers { if let t = try tensor(v, k) { given[k] = t } }
            try adopt(module, given, g)
        }
        module.setTrainingFlag(training)
        return module
    }

    private func optionalModule(_ v: Value, _ g: PickleGlobal, _ name: String) throws(DLXError) -> Module? {
        switch v {
        case .none: return nil
        case .module(let m): return m
        default: throw DLXError("UnpicklingError", "\(g)._modules['\(name)'] is a \(v.typeName), not a module")
        }
    }

    /// A built-in layer made by its constructor from the pickled settings, with the session's random state
    /// kept as it was (loading draws no random numbers, as in PyTorch).
    private func builtinModule(_ g: PickleGlobal, settings: [(String, Value)], children: [(String, Module?)],
                               parameters: [(String, Value)]) throws(DLXError) -> Module {
        let kids = children.compactMap { $0.1 }
        switch g.name {
        case "Sequential":
            let names = children.map { $0.0 }
            return Sequential(kids, names: names == names.indices.map { String($0) } ? nil : names)
        case "ModuleList": return ModuleList(kids)
        case "ModuleDict":
            let d = ModuleDict()
            for (k, m) in children { if let m { d.set(k, m) } }
            return d
        default: break
        }
        guard let type = nnType(g.name) else { throw DLXError("UnpicklingError", "dlx has no \(g)") }
        let known: Set<String> = ["in_features", "out_features", "in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
                                  "num_features", "eps", "momentum", "affine", "output_size", "p", "start_dim", "end_dim", "dim", "reduction"]
        var keywords = settings.filter { known.contains($0.0) }
        if ["Linear", "Conv2d"].contains(g.name) {
            keywords.append(("bias", .bool(parameters.contains { $0.0 == "bias" && !$0.1.isNone })))
        }
        let saved = session.generator
        defer { session.generator = saved }
        var args = Arguments([], keywords: keywords)
        guard case .module(let m) = try call(type, &args) else { throw DLXError("UnpicklingError", "\(g) did not make a module") }
        return m
    }

    /// Puts the loaded tensors in a built-in layer's slots, checking their shapes.
    private func adopt(_ m: Module, _ given: [String: Tensor], _ g: PickleGlobal) throws(DLXError) {
        func take(_ name: String, _ current: Tensor?) throws(DLXError) -> Tensor? {
            guard let t = given[name] else { return current }
            if let current, current.shape != t.shape {
                throw DLXError("RuntimeError", "size mismatch for \(name) of \(g.name): the file's tensor has shape \(TensorPrinter.sizeRepr(t.shape)), the layer's \(TensorPrinter.sizeRepr(current.shape))")
            }
            return t
        }
        switch m {
        case let l as Linear:
            if let w = try take("weight", l.weight) { l.weight = w }
            l.bias = try take("bias", l.bias)
        case let c as Conv2d:
            if let w = try take("weight", c.weight) { c.weight = w }
            c.bias = try take("bias", c.bias)
        case let b as BatchNorm:
            b.weight = try take("weight", b.weight); b.bias = try take("bias", b.bias)
            if let t = try take("running_mean", b.runningMean) { b.runningMean = t }
            if let t = try take("running_var", b.runningVar) { b.runningVar = t }
            if let t = try take("num_batches_tracked", b.batchesTracked) { b.batchesTracked = t }
        default: break
        }
    }
}

extension Module {
    /// Sets this module's own `training` flag (its children keep theirs, as each was pickled with its own).
    func setTrainingFlag(_ on: Bool) { training = on }
}
