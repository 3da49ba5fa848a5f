/// Optimizers over a list of parameters, as `torch.optim`: `step()` updates every parameter that has a
/// gradient, `zeroGrad()` clears the gradients (to None, PyTorch's default). Each optimizer keeps, per
/// parameter, PyTorch's state: named buffers shaped like the parameter (`exp_avg`, `momentum_buffer`, ...) and,
/// for those that count them, the steps taken.
public class Optimizer: @unchecked Sendable {
    public let parameters: [Tensor]
    /// The rate of the next step. `onLearningRateChange` hears of every change (a scheduler's, a user's).
    public var learningRate: Double {
        didSet { if learningRate != oldValue || learningRate.isNaN { onLearningRateChange?(learningRate) } }
    }
    public var onLearningRateChange: ((Double) -> Void)?

    /// One parameter's state: its steps and its buffers by PyTorch's names.
    final class ParameterState {
        var steps = 0
        var buffers: [String: Tensor] = [:]
    }
    private var states: [ObjectIdentifier: ParameterState] = [:]

    init(_ parameters: [Tensor], learningRate: Double) throws(TensorError) {
        guard !parameters.isEmpty else { throw .value("optimizer got an empty parameter list") }
        guard learningRate >= 0 else { throw .value("Invalid learning rate: \(NumberFormat.pythonRepr(learningRate))") }
        for p in parameters where !p.isLeaf {
            throw .value("can't optimize a non-leaf Tensor")
        }
        self.parameters = parameters
        self.learningRate = learningRate
    }

    public func zeroGrad(setToNone: Bool = true) throws(TensorError) {
        for p in parameters {
            if setToNone { p.grad = nil } else { try p.grad?.fill(0) }
        }
    }

    public func step() throws(TensorError) {}

    /// The name PyTorch prints (`Adam`, `SGD`).
    public var typeName: String { "Optimizer" }
    /// The settings of the parameter group, sorted by name, as `(name, Python repr)` pairs.
    public var settings: [(String, String)] { [] }

    /// `Adam (\nParameter Group 0\n    amsgrad: False\n ...)`, PyTorch's Optimizer.__repr__.
    public var repr: String {
        var s = typeName + " (\nParameter Group 0\n"
        for (k, v) in settings.sorted(by: { $0.0 < $1.0 }) { s += "    \(k): \(v)\n" }
        return s + ")"
    }

    /// Whether the state has a `step` entry (every optimizer but SGD).
    var countsSteps: Bool { true }
    /// The buffers' names in the order PyTorch's state dict lists them (after `step`).
    var bufferNames: [String] { [] }

    /// `optimizer.state[p]` as PyTorch shows it: `step` (a float32 scalar tensor) where steps are counted, then
    /// the buffers, which are the optimizer's own (changing them changes the next step). Empty before the
    /// parameter's first step (except for optimizers that make their state up front, as Adagrad).
    public func state(of p: Tensor) throws(TensorError) -> [(String, Tensor)] {
        guard let s = states[ObjectIdentifier(p)] else { return [] }
        var out: [(String, Tensor)] = []
        if countsSteps { out.append(("step", try Tensor.full([], Double(s.steps), on: p.backend))) }
        for name in bufferNames { if let b = s.buffers[name] { out.append((name, b)) } }
        return out
    }

    /// Replaces a parameter's state (`load_state_dict`): the step count and buffers shaped like the parameter.
    public func setState(of p: Tensor, steps: Int, buffers: [(String, Tensor)]) throws(TensorError) {
        let s = parameterState(p)
        s.steps = steps
        for (name, t) in buffers {
            guard bufferNames.contains(name) else { throw .value("\(typeName) has no state named '\(name)'") }
            guard t.shape == p.shape else {
                throw .value("state '\(name)' has shape \(TensorPrinter.sizeRepr(t.shape)), the parameter \(TensorPrinter.sizeRepr(p.shape))")
            }
            let own = try Tensor.zeros(p.shape, on: p.backend)
            try own.assign(from: try t.to(.float32))
            s.buffers[name] = own
        }
    }

    func parameterState(_ p: Tensor) -> ParameterState {
        if let s = states[ObjectIdentifier(p)] { return s }
        let s = ParameterState()
        states[ObjectIdentifier(p)] = s
        return s
    }

