import DLXEngine

/// `backward`, `no_grad`, and dlx's `fit` / `evaluate` with their history.
extension Interpreter {
    /// `fit(model, train_loader, valid_loader=None, epochs=5, loss=None, optimizer=None, lr=None, scheduler=None, device=None,
    /// checkpoint=None, resume=None)`: see FitCheckpoint for the last two.
    func fitFunction() -> Value {
        function("fit") { a, i throws(DLXError) in
            guard case .module(let model) = try a.required(0, "model") else { throw .type("fit() needs a model (nn.Module) first") }
            let train = try i.loader(try a.required(1, "train_loader"), "train_loader")
            let valid = try a.get(2, "valid_loader").flatMap { v throws(DLXError) -> DataLoader? in v.isNone ? nil : try i.loader(v, "valid_loader") }
            let epochs = try a.get(3, "epochs").map { v throws(DLXError) in try i.toInt(v, "epochs") } ?? 5
            guard epochs >= 0 else { throw .value("epochs must be zero or more, got \(epochs)") }
            let loss = try i.lossArgument(&a)
            let lr = try a.get(nil, "lr").map { v throws(DLXError) in try i.toDouble(v, "lr") }
            // A scheduler (stepped after each epoch) brings its optimizer; one given as well must be the same.
            var scheduler: LRScheduler? = nil
            if let s = try a.get(nil, "scheduler"), !s.isNone {
                guard case .object(let obj as SchedulerObject) = s else { throw .type("scheduler must be a torch.optim.lr_scheduler scheduler") }
                guard lr == nil else { throw .value("fit() takes lr= or scheduler=, not both: the scheduler sets the learning rate") }
                scheduler = obj.scheduler
            }
            var optimizer: Optimizer
            var optimizerObject: OptimizerObject? = nil
            if let o = try a.get(nil, "optimizer"), !o.isNone {
                guard case .object(let obj as OptimizerObject) = o else { throw .type("optimizer must be a torch.optim optimizer") }
                optimizer = obj.optimizer
                optimizerObject = obj
                if let scheduler, scheduler.optimizer !== optimizer { throw .value("the scheduler steps another optimizer than optimizer=") }
                if let lr { optimizer.learningRate = lr }
            } else if let scheduler {
                optimizer = scheduler.optimizer
            } else {
                let made = try i.defaultOptimizer(model, lr: lr ?? 1e-3)
                optimizer = made.optimizer
                optimizerObject = made
            }
            let schedulerObject: SchedulerObject? = { if case .object(let s as SchedulerObject)? = try? a.get(nil, "scheduler") { return s }; return nil }()
            var keeper = try FitCheckpoint(path: try a.get(nil, "checkpoint").flatMap { v throws(DLXError) in v.isNone ? nil : try i.filePath(v) },
                                           resume: try a.get(nil, "resume").flatMap { v throws(DLXError) in v.isNone ? nil : try i.filePath(v) },
                                           optimizer: optimizerObject, scheduler: schedulerObject)
            // The model moves to `device=` when one is given; batches go wherever the model is.
            if let d = try a.get(nil, "device"), !d.isNone {
                guard let dev = try i.toDevice(d) else { throw .type("device must be torch.device or str, not \(d.typeName)") }
                try i.move(model, to: dev)
            }
            let device = i.modelDevice(model)
            let history = HistoryObject()
            let first = try keeper.resume(model, history, i) + 1
            defer { i.clearProgress() }   // a Ctrl-C or an error leaves no half-drawn bar above its message
            for epoch in first...max(epochs, first) where epochs >= first {
                let start = Trainer.now()
                let (trainLoss, trainAcc, images) = try i.drawing { g throws(TensorError) in
                    try Trainer.trainEpoch(model, train, loss: loss, optimizer: optimizer, generator: &g,
                                           epoch: epoch, epochs: epochs, device: device, progress: { p in i.showProgress(p) },
                                           interrupted: { i.stopRequested() })
                }
                let trainSeconds = Trainer.now() - start
                (schedulerObject?.scheduler ?? scheduler)?.step()
                i.clearProgress()
                var validLoss: Double? = nil, validAcc: Double? = nil
                if let valid {
                    let r = try i.drawing { g throws(TensorError) in
                        try Trainer.evaluate(model, valid, loss: loss, generator: &g, device: device,
                                             interrupted: { i.stopRequested() })
                    }
                    validLoss = r.loss; validAcc = r.accuracy
                }
                let seconds = Trainer.now() - start
                let result = Trainer.EpochResult(epoch: epoch, trainLoss: trainLoss, trainAccuracy: trainAcc, validLoss: validLoss,
                                                 validAccuracy: validAcc, seconds: seconds,
                                                 imagesPerSecond: Double(images) / max(trainSeconds, 1e-9))
                history.epochs.append(result)
                i.session.write(HistoryObject.line(result, epochs: epochs) + "\n" + (epoch == 1 ? i.slowKernelsNote() : ""))
                try keeper.keepIfBest(model, history, i)
            }
            return .object(history)
        }
    }

