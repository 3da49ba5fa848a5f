import Testing
@testable import DLXEngine

/// The engine's device paths on the emulated GPU (the CUDA kernels' arithmetic as host loops, at
/// addresses the CPU cannot dereference): every op of the lessons gives the CPU's results, forward and
/// backward, and only `.item()`-like reads bring data back to the host.
@Suite struct DeviceTests {
    let gpu = DeviceBackend(accelerator: EmulatedAccelerator(), host: backend)

    /// `f` run on CPU tensors and on their device copies; outputs and input gradients must agree.
    func agree(_ inputs: [Tensor], rel: Double = 1e-5, abs: Double = 1e-5,
               _ f: ([Tensor]) throws -> Tensor) throws {
        for t in inputs where t.dtype == .float32 { t.requiresGrad = true; t.grad = nil }
        let onDevice = try inputs.map { try $0.to(backend: gpu) }
        let cpu = try f(inputs), dev = try f(onDevice)
        #expect(dev.device == .cuda(0))
        #expect(dev.shape == cpu.shape && dev.dtype == cpu.dtype)
        #expect(close(try dev.doubles(), try cpu.doubles(), rel: rel, abs: abs), "outputs differ")
        guard cpu.dtype == .float32, cpu.requiresGrad else { return }
        // A fixed, uneven upstream gradient so that every position's gradient matters.
        let seed = try Tensor.from((0..<cpu.count).map { Float($0 % 7) - 2.5 }, shape: cpu.shape, on: backend)
        try cpu.backward(seed)
        let cpuGrads = try inputs.map { try $0.grad?.doubles() ?? [] }
        for t in inputs { t.grad = nil }
        try dev.backward(try seed.to(backend: gpu))
        for (t, want) in zip(inputs, cpuGrads) where t.dtype == .float32 {
            #expect(t.grad?.device == .cpu, "the leaf's gradient comes back through ToCopyBackward0")
            #expect(close(try t.grad?.doubles() ?? [], want, rel: rel, abs: abs), "gradients differ")
        }
    }

    @Test func arithmeticBroadcastsAndDifferentiates() throws {
        let a = try randomTensor([3, 4], seed: 1), b = try randomTensor([1, 4], seed: 2)
        try agree([a, b]) { t in try t[0].times(t[1]).plus(t[0]).minus(t[1].scaled(3)).over(t[1].unary(.exp)) }
        try agree([a]) { t in try Tensor.binary(.sub, .scalar(.float(2)), .tensor(t[0])).unary(.relu) }
        try agree([a]) { t in try Tensor.binary(.pow, .tensor(t[0]), .scalar(.int(2))).unary(.tanh).unary(.sigmoid) }
        try agree([a, b]) { t in try Tensor.binary(.maximum, .tensor(t[0]), .tensor(t[1])) }
    }

    @Test func viewsCopyAndReductionsAgree() throws {
        let a = try randomTensor([2, 3, 4], seed: 3)
        try agree([a]) { t in try t[0].permute([2, 0, 1]).contiguous().reshape([4, 6]).t().unary(.abs) }
        try agree([a]) { t in try t[0].reduce(.sum) }
        try agree([a]) { t in try t[0].reduce(.mean, dim: 1, keepdim: true).values }
        try agree([a]) { t in try t[0].reduce(.sum, dim: 0, keepdim: false).values }
        try agree([a]) { t in try t[0].reduce(.max, dim: 2, keepdim: false).values }
        try agree([a]) { t in try t[0].reduce(.min, dim: 1, keepdim: false).values }
        try agree([a]) { t in try t[0].reduce(.argmax, dim: 2, keepdim: true).values }
        try agree([a]) { t in try t[0].reduce(.argmin) }
        try agree([a]) { t in try t[0].index([.slice(nil, nil, 1), .newAxis, .int(1)]) }
    }

