/// `nn.BatchNorm1d` / `nn.BatchNorm2d(num_features, eps=1e-5, momentum=0.1, affine=True)`.
public final class BatchNorm: Module, @unchecked Sendable {
    public let dims: Int               // 1 or 2
    public let numFeatures: Int
    public let eps: Double, momentum: Double
    public var weight: Tensor?         // (C)
    public var bias: Tensor?           // (C)
    public var runningMean: Tensor     // (C)
    public var runningVar: Tensor      // (C)
    public var batchesTracked: Tensor  // ()

    public init(dims: Int, _ numFeatures: Int, eps: Double = 1e-5, momentum: Double = 0.1, affine: Bool = true,
                backend: any Backend) throws(TensorError) {
        guard numFeatures > 0 else { throw .runtime("num_features must be positive, got \(numFeatures)") }
        self.dims = dims; self.numFeatures = numFeatures; self.eps = eps; self.momentum = momentum
        weight = affine ? parameter(try Tensor.ones([numFeatures], on: backend)) : nil
        bias = affine ? parameter(try Tensor.zeros([numFeatures], on: backend)) : nil
        runningMean = try Tensor.zeros([numFeatures], on: backend)
        runningVar = try Tensor.ones([numFeatures], on: backend)
        batchesTracked = try Tensor.zeros([], dtype: .int64, on: backend)
        super.init()
    }

    public override var typeName: String { "BatchNorm\(dims)d" }

    public override var ownParameters: [(String, Tensor)] {
        (weight.map { [("weight", $0)] } ?? []) + (bias.map { [("bias", $0)] } ?? [])
    }
    public override var ownBuffers: [(String, Tensor)] {
        [("running_mean", runningMean), ("running_var", runningVar), ("num_batches_tracked", batchesTracked)]
    }

    public override func extraRepr() -> String {
        let affine = weight != nil ? "True" : "False"
        return "\(numFeatures), eps=\(NumberFormat.pythonRepr(eps)), momentum=\(NumberFormat.pythonRepr(momentum)), affine=\(affine), bias=\(affine), track_running_stats=True"
    }

    public override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        try forward(x, relu: false)
    }

    /// The forward of a BatchNorm2d-ReLU-[Dropout]-MaxPool2d(2) run as one op (Sequential.poolingRun).
    /// `moments`: the sums of x's planes, from the convolution that made x (Tensor.conv2dAndMoments).
    func forwardPooled(_ x: Tensor, dropout: (p: Double, seed: UInt32)?, moments: Tensor? = nil) throws(TensorError) -> Tensor {
        if training { try batchesTracked.increment() }
        return try Tensor.batchNormReluPool(x, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                                            training: training, momentum: momentum, eps: eps, dropout: dropout, moments: moments)
    }

    /// The forward, with a following ReLU fused into its passes when `relu` (Sequential's BatchNorm-ReLU pairs).
    func forward(_ x: Tensor, relu: Bool, moments: Tensor? = nil) throws(TensorError) -> Tensor {
        let expected = dims == 2 ? [4] : [2, 3]
        guard expected.contains(x.rank) else {
            throw .value("expected \(dims == 2 ? "4D" : "2D or 3D") input (got \(x.rank)D input)")
        }
        if training { try batchesTracked.increment() }
        return try Tensor.batchNorm(x, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                                    training: training, momentum: momentum, eps: eps, relu: relu, moments: moments)
    }
}
