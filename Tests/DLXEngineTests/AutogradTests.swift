import Testing
@testable import DLXEngine

/// The fixture MLP (Flatten -> Linear(12, 8) -> ReLU -> Linear(8, 5)) with PyTorch's parameters.
func fixtureMLP(_ params: [String: Any]) throws -> (Sequential, [String: Tensor]) {
    var g = Generator(seed: 0)
    let l1 = try Linear(12, 8, backend: backend, generator: &g), l2 = try Linear(8, 5, backend: backend, generator: &g)
    var named: [String: Tensor] = [:]
    for (layer, prefix) in [(l1, "1"), (l2, "3")] {
        let (ws, w) = fixture(params[prefix + ".weight"]), (bs, b) = fixture(params[prefix + ".bias"])
        layer.weight = try tensor(w, ws); layer.weight.requiresGrad = true
        layer.bias = try tensor(b, bs); layer.bias!.requiresGrad = true
        named[prefix + ".weight"] = layer.weight
        named[prefix + ".bias"] = layer.bias!
    }
    return (Sequential([Flatten(), l1, Activation(.relu), l2]), named)
}

@Suite struct AutogradTests {
    @Test func mlpGradientsMatchPyTorch() throws {
        let c = engineFixtures["mlp_cross_entropy"] as! [String: Any]
        let (model, named) = try fixtureMLP(c["params"] as! [String: Any])
        let (xs, x) = fixture(c["input"])
        var context = ForwardContext(generator: Generator(seed: 0))
        let logits = try model(try tensor(x, xs), &context)
        let loss = try Loss(.crossEntropy).loss(logits, try longs((c["target"] as! [Int]).map(Int64.init), [4]))
        #expect(loss.gradFn?.name == "NllLossBackward0")
        try loss.backward()
        let grads = c["grads"] as! [String: Any]
        for (name, p) in named {
            let (_, expected) = fixture(grads[name])
            #expect(try close(p.grad!.doubles(), expected.map(Double.init), rel: 1e-5, abs: 1e-7), "\(name)")
        }
    }

    /// loss = sum(f(a)) for each elementwise or reduction f, against PyTorch's gradient.
    @Test(arguments: ["relu", "sigmoid", "tanh", "exp", "softmax_dim1", "log_softmax_dim1", "mean_dim0", "mse_vs_ones", "matmul_self_t"])
    func elementwiseGradientsMatchPyTorch(_ name: String) throws {
        let c = engineFixtures["grad_" + name] as! [String: Any]
        let (shape, values) = fixture(c["input"])
        let a = try tensor(values, shape)
        a.requiresGrad = true
        let weights = try Tensor.arange(0, 4, 1, dtype: .float32, on: backend)
        let v: Tensor
        switch name {
        case "relu": v = try a.unary(.relu)
        case "sigmoid": v = try a.unary(.sigmoid)
        case "tanh": v = try a.unary(.tanh)
        case "exp": v = try a.unary(.exp)
        case "softmax_dim1": v = try a.softmax(1).times(weights)
        case "log_softmax_dim1": v = try a.softmax(1, log: true).times(weights)
        case "mean_dim0": v = try a.reduce(.mean, dim: 0, keepdim: false).values.times(weights)
        case "mse_vs_ones": v = try Loss(.mse).loss(a, try Tensor.ones([3, 4], on: backend))
        default: v = try a.matmul(a.t())
        }
        let (_, out) = fixture(c["output"])
        #expect(try close(v.doubles(), out.map(Double.init), rel: 1e-5, abs: 1e-6))
        try v.reduce(.sum).backward()
        let (_, grad) = fixture(c["grad"])
        #expect(try close(a.grad!.doubles(), grad.map(Double.init), rel: 1e-5, abs: 1e-6))
    }

    /// Central differences on a scalar function of one input, in float32 (hence the loose tolerance).
    func checkFiniteDifferences(_ shape: [Int], seed: UInt64, positive: Bool = false, _ f: (Tensor) throws -> Tensor) throws {
        var x = try randomTensor(shape, seed: seed)
        if positive { x = try x.unary(.abs).plus(try Tensor.full([], 0.5, on: backend)) }
        x.requiresGrad = true
        try f(x).backward()
        let analytic = try x.grad!.doubles()
        let eps: Float = 1e-2
        // Grad mode stays on (tests share one backend and run in parallel); the extra graphs are discarded.
        let p = x.f32
        for i in 0..<x.count {
            let saved = p[i]
            p[i] = saved + eps
            let up = try f(x).doubles()[0]
            p[i] = saved - eps
            let down = try f(x).doubles()[0]
            p[i] = saved
            let numeric = (up - down) / Double(2 * eps)
            #expect(abs(numeric - analytic[i]) <= 2e-2 + 2e-2 * abs(numeric), "element \(i): numeric \(numeric), autograd \(analytic[i])")
        }
    }

