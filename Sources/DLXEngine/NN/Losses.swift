/// Loss modules: `nn.CrossEntropyLoss()`, `nn.NLLLoss()`, `nn.MSELoss()` (reduction "mean" or "sum").
public final class Loss: Module, @unchecked Sendable {
    public enum Kind: String, Sendable { case crossEntropy = "CrossEntropyLoss", nll = "NLLLoss", mse = "MSELoss" }
    public enum Reduction: String, Sendable { case mean, sum }
    public let kind: Kind
    public let reduction: Reduction

    public init(_ kind: Kind, reduction: Reduction = .mean) { self.kind = kind; self.reduction = reduction; super.init() }

    public override var typeName: String { kind.rawValue }

    public func loss(_ input: Tensor, _ target: Tensor) throws(TensorError) -> Tensor {
        switch kind {
        case .crossEntropy: return try Loss.nll(input.softmax(1, log: true), target, reduction)
        case .nll: return try Loss.nll(input, target, reduction)
        case .mse:
            guard input.shape == target.shape || (try? Tensor.broadcastShape(input.shape, target.shape)) != nil else {
                throw .runtime("The size of tensor a (\(input.shape.last ?? 1)) must match the size of tensor b (\(target.shape.last ?? 1))")
            }
            let d = try Tensor.binary(.sub, .tensor(input), .tensor(target))
            let sq = try Tensor.binary(.mul, .tensor(d), .tensor(d))
            return try sq.reduce(reduction == .mean ? .mean : .sum)
        }
    }

    /// -logp[i, target[i]], reduced; logp is (N, C).
    static func nll(_ logp: Tensor, _ target: Tensor, _ reduction: Reduction) throws(TensorError) -> Tensor {
        guard logp.rank == 2 else { throw .runtime("Expected 2 dimensions for the input (got \(logp.rank)); images need flattening first") }
        guard target.rank == 1, !target.dtype.isFloatingPoint else {
            throw .runtime("expected a 1-D tensor of class indices (int64) as the target, got \(target.dtype.name) of shape \(target.shape)")
        }
        let n = logp.shape[0], c = logp.shape[1]
        guard target.shape[0] == n else {
            throw .value("Expected input batch_size (\(n)) to match target batch_size (\(target.shape[0])).")
        }
        let x = try logp.to(.float32).contiguous()
        let labels = target.int64s()
        var total = 0.0
        for i in 0..<n {
            let t = Int(labels[i])
            guard t >= 0 && t < c else { throw .index("Target \(t) is out of bounds.") }
            total -= Double(x.f32[i * c + t])
        }
        return try Tensor.full([], reduction == .mean ? total / Double(Swift.max(n, 1)) : total, on: logp.backend)
    }
}
