/// Loss modules: `nn.CrossEntropyLoss()`, `nn.NLLLoss()`, `nn.MSELoss()` (reduction "mean" or "sum").
/// Each loss is one autograd node, as in PyTorch (`grad_fn=<NllLossBackward0>`).
public final class Loss: Module, @unchecked Sendable {
    public enum Kind: String, Sendable { case crossEntropy = "CrossEntropyLoss", nll = "NLLLoss", mse = "MSELoss" }
    public enum Reduction: String, Sendable { case mean, sum }
    public let kind: Kind
    public let reduction: Reduction

    public init(_ kind: Kind, reduction: Reduction = .mean) { self.kind = kind; self.reduction = reduction; super.init() }

    public override var typeName: String { kind.rawValue }

    public func loss(_ input: Tensor, _ target: Tensor) throws(TensorError) -> Tensor {
        switch kind {
        case .crossEntropy: return try Loss.crossEntropy(input, target, reduction)
        case .nll: return try Loss.nll(input, target, reduction)
        case .mse: return try Loss.mse(input, target, reduction)
        }
    }

    /// Checks (N, C) scores against (N) class indices; returns the labels.
    static func classTargets(_ input: Tensor, _ target: Tensor) throws(TensorError) -> [Int64] {
        guard input.rank == 2 else {
            throw .runtime("Expected 2 dimensions for the input (got \(input.rank)): scores of shape (batch, classes)")
        }
        guard target.rank == 1, !target.dtype.isFloatingPoint else {
            throw .runtime("expected a 1-D tensor of class indices (int64) as the target, got \(target.dtype.name) of shape \(target.shape)")
        }
        guard target.shape[0] == input.shape[0] else {
            throw .value("Expected input batch_size (\(input.shape[0])) to match target batch_size (\(target.shape[0])).")
        }
        try input.requireSameDevice(target)
        let labels = try target.int64s()   // checked on the host (a device copies its few labels out)
        for t in labels where t < 0 || t >= Int64(input.shape[1]) { throw .index("Target \(t) is out of bounds.") }
        return labels
    }

    /// log-softmax and NLL in one pass over the rows; the softmax is kept for the backward pass,
    /// whose gradient is (softmax - onehot) / N.
    public static func crossEntropy(_ input: Tensor, _ target: Tensor, _ reduction: Reduction = .mean) throws(TensorError) -> Tensor {
        let labels = try classTargets(input, target)
        if let acc = input.accelerator { return try deviceCrossEntropy(input, target, reduction, acc) }
        let n = input.shape[0], c = input.shape[1]
        let x = try input.backend.autograd.with(enabled: false) { () throws(TensorError) in try input.to(.float32).contiguous() }
        let probs = try Tensor.empty([n, c], on: input.backend)   // (N, C)
        let xp = x.f32, pp = probs.f32
        var total = 0.0
        for i in 0..<n {
            let row = xp + i * c, p = pp + i * c
            var m = -Float.infinity
            for j in 0..<c where row[j] > m { m = row[j] }
            var s: Float = 0
            for j in 0..<c { let e = _expf(row[j] - m); p[j] = e; s += e }
            let inv = 1 / s
            for j in 0..<c { p[j] *= inv }
            total += Double(m + _logf(s) - row[Int(labels[i])])
        }
        let scale = reduction == .mean ? 1 / Double(Swift.max(n, 1)) : 1
        let out = try Tensor.full([], total * scale, on: input.backend)
        return out.recorded("NllLossBackward0", [input]) { g, _ throws(TensorError) in
            let gs = Float(try g.scalar().double * scale)
            let gx = try Tensor.empty([n, c], on: input.backend)
            let gp = gx.f32
            for i in 0..<(n * c) { gp[i] = pp[i] * gs }
            for i in 0..<n { gp[i * c + Int(labels[i])] -= gs }
            withExtendedLifetime(probs) {}
            return [gx]
        }
    }

    /// -logp[i, target[i]], reduced; logp is (N, C).
    public static func nll(_ logp: Tensor, _ target: Tensor, _ reduction: Reduction = .mean) throws(TensorError) -> Tensor {
        let labels = try classTargets(logp, target)
        if let acc = logp.accelerator { return try deviceNLL(logp, target, labels, reduction, acc) }
        let n = logp.shape[0], c = logp.shape[1]
        let x = try logp.backend.autograd.with(enabled: false) { () throws(TensorError) in try logp.to(.float32).contiguous() }
        var total = 0.0
        for i in 0..<n { total -= Double(x.f32[i * c + Int(labels[i])]) }
        let scale = reduction == .mean ? 1 / Double(Swift.max(n, 1)) : 1
        let out = try Tensor.full([], total * scale, on: logp.backend)
        return out.recorded("NllLossBackward0", [logp]) { g, _ throws(TensorError) in
            let gs = Float(try g.scalar().double * scale)
            let gx = try Tensor.zeros([n, c], on: logp.backend)
            for i in 0..<n { gx.f32[i * c + Int(labels[i])] = -gs }
            return [gx]
        }
    }

    /// mean((input - target)^2).
    public static func mse(_ input: Tensor, _ target: Tensor, _ reduction: Reduction = .mean) throws(TensorError) -> Tensor {
        let shape = try Tensor.broadcastShape(input.shape, target.shape)
        let count = try Tensor.checkedCount(shape)   // two broadcast views can make a count that does not fit
        let scale = reduction == .mean ? 1 / Double(Swift.max(count, 1)) : 1
        return try input.derive("MseLossBackward0", [input, target], saving: [input, target], { () throws(TensorError) in
            let d = try input.minus(target)
            return try d.times(d).reduce(.sum).scaled(scale)
        }) { g, _ throws(TensorError) in
            let d = try input.minus(target)
            let gi = try d.scaled(2 * scale).times(g)
            return [try gi.sumTo(input.shape), target.requiresGrad ? try gi.negated().sumTo(target.shape) : nil]
        }
    }
}