    @Test func unaryRulesAgreeWithFiniteDifferences() throws {
        for op in [Tensor.UnaryOp.exp, .sigmoid, .tanh, .neg] {
            try checkFiniteDifferences([2, 3], seed: 20) { try $0.unary(op).reduce(.sum) }
        }
        try checkFiniteDifferences([2, 3], seed: 21, positive: true) { try $0.unary(.log).reduce(.sum) }
        try checkFiniteDifferences([2, 3], seed: 22, positive: true) { try $0.unary(.sqrt).reduce(.sum) }
    }

    @Test func binaryRulesWithBroadcastingAgreeWithFiniteDifferences() throws {
        let b = try randomTensor([3], seed: 30)
        let pos = try b.unary(.abs).plus(try Tensor.full([], 0.5, on: backend))
        try checkFiniteDifferences([2, 3], seed: 31) { try $0.plus(b).times($0).reduce(.sum) }
        try checkFiniteDifferences([2, 3], seed: 32) { try $0.minus(b).over(pos).reduce(.sum) }
        try checkFiniteDifferences([3], seed: 33) { x in try b.expand(to: [2, 3]).times(x).reduce(.mean) }
        try checkFiniteDifferences([2, 3], seed: 34, positive: true) { try Tensor.binary(.pow, .tensor($0), .scalar(.float(1.5))).reduce(.sum) }
        // (Seeds 35 and 36 put an element within 0.01 of b, at the kink: nearby MT19937 seeds start alike.)
        try checkFiniteDifferences([2, 3], seed: 37) { try Tensor.binary(.maximum, .tensor($0), .tensor(b)).reduce(.sum) }
    }

    @Test func shapeAndIndexRulesAgreeWithFiniteDifferences() throws {
        let w = try randomTensor([6], seed: 40)
        try checkFiniteDifferences([2, 3], seed: 41) { try $0.reshape([6]).times(w).reduce(.sum) }
        try checkFiniteDifferences([2, 3], seed: 42) { try $0.t().contiguous().view([6]).times(w).reduce(.sum) }
        try checkFiniteDifferences([2, 3], seed: 43) { try $0.permute([1, 0]).unsqueeze(0).squeeze(0).flatten().times(w).reduce(.sum) }
        try checkFiniteDifferences([3, 4], seed: 44) { try $0.index([.slice(1, nil, 1), .int(2)]).reduce(.sum) }
        try checkFiniteDifferences([3, 4], seed: 45) { x in
            try x.index([.tensor(try longs([2, 0, 2], [3]))]).times(try randomTensor([3, 4], seed: 46)).reduce(.sum)
        }
        try checkFiniteDifferences([2, 3], seed: 47) { x in
            try Tensor.cat([x, x.times(x)], dim: 0).times(try randomTensor([4, 3], seed: 48)).reduce(.sum)
        }
        try checkFiniteDifferences([2, 3], seed: 49) { x in try Tensor.stack([x, x], dim: 1).reduce(.max) }
    }

    @Test func reductionAndSoftmaxRulesAgreeWithFiniteDifferences() throws {
        let w = try randomTensor([2, 4], seed: 50)
        try checkFiniteDifferences([2, 4], seed: 51) { try $0.softmax(1).times(w).reduce(.sum) }
        try checkFiniteDifferences([2, 4], seed: 52) { try $0.softmax(0, log: true).times(w).reduce(.sum) }
        try checkFiniteDifferences([2, 4], seed: 53) { try $0.reduce(.max, dim: 1, keepdim: false).values.reduce(.sum) }
        try checkFiniteDifferences([2, 4], seed: 54) { try $0.reduce(.sum, dim: 0, keepdim: true).values.times(try randomTensor([1, 4], seed: 55)).reduce(.mean) }
    }

