import DLXEngine

/// `torch.optim.lr_scheduler`: StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR.
extension Interpreter {
    func schedulerMembers() -> [String: Value] {
        func optimizer(_ a: inout Arguments) throws(DLXError) -> Optimizer {
            let v = try a.required(0, "optimizer")
            guard case .object(let o as OptimizerObject) = v else { throw .type("\(v.typeName) is not an Optimizer") }
            // PyTorch's schedulers note the rate they start from in the group.
            if try o.group.get(.string("initial_lr")) == nil, let lr = try o.group.get(.string("lr")) {
                try o.group.set(.string("initial_lr"), lr)
            }
            return o.optimizer
        }
        func gamma(_ a: inout Arguments, _ i: Interpreter, _ at: Int, required: Bool) throws(DLXError) -> Double {
            if let v = try a.get(at, "gamma") { return try i.toDouble(v, "gamma") }
            if required { throw .type("\(a.functionName)() missing 1 required positional argument: 'gamma'") }
            return 0.1
        }
        func make(_ name: String, _ build: @escaping (inout Arguments, Interpreter) throws(DLXError) -> LRScheduler) -> Value {
            .object(TypeObject(name, qualified: "torch.optim.lr_scheduler.\(name)") { a, i throws(DLXError) in
                .object(SchedulerObject(try build(&a, i)))
            })
        }
        return [
            "StepLR": make("StepLR") { a, i throws(DLXError) in
                let o = try optimizer(&a)
                let size = try i.toInt(try a.required(1, "step_size"), "step_size")
                let g = try gamma(&a, i, 2, required: false)
                return try i.engine { () throws(TensorError) in try StepLR(o, stepSize: size, gamma: g) }
            },
            "MultiStepLR": make("MultiStepLR") { a, i throws(DLXError) in
                let o = try optimizer(&a)
                let milestones = try i.iterateAll(try a.required(1, "milestones")).map { v throws(DLXError) in try i.toInt(v, "milestones") }
                return MultiStepLR(o, milestones: milestones, gamma: try gamma(&a, i, 2, required: false))
            },
            "ExponentialLR": make("ExponentialLR") { a, i throws(DLXError) in
                let o = try optimizer(&a)
                return ExponentialLR(o, gamma: try gamma(&a, i, 1, required: true))
            },
            "CosineAnnealingLR": make("CosineAnnealingLR") { a, i throws(DLXError) in
                let o = try optimizer(&a)
                let tMax = try i.toInt(try a.required(1, "T_max"), "T_max")
                let etaMin = try a.get(2, "eta_min").map { v throws(DLXError) in try i.toDouble(v, "eta_min") } ?? 0
                return try i.engine { () throws(TensorError) in try CosineAnnealingLR(o, tMax: tMax, etaMin: etaMin) }
            },
        ]
    }
}

