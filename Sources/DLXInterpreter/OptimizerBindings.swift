import DLXEngine

/// `torch.optim`: SGD, Adam, AdamW, Adagrad, RMSprop, Adadelta with PyTorch's signatures and defaults, and
/// the optimizer object: `step`, `zero_grad`, `param_groups` (assigning `group["lr"]` changes the rate),
/// `state`, `defaults`, `state_dict`, `load_state_dict`.
extension Interpreter {
    /// One optimizer class: its positional parameters after `params`, its param group's entries in PyTorch's
    /// order with PyTorch's default values, and how the engine's optimizer is made from a group.
    struct OptimizerSpec {
        let name: String
        let positional: [String]
        let defaults: [(String, Value)]
        let build: ([Tensor], ParamGroup, Interpreter) throws(DLXError) -> Optimizer
    }

    /// A param group's values, read as the engine needs them.
    struct ParamGroup {
        let dict: DictBox
        let interpreter: Interpreter
        func value(_ key: String) throws(DLXError) -> Value { try dict.get(.string(key)) ?? Value.none }
        func number(_ key: String) throws(DLXError) -> Double { try interpreter.toDouble(try value(key), key) }
        func flag(_ key: String) throws(DLXError) -> Bool { try interpreter.truthy(try value(key)) }
        func pair(_ key: String) throws(DLXError) -> (Double, Double) {
            let items = try interpreter.iterateAll(try value(key))
            guard items.count == 2 else { throw .value("\(key) must be a pair of numbers") }
            return (try interpreter.toDouble(items[0], key), try interpreter.toDouble(items[1], key))
        }
    }

