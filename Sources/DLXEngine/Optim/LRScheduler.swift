/// Learning-rate schedules, as `torch.optim.lr_scheduler`: each `step()` (once per epoch) moves the
/// optimizer's learning rate. The rates follow PyTorch's own recurrences (each rate computed from the one
/// before, in double precision), so that `get_last_lr()` prints the same digits.
public class LRScheduler: @unchecked Sendable {
    public let optimizer: Optimizer
    /// The learning rate the optimizer had when the schedule began.
    public internal(set) var baseLR: Double
    /// Steps taken; 0 right after construction, as PyTorch's `last_epoch`.
    public private(set) var lastEpoch = 0

    /// The learning rate set by the last step (or found at construction), as `get_last_lr()` reports it even
    /// when the optimizer's rate was changed by hand since.
    public private(set) var lastLR: Double

    init(_ optimizer: Optimizer) {
        self.optimizer = optimizer
        baseLR = optimizer.learningRate
        lastLR = baseLR
    }

    public var typeName: String { "LRScheduler" }

    /// Takes up a schedule saved in a state dict: its base rate, steps taken and last rate (the optimizer's
    /// rate is the optimizer's state dict's to restore).
    public func restore(baseLR: Double, lastEpoch: Int, lastLR: Double) {
        self.baseLR = baseLR; self.lastEpoch = lastEpoch; self.lastLR = lastLR
    }

    public func step() {
        lastEpoch += 1
        optimizer.learningRate = rate(after: optimizer.learningRate, epoch: lastEpoch)
        lastLR = optimizer.learningRate
    }

    /// The rate for `epoch` (at least 1), given the rate of the epoch before.
    func rate(after lr: Double, epoch: Int) -> Double { lr }
}

/// `StepLR(optimizer, step_size, gamma=0.1)`: the rate times gamma every step_size epochs.
public final class StepLR: LRScheduler, @unchecked Sendable {
    public let stepSize: Int, gamma: Double

    public init(_ optimizer: Optimizer, stepSize: Int, gamma: Double = 0.1) throws(TensorError) {
        guard stepSize > 0 else { throw .value("step_size must be a positive integer, got \(stepSize)") }
        self.stepSize = stepSize; self.gamma = gamma
        super.init(optimizer)
    }

    public override var typeName: String { "StepLR" }
    override func rate(after lr: Double, epoch: Int) -> Double { epoch % stepSize == 0 ? lr * gamma : lr }
}

/// `MultiStepLR(optimizer, milestones, gamma=0.1)`: the rate times gamma at each milestone epoch (a
/// milestone listed twice multiplies twice).
public final class MultiStepLR: LRScheduler, @unchecked Sendable {
    public let milestones: [Int], gamma: Double

    public init(_ optimizer: Optimizer, milestones: [Int], gamma: Double = 0.1) {
        self.milestones = milestones.sorted(); self.gamma = gamma
        super.init(optimizer)
    }

    public override var typeName: String { "MultiStepLR" }
    override func rate(after lr: Double, epoch: Int) -> Double {
        let times = milestones.filter { $0 == epoch }.count
        return times == 0 ? lr : lr * _pow(gamma, Double(times))
    }
}

/// `ExponentialLR(optimizer, gamma)`: the rate times gamma every epoch.
public final class ExponentialLR: LRScheduler, @unchecked Sendable {
    public let gamma: Double

    public init(_ optimizer: Optimizer, gamma: Double) {
        self.gamma = gamma
        super.init(optimizer)
    }

    public override var typeName: String { "ExponentialLR" }
    override func rate(after lr: Double, epoch: Int) -> Double { lr * gamma }
}

/// `CosineAnnealingLR(optimizer, T_max, eta_min=0)`: half a cosine from the base rate down to eta_min over
/// T_max epochs (and back up over the next T_max, as PyTorch's recurrence does).
public final class CosineAnnealingLR: LRScheduler, @unchecked Sendable {
    public let tMax: Int, etaMin: Double

    public init(_ optimizer: Optimizer, tMax: Int, etaMin: Double = 0) throws(TensorError) {
        guard tMax > 0 else { throw .value("T_max must be a positive integer, got \(tMax)") }
        self.tMax = tMax; self.etaMin = etaMin
        super.init(optimizer)
    }

    public override var typeName: String { "CosineAnnealingLR" }
    override func rate(after lr: Double, epoch: Int) -> Double {
        let t = Double(tMax)
        // A restart of the cosine every 2 T_max epochs (2 T_max may not fit an Int: then only epoch T_max + 1).
        let (period, tooLong) = tMax.multipliedReportingOverflow(by: 2)
        if tooLong ? epoch - 1 == tMax : (epoch - 1 - tMax) % period == 0 {
            return lr + (baseLR - etaMin) * (1 - _cos(Double.pi / t)) / 2
        }
        return (1 + _cos(Double.pi * Double(epoch) / t)) / (1 + _cos(Double.pi * Double(epoch - 1) / t)) * (lr - etaMin) + etaMin
    }
}
