/// `torch.optim.Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10)`.
/// Its state (`step`, `sum`) is made when it is constructed, as PyTorch's is.
public final class Adagrad: Optimizer, @unchecked Sendable {
    public var lrDecay: Double, weightDecay: Double, eps: Double
    public let initialAccumulatorValue: Double

    public init(_ parameters: [Tensor], lr: Double = 1e-2, lrDecay: Double = 0, weightDecay: Double = 0,
                initialAccumulatorValue: Double = 0, eps: Double = 1e-10) throws(TensorError) {
        guard lrDecay >= 0 else { throw .value("Invalid lr_decay value: \(Optimizer.repr(lrDecay))") }
        guard weightDecay >= 0 else { throw .value("Invalid weight_decay value: \(Optimizer.repr(weightDecay))") }
        guard initialAccumulatorValue >= 0 else {
            throw .value("Invalid initial_accumulator_value value: \(Optimizer.repr(initialAccumulatorValue))")
        }
        guard eps >= 0 else { throw .value("Invalid epsilon value: \(Optimizer.repr(eps))") }
        self.lrDecay = lrDecay; self.weightDecay = weightDecay; self.eps = eps
        self.initialAccumulatorValue = initialAccumulatorValue
        try super.init(parameters, learningRate: lr)
        for p in parameters { _ = try buffer("sum", of: p, initial: initialAccumulatorValue) }
    }

    public override var typeName: String { "Adagrad" }
    override var bufferNames: [String] { ["sum"] }

    public override func step() throws(TensorError) {
        for p in parameters {
            guard let (w, g) = try buffers(p) else { continue }
            let sum = try buffer("sum", of: p, initial: initialAccumulatorValue)
            let t = countStep(p)
            let s = AdagradStep(lr: Float(learningRate / (1 + Double(t - 1) * lrDecay)), eps: Float(eps), weightDecay: Float(weightDecay))
            if let acc = p.accelerator {
                try acc.adagradStep(s, DeviceBackend.address(w), DeviceBackend.address(g), sum.address, count: p.count)
            } else {
                p.backend.adagradStep(s, w, g, sum.f32, count: p.count)
            }
        }
    }
}

/// `torch.optim.RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False)`.
public final class RMSprop: Optimizer, @unchecked Sendable {
    public var alpha: Double, eps: Double, weightDecay: Double, momentum: Double, centered: Bool

    public init(_ parameters: [Tensor], lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0,
                momentum: Double = 0, centered: Bool = false) throws(TensorError) {
        guard eps >= 0 else { throw .value("Invalid epsilon value: \(Optimizer.repr(eps))") }
        guard momentum >= 0 else { throw .value("Invalid momentum value: \(Optimizer.repr(momentum))") }
        guard weightDecay >= 0 else { throw .value("Invalid weight_decay value: \(Optimizer.repr(weightDecay))") }
        guard alpha >= 0 else { throw .value("Invalid alpha value: \(Optimizer.repr(alpha))") }
        self.alpha = alpha; self.eps = eps; self.weightDecay = weightDecay; self.momentum = momentum; self.centered = centered
        try super.init(parameters, learningRate: lr)
    }

    public override var typeName: String { "RMSprop" }
    override var bufferNames: [String] { ["square_avg", "momentum_buffer", "grad_avg"] }

    public override func step() throws(TensorError) {
        for p in parameters {
            guard let (w, g) = try buffers(p) else { continue }
            let square = try buffer("square_avg", of: p)
            // PyTorch makes the momentum buffer only with momentum > 0 and the gradient average only when centered.
            let buf = momentum > 0 ? try buffer("momentum_buffer", of: p) : nil
            let gradAvg = centered ? try buffer("grad_avg", of: p) : nil
            _ = countStep(p)
            let s = RMSpropStep(lr: Float(learningRate), alpha: Float(alpha), eps: Float(eps), weightDecay: Float(weightDecay),
                                momentum: Float(momentum))
            if let acc = p.accelerator {
                try acc.rmspropStep(s, DeviceBackend.address(w), DeviceBackend.address(g), square.address, buf?.address,
                                    gradAvg?.address, count: p.count)
            } else {
                p.backend.rmspropStep(s, w, g, square.f32, buf?.f32, gradAvg?.f32, count: p.count)
            }
        }
    }
}

/// `torch.optim.Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0)`.
public final class Adadelta: Optimizer, @unchecked Sendable {
    public var rho: Double, eps: Double, weightDecay: Double

    public init(_ parameters: [Tensor], lr: Double = 1.0, rho: Double = 0.9, eps: Double = 1e-6, weightDecay: Double = 0) throws(TensorError) {
        guard rho >= 0 && rho <= 1 else { throw .value("Invalid rho value: \(Optimizer.repr(rho))") }
        guard eps >= 0 else { throw .value("Invalid epsilon value: \(Optimizer.repr(eps))") }
        guard weightDecay >= 0 else { throw .value("Invalid weight_decay value: \(Optimizer.repr(weightDecay))") }
        self.rho = rho; self.eps = eps; self.weightDecay = weightDecay
        try super.init(parameters, learningRate: lr)
    }

    public override var typeName: String { "Adadelta" }
    override var bufferNames: [String] { ["square_avg", "acc_delta"] }

    public override func step() throws(TensorError) {
        for p in parameters {
            guard let (w, g) = try buffers(p) else { continue }
            let square = try buffer("square_avg", of: p), accDelta = try buffer("acc_delta", of: p)
            _ = countStep(p)
            let s = AdadeltaStep(lr: Float(learningRate), rho: Float(rho), eps: Float(eps), weightDecay: Float(weightDecay))
            if let acc = p.accelerator {
                try acc.adadeltaStep(s, DeviceBackend.address(w), DeviceBackend.address(g), square.address, accDelta.address, count: p.count)
            } else {
                p.backend.adadeltaStep(s, w, g, square.f32, accDelta.f32, count: p.count)
            }
        }
    }
}

/// One Adagrad update's settings; `lr` is the step's decayed rate, lr / (1 + (step - 1) lr_decay).
public struct AdagradStep: Sendable {
    public var lr: Float, eps: Float, weightDecay: Float
    public init(lr: Float, eps: Float, weightDecay: Float) { self.lr = lr; self.eps = eps; self.weightDecay = weightDecay }
}

/// One RMSprop update's settings (the buffers given say whether it has momentum and is centered).
public struct RMSpropStep: Sendable {
    public var lr: Float, alpha: Float, eps: Float, weightDecay: Float, momentum: Float
    public init(lr: Float, alpha: Float, eps: Float, weightDecay: Float, momentum: Float) {
        self.lr = lr; self.alpha = alpha; self.eps = eps; self.weightDecay = weightDecay; self.momentum = momentum
    }
}

/// One Adadelta update's settings.
public struct AdadeltaStep: Sendable {
    public var lr: Float, rho: Float, eps: Float, weightDecay: Float
    public init(lr: Float, rho: Float, eps: Float, weightDecay: Float) { self.lr = lr; self.rho = rho; self.eps = eps; self.weightDecay = weightDecay }
}