    @Test func matmulLinearAndLossRulesAgreeWithFiniteDifferences() throws {
        let m = try randomTensor([4, 2], seed: 60)
        try checkFiniteDifferences([3, 4], seed: 61) { try $0.matmul(m).reduce(.sum) }
        try checkFiniteDifferences([4], seed: 62) { try $0.matmul(m).reduce(.sum) }
        try checkFiniteDifferences([2, 3, 4], seed: 63) { try $0.matmul(m).reduce(.sum) }
        let weight = try randomTensor([5, 4], seed: 64), bias = try randomTensor([5], seed: 65)
        try checkFiniteDifferences([3, 4], seed: 66) { try Tensor.linear($0, weight: weight, bias: bias).unary(.tanh).reduce(.sum) }
        try checkFiniteDifferences([5, 4], seed: 67) { w in try Tensor.linear(m.t(), weight: w, bias: nil).reduce(.sum) }
        let labels = try longs([1, 0, 3], [3])
        try checkFiniteDifferences([3, 4], seed: 68) { try Loss(.crossEntropy).loss($0, labels) }
        try checkFiniteDifferences([3, 4], seed: 69) { try Loss(.nll, reduction: .sum).loss($0.softmax(1, log: true), labels) }
        try checkFiniteDifferences([3, 4], seed: 70) { try Loss(.mse).loss($0, try randomTensor([3, 4], seed: 71)) }
    }

    @Test func backwardKernelsMatchTheReference() throws {
        let x = try randomTensor([300], seed: 80), g = try randomTensor([300], seed: 81)
        for k in [UnaryKernel.exp, .relu, .sigmoid, .tanh, .abs, .neg] {
            let y = try Tensor.from(x.doubles().map { ReferenceKernels.unary(k, Float($0)) }, shape: [300], on: backend)
            let fast = try Tensor.unaryGradient(k, g, input: x, output: y).doubles()
            let ref = zip(try g.doubles(), try x.doubles()).map { Double(ReferenceKernels.unaryBackward(k, Float($0), Float($1))) }
            #expect(close(fast, ref, rel: 1e-5, abs: 1e-6), "kernel \(k)")
        }
    }

    @Test func gradientsAccumulateUntilCleared() throws {
        let x = try tensor([1, 2, 3], [3])
        x.requiresGrad = true
        try x.times(x).reduce(.sum).backward()
        try x.times(x).reduce(.sum).backward()
        #expect(try x.grad?.doubles() == [4, 8, 12])
    }

    @Test func secondBackwardThroughTheSameGraphIsAnError() throws {
        let x = try tensor([1, 2], [2])
        x.requiresGrad = true
        let y = try x.unary(.exp).reduce(.sum)
        try y.backward()
        #expect(throws: TensorError.self) { try y.backward() }
    }

    @Test func noGradModeRecordsNothing() throws {
        let own = CPUBackend()   // grad mode belongs to a backend; this test must not switch the shared one
        let x = try Tensor.from([Float(1), 2], shape: [2], on: own)
        x.requiresGrad = true
        let y = try own.autograd.with(enabled: false) { try x.times(x) }
        #expect(y.gradFn == nil && !y.requiresGrad)
        #expect(throws: TensorError.self) { try y.reduce(.sum).backward() }
    }

    @Test func gradFnNamesFollowPyTorch() throws {
        let x = try tensor([1, 2, 3, 4], [2, 2])
        x.requiresGrad = true
        #expect(try x.plus(x).gradFn?.name == "AddBackward0")
        #expect(try x.matmul(x).gradFn?.name == "MmBackward0")
        #expect(try x.reduce(.sum).gradFn?.name == "SumBackward0")
        #expect(try x.reduce(.mean, dim: 0, keepdim: false).values.gradFn?.name == "MeanBackward1")
        #expect(try x.view([4]).gradFn?.name == "ViewBackward0")
        #expect(try x.t().gradFn?.name == "TBackward0")
        #expect(try x.unary(.relu).gradFn?.name == "ReluBackward0")
        #expect(try x.softmax(1, log: true).gradFn?.name == "LogSoftmaxBackward0")
        #expect(try x.select(0, 1).gradFn?.name == "SelectBackward0")
    }
}