    static var optimizerSpecs: [OptimizerSpec] {
        let f = Value.bool(false), none = Value.none, zero = Value.int(0)
        let betas = Value.tuple([.float(0.9), .float(0.999)])
        return [
            OptimizerSpec(name: "SGD", positional: ["lr", "momentum", "dampening", "weight_decay", "nesterov"],
                          defaults: [("lr", .float(1e-3)), ("momentum", zero), ("dampening", zero), ("weight_decay", zero), ("nesterov", f),
                                     ("maximize", f), ("foreach", none), ("differentiable", f), ("fused", none)]) { ps, g, i throws(DLXError) in
                let (lr, m, d, wd, n) = (try g.number("lr"), try g.number("momentum"), try g.number("dampening"), try g.number("weight_decay"), try g.flag("nesterov"))
                return try i.engine { () throws(TensorError) in try SGD(ps, lr: lr, momentum: m, dampening: d, weightDecay: wd, nesterov: n) }
            },
            OptimizerSpec(name: "Adam", positional: ["lr", "betas", "eps", "weight_decay", "amsgrad"],
                          defaults: [("lr", .float(1e-3)), ("betas", betas), ("eps", .float(1e-8)), ("weight_decay", zero), ("amsgrad", f),
                                     ("maximize", f), ("foreach", none), ("capturable", f), ("differentiable", f), ("fused", none),
                                     ("decoupled_weight_decay", f)]) { ps, g, i throws(DLXError) in
                let (lr, b, eps, wd, dec) = (try g.number("lr"), try g.pair("betas"), try g.number("eps"), try g.number("weight_decay"),
                                             try g.flag("decoupled_weight_decay"))
                return try i.engine { () throws(TensorError) in try Adam(ps, lr: lr, betas: b, eps: eps, weightDecay: wd, decoupledWeightDecay: dec) }
            },
            OptimizerSpec(name: "AdamW", positional: ["lr", "betas", "eps", "weight_decay", "amsgrad"],
                          defaults: [("lr", .float(1e-3)), ("betas", betas), ("eps", .float(1e-8)), ("weight_decay", .float(1e-2)), ("amsgrad", f),
                                     ("maximize", f), ("foreach", none), ("capturable", f), ("differentiable", f), ("fused", none),
                                     ("decoupled_weight_decay", .bool(true))]) { ps, g, i throws(DLXError) in
                let (lr, b, eps, wd) = (try g.number("lr"), try g.pair("betas"), try g.number("eps"), try g.number("weight_decay"))
                return try i.engine { () throws(TensorError) in try AdamW(ps, lr: lr, betas: b, eps: eps, weightDecay: wd) }
            },
            OptimizerSpec(name: "Adagrad", positional: ["lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps", "foreach"],
                          defaults: [("lr", .float(1e-2)), ("lr_decay", zero), ("eps", .float(1e-10)), ("weight_decay", zero),
                                     ("initial_accumulator_value", zero), ("foreach", none), ("maximize", f), ("differentiable", f),
                                     ("fused", none)]) { ps, g, i throws(DLXError) in
                let (lr, decay, wd, initial, eps) = (try g.number("lr"), try g.number("lr_decay"), try g.number("weight_decay"),
                                                     try g.number("initial_accumulator_value"), try g.number("eps"))
                return try i.engine { () throws(TensorError) in
                    try Adagrad(ps, lr: lr, lrDecay: decay, weightDecay: wd, initialAccumulatorValue: initial, eps: eps)
                }
            },
            OptimizerSpec(name: "RMSprop", positional: ["lr", "alpha", "eps", "weight_decay", "momentum", "centered", "capturable", "foreach"],
                          defaults: [("lr", .float(1e-2)), ("momentum", zero), ("alpha", .float(0.99)), ("eps", .float(1e-8)), ("centered", f),
                                     ("weight_decay", zero), ("capturable", f), ("foreach", none), ("maximize", f),
                                     ("differentiable", f)]) { ps, g, i throws(DLXError) in
                let (lr, alpha, eps, wd, m, c) = (try g.number("lr"), try g.number("alpha"), try g.number("eps"), try g.number("weight_decay"),
                                                  try g.number("momentum"), try g.flag("centered"))
                return try i.engine { () throws(TensorError) in try RMSprop(ps, lr: lr, alpha: alpha, eps: eps, weightDecay: wd, momentum: m, centered: c) }
            },
            OptimizerSpec(name: "Adadelta", positional: ["lr", "rho", "eps", "weight_decay", "foreach"],
                          defaults: [("lr", .float(1.0)), ("rho", .float(0.9)), ("eps", .float(1e-6)), ("weight_decay", zero), ("maximize", f),
                                     ("capturable", f), ("foreach", none), ("differentiable", f)]) { ps, g, i throws(DLXError) in
                let (lr, rho, eps, wd) = (try g.number("lr"), try g.number("rho"), try g.number("eps"), try g.number("weight_decay"))
                return try i.engine { () throws(TensorError) in try Adadelta(ps, lr: lr, rho: rho, eps: eps, weightDecay: wd) }
            },
        ]
    }