    @Test func comparisonsAndCountsGiveAccuracies() throws {
        let scores = try randomTensor([6, 5], seed: 4)
        let labels = try longs([0, 1, 2, 3, 4, 0], [6])
        try agree([scores, labels]) { t in
            try Tensor.binary(.eq, .tensor(t[0].reduce(.argmax, dim: 1, keepdim: false).values), .tensor(t[1])).reduce(.sum)
        }
        try agree([scores]) { t in try Tensor.binary(.gt, .tensor(t[0]), .scalar(.float(0.1))) }
        try agree([scores]) { t in try Tensor.binary(.le, .tensor(t[0]), .scalar(.float(0))).to(.float32).reduce(.mean) }
    }

    @Test func linearSoftmaxAndLossesAgree() throws {
        var g = Generator(seed: 5)
        let x = try randomTensor([4, 6], seed: 6), w = try randomTensor([3, 6], seed: 7), b = try randomTensor([3], seed: 8)
        let labels = try longs([2, 0, 1, 2], [4])
        try agree([x, w, b]) { t in try Tensor.linear(t[0], weight: t[1], bias: t[2]) }
        try agree([x, w]) { t in try t[0].matmul(t[1].t()) }
        try agree([x]) { t in try t[0].softmax(1) }
        try agree([x]) { t in try t[0].softmax(0, log: true) }
        try agree([x, w, b, labels]) { t in try Loss(.crossEntropy).loss(try Tensor.linear(t[0], weight: t[1], bias: t[2]), t[3]) }
        try agree([x, labels]) { t in try Loss(.nll, reduction: .sum).loss(try t[0].narrow(1, 0, 3).softmax(1, log: true), t[1]) }
        try agree([x, w]) { t in try Loss(.mse).loss(t[0].narrow(1, 0, 3), t[1].narrow(1, 0, 4).t()) }
        _ = g.next()
    }

    @Test func convolutionPoolingAndBatchNormAgree() throws {
        let x = try randomTensor([3, 2, 7, 6], seed: 9)
        let w = try randomTensor([4, 2, 3, 3], seed: 10), b = try randomTensor([4], seed: 11)
        for (stride, padding, dilation) in [(1, 1, 1), (2, 0, 1), (1, 2, 2)] {
            try agree([x, w, b], rel: 1e-4) { t in
                try Tensor.conv2d(t[0], weight: t[1], bias: t[2], stride: IntPair(stride), padding: IntPair(padding), dilation: IntPair(dilation))
            }
        }
        try agree([x]) { t in try Tensor.maxPool2d(t[0], kernel: IntPair(2), stride: IntPair(2), padding: IntPair(0), dilation: IntPair(1)) }
        try agree([x]) { t in try Tensor.maxPool2d(t[0], kernel: IntPair(3), stride: IntPair(1), padding: IntPair(1), dilation: IntPair(1)) }
        try agree([x]) { t in try Tensor.avgPool2d(t[0], kernel: IntPair(2), stride: IntPair(2), padding: IntPair(0)) }
        try agree([x]) { t in try Tensor.adaptiveAvgPool2d(t[0].narrow(3, 0, 4).narrow(2, 0, 6), output: IntPair(2)) }
        let gamma = try randomTensor([2], seed: 12), beta = try randomTensor([2], seed: 13)
        for training in [true, false] {
            for relu in [false, true] {
                let stats = [try Tensor.zeros([2], on: backend), try Tensor.ones([2], on: backend)]
                let deviceStats = try stats.map { try $0.transferred(to: gpu) }
                try agree([x, gamma, beta], rel: 1e-4, abs: 1e-4) { t in
                    let s = t[0].device == .cpu ? stats : deviceStats
                    return try Tensor.batchNorm(t[0], weight: t[1], bias: t[2], runningMean: s[0], runningVar: s[1], training: training,
                                                momentum: 0.1, eps: 1e-5, relu: relu)
                }
                #expect(close(try deviceStats[0].doubles() + deviceStats[1].doubles(), try stats[0].doubles() + stats[1].doubles(), rel: 1e-5))
            }
        }
    }

