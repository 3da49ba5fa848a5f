import Testing
@testable import DLXEngine

@Suite struct ModuleTests {
    /// Forward of the fixture MLP with PyTorch's parameters gives PyTorch's logits and loss.
    @Test func mlpForwardMatchesPyTorch() throws {
        let case_ = engineFixtures["mlp_cross_entropy"] as! [String: Any]
        let params = case_["params"] as! [String: Any]
        var g = Generator(seed: 0)
        let l1 = try Linear(12, 8, backend: backend, generator: &g), l2 = try Linear(8, 5, backend: backend, generator: &g)
        for (layer, prefix) in [(l1, "1"), (l2, "3")] {
            let (ws, w) = fixture(params[prefix + ".weight"]), (bs, b) = fixture(params[prefix + ".bias"])
            layer.weight = try tensor(w, ws)
            layer.bias = try tensor(b, bs)
        }
        let model = Sequential([Flatten(), l1, Activation(.relu), l2])
        let (xs, x) = fixture(case_["input"])
        var context = ForwardContext(generator: g)
        let logits = try model(try tensor(x, xs), &context)
        let (_, expected) = fixture(case_["logits"])
        #expect(try close(logits.doubles(), expected.map(Double.init), rel: 1e-5, abs: 1e-6))
        let target = try longs((case_["target"] as! [Int]).map(Int64.init), [4])
        let loss = try Loss(.crossEntropy).loss(logits, target)
        #expect(try close(loss.doubles(), [case_["loss"] as! Double], rel: 1e-5))
    }

    @Test func linearInitialisationIsWithinPyTorchsBound() throws {
        var g = Generator(seed: 3)
        let l = try Linear(784, 512, backend: backend, generator: &g)
        let bound = 1 / Double(784).squareRoot()
        #expect(try l.weight.doubles().allSatisfy { abs($0) <= bound })
        #expect(l.weight.requiresGrad && l.weight.isParameter)
        #expect(l.namedParameters().map(\.0) == ["weight", "bias"])
    }

    @Test func reprsNestChildren() throws {
        var g = Generator(seed: 0)
        let m = Sequential([Flatten(), try Linear(784, 10, backend: backend, generator: &g)])
        #expect(m.repr == "Sequential(\n  (0): Flatten(start_dim=1, end_dim=-1)\n  (1): Linear(in_features=784, out_features=10, bias=True)\n)")
        #expect(m.namedParameters().map(\.0) == ["1.weight", "1.bias"])
    }

    @Test func dropoutKeepsExpectationAndIsIdentityInEval() throws {
        let d = try Dropout(p: 0.5)
        let x = try Tensor.ones([10_000], on: backend)
        var c = ForwardContext(generator: Generator(seed: 1))
        let y = try d(x, &c)
        let mean = try y.reduce(.mean).doubles()[0]
        #expect(abs(mean - 1) < 0.05)
        d.training = false
        #expect(try d(x, &c) === x)
    }

    /// The backward pass replays the forward's mask: with x = 1, the gradient of sum(dropout(x)) is the output.
    @Test func dropoutGradientUsesTheForwardMask() throws {
        for channelwise in [false, true] {
            let d = try Dropout(p: 0.3)
            d.channelwise = channelwise
            let x = try Tensor.ones([4, 3, 5, 5], on: backend)
            x.requiresGrad = true
            var c = ForwardContext(generator: Generator(seed: 11))
            let y = try d(x, &c)
            try y.reduce(.sum).backward()
            #expect(try x.grad?.doubles() == y.doubles())
            if channelwise {
                let planes = try y.doubles().chunked(25)
                #expect(planes.allSatisfy { Set($0).count == 1 })
            }
        }
    }

    @Test func summaryCountsParametersLikeTorchsummary() throws {
        var g = Generator(seed: 0)
        let model = Sequential([Flatten(), try Linear(784, 512, backend: backend, generator: &g), Activation(.relu),
                                try Linear(512, 10, backend: backend, generator: &g)])
        let text = try ModelSummary.table(model, inputSize: [1, 28, 28], generator: &g, backend: backend)
        #expect(text.contains("            Linear-2                  [-1, 512]         401,920"))
        #expect(text.contains("Total params: 407,050"))
        #expect(text.contains("Params size (MB): 1.55"))
    }