    func optimMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        for spec in Interpreter.optimizerSpecs {
            m[spec.name] = .object(TypeObject(spec.name, qualified: "torch.optim.\(spec.name.lowercased()).\(spec.name)") { a, i throws(DLXError) in
                try i.makeOptimizer(spec, &a)
            })
        }
        m["Optimizer"] = .object(TypeObject("Optimizer", qualified: "torch.optim.optimizer.Optimizer"))
        return m
    }

    private func makeOptimizer(_ spec: OptimizerSpec, _ a: inout Arguments) throws(DLXError) -> Value {
        // params: tensors, or one param group (a dict with "params" and its own settings).
        var groupOptions: DictBox? = nil
        var items = try iterateAll(try a.required(0, "params"))
        if case .dict(let d)? = items.first {
            guard items.count == 1 else {
                throw DLXError("NotImplementedError", "several parameter groups are not supported in dlx yet: give one list of parameters")
            }
            guard let ps = try d.get(.string("params")) else { throw DLXError("KeyError", "'params'") }
            groupOptions = d
            items = try iterateAll(ps)
        }
        let params = try items.map { v throws(DLXError) -> Tensor in
            guard case .tensor(let t) = v else { throw .type("optimizer can only optimize Tensors, but one of the params is \(v.typeName)") }
            return t
        }
        let defaults = DictBox(), group = DictBox()
        try group.set(.string("params"), .list(ListBox(params.map { .tensor($0) })))
        for (name, value) in spec.defaults {
            let given = try a.get(spec.positional.firstIndex(of: name).map { $0 + 1 }, name) ?? value
            try defaults.set(.string(name), given)
            try group.set(.string(name), try groupOptions?.get(.string(name)) ?? given)
        }
        if let options = groupOptions {
            for key in options.keys where try group.get(key) == nil { try group.set(key, try options.get(key)!) }
        }
        for (flag, what) in [("maximize", "maximize=True"), ("amsgrad", "amsgrad=True")] {
            if let v = try group.get(.string(flag)), try truthy(v) { throw DLXError("NotImplementedError", "\(what) is not supported in dlx") }
        }
        let optimizer = try spec.build(params, ParamGroup(dict: group, interpreter: self), self)
        let object = OptimizerObject(optimizer, group: group, defaults: defaults)
        object.connect(self)
        return .object(object)
    }

    /// Passes a param group's new value on to the engine's optimizer (the settings that change its steps).
    func applyGroupSetting(_ o: Optimizer, _ key: String, _ v: Value) throws(DLXError) {
        func number() throws(DLXError) -> Double { try toDouble(v, key) }
        switch (o, key) {
        case (_, "lr"): o.learningRate = try number()
        case (_, "maximize"), (is Adam, "amsgrad"):
            if try truthy(v) { throw DLXError("NotImplementedError", "\(key)=True is not supported in dlx") }
        case (let s as SGD, "momentum"): s.momentum = try number()
        case (let s as SGD, "dampening"): s.dampening = try number()
        case (let s as SGD, "weight_decay"): s.weightDecay = try number()
        case (let s as SGD, "nesterov"): s.nesterov = try truthy(v)
        case (let s as Adam, "betas"):
            let items = try iterateAll(v)
            guard items.count == 2 else { throw .value("betas must be a pair of numbers") }
            s.beta1 = try toDouble(items[0], key); s.beta2 = try toDouble(items[1], key)
        case (let s as Adam, "eps"): s.eps = try number()
        case (let s as Adam, "weight_decay"): s.weightDecay = try number()
        case (let s as Adagrad, "lr_decay"): s.lrDecay = try number()
        case (let s as Adagrad, "eps"): s.eps = try number()
        case (let s as Adagrad, "weight_decay"): s.weightDecay = try number()
        case (let s as RMSprop, "alpha"): s.alpha = try number()
        case (let s as RMSprop, "eps"): s.eps = try number()
        case (let s as RMSprop, "weight_decay"): s.weightDecay = try number()
        case (let s as RMSprop, "momentum"): s.momentum = try number()
        case (let s as RMSprop, "centered"): s.centered = try truthy(v)
        case (let s as Adadelta, "rho"): s.rho = try number()
        case (let s as Adadelta, "eps"): s.eps = try number()
        case (let s as Adadelta, "weight_decay"): s.weightDecay = try number()
        default: break   // foreach, fused, differentiable, initial_lr, and the user's own keys change nothing here
        }
    }
}

/// An optimizer as a language value. Its one param group is a dict the user may change: assigning
/// `group["lr"]` (or momentum, weight_decay, ...) changes the engine's optimizer, and a scheduler's new rate
/// shows in the group. It has no `lr` attribute, as in PyTorch.
final class OptimizerObject: PyObject {
    let optimizer: Optimizer
    let group: DictBox
    let groups: ListBox
    let defaults: DictBox
    /// True while a group assignment is passed to the engine (its rate change is then not written back).
    private var applying = false

    init(_ optimizer: Optimizer, group: DictBox, defaults: DictBox) {
        self.optimizer = optimizer; self.group = group; self.defaults = defaults
        groups = ListBox([.dict(group)])
        optimizer.onLearningRateChange = { [weak self] lr in
            guard let self, !self.applying else { return }
            try? self.group.set(.string("lr"), .float(lr))
        }
    }

    /// Hooks the group up to the engine; called once the interpreter is at hand.
    func connect(_ interpreter: Interpreter) {
        guard group.onSet == nil else { return }
        group.onSet = { [weak self, weak interpreter] key, value throws(DLXError) in
            guard let self, let interpreter, !self.applying, case .string(let k) = key else { return }
            self.applying = true
            defer { self.applying = false }
            try interpreter.applyGroupSetting(self.optimizer, k, value)
        }
    }

