/// Optimizers over a list of parameters, as `torch.optim`: `step()` updates every parameter that has a
/// gradient, `zeroGrad()` clears the gradients (to None, PyTorch's default).
public class Optimizer: @unchecked Sendable {
    public let parameters: [Tensor]
    public var learningRate: Double

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

/// `torch.optim.SGD(params, lr, momentum=0, weight_decay=0)`.
public final class SGD: Optimizer, @unchecked Sendable {
    public let momentum: Double, weightDecay: Double
    private var buffers: [ObjectIdentifier: Tensor] = [:]

    public init(_ parameters: [Tensor], lr: Double, momentum: Double = 0, weightDecay: Double = 0) throws(TensorError) {
        guard momentum >= 0 else { throw .value("Invalid momentum value: \(Optimizer.repr(momentum))") }
        guard weightDecay >= 0 else { throw .value("Invalid weight_decay value: \(Optimizer.repr(weightDecay))") }
        self.momentum = momentum; self.weightDecay = weightDecay
        try super.init(parameters, learningRate: lr)
    }

    public override var typeName: String { "SGD" }
    public override var settings: [(String, String)] {
        [("dampening", "0"), ("differentiable", "False"), ("foreach", "None"), ("fused", "None"),
         ("lr", Optimizer.repr(learningRate)), ("maximize", "False"), ("momentum", momentum == 0 ? "0" : Optimizer.repr(momentum)),
         ("nesterov", "False"), ("weight_decay", weightDecay == 0 ? "0" : Optimizer.repr(weightDecay))]
    }

    public override func step() throws(TensorError) {
        for p in parameters {
            guard let (w, g) = try buffers(p) else { continue }
            var velocity: UnsafeMutablePointer<Float>? = nil
            var first = false
            if momentum != 0 {
                let key = ObjectIdentifier(p)
                if buffers[key] == nil { buffers[key] = try Tensor.zeros(p.shape, on: p.backend); first = true }
                try buffers[key]!.moveData(to: p.backend)   // the model may have moved since (model.to(device))
                velocity = buffers[key]!.f32
            }
            let s = SGDStep(lr: Float(learningRate), momentum: Float(momentum), weightDecay: Float(weightDecay), firstStep: first)
            if let acc = p.accelerator {
                try acc.sgdStep(s, DeviceBackend.address(w), DeviceBackend.address(g), velocity.map { DeviceBackend.address($0) }, count: p.count)
            } else {
                p.backend.sgdStep(s, w, g, velocity, count: p.count)
            }
        }
    }
}

/// `torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0)`.
public final class Adam: Optimizer, @unchecked Sendable {
    public let beta1: Double, beta2: Double, eps: Double, weightDecay: Double
    private var state: [ObjectIdentifier: (m: Tensor, v: Tensor)] = [:]
    private var steps: [ObjectIdentifier: Int] = [:]

    public init(_ parameters: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 0) throws(TensorError) {
        guard eps >= 0 else { throw .value("Invalid epsilon value: \(Optimizer.repr(eps))") }
        guard betas.0 >= 0 && betas.0 < 1 else { throw .value("Invalid beta parameter at index 0: \(Optimizer.repr(betas.0))") }
        guard betas.1 >= 0 && betas.1 < 1 else { throw .value("Invalid beta parameter at index 1: \(Optimizer.repr(betas.1))") }
        guard weightDecay >= 0 else { throw .value("Invalid weight_decay value: \(Optimizer.repr(weightDecay))") }
        beta1 = betas.0; beta2 = betas.1; self.eps = eps; self.weightDecay = weightDecay
        try super.init(parameters, learningRate: lr)
    }

    public override var typeName: String { "Adam" }
    public override var settings: [(String, String)] {
        [("amsgrad", "False"), ("betas", "(\(Optimizer.repr(beta1)), \(Optimizer.repr(beta2)))"), ("capturable", "False"),
         ("decoupled_weight_decay", "False"), ("differentiable", "False"), ("eps", Optimizer.repr(eps)), ("foreach", "None"),
         ("fused", "None"), ("lr", Optimizer.repr(learningRate)), ("maximize", "False"),
         ("weight_decay", weightDecay == 0 ? "0" : Optimizer.repr(weightDecay))]
    }

    public override func step() throws(TensorError) {
        for p in parameters {
            guard let (w, g) = try buffers(p) else { continue }
            let key = ObjectIdentifier(p)
            if state[key] == nil { state[key] = (try Tensor.zeros(p.shape, on: p.backend), try Tensor.zeros(p.shape, on: p.backend)) }
            let t = (steps[key] ?? 0) + 1
            steps[key] = t
            let (m, v) = state[key]!
            try m.moveData(to: p.backend); try v.moveData(to: p.backend)   // the model may have moved since
            // PyTorch's bias corrections, computed in double precision once per step.
            let c1 = 1 - _pow(beta1, Double(t)), c2 = 1 - _pow(beta2, Double(t))
            let s = AdamStep(lr: Float(learningRate / c1), beta1: Float(beta1), beta2: Float(beta2), eps: Float(eps),
                             weightDecay: Float(weightDecay), correction2Sqrt: Float(c2.squareRoot()))
            if let acc = p.accelerator {
                try acc.adamStep(s, DeviceBackend.address(w), DeviceBackend.address(g), m.address, v.address, count: p.count)
            } else {
                p.backend.adamStep(s, w, g, m.f32, v.f32, count: p.count)
            }
        }
    }
}

/// One SGD update's settings. `firstStep` starts the momentum buffer at the gradient, as PyTorch does.
public struct SGDStep: Sendable {
    public var lr: Float, momentum: Float, weightDecay: Float, firstStep: Bool
    public init(lr: Float, momentum: Float, weightDecay: Float, firstStep: Bool) {
        self.lr = lr; self.momentum = momentum; self.weightDecay = weightDecay; self.firstStep = firstStep
    }
}

/// One Adam update's settings; `lr` already divided by the first bias correction.
public struct AdamStep: Sendable {
    public var lr: Float, beta1: Float, beta2: Float, eps: Float, weightDecay: Float, correction2Sqrt: Float
    public init(lr: Float, beta1: Float, beta2: Float, eps: Float, weightDecay: Float, correction2Sqrt: Float) {
        self.lr = lr; self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.weightDecay = weightDecay
        self.correction2Sqrt = correction2Sqrt
    }
}