    @Test func dropoutDrawsTheHostsMask() throws {
        let x = try randomTensor([4, 3, 5, 5], seed: 14)
        for channelwise in [false, true] {
            let layer = try Dropout(p: 0.3)
            layer.channelwise = channelwise
            try agree([x]) { t in
                var context = ForwardContext(generator: Generator(seed: 99))
                return try layer(t[0], &context)
            }
        }
    }

    /// A small convolutional network trains on the device as on the CPU: same losses step by step
    /// (within float32 summation-order differences), and the optimizer's state follows the model.
    @Test func trainingStepsMatchTheCPU() throws {
        func model() throws -> Sequential {
            var g = Generator(seed: 21)
            return Sequential([
                try Conv2d(1, 4, kernelSize: IntPair(3), padding: IntPair(1), backend: backend, generator: &g), try BatchNorm(dims: 2, 4, backend: backend),
                Activation(.relu), try MaxPool2d(kernelSize: IntPair(2)), try Dropout(p: 0.2), Flatten(),
                try Linear(4 * 4 * 4, 10, backend: backend, generator: &g)])
        }
        let x = try randomTensor([8, 1, 8, 8], seed: 22), y = try longs([0, 1, 2, 3, 4, 5, 6, 7], [8])
        func losses(_ m: Sequential, on target: any Backend) throws -> [Double] {
            let optimizer = try Adam(m.parameters)
            var context = ForwardContext(generator: Generator(seed: 23))
            var out: [Double] = []
            for step in 0..<4 {
                if step == 1 {   // move after the optimizer has state: it follows at its next step
                    for p in m.parameters { try p.moveData(to: target) }
                    for b in m.allBuffers { try b.moveData(to: target) }
                }
                let l = try Loss(.crossEntropy).loss(try m(try x.to(backend: m.parameters[0].backend), &context),
                                                      try y.to(backend: m.parameters[0].backend))
                try optimizer.zeroGrad()
                try l.backward()
                try optimizer.step()
                out.append(try l.scalar().double)
            }
            return out
        }
        let cpu = try losses(try model(), on: backend)
        let moved = try model()
        let dev = try losses(moved, on: gpu)
        #expect(close(dev, cpu, rel: 1e-4), "\(dev) vs \(cpu)")
        #expect(moved.parameters.allSatisfy { $0.device == .cuda(0) } && moved.allBuffers.allSatisfy { $0.device == .cuda(0) })
    }

    @Test func mixingDevicesFailsInPyTorchsWords() throws {
        let a = try randomTensor([2, 2], seed: 30), d = try a.to(backend: gpu)
        let message = "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!"
        #expect(throws: TensorError.runtime(message)) { try d.plus(a) }
        #expect(throws: TensorError.runtime(message)) { try Tensor.linear(a, weight: d, bias: nil) }
        // A zero-dim CPU tensor combines with device tensors, as in PyTorch.
        #expect(try d.times(try Tensor.full([], 2, on: backend)).device == .cuda(0))
        #expect(throws: TensorError.self) { try d.index([.tensor(try longs([0], [1]))]) }
    }

    @Test func printingAndItemsCopyToTheHost() throws {
        let d = try Tensor.from([1.5, -2], shape: [2], on: gpu)
        #expect(try TensorPrinter.repr(d) == "tensor([ 1.5000, -2.0000], device='cuda:0')")
        #expect(try d.reduce(.sum).scalar() == .float(-0.5))
        #expect(try Tensor.zeros([3], dtype: .int64, on: gpu).int64s() == [0, 0, 0])
        #expect(try Tensor.arange(0, 4, 1, dtype: .int64, on: gpu).onHost().int64s() == [0, 1, 2, 3])
    }
}