    var typeName: String { optimizer.typeName }
    var qualifiedName: String { "torch.optim.\(optimizer.typeName.lowercased()).\(optimizer.typeName)" }

    /// PyTorch's Optimizer.__repr__: the group's settings by name, as str() shows them.
    func repr(_ interpreter: Interpreter) -> String {
        connect(interpreter)
        var s = typeName + " (\nParameter Group 0\n"
        let entries = zip(group.keys, group.values).compactMap { k, v -> (String, Value)? in
            guard case .string(let name) = k, name != "params" else { return nil }
            return (name, v)
        }
        for (k, v) in entries.sorted(by: { $0.0 < $1.0 }) { s += "    \(k): \((try? interpreter.str(v)) ?? "?")\n" }
        return s + ")"
    }

    func attribute(_ name: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        connect(interpreter)
        switch name {
        case "step":
            return interpreter.method(name) { a, i throws(DLXError) in
                var loss = Value.none
                if let closure = try a.get(0, "closure"), !closure.isNone {
                    var none = Arguments()
                    loss = try i.session.backend.autograd.with(enabled: true) { () throws(DLXError) in try i.call(closure, &none) }
                }
                try i.engine { () throws(TensorError) in try self.optimizer.step() }
                return loss
            }
        case "zero_grad":
            return interpreter.method(name) { a, i throws(DLXError) in
                let toNone = try a.get(0, "set_to_none").map { v throws(DLXError) in try i.truthy(v) } ?? true
                try i.engine { () throws(TensorError) in try self.optimizer.zeroGrad(setToNone: toNone) }
                return Value.none
            }
        case "param_groups": return .list(groups)
        case "defaults": return .dict(defaults)
        case "state": return .object(OptimizerState(self))
        case "state_dict":
            return interpreter.method(name) { _, i throws(DLXError) in .dict(try self.stateDict(i)) }
        case "load_state_dict":
            return interpreter.method(name) { a, i throws(DLXError) in
                guard case .dict(let d) = try a.required(0, "state_dict") else { throw .type("load_state_dict() expects a dict") }
                try self.load(d, i)
                return Value.none
            }
        case "add_param_group":
            return interpreter.method(name) { _, _ throws(DLXError) in
                throw DLXError("NotImplementedError", "several parameter groups are not supported in dlx yet")
            }
        default: return nil
        }
    }
    var attributeNames: [String] { Interpreter.optimizerMethods.names }

    /// A parameter's state as PyTorch's dict (`step`, then the buffers, which are the optimizer's own).
    func state(of p: Tensor, _ i: Interpreter) throws(DLXError) -> DictBox {
        let d = DictBox()
        for (k, t) in try i.engine({ () throws(TensorError) in try optimizer.state(of: p) }) { try d.set(.string(k), .tensor(t)) }
        return d
    }

    /// `{'state': {0: {...}, ...}, 'param_groups': [{..., 'params': [0, 1, ...]}]}`.
    func stateDict(_ i: Interpreter) throws(DLXError) -> DictBox {
        let state = DictBox()
        for (k, p) in optimizer.parameters.enumerated() {
            let s = try self.state(of: p, i)
            if s.count > 0 { try state.set(.int(k), .dict(s)) }
        }
        let saved = DictBox()
        for (k, v) in zip(group.keys, group.values) where !(k.isString("params")) { try saved.set(k, v) }
        try saved.set(.string("params"), .list(ListBox(optimizer.parameters.indices.map { .int($0) })))
        let out = DictBox()
        try out.set(.string("state"), .dict(state))
        try out.set(.string("param_groups"), .list(ListBox([.dict(saved)])))
        return out
    }

