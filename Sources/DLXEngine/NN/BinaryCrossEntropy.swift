/// `nn.BCELoss(weight=None, reduction='mean')` and `nn.BCEWithLogitsLoss(weight=None, reduction='mean',
/// pos_weight=None)`: binary cross-entropy of probabilities, or of logits (the sigmoid taken inside, stably).
/// Each loss is one autograd node with PyTorch's backward rule (`BinaryCrossEntropyBackward0`,
/// `BinaryCrossEntropyWithLogitsBackward0`); built from tensor ops, so it runs on every device.
public final class BinaryCrossEntropyLoss: Module, @unchecked Sendable {
    public enum Reduction: String, Sendable { case mean, sum, none }
    public let logits: Bool
    public let reduction: Reduction
    public let weight: Tensor?
    public let posWeight: Tensor?

    public init(logits: Bool, reduction: Reduction = .mean, weight: Tensor? = nil, posWeight: Tensor? = nil) {
        self.logits = logits; self.reduction = reduction; self.weight = weight; self.posWeight = posWeight
        super.init()
    }

    public override var typeName: String { logits ? "BCEWithLogitsLoss" : "BCELoss" }

    public func loss(_ input: Tensor, _ target: Tensor) throws(TensorError) -> Tensor {
        logits ? try Self.withLogits(input, target, weight: weight, posWeight: posWeight, reduction: reduction)
            : try Self.binaryCrossEntropy(input, target, weight: weight, reduction: reduction)
    }

    /// The per-element losses reduced (mean over all elements, sum, or none), and the factor the reduction
    /// puts on each element's gradient.
    static func reduced(_ l: Tensor, _ reduction: Reduction) throws(TensorError) -> Tensor {
        switch reduction {
        case .none: return l
        case .sum: return try l.reduce(.sum)
        case .mean: return try l.reduce(.mean)
        }
    }

    static func upstream(_ g: Tensor, _ shape: [Int], _ reduction: Reduction) throws(TensorError) -> Tensor {
        let count = Swift.max(shape.reduce(1, *), 1)
        switch reduction {
        case .none: return g
        case .sum: return try g.expand(to: shape)
        case .mean: return try g.scaled(1 / Double(count)).expand(to: shape)
        }
    }

    static func weighted(_ x: Tensor, _ w: Tensor?) throws(TensorError) -> Tensor {
        guard let w else { return x }
        return try x.times(w)
    }