    /// The parameter's buffer `name`, made (filled with `initial`) on first use and kept where the parameter
    /// is (the model may have moved since: `model.to(device)`).
    func buffer(_ name: String, of p: Tensor, initial: Double = 0) throws(TensorError) -> Tensor {
        let s = parameterState(p)
        if let b = s.buffers[name] {
            try b.moveData(to: p.backend)
            return b
        }
        let b = try Tensor.full(p.shape, initial, on: p.backend)
        s.buffers[name] = b
        return b
    }

    /// Counts a step of `p`; returns the steps taken so far, this one included.
    func countStep(_ p: Tensor) -> Int {
        let s = parameterState(p)
        s.steps += 1
        return s.steps
    }

    /// The parameter's data and gradient as float32 pointers, or nil when it has no gradient yet.
    func buffers(_ p: Tensor) throws(TensorError) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>)? {
        guard let g = p.grad else { return nil }
        guard p.dtype == .float32, p.isContiguous, g.shape == p.shape else {
            throw .runtime("optimizers in dlx update contiguous float32 parameters")
        }
        try p.requireSameDevice(g)
        let gc = try g.contiguous()
        if gc !== g { p.grad = gc }
        p.bumpVersion()   // the caller updates it in place
        return (p.f32, gc.f32)
    }

    static func repr(_ v: Double) -> String { NumberFormat.pythonRepr(v) }
}

/// `torch.optim.SGD(params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False)`.
public final class SGD: Optimizer, @unchecked Sendable {
    public var momentum: Double, dampening: Double, weightDecay: Double, nesterov: Bool

    public init(_ parameters: [Tensor], lr: Double, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
                nesterov: Bool = false) throws(TensorError) {
        guard momentum >= 0 else { throw .value("Invalid momentum value: \(Optimizer.repr(momentum))") }
        guard weightDecay >= 0 else { throw .value("Invalid weight_decay value: \(Optimizer.repr(weightDecay))") }
        guard !nesterov || (momentum > 0 && dampening == 0) else { throw .value("Nesterov momentum requires a momentum and zero dampening") }
        self.momentum = momentum; self.dampening = dampening; self.weightDecay = weightDecay; self.nesterov = nesterov
        try super.init(parameters, learningRate: lr)
    }

    public override var typeName: String { "SGD" }
    public override var settings: [(String, String)] {
        [("dampening", dampening == 0 ? "0" : Optimizer.repr(dampening)), ("differentiable", "False"), ("foreach", "None"), ("fused", "None"),
         ("lr", Optimizer.repr(learningRate)), ("maximize", "False"), ("momentum", momentum == 0 ? "0" : Optimizer.repr(momentum)),
         ("nesterov", nesterov ? "True" : "False"), ("weight_decay", weightDecay == 0 ? "0" : Optimizer.repr(weightDecay))]
    }
    override var countsSteps: Bool { false }
    override var bufferNames: [String] { ["momentum_buffer"] }

    public override func step() throws(TensorError) {
        for p in parameters {
            guard let (w, g) = try buffers(p) else { continue }
            var velocity: Tensor? = nil
            var first = false
            if momentum != 0 {
                first = parameterState(p).buffers["momentum_buffer"] == nil
                velocity = try buffer("momentum_buffer", of: p)
            }
            let s = SGDStep(lr: Float(learningRate), momentum: Float(momentum), weightDecay: Float(weightDecay), firstStep: first,
                            undamped: Float(1 - dampening), nesterov: nesterov)
            if let acc = p.accelerator {
                try acc.sgdStep(s, DeviceBackend.address(w), DeviceBackend.address(g), velocity?.address, count: p.count)
            } else {
                p.backend.sgdStep(s, w, g, velocity?.f32, count: p.count)
            }
        }
    }
}

/// `torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0)`; with
/// `decoupledWeightDecay`, AdamW's update (the weights shrink by lr * weight_decay before the step).
public class Adam: Optimizer, @unchecked Sendable {
    public var beta1: Double, beta2: Double, eps: Double, weightDecay: Double
    public let decoupledWeightDecay: Bool

