import DLXEngine

/// `fit(..., checkpoint="best.pt")` keeps the epoch with the best validation accuracy (the training
/// accuracy without a validation loader) in that file, as a torch.save checkpoint dict PyTorch loads too:
/// `epoch`, `model_state_dict`, `optimizer_state_dict`, `scheduler_state_dict` (with a scheduler), `valid_acc`
/// and `history` (the epochs so far, column by column). `fit(..., resume="best.pt")` loads such a file into
/// the model, optimizer and scheduler and goes on from the epoch after the kept one, up to `epochs`.
struct FitCheckpoint {
    let path: String?
    let resumePath: String?
    let optimizer: OptimizerObject?
    let scheduler: SchedulerObject?
    private var best: Double = -.infinity

    init(path: String?, resume: String?, optimizer: OptimizerObject?, scheduler: SchedulerObject?) throws(DLXError) {
        self.path = path; self.resumePath = resume; self.optimizer = optimizer; self.scheduler = scheduler
        if (path != nil || resume != nil) && optimizer == nil {
            throw .value("fit() with checkpoint= or resume= needs optimizer= (or none, for fit's own Adam), not a scheduler alone")
        }
    }

    static let columns = ["train_loss", "train_acc", "valid_loss", "valid_acc", "seconds", "images_per_second"]

    static func score(_ r: Trainer.EpochResult) -> Double { r.validAccuracy ?? r.trainAccuracy }

    /// Saves the checkpoint when the last epoch is the best so far.
    mutating func keepIfBest(_ model: Module, _ history: HistoryObject, _ i: Interpreter) throws(DLXError) {
        guard let path, let optimizer, let last = history.epochs.last, FitCheckpoint.score(last) > best else { return }
        best = FitCheckpoint.score(last)
        let d = DictBox()
        try d.set(.string("epoch"), .int(last.epoch))
        try d.set(.string("model_state_dict"), .dict(try i.stateDict(model, keepVars: false)))
        try d.set(.string("optimizer_state_dict"), .dict(try optimizer.stateDict(i)))
        if let scheduler { try d.set(.string("scheduler_state_dict"), .dict(try scheduler.stateDict(i))) }
        try d.set(.string("valid_acc"), .float(best))
        let h = DictBox()
        try h.set(.string("epoch"), .list(ListBox(history.epochs.map { .int($0.epoch) })))
        for c in FitCheckpoint.columns { try h.set(.string(c), try history.attribute(c, i) ?? .none) }
        try d.set(.string("history"), .dict(h))
        try i.torchSave(.dict(d), to: path)
        history.bestEpoch = last.epoch
        history.checkpoint = path
        i.session.write("  kept epoch \(last.epoch) in \(path)\n")
    }

    /// Loads a checkpoint to resume from; the epoch it holds (0 without one).
    mutating func resume(_ model: Module, _ history: HistoryObject, _ i: Interpreter) throws(DLXError) -> Int {
        guard let resumePath, let optimizer else { return 0 }
        guard case .dict(let d) = try i.torchLoad(resumePath, mapLocation: .none, weightsOnly: true) else {
            throw .value("\(resumePath) is not a checkpoint dict")
        }
        func entry(_ key: String) throws(DLXError) -> Value {
            guard let v = try d.get(.string(key)) else { throw DLXError("KeyError", "'\(key)' (\(resumePath) is not a checkpoint fit wrote)") }
            return v
        }
        guard case .dict(let weights) = try entry("model_state_dict"), case .dict(let state) = try entry("optimizer_state_dict") else {
            throw .value("\(resumePath): model_state_dict and optimizer_state_dict must be dicts")
        }
        _ = try i.loadStateDict(model, weights, strict: true)
        try optimizer.load(state, i)
        if let scheduler, case .dict(let s)? = try d.get(.string("scheduler_state_dict")) { try scheduler.load(s, i) }
        let epoch = try i.toInt(try entry("epoch"), "epoch")
        if let acc = try d.get(.string("valid_acc")) { best = try i.toDouble(acc, "valid_acc") }
        if case .dict(let h)? = try d.get(.string("history")), case .list(let epochs)? = try h.get(.string("epoch")) {
            func column(_ name: String, _ k: Int) throws(DLXError) -> Double? {
                guard case .list(let l)? = try h.get(.string(name)), k < l.items.count, !l.items[k].isNone else { return nil }
                return try i.toDouble(l.items[k], name)
            }
            for (k, e) in epochs.items.enumerated() {
                history.epochs.append(Trainer.EpochResult(epoch: try i.toInt(e, "epoch"), trainLoss: try column("train_loss", k) ?? .nan,
                                                          trainAccuracy: try column("train_acc", k) ?? .nan, validLoss: try column("valid_loss", k),
                                                          validAccuracy: try column("valid_acc", k), seconds: try column("seconds", k) ?? 0,
                                                          imagesPerSecond: try column("images_per_second", k) ?? 0))
            }
        }
        history.bestEpoch = epoch
        history.checkpoint = resumePath
        i.session.write("resumed from epoch \(epoch) in \(resumePath)\n")
        return epoch
    }
}

extension Interpreter {
    /// fit's own optimizer when none is given: Adam at `lr`, as an optimizer value (so that a checkpoint holds its state).
    func defaultOptimizer(_ model: Module, lr: Double) throws(DLXError) -> OptimizerObject {
        guard let adam = namespace("torch.optim")?.members["Adam"] else { throw DLXError("RuntimeError", "torch.optim.Adam is missing") }
        var args = Arguments([.list(ListBox(model.parameters.map { .tensor($0) }))], keywords: [("lr", .float(lr))])
        guard case .object(let o as OptimizerObject) = try call(adam, &args) else { throw DLXError("RuntimeError", "Adam did not make an optimizer") }
        return o
    }
}