    /// `evaluate(model, loader, loss=None)` -> `(loss, accuracy)`.
    func evaluateFunction() -> Value {
        function("evaluate") { a, i throws(DLXError) in
            guard case .module(let model) = try a.required(0, "model") else { throw .type("evaluate() needs a model (nn.Module) first") }
            let loader = try i.loader(try a.required(1, "loader"), "loader")
            let loss = try i.lossArgument(&a)
            defer { i.clearProgress() }
            let r = try i.drawing { g throws(TensorError) in
                try Trainer.evaluate(model, loader, loss: loss, generator: &g, device: i.modelDevice(model),
                                     interrupted: { i.stopRequested() }, progress: { i.showProgress("evaluate", $0, $1) })
            }
            return .tuple([.float(r.loss), .float(r.accuracy)])
        }
    }

    private func loader(_ v: Value, _ what: String) throws(DLXError) -> DataLoader {
        if case .object(let u as UserLoaderObject) = v { return try u.engineLoader(self) }
        guard case .object(let o as DataLoaderObject) = v else { throw .type("\(what) must be a DataLoader, not \(v.typeName)") }
        return o.loader
    }

    private func lossArgument(_ a: inout Arguments) throws(DLXError) -> Loss {
        guard let l = try a.get(nil, "loss"), !l.isNone else { return Loss(.crossEntropy) }
        guard case .module(let m as Loss) = l, m.kind != .mse else {
            throw .type("loss must be nn.CrossEntropyLoss() or nn.NLLLoss() for classification")
        }
        return m
    }

    /// Python's `time` module: `time()`, `perf_counter()`, `sleep(seconds)` (interruptible).
    func timeMembers() -> [String: Value] {
        [
            "time": function("time") { _, _ throws(DLXError) in .float(Trainer.wallClock()) },
            "perf_counter": function("perf_counter") { _, _ throws(DLXError) in .float(Trainer.now()) },
            "sleep": function("sleep") { a, i throws(DLXError) in
                let s = try i.toDouble(try a.required(0, "secs"), "secs")
                guard !s.isNaN else { throw .value("Invalid value NaN (not a number)") }
                guard s >= 0 else { throw .value("sleep length must be non-negative") }
                // CPython keeps times as 64-bit nanoseconds: longer sleeps are an OverflowError, not an endless wait.
                guard s < 9.2e9 else { throw DLXError("OverflowError", "timestamp out of range for platform time_t") }
                let end = Trainer.now() + s
                while Trainer.now() < end {
                    try i.checkInterrupt()
                    Trainer.pause(min(0.05, end - Trainer.now()))
                }
                return Value.none
            },
        ]
    }

    /// A progress bar redrawn in place, on a terminal only.
    func showProgress(_ p: Trainer.Progress) {
        guard session.isTerminal else { return }
        session.progress("\r" + Interpreter.progressLine(
            label: "Epoch \(p.epoch)/\(p.epochs)", done: p.batch, total: p.batches,
            details: ["loss \(NumberFormat.fixed(p.loss, 4))", "acc \(NumberFormat.fixed(p.accuracy, 4))",
                      "\(NumberFormat.grouped(Int(p.imagesPerSecond))) img/s", "\(NumberFormat.fixed(p.secondsLeft, 0)) s left"],
            columns: session.columns) + "\u{1B}[K")
    }

    /// A plain bar for work that is not an epoch (evaluate, confusion, load): "label ████···· k/n".
    func showProgress(_ label: String, _ done: Int, _ total: Int) {
        guard session.isTerminal, total > 0 else { return }
        session.progress("\r" + Interpreter.progressLine(label: label, done: done, total: total, details: [], columns: session.columns) + "\u{1B}[K")
    }