    public init(_ parameters: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 0, decoupledWeightDecay: Bool = false) throws(TensorError) {
        guard eps >= 0 else { throw .value("Invalid epsilon value: \(Optimizer.repr(eps))") }
        guard betas.0 >= 0 && betas.0 < 1 else { throw .value("Invalid beta parameter at index 0: \(Optimizer.repr(betas.0))") }
        guard betas.1 >= 0 && betas.1 < 1 else { throw .value("Invalid beta parameter at index 1: \(Optimizer.repr(betas.1))") }
        guard weightDecay >= 0 else { throw .value("Invalid weight_decay value: \(Optimizer.repr(weightDecay))") }
        beta1 = betas.0; beta2 = betas.1; self.eps = eps; self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        try super.init(parameters, learningRate: lr)
    }

    public override var typeName: String { "Adam" }
    public override var settings: [(String, String)] {
        [("amsgrad", "False"), ("betas", "(\(Optimizer.repr(beta1)), \(Optimizer.repr(beta2)))"), ("capturable", "False"),
         ("decoupled_weight_decay", decoupledWeightDecay ? "True" : "False"), ("differentiable", "False"), ("eps", Optimizer.repr(eps)),
         ("foreach", "None"), ("fused", "None"), ("lr", Optimizer.repr(learningRate)), ("maximize", "False"),
         ("weight_decay", weightDecay == 0 ? "0" : Optimizer.repr(weightDecay))]
    }
    override var bufferNames: [String] { ["exp_avg", "exp_avg_sq"] }

    public override func step() throws(TensorError) {
        for p in parameters {
            guard let (w, g) = try buffers(p) else { continue }
            let m = try buffer("exp_avg", of: p), v = try buffer("exp_avg_sq", of: p)
            let t = countStep(p)
            // PyTorch's bias corrections, computed in double precision once per step.
            let c1 = 1 - _pow(beta1, Double(t)), c2 = 1 - _pow(beta2, Double(t))
            let s = AdamStep(lr: Float(learningRate / c1), beta1: Float(beta1), beta2: Float(beta2), eps: Float(eps),
                             weightDecay: decoupledWeightDecay ? 0 : Float(weightDecay), correction2Sqrt: Float(c2.squareRoot()),
                             decay: decoupledWeightDecay ? Float(1 - learningRate * weightDecay) : 1)
            if let acc = p.accelerator {
                try acc.adamStep(s, DeviceBackend.address(w), DeviceBackend.address(g), m.address, v.address, count: p.count)
            } else {
                p.backend.adamStep(s, w, g, m.f32, v.f32, count: p.count)
            }
        }
    }
}

/// `torch.optim.AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2)`: Adam with decoupled
/// weight decay.
public final class AdamW: Adam, @unchecked Sendable {
    public init(_ parameters: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 1e-2) throws(TensorError) {
        try super.init(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, decoupledWeightDecay: true)
    }
    public override var typeName: String { "AdamW" }
}

/// One SGD update's settings. `firstStep` starts the momentum buffer at the gradient, as PyTorch does;
/// `undamped` (1 - dampening) weighs the gradient added to the buffer after that; `nesterov` steps along the
/// gradient plus momentum times the buffer.
public struct SGDStep: Sendable {
    public var lr: Float, momentum: Float, weightDecay: Float, firstStep: Bool, undamped: Float, nesterov: Bool
    public init(lr: Float, momentum: Float, weightDecay: Float, firstStep: Bool, undamped: Float = 1, nesterov: Bool = false) {
        self.lr = lr; self.momentum = momentum; self.weightDecay = weightDecay; self.firstStep = firstStep
        self.undamped = undamped; self.nesterov = nesterov
    }
}

/// One Adam update's settings; `lr` already divided by the first bias correction, `decay` the factor the
/// weights take first (AdamW's 1 - lr * weight_decay; 1 for Adam).
public struct AdamStep: Sendable {
    public var lr: Float, beta1: Float, beta2: Float, eps: Float, weightDecay: Float, correction2Sqrt: Float, decay: Float
    public init(lr: Float, beta1: Float, beta2: Float, eps: Float, weightDecay: Float, correction2Sqrt: Float, decay: Float = 1) {
        self.lr = lr; self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.weightDecay = weightDecay
        self.correction2Sqrt = correction2Sqrt; self.decay = decay
    }
}
