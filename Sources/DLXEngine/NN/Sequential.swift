/// `nn.Sequential(*modules)`: runs its children in order.
public final class Sequential: Module, @unchecked Sendable {
    public var modules: [Module]

    /// The children's names when they are not their positions (`Sequential(OrderedDict(...))`, a slice).
    public var names: [String]? = nil

    public init(_ modules: [Module], names: [String]? = nil) {
        self.modules = modules
        self.names = names.flatMap { $0.count == modules.count ? $0 : nil }
        super.init()
    }

    public override var children: [(String, Module)] {
        if let names, names.count == modules.count { return Array(zip(names, modules)) }
        return modules.enumerated().map { (String($0.offset), $0.element) }
    }

    /// `append`: the new child is named by the count, as PyTorch names it.
    public func append(_ m: Module) {
        if names != nil { names!.append(String(modules.count)) }
        modules.append(m)
    }
    public override var isContainer: Bool { true }

    public override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        try Sequential.run(modules, x, &context)
    }

    /// Runs modules one after another, fusing the runs that have a fused op (below). `Sequential` runs its
    /// children this way, and so does the interpreter for a chain of layer calls in a user's `forward`
    /// (`self.pool(F.relu(self.bn(self.conv(x))))`), so a model is as fast however it is written.
    public static func run(_ modules: [Module], _ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        var y = x
        var i = 0
        var moments: Tensor? = nil
        while i < modules.count {
            // The sums of y's planes, when the convolution that has just made y computed them for this BatchNorm.
            let sums = moments
            moments = nil
            // BatchNorm2d, ReLU, [Dropout,] MaxPool2d(2) run as one op, the activations between them never
            // written; and a BatchNorm followed by a ReLU as one op (one pass fewer each way). Neither when an
            // observer (summary, the profiler) wants to see each module's own output. A convolution before a
            // training BatchNorm sums its output planes while they are in cache, and the batch norm takes its
            // statistics from those sums instead of reading its input once more.
            if context.observer == nil, let run = poolingRun(modules, at: i, y) {
                var dropout: (p: Double, seed: UInt32)? = nil
                if let d = run.dropout, let seed = d.maskSeed(&context) { dropout = (d.p, seed) }
                y = try run.norm.forwardPooled(y, dropout: dropout, moments: sums)
                i += run.count
                continue
            }
            if context.observer == nil, i + 1 < modules.count, let bn = modules[i] as? BatchNorm,
               let act = modules[i + 1] as? Activation, act.kind == .relu {
                y = try bn.forward(y, relu: true, moments: sums)
                i += 2
                continue
            }
            if context.observer == nil, i + 1 < modules.count, let conv = modules[i] as? Conv2d,
               let bn = modules[i + 1] as? BatchNorm, bn.training, bn.dims == 2 {
                (y, moments) = try conv.forwardWithMoments(y)
                i += 1
                continue
            }
            y = try modules[i](y, &context)
            i += 1
        }
        return y
    }

    /// The BatchNorm2d, ReLU, optional Dropout (not Dropout2d, p < 1) and 2x2 stride-2 MaxPool2d starting at
    /// modules[i], for a (N, C, H, W) input on the CPU; nil where there is no such run.
    private static func poolingRun(_ modules: [Module], at i: Int, _ x: Tensor) -> (norm: BatchNorm, dropout: Dropout?, count: Int)? {
        guard x.rank == 4, x.accelerator == nil, x.shape[2] >= 2, x.shape[3] >= 2, i + 2 < modules.count,
              let norm = modules[i] as? BatchNorm, norm.dims == 2,
              let act = modules[i + 1] as? Activation, act.kind == .relu else { return nil }
        var j = i + 2
        let dropout = modules[j] as? Dropout
        if let d = dropout {
            guard !d.channelwise, d.p < 1 || !d.training else { return nil }
            j += 1
        }
        guard j < modules.count, let pool = modules[j] as? MaxPool2d, pool.kernelSize.asPair == IntPair(2, 2),
              pool.stride.asPair == IntPair(2, 2), pool.padding.asPair == IntPair(0, 0),
              pool.dilation.asPair == IntPair(1, 1) else { return nil }
        return (norm, dropout, j - i + 1)
    }
}
