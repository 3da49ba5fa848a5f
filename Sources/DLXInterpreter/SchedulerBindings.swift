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

/// A learning-rate scheduler as a language value: `step()`, `get_last_lr()`, `last_epoch`, `base_lrs`.
final class SchedulerObject: PyObject {
    let scheduler: LRScheduler
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
        default: return nil
        }
    }
    var attributeNames: [String] { ["base_lrs", "get_last_lr", "last_epoch", "step"] }
}