/// A learning-rate scheduler as a language value: `step()`, `get_last_lr()`, `last_epoch`, `base_lrs`,
/// `state_dict()` and `load_state_dict()` (PyTorch's keys, so that checkpoints travel both ways).
final class SchedulerObject: PyObject {
    private(set) var scheduler: LRScheduler
    init(_ scheduler: LRScheduler) { self.scheduler = scheduler }
    var typeName: String { scheduler.typeName }
    var qualifiedName: String { "torch.optim.lr_scheduler.\(scheduler.typeName)" }
    func attribute(_ name: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "step":
            return interpreter.method(name) { _, _ throws(DLXError) in
                self.scheduler.step()
                return Value.none
            }
        case "get_last_lr":
            return interpreter.method(name) { _, _ throws(DLXError) in .list(ListBox([.float(self.scheduler.lastLR)])) }
        case "last_epoch": return .int(scheduler.lastEpoch)
        case "base_lrs": return .list(ListBox([.float(scheduler.baseLR)]))
        case "state_dict": return interpreter.method(name) { _, i throws(DLXError) in .dict(try self.stateDict(i)) }
        case "load_state_dict":
            return interpreter.method(name) { a, i throws(DLXError) in
                guard case .dict(let d) = try a.required(0, "state_dict") else { throw .type("load_state_dict() expects a dict") }
                try self.load(d, i)
                return Value.none
            }
        default: return try settings(interpreter).first { $0.0 == name }?.1
        }
    }
    var attributeNames: [String] {
        let own = Interpreter.schedulerSettingNames[typeName] ?? []
        return Interpreter.schedulerMethods.names.filter { Interpreter.schedulerSettingNames.values.joined().contains($0) ? own.contains($0) : true }
    }

    /// The schedule's own settings, by PyTorch's attribute names.
    private func settings(_ i: Interpreter) throws(DLXError) -> [(String, Value)] {
        switch scheduler {
        case let s as StepLR: return [("step_size", .int(s.stepSize)), ("gamma", .float(s.gamma))]
        case let s as MultiStepLR:
            let counts = DictBox()
            counts.flavor = .counter
            for m in s.milestones { try counts.set(.int(m), .int(((try counts.get(.int(m))).flatMap { if case .int(let n) = $0 { return n }; return nil } ?? 0) + 1)) }
            return [("milestones", .dict(counts)), ("gamma", .float(s.gamma))]
        case let s as ExponentialLR: return [("gamma", .float(s.gamma))]
        case let s as CosineAnnealingLR: return [("T_max", .int(s.tMax)), ("eta_min", .float(s.etaMin))]
        default: return []
        }
    }

    func stateDict(_ i: Interpreter) throws(DLXError) -> DictBox {
        let d = DictBox()
        for (k, v) in try settings(i) { try d.set(.string(k), v) }
        try d.set(.string("base_lrs"), .list(ListBox([.float(scheduler.baseLR)])))
        try d.set(.string("last_epoch"), .int(scheduler.lastEpoch))
        try d.set(.string("_step_count"), .int(scheduler.lastEpoch + 1))
        try d.set(.string("_is_initial"), .bool(false))
        try d.set(.string("_get_lr_called_within_step"), .bool(false))
        try d.set(.string("_last_lr"), .list(ListBox([.float(scheduler.lastLR)])))
        return d
    }

    /// Takes up a saved schedule: its settings (a schedule of the same class made again with them), then
    /// its base rate, steps taken and last rate.
    func load(_ d: DictBox, _ i: Interpreter) throws(DLXError) {
        func get(_ key: String) throws(DLXError) -> Value? { try d.get(.string(key)) }
        func number(_ key: String, _ fallback: Double) throws(DLXError) -> Double { try get(key).map { v throws(DLXError) in try i.toDouble(v, key) } ?? fallback }
        let o = scheduler.optimizer
        let made: LRScheduler = try i.engine { () throws(TensorError) in
            switch scheduler {
            case let s as StepLR:
                return try StepLR(o, stepSize: try { () throws(TensorError) in
                    guard case .int(let n)? = try? get("step_size") else { return s.stepSize }
                    return n
                }(), gamma: (try? number("gamma", s.gamma)) ?? s.gamma)
            case let s as MultiStepLR:
                var milestones = s.milestones
                if case .dict(let m)? = try? get("milestones") {
                    milestones = []
                    for (k, v) in zip(m.keys, m.values) {
                        if case .int(let e) = k, case .int(let n) = v { milestones += Array(repeating: e, count: max(0, min(n, 1000))) }
                    }
                }
                return MultiStepLR(o, milestones: milestones, gamma: (try? number("gamma", s.gamma)) ?? s.gamma)
            case let s as ExponentialLR: return ExponentialLR(o, gamma: (try? number("gamma", s.gamma)) ?? s.gamma)
            case let s as CosineAnnealingLR:
                var t = s.tMax
                if case .int(let n)? = try? get("T_max") { t = n }
                return try CosineAnnealingLR(o, tMax: t, etaMin: (try? number("eta_min", s.etaMin)) ?? s.etaMin)
            default: return scheduler
            }
        }
        func first(_ key: String, _ fallback: Double) throws(DLXError) -> Double {
            guard case .list(let l)? = try get(key), let v = l.items.first else { return fallback }
            return try i.toDouble(v, key)
        }
        let epoch = try get("last_epoch").map { v throws(DLXError) in try i.toInt(v, "last_epoch") } ?? scheduler.lastEpoch
        made.restore(baseLR: try first("base_lrs", scheduler.baseLR), lastEpoch: epoch, lastLR: try first("_last_lr", scheduler.lastLR))
        scheduler = made
    }
}