    /// Trains one step of conv, BatchNorm, ReLU, [Dropout,] [pool] (observed layer by layer or not), then runs it
    /// in eval; `side` odd leaves a row and a column that no pooling window covers.
    /// `channels` picks the convolution's method: 3 -> 6 the implicit gemm, 1 -> 8 the direct one and 8 -> 8
    /// Winograd's (the last two hand the batch norm their output planes' sums).
    func batchNormBlock(observed: Bool, dropout: Bool, pool: Bool, side: Int, affine: Bool = true,
                        channels: (Int, Int) = (3, 6)) throws -> [[Double]] {
        var g = Generator(seed: 3)
        let conv = try Conv2d(channels.0, channels.1, kernelSize: IntPair(3), padding: IntPair(1), backend: backend, generator: &g)
        let bn = try BatchNorm(dims: 2, channels.1, affine: affine, backend: backend)
        let model = Sequential([conv, bn, Activation(.relu)] + (dropout ? [try Dropout(p: 0.3)] : [])
                               + (pool ? [try MaxPool2d(kernelSize: IntPair(2))] : []))
        let x = try randomTensor([4, channels.0, side, side], seed: 9)
        x.requiresGrad = true
        let watch: ((Module, Tensor, Tensor) -> Void)? = observed ? { _, _, _ in } : nil
        var context = ForwardContext(generator: g, observer: watch)
        let y = try model(x, &context)
        let upstream = try randomTensor(y.shape, seed: 10)
        try y.times(upstream).reduce(.sum).backward()
        model.setTraining(false)
        let evalOut = try model(try randomTensor([2, channels.0, side, side], seed: 11), &context)
        let grads = try [x.grad, conv.weight.grad, bn.weight?.grad, bn.bias?.grad].map { try $0?.doubles() ?? [] }
        return [try y.doubles()] + grads + [try bn.runningMean.doubles(), try bn.runningVar.doubles(), try evalOut.doubles()]
    }

    /// Sequential runs BatchNorm2d + ReLU (+ Dropout + MaxPool2d(2), or + MaxPool2d(2)) as one op unless an
    /// observer watches each layer, with the statistics from the convolution's plane sums where it computes them.
    /// Both ways give the same bits for the outputs, running statistics and eval outputs; the gradients agree to
    /// rounding (the pooled block adds the batch-norm sums over the windows' winners only, in another order).
    /// Some cases are without BatchNorm's weight and bias.
    @Test(arguments: [(false, false, 8, true, 3), (false, true, 8, true, 3), (true, true, 8, true, 3), (false, true, 7, true, 3),
                      (true, true, 13, true, 3), (true, true, 9, false, 3), (false, false, 8, true, 1), (true, true, 7, true, 1),
                      (false, true, 14, true, 8), (true, true, 7, true, 8), (false, false, 9, false, 8)])
    func fusedBatchNormBlocksGiveWhatTheSeparateLayersGive(dropout: Bool, pool: Bool, side: Int, affine: Bool, inChannels: Int) throws {
        let channels = (inChannels, inChannels == 3 ? 6 : 8)
        let fused = try batchNormBlock(observed: false, dropout: dropout, pool: pool, side: side, affine: affine, channels: channels)
        let separate = try batchNormBlock(observed: true, dropout: dropout, pool: pool, side: side, affine: affine, channels: channels)
        for (k, (a, b)) in zip(fused, separate).enumerated() {
            let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
            if (1...4).contains(k) {
                let size = b.map(abs).max() ?? 0
                #expect(a.count == b.count && worst <= 1e-5 * size, "gradient \(k) differs by up to \(worst) (values up to \(size))")
            } else {
                #expect(a == b, "array \(k) differs by up to \(worst)")
            }
        }
        #expect(fused[0].contains(0) && fused[1].contains { $0 != 0 } && fused[3].isEmpty == !affine)
    }
}

extension Array {
    func chunked(_ n: Int) -> [[Element]] { stride(from: 0, to: count, by: n).map { Array(self[$0..<Swift.min($0 + n, count)]) } }
}

@Suite struct ModuleSizeTests {
    @Test func hugeKernelsAreErrorsNotTraps() throws {
        var g = Generator(seed: 0)
        #expect(throws: TensorError.runtime("Storage size calculation overflowed with sizes=[1, 1, 4294967296, 4294967296]")) {
            try Conv2d(1, 1, kernelSize: IntPair(1 << 32), backend: backend, generator: &g)
        }
        // Two broadcast views whose broadcast count does not fit.
        let a = try Tensor.zeros([1, 1], on: backend).expand(to: [1 << 40, 1]), b = try Tensor.zeros([1, 1], on: backend).expand(to: [1, 1 << 40])
        #expect(throws: TensorError.runtime("Storage size calculation overflowed with sizes=[1099511627776, 1099511627776]")) {
            try Loss(.mse).loss(a, b)
        }
    }
}