@Suite struct OptimizerTests {
    /// Three steps of each optimizer on the fixture MLP land on PyTorch's parameters.
    @Test(arguments: ["adam", "adam_wd", "sgd", "sgd_momentum"])
    func threeStepsMatchPyTorch(_ name: String) throws {
        let c = engineFixtures["optimizer_" + name] as! [String: Any]
        let (model, named) = try fixtureMLP(c["params_before"] as! [String: Any])
        let params = ["1.weight", "1.bias", "3.weight", "3.bias"].map { named[$0]! }
        let optimizer: Optimizer
        switch name {
        case "adam": optimizer = try Adam(params, lr: 1e-3)
        case "adam_wd": optimizer = try Adam(params, lr: 1e-2, betas: (0.8, 0.9), eps: 1e-6, weightDecay: 0.1)
        case "sgd": optimizer = try SGD(params, lr: 0.1)
        default: optimizer = try SGD(params, lr: 0.05, momentum: 0.9)
        }
        let (xs, xv) = fixture(c["input"])
        let x = try tensor(xv, xs), y = try longs((c["target"] as! [Int]).map(Int64.init), [4])
        var context = ForwardContext(generator: Generator(seed: 0))
        var losses: [Double] = []
        for _ in 0..<3 {
            try optimizer.zeroGrad()
            let l = try Loss(.crossEntropy).loss(try model(x, &context), y)
            try l.backward()
            try optimizer.step()
            losses.append(try l.doubles()[0])
        }
        #expect(close(losses, c["losses"] as! [Double], rel: 1e-5))
        let after = c["params_after_3_steps"] as! [String: Any]
        for (n, p) in named {
            let (_, expected) = fixture(after[n])
            #expect(try close(p.doubles(), expected.map(Double.init), rel: 1e-5, abs: 1e-7), "\(n)")
        }
    }

    @Test func adamKernelMatchesTheReference() throws {
        let n = 1000
        let w = try randomTensor([n], seed: 90), g = try randomTensor([n], seed: 91)
        let m = try Tensor.zeros([n], on: backend), v = try Tensor.zeros([n], on: backend)
        var rw = try w.doubles().map(Float.init), rm = [Float](repeating: 0, count: n), rv = rm
        let s = AdamStep(lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, correction2Sqrt: 0.3)
        for _ in 0..<3 {
            backend.adamStep(s, w.f32, g.f32, m.f32, v.f32, count: n)
            for i in 0..<n { ReferenceKernels.adam(s, &rw[i], g.f32[i], &rm[i], &rv[i]) }
        }
        #expect(try close(w.doubles(), rw.map(Double.init), rel: 1e-5, abs: 1e-7))
    }

    @Test func sgdKernelMatchesTheReference() throws {
        let n = 1000
        for momentum in [Float(0), 0.9] {
            let w = try randomTensor([n], seed: 92), g = try randomTensor([n], seed: 93)
            let buffer = try Tensor.zeros([n], on: backend)
            var rw = try w.doubles().map(Float.init)
            var rv: [Float?] = Array(repeating: momentum == 0 ? nil : 0, count: n)
            for step in 0..<3 {
                let s = SGDStep(lr: 0.05, momentum: momentum, weightDecay: 0.01, firstStep: step == 0)
                backend.sgdStep(s, w.f32, g.f32, momentum == 0 ? nil : buffer.f32, count: n)
                for i in 0..<n { ReferenceKernels.sgd(s, &rw[i], g.f32[i], &rv[i]) }
            }
            #expect(try close(w.doubles(), rw.map(Double.init), rel: 1e-5, abs: 1e-7), "momentum \(momentum)")
        }
    }

    @Test func reprsListTheParameterGroup() throws {
        let p = try Tensor.zeros([2], on: backend)
        p.requiresGrad = true
        let a = try Adam([p])
        #expect(a.repr.hasPrefix("Adam (\nParameter Group 0\n    amsgrad: False\n    betas: (0.9, 0.999)\n"))
        #expect(a.repr.contains("    lr: 0.001\n"))
        #expect(try SGD([p], lr: 0.1).repr.contains("    momentum: 0\n"))
    }
}

/// Graphs are freed with an explicit stack: dropping a long chain must not nest one deinit per node.
@Suite struct GraphReleaseTests {
    @Test func aLongChainIsFreedWithoutRecursion() throws {
        let own = CPUBackend()
        let x = try Tensor.ones([1], on: own)
        x.requiresGrad = true
        var y: Tensor? = x
        for _ in 0..<200_000 { y = try y!.scaled(1.0) }
        #expect(y?.gradFn?.name == "MulBackward0")
        y = nil   // recursively, this overflowed the stack (SIGSEGV) at 200,000 steps already
        #expect(own.bytesInUse <= 64)
    }

