#if canImport(Glibc)
import Glibc
#endif

/// The training loop behind `fit` and `evaluate`: one pass over a loader, the forward, the loss, the
/// backward and the optimizer step per batch. It reports progress through a callback and checks for
/// an interrupt between batches; it never prints.
public enum Trainer {
    public struct Progress: Sendable {
        public var epoch: Int, epochs: Int
        public var batch: Int, batches: Int
        public var loss: Double, accuracy: Double
        public var imagesPerSecond: Double, secondsLeft: Double
    }

    public struct EpochResult: Sendable {
        public var epoch: Int
        public var trainLoss: Double, trainAccuracy: Double
        public var validLoss: Double?, validAccuracy: Double?
        public var seconds: Double
        public var imagesPerSecond: Double

        public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, validLoss: Double?, validAccuracy: Double?,
                    seconds: Double, imagesPerSecond: Double) {
            self.epoch = epoch; self.trainLoss = trainLoss; self.trainAccuracy = trainAccuracy
            self.validLoss = validLoss; self.validAccuracy = validAccuracy; self.seconds = seconds
            self.imagesPerSecond = imagesPerSecond
        }
    }

    public static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Seconds since the epoch (Python's `time.time()`).
    public static func wallClock() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    public static func pause(_ seconds: Double) {
        guard seconds > 0 else { return }
        usleep(UInt32(seconds * 1e6))
    }

    /// The images and labels of a batch, moved to `device` when one is given.
    static func split(_ batch: [Field], to device: (any Backend)?) throws(TensorError) -> (Tensor, Tensor) {
        guard batch.count >= 2, case .tensor(let x) = batch[0], case .tensor(let y) = batch[1] else {
            throw .type("fit and evaluate need a loader of (input, label) batches")
        }
        guard let device else { return (x, y) }
        return (try x.to(backend: device), try y.to(backend: device))
    }

    /// How many rows of `output` (N, C) have their argmax equal to the label (host tensors).
    static func correct(_ output: Tensor, _ labels: Tensor) throws(TensorError) -> Int {
        let o = try output.backend.autograd.with(enabled: false) { () throws(TensorError) in try output.contiguous() }
        guard o.rank == 2, o.dtype == .float32 else { return 0 }
        let n = o.shape[0], c = o.shape[1]
        let y = try labels.int64s()
        var hits = 0
        for i in 0..<n {
            let row = o.f32 + i * c
            var best = 0
            for j in 1..<Swift.max(c, 1) where row[j] > row[best] { best = j }
            if Int64(best) == y[i] { hits += 1 }
        }
        return hits
    }

    /// The sums of batch losses and of correct predictions over a pass. On the host they are numbers; on a
    /// device they stay device scalars, added to by kernels and read only when progress is shown or the
    /// pass ends, so that a training step does not wait for the GPU to finish the one before.
    struct Totals {
        private var loss = 0.0, hits = 0
        private var deviceLoss: Tensor? = nil, deviceHits: Tensor? = nil   // 0-dim float32 on the device

        mutating func add(loss l: Tensor, output: Tensor, labels: Tensor) throws(TensorError) {
            guard let acc = l.accelerator, output.rank == 2, output.dtype == .float32 else {
                loss += try l.scalar().double
                hits += output.accelerator == nil ? try correct(output, labels) : 0
                return
            }
            let batchHits = try output.backend.autograd.with(enabled: false) { () throws(TensorError) -> Tensor in
                let predicted = try output.reduce(.argmax, dim: 1, keepdim: false).values
                return try Tensor.binary(.eq, .tensor(predicted), .tensor(labels.to(.int64))).reduce(.sum).to(.float32)
            }
            if deviceLoss == nil { deviceLoss = try Tensor.zeros([], on: l.backend); deviceHits = try Tensor.zeros([], on: l.backend) }
            try acc.axpby(deviceLoss!.address, try l.detached().contiguous().address, alpha: 1, beta: 1, count: 1)
            try acc.axpby(deviceHits!.address, batchHits.address, alpha: 1, beta: 1, count: 1)
        }

        /// (sum of losses, correct predictions) so far.
        func read() throws(TensorError) -> (Double, Int) {
            guard let deviceLoss, let deviceHits else { return (loss, hits) }
            return (loss + (try deviceLoss.scalar().double), hits + Int(try deviceHits.scalar().double))
        }
    }

    /// One epoch of training. Returns (mean batch loss, accuracy, images).
    public static func trainEpoch(_ model: Module, _ loader: DataLoader, loss: Loss, optimizer: Optimizer,
                                  generator: inout Generator, epoch: Int, epochs: Int, device: (any Backend)? = nil,
                                  progress: (Progress) -> Void, interrupted: () -> Bool) throws(TensorError) -> (Double, Double, Int) {
        model.setTraining(true)
        var pass = loader.makeIterator(generator: &generator)
        var context = ForwardContext(generator: generator)
        defer { generator = context.generator }
        var totals = Totals()
        var seen = 0, batches = 0
        let start = now()
        var lastReport = start
        while let batch = try pass.next(generator: &context.generator) {
            if interrupted() { throw TensorError(.interrupted, "") }
            let (x, y) = try split(batch, to: device)
            let output = try model(x, &context)
            let l = try loss.loss(output, y)
            try optimizer.zeroGrad()
            try l.backward()
            try optimizer.step()
            try totals.add(loss: l, output: output, labels: y)
            seen += x.shape[0]
            batches += 1
            let t = now()
            if t - lastReport > 0.1 {
                lastReport = t
                let rate = Double(seen) / (t - start)
                let (totalLoss, hits) = try totals.read()
                progress(Progress(epoch: epoch, epochs: epochs, batch: batches, batches: loader.count,
                                  loss: totalLoss / Double(batches), accuracy: Double(hits) / Double(seen),
                                  imagesPerSecond: rate,
                                  secondsLeft: Double(loader.count - batches) * (t - start) / Double(batches)))
            }
        }
        let (totalLoss, hits) = try totals.read()
        return (batches == 0 ? 0 : totalLoss / Double(batches), seen == 0 ? 0 : Double(hits) / Double(seen), seen)
    }

    /// Mean loss per sample and accuracy over a loader, in eval mode without recording gradients.
    public static func evaluate(_ model: Module, _ loader: DataLoader, loss: Loss, generator: inout Generator, device: (any Backend)? = nil,
                                interrupted: () -> Bool, progress: (Int, Int) -> Void = { _, _ in }) throws(TensorError) -> (loss: Double, accuracy: Double) {
        let wasTraining = model.training
        model.setTraining(false)
        defer { model.setTraining(wasTraining) }
        guard let first = model.parameters.first else { throw .value("evaluate needs a model with parameters") }
        return try first.backend.autograd.with(enabled: false) { () throws(TensorError) in
            var pass = loader.makeIterator(generator: &generator)
            var context = ForwardContext(generator: generator)
            defer { generator = context.generator }
            var totals = Totals()
            var seen = 0, batches = 0
            while let batch = try pass.next(generator: &context.generator) {
                if interrupted() { throw TensorError(.interrupted, "") }
                let (x, y) = try split(batch, to: device)
                let output = try model(x, &context)
                let l = try Loss(loss.kind, reduction: .sum).loss(output, y)
                try totals.add(loss: l, output: output, labels: y)
                seen += x.shape[0]
                batches += 1
                progress(batches, loader.count)
            }
            let (total, hits) = try totals.read()
            return (seen == 0 ? 0 : total / Double(seen), seen == 0 ? 0 : Double(hits) / Double(seen))
        }
    }
}