    /// `load_state_dict`: the group's settings (through the group, so the engine follows) and each parameter's
    /// steps and buffers, by position.
    func load(_ d: DictBox, _ i: Interpreter) throws(DLXError) {
        guard case .list(let savedGroups)? = try d.get(.string("param_groups")), case .dict(let stateBox)? = try d.get(.string("state")) else {
            throw .value("the state dict needs 'state' and 'param_groups'")
        }
        guard savedGroups.items.count == 1 else { throw .value("loaded state dict has a different number of parameter groups") }
        guard case .dict(let saved) = savedGroups.items[0], case .list(let ids)? = try saved.get(.string("params")),
              ids.items.count == optimizer.parameters.count else {
            throw .value("loaded state dict contains a parameter group that doesn't match the size of optimizer's group")
        }
        for (k, v) in zip(saved.keys, saved.values) where !k.isString("params") { try group.set(k, v) }
        for (key, value) in zip(stateBox.keys, stateBox.values) {
            let index = try i.toInt(key, "state key")
            guard index >= 0, index < optimizer.parameters.count, case .dict(let entries) = value else {
                throw .value("the state dict has state for a parameter the optimizer does not have (\(index))")
            }
            var steps = 0
            var buffers: [(String, Tensor)] = []
            for (k, v) in zip(entries.keys, entries.values) {
                guard case .string(let name) = k else { continue }
                if name == "step" {
                    // A count of steps: NaN, infinite or negative ones were an Int(Double) trap.
                    let d = try i.toDouble(v, "step")
                    guard d.isFinite, d >= 0, d < 0x1p62 else { throw .value("the state dict's step must be a count of steps, not \(NumberFormat.pythonRepr(d))") }
                    steps = Int(d)
                }
                else if case .tensor(let t) = v { buffers.append((name, t)) }
            }
            let p = optimizer.parameters[index]
            try i.engine { () throws(TensorError) in try optimizer.setState(of: p, steps: steps, buffers: buffers) }
        }
    }
}

/// `optimizer.state`: PyTorch's defaultdict from each parameter to its state dict (an empty dict for a
/// parameter without state yet).
final class OptimizerState: PyObject {
    let owner: OptimizerObject
    init(_ owner: OptimizerObject) { self.owner = owner }
    var typeName: String { "defaultdict" }
    var qualifiedName: String { "collections.defaultdict" }

    func entries(_ i: Interpreter) throws(DLXError) -> [(Tensor, DictBox)] {
        var out: [(Tensor, DictBox)] = []
        for p in owner.optimizer.parameters {
            let s = try owner.state(of: p, i)
            if s.count > 0 { out.append((p, s)) }
        }
        return out
    }

    func repr(_ i: Interpreter) -> String {
        let parts = ((try? entries(i)) ?? []).map { p, d in ((try? i.repr(.tensor(p))) ?? "?") + ": " + ((try? i.repr(.dict(d))) ?? "?") }
        return "defaultdict(<class 'dict'>, {" + parts.joined(separator: ", ") + "})"
    }
    func item(_ key: Value, _ i: Interpreter) throws(DLXError) -> Value? {
        guard case .tensor(let p) = key, owner.optimizer.parameters.contains(where: { $0 === p }) else { return .dict(DictBox()) }
        return .dict(try owner.state(of: p, i))
    }
    func length(_ i: Interpreter) throws(DLXError) -> Int? { try entries(i).count }
    func makeIterator(_ i: Interpreter) throws(DLXError) -> ValueIterator? { try i.iterator(.list(ListBox(try entries(i).map { .tensor($0.0) }))) }
    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "keys": return i.method(name) { _, i throws(DLXError) in .list(ListBox(try self.entries(i).map { .tensor($0.0) })) }
        case "values": return i.method(name) { _, i throws(DLXError) in .list(ListBox(try self.entries(i).map { .dict($0.1) })) }
        case "items": return i.method(name) { _, i throws(DLXError) in .list(ListBox(try self.entries(i).map { .tuple([.tensor($0.0), .dict($0.1)]) })) }
        case "get":
            return i.method(name) { a, i throws(DLXError) in
                let key = try a.required(0, "key"), fallback = try a.get(1, "default") ?? Value.none
                guard case .tensor(let p) = key, let found = try self.entries(i).first(where: { $0.0 === p }) else { return fallback }
                return .dict(found.1)
            }
        default: return nil
        }
    }
    var attributeNames: [String] { ["get", "items", "keys", "values"] }
}

extension Value {
    func isString(_ s: String) -> Bool { if case .string(let v) = self { return v == s }; return false }
}