    /// A rule must read the output it is given, never capture it: an output holding its own graph is a cycle
    /// that reference counting never frees (torch.cat's did: every cat with gradients leaked its graph).
    @Test func everyOpsOutputIsFreedWithItsGraph() throws {
        let own = CPUBackend()
        let x = try Tensor.ones([2, 3], on: own)
        x.requiresGrad = true
        let ops: [(String, (Tensor) throws -> Tensor)] = [
            ("cat", { try Tensor.cat([$0, $0], dim: 0) }), ("stack", { try Tensor.stack([$0, $0], dim: 1) }),
            ("times", { try $0.times($0) }), ("over", { try $0.over($0) }), ("exp", { try $0.unary(.exp) }),
            ("sigmoid", { try $0.unary(.sigmoid) }), ("softmax", { try $0.softmax(1) }), ("sum", { try $0.reduce(.sum) }),
            ("t", { try $0.t() }), ("index", { try $0.index([.int(1)]) }), ("reshape", { try $0.reshape([6]) }),
        ]
        for (name, op) in ops {
            weak var out: Tensor?
            do {
                let y = try op(x)
                #expect(y.gradFn != nil, "\(name)")
                out = y
            }
            #expect(out == nil, "\(name)'s output outlived every reference to it")
        }
    }

    @Test func nodesStillReferencedStayIntact() throws {
        let x = try Tensor.ones([2], on: backend)
        x.requiresGrad = true
        let mid = try x.times(x).scaled(3)
        var top: Tensor? = try mid.scaled(2).reduce(.sum)
        top = nil
        // `mid` was kept, so its part of the graph is whole: backward still reaches x.
        try mid.reduce(.sum).backward()
        #expect(try x.grad!.doubles() == [6, 6])
        _ = top
    }
}

/// Version counters: a tensor autograd saved and then changed in place makes backward raise, as in PyTorch.
@Suite struct VersionCounterTests {
    static let hint = " Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True)."

    @Test func inPlaceOpsBumpTheStoragesVersionSharedByViews() throws {
        let x = try Tensor.zeros([2, 3], on: backend)
        let row = try x.select(0, 1)
        #expect(x.version == 0)
        try row.fill(1)
        try x.copy(from: try Tensor.ones([3], on: backend))
        try x.indexPut([.tensor(try longs([0], [1]))], .scalar(.float(2)))
        #expect(x.version == 3 && row.version == 3)
        #expect(try x.clone().version == 0)
    }

    @Test func aSavedTensorChangedInPlaceMakesBackwardRaise() throws {
        let x = try Tensor.ones([3], on: backend)
        x.requiresGrad = true
        let y = try x.scaled(2)
        let z = try y.times(y).reduce(.sum)
        try backend.autograd.with(enabled: false) { () throws(TensorError) in try y.copy(from: try y.plus(try Tensor.full([3], 100, on: backend))) }
        #expect(throws: TensorError.runtime("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of MulBackward0, is at version 1; expected version 0 instead." + VersionCounterTests.hint)) {
            try z.backward()
        }
        #expect(x.grad == nil)
    }

    @Test func opsThatSaveNothingDoNotCare() throws {
        let x = try Tensor.ones([3], on: backend)
        x.requiresGrad = true
        let y = try x.scaled(2)
        let z = try y.plus(y).reduce(.sum)
        try y.fill(7)
        try z.backward()
        #expect(try x.grad!.doubles() == [4, 4, 4])
    }

    @Test func savedOutputsAndLeavesAreCheckedToo() throws {
        let x = try Tensor.ones([2], on: backend)
        x.requiresGrad = true
        let e = try x.unary(.exp)
        try e.select(0, 0).fill(5)   // a view of the output ExpBackward0 saved
        #expect(throws: TensorError.runtime("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead." + VersionCounterTests.hint)) {
            try e.reduce(.sum).backward()
        }
        // A weight the optimizer changed between the forward and the backward: a leaf, named without a node.
        let w = try Tensor.ones([2, 2], on: backend)
        w.requiresGrad = true
        let input = try Tensor.ones([1, 2], on: backend)
        input.requiresGrad = true
        let out = try Tensor.linear(input, weight: w, bias: nil).reduce(.sum)
        w.grad = try Tensor.ones([2, 2], on: backend)
        try SGD([w], lr: 0.1).step()
        #expect(throws: TensorError.runtime("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2, 2]] is at version 1; expected version 0 instead." + VersionCounterTests.hint)) {
            try out.backward()
        }
    }
}