    /// -w [y log(x) + (1 - y) log(1 - x)], each log at least -100, as PyTorch clamps them.
    public static func binaryCrossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil,
                                          reduction: Reduction = .mean) throws(TensorError) -> Tensor {
        guard target.shape == input.shape else {
            throw .value("Using a target size (\(TensorPrinter.sizeRepr(target.shape))) that is different to the input size (\(TensorPrinter.sizeRepr(input.shape))) is deprecated. Please ensure they have the same size.")
        }
        guard input.dtype.isFloatingPoint, target.dtype.isFloatingPoint else {
            throw .runtime("Found dtype \(target.dtype.isFloatingPoint ? input.dtype.pytorchScalarName : target.dtype.pytorchScalarName) but expected Float")
        }
        let outside = try input.backend.autograd.with(enabled: false) { () throws(TensorError) -> Bool in
            // Counted as float sums, which every device runs.
            let low = try Tensor.binary(.lt, .tensor(input), .scalar(.int(0))).to(.float32).reduce(.sum)
            let high = try Tensor.binary(.gt, .tensor(input), .scalar(.int(1))).to(.float32).reduce(.sum)
            return try low.plus(high).scalar().double > 0
        }
        if outside { throw .runtime("all elements of input should be between 0 and 1") }
        func logs(_ x: Tensor) throws(TensorError) -> (Tensor, Tensor) {
            let logX = try Tensor.binary(.maximum, .tensor(try x.unary(.log)), .scalar(.int(-100)))
            let oneMinus = try Tensor.binary(.sub, .scalar(.int(1)), .tensor(x))
            let log1mX = try Tensor.binary(.maximum, .tensor(try oneMinus.unary(.log)), .scalar(.int(-100)))
            return (logX, log1mX)
        }
        return try input.derive("BinaryCrossEntropyBackward0", [input, target] + (weight.map { [$0] } ?? []), { () throws(TensorError) in
            let (logX, log1mX) = try logs(input)
            let oneMinusY = try Tensor.binary(.sub, .scalar(.int(1)), .tensor(target))
            let l = try target.times(logX).plus(oneMinusY.times(log1mX)).negated()
            return try reduced(try weighted(l, weight), reduction)
        }) { g, _ throws(TensorError) in
            let up = try weighted(try upstream(g, input.shape, reduction), weight)
            // PyTorch: grad * (x - y) / max((1 - x) x, 1e-12).
            let oneMinus = try Tensor.binary(.sub, .scalar(.int(1)), .tensor(input))
            let denominator = try Tensor.binary(.maximum, .tensor(try oneMinus.times(input)), .scalar(.float(1e-12)))
            let gx = try up.times(try input.minus(target)).over(denominator)
            var gy: Tensor? = nil
            if target.requiresGrad {
                let (logX, log1mX) = try logs(input)
                gy = try up.times(try log1mX.minus(logX))
            }
            return [try gx.sumTo(input.shape), gy] + (weight.map { _ in [nil] } ?? [])
        }
    }

    /// (1 - y) x - (1 + (pos_weight - 1) y) log sigmoid(x), times the weight: PyTorch's stable form.
    public static func withLogits(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, posWeight: Tensor? = nil,
                                  reduction: Reduction = .mean) throws(TensorError) -> Tensor {
        guard target.shape == input.shape else {
            throw .value("Target size (\(TensorPrinter.sizeRepr(target.shape))) must be the same as input size (\(TensorPrinter.sizeRepr(input.shape)))")
        }
        guard input.dtype.isFloatingPoint, target.dtype.isFloatingPoint else {
            throw .runtime("result type Float can't be cast to the desired output type \((input.dtype.isFloatingPoint ? target : input).dtype.pytorchScalarName)")
        }
        // log sigmoid(x) = min(x, 0) - log(1 + exp(-|x|)).
        func logSigmoid(_ x: Tensor) throws(TensorError) -> Tensor {
            let e = try x.unary(.abs).negated().unary(.exp)
            let softplus = try Tensor.binary(.add, .scalar(.int(1)), .tensor(e)).unary(.log)
            return try Tensor.binary(.minimum, .tensor(x), .scalar(.int(0))).minus(softplus)
        }
        // 1 + (pos_weight - 1) y, the weight of the positive term.
        func logWeight() throws(TensorError) -> Tensor? {
            guard let pw = posWeight else { return nil }
            let pwMinus1 = try Tensor.binary(.sub, .tensor(pw), .scalar(.int(1)))
            return try Tensor.binary(.add, .tensor(try pwMinus1.times(target)), .scalar(.int(1)))
        }
        let inputs = [input, target] + (weight.map { [$0] } ?? []) + (posWeight.map { [$0] } ?? [])
        return try input.derive("BinaryCrossEntropyWithLogitsBackward0", inputs, { () throws(TensorError) in
            var ls = try logSigmoid(input)
            if let lw = try logWeight() { ls = try ls.times(lw) }
            let oneMinusY = try Tensor.binary(.sub, .scalar(.int(1)), .tensor(target))
            let l = try oneMinusY.times(input).minus(ls)
            return try reduced(try weighted(l, weight), reduction)
        }) { g, _ throws(TensorError) in
            let up = try weighted(try upstream(g, input.shape, reduction), weight)
            let s = try input.unary(.sigmoid)
            // d/dx = lw sigmoid(x) - pos_weight y (sigmoid(x) - y without pos_weight).
            let dx: Tensor
            if let lw = try logWeight(), let pw = posWeight { dx = try lw.times(s).minus(try pw.times(target)) }
            else { dx = try s.minus(target) }
            let gx = try up.times(dx)
            var gy: Tensor? = nil
            if target.requiresGrad {
                // d/dy = -x - (pos_weight - 1) log sigmoid(x).
                var d = try input.negated()
                if let pw = posWeight {
                    d = try d.minus(try Tensor.binary(.sub, .tensor(pw), .scalar(.int(1))).times(try logSigmoid(input)))
                }
                gy = try up.times(d)
            }
            let gyShaped = try gy.map { t throws(TensorError) in try t.sumTo(target.shape) }
            return [try gx.sumTo(input.shape), gyShaped]
                + (weight.map { _ in [nil] } ?? []) + (posWeight.map { _ in [nil] } ?? [])
        }
    }
}