    /// `label ████···· k/n  detail  detail` with room to spare on the line: a full line would wrap (and the next
    /// redraw start a line too low), and so would the terminal's `^C` echoed after it. The bar shrinks to 8
    /// cells, then details go from the end.
    static func progressLine(label: String, done: Int, total: Int, details: [String], columns: Int) -> String {
        let room = Swift.max(columns - 3, 20)
        var details = details
        while true {
            let counter = " \(done)/\(total)" + details.map { "  " + $0 }.joined()
            let fixed = label.count + 1 + counter.count
            let width = Swift.min(24, room - fixed)
            if width >= 8 || details.isEmpty {
                let cells = Swift.max(width, 1)
                let filled = total == 0 ? 0 : cells * Swift.min(done, total) / total
                let line = label + " " + String(repeating: "█", count: filled) + String(repeating: "·", count: cells - filled) + counter
                return String(line.prefix(room))
            }
            details.removeLast()
        }
    }

    func clearProgress() {
        guard session.isTerminal else { return }
        session.progress("\r\u{1B}[K")
    }
}

extension Arguments {
    var functionName: String { function }
}

/// What `fit` returns: one row per epoch, printed as a table, with its columns readable (`h.valid_acc`).
final class HistoryObject: PyObject {
    var epochs: [Trainer.EpochResult] = []
    /// The epoch `fit(checkpoint=...)` kept, and the file it is in.
    var bestEpoch: Int? = nil
    var checkpoint: String? = nil
    var typeName: String { "History" }
    var qualifiedName: String { "dlx.History" }

    static func line(_ r: Trainer.EpochResult, epochs: Int) -> String {
        var s = "Epoch \(r.epoch)/\(epochs): train loss \(NumberFormat.fixed(r.trainLoss, 4)), acc \(NumberFormat.fixed(r.trainAccuracy, 4))"
        if let vl = r.validLoss, let va = r.validAccuracy {
            s += " | valid loss \(NumberFormat.fixed(vl, 4)), acc \(NumberFormat.fixed(va, 4))"
        }
        return s + " | \(NumberFormat.fixed(r.seconds, 1)) s, \(NumberFormat.grouped(Int(r.imagesPerSecond))) img/s"
    }

    func repr(_ interpreter: Interpreter) -> String {
        var lines = ["epoch  train_loss  train_acc  valid_loss  valid_acc  seconds"]
        func col(_ v: Double?, _ w: Int, _ p: Int) -> String {
            let s = v.map { NumberFormat.fixed($0, p) } ?? "-"
            return String(repeating: " ", count: max(0, w - s.count)) + s
        }
        for r in epochs {
            lines.append(col(Double(r.epoch), 5, 0) + col(r.trainLoss, 12, 4) + col(r.trainAccuracy, 11, 4)
                         + col(r.validLoss, 12, 4) + col(r.validAccuracy, 11, 4) + col(r.seconds, 9, 1))
        }
        if let bestEpoch, let checkpoint { lines.append("kept epoch \(bestEpoch) in \(checkpoint)") }
        return lines.joined(separator: "\n")
    }

    func attribute(_ name: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        func column(_ f: (Trainer.EpochResult) -> Double?) -> Value { .list(ListBox(epochs.map { f($0).map { .float($0) } ?? Value.none })) }
        switch name {
        case "train_loss": return column { $0.trainLoss }
        case "train_acc": return column { $0.trainAccuracy }
        case "valid_loss": return column { $0.validLoss }
        case "valid_acc": return column { $0.validAccuracy }
        case "seconds": return column { $0.seconds }
        case "images_per_second": return column { $0.imagesPerSecond }
        case "epochs": return .list(ListBox(epochs.map { .int($0.epoch) }))
        case "best_epoch": return bestEpoch.map { .int($0) } ?? Value.none
        case "checkpoint": return checkpoint.map { .string($0) } ?? Value.none
        default: return nil
        }
    }
    func length(_ interpreter: Interpreter) throws(DLXError) -> Int? { epochs.count }
    var attributeNames: [String] { ["best_epoch", "checkpoint", "epochs", "images_per_second", "seconds", "train_acc", "train_loss", "valid_acc", "valid_loss"] }
}

/// A tensor's `grad_fn`.
final class GradFnObject: PyObject {
    let node: GradNode
    init(_ node: GradNode) { self.node = node }
    var typeName: String { node.name }
    var qualifiedName: String { node.name }
    func attribute(_ name: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        name == "name" ? interpreter.method(name) { _, _ throws(DLXError) in .string(self.node.name) } : nil
    }
}
