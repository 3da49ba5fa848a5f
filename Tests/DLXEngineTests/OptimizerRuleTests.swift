import Testing
@testable import DLXEngine

/// The optimizers' update rules: each C kernel against its naive reference (PyTorch's `_single_tensor_*`
/// written out element by element), and three steps of each optimizer against what PyTorch 2.15 computed.
@Suite struct OptimizerRuleTests {
    /// Enough elements for the CPU backend to split the update across its workers.
    static let n = 40_000

    static func data(_ seed: UInt64) throws -> (Tensor, Tensor) {
        (try randomTensor([n], seed: seed), try randomTensor([n], seed: seed + 1))
    }

    @Test func adagradKernelMatchesTheReference() throws {
        let (w, g) = try Self.data(100)
        let sum = try Tensor.full([Self.n], 0.1, on: backend)
        var rw = try w.doubles().map(Float.init), rs = [Float](repeating: 0.1, count: Self.n)
        for step in 1...3 {
            let s = AdagradStep(lr: Float(0.1 / (1 + Double(step - 1) * 0.01)), eps: 1e-10, weightDecay: 0.01)
            backend.adagradStep(s, w.f32, g.f32, sum.f32, count: Self.n)
            for i in 0..<Self.n { ReferenceKernels.adagrad(s, &rw[i], g.f32[i], &rs[i]) }
        }
        #expect(try close(w.doubles(), rw.map(Double.init), rel: 1e-5, abs: 1e-7))
        #expect(try close(sum.doubles(), rs.map(Double.init), rel: 1e-5, abs: 1e-7))
    }

    @Test(arguments: [(0.0, false), (0.5, false), (0.0, true), (0.9, true)])
    func rmspropKernelMatchesTheReference(_ momentum: Double, _ centered: Bool) throws {
        let (w, g) = try Self.data(102)
        let square = try Tensor.zeros([Self.n], on: backend), buf = try Tensor.zeros([Self.n], on: backend)
        let avg = try Tensor.zeros([Self.n], on: backend)
        var rw = try w.doubles().map(Float.init), rsq = [Float](repeating: 0, count: Self.n)
        var rbuf: [Float?] = Array(repeating: momentum > 0 ? 0 : nil, count: Self.n)
        var ravg: [Float?] = Array(repeating: centered ? 0 : nil, count: Self.n)
        let s = RMSpropStep(lr: 0.01, alpha: 0.9, eps: 1e-8, weightDecay: 0.01, momentum: Float(momentum))
        for _ in 0..<3 {
            backend.rmspropStep(s, w.f32, g.f32, square.f32, momentum > 0 ? buf.f32 : nil, centered ? avg.f32 : nil, count: Self.n)
            for i in 0..<Self.n { ReferenceKernels.rmsprop(s, &rw[i], g.f32[i], &rsq[i], &rbuf[i], &ravg[i]) }
        }
        #expect(try close(w.doubles(), rw.map(Double.init), rel: 1e-4, abs: 1e-6), "momentum \(momentum), centered \(centered)")
        #expect(try close(square.doubles(), rsq.map(Double.init), rel: 1e-5, abs: 1e-7))
    }

    @Test func adadeltaKernelMatchesTheReference() throws {
        let (w, g) = try Self.data(104)
        let square = try Tensor.zeros([Self.n], on: backend), acc = try Tensor.zeros([Self.n], on: backend)
        var rw = try w.doubles().map(Float.init), rsq = [Float](repeating: 0, count: Self.n), racc = rsq
        let s = AdadeltaStep(lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0.01)
        for _ in 0..<3 {
            backend.adadeltaStep(s, w.f32, g.f32, square.f32, acc.f32, count: Self.n)
            for i in 0..<Self.n { ReferenceKernels.adadelta(s, &rw[i], g.f32[i], &rsq[i], &racc[i]) }
        }
        #expect(try close(w.doubles(), rw.map(Double.init), rel: 1e-5, abs: 1e-7))
        #expect(try close(acc.doubles(), racc.map(Double.init), rel: 1e-4, abs: 1e-9))
    }

    @Test(arguments: [(Float(0.9), Float(1), false), (0.9, 0.7, false), (0.9, 1, true)])
    func sgdKernelWithDampeningAndNesterovMatchesTheReference(_ momentum: Float, _ undamped: Float, _ nesterov: Bool) throws {
        let (w, g) = try Self.data(106)
        let buffer = try Tensor.zeros([Self.n], on: backend)
        var rw = try w.doubles().map(Float.init)
        var rv: [Float?] = Array(repeating: 0, count: Self.n)
        for step in 0..<3 {
            let s = SGDStep(lr: 0.05, momentum: momentum, weightDecay: 0.01, firstStep: step == 0, undamped: undamped, nesterov: nesterov)
            backend.sgdStep(s, w.f32, g.f32, buffer.f32, count: Self.n)
            for i in 0..<Self.n { ReferenceKernels.sgd(s, &rw[i], g.f32[i], &rv[i]) }
        }
        #expect(try close(w.doubles(), rw.map(Double.init), rel: 1e-5, abs: 1e-7))
    }

    @Test func adamWKernelDecaysTheWeightsFirst() throws {
        let (w, g) = try Self.data(108)
        let m = try Tensor.zeros([Self.n], on: backend), v = try Tensor.zeros([Self.n], on: backend)
        var rw = try w.doubles().map(Float.init), rm = [Float](repeating: 0, count: Self.n), rv = rm
        let s = AdamStep(lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, correction2Sqrt: 0.3, decay: 0.999)
        for _ in 0..<3 {
            backend.adamStep(s, w.f32, g.f32, m.f32, v.f32, count: Self.n)
            for i in 0..<Self.n { ReferenceKernels.adam(s, &rw[i], g.f32[i], &rm[i], &rv[i]) }
        }
        #expect(try close(w.doubles(), rw.map(Double.init), rel: 1e-5, abs: 1e-7))
    }

    /// Three steps on loss = sum(p * [1, 2, -3]) + sum(p^2) from p = [1, -2, 0.5]: PyTorch 2.15's parameters
    /// and state after them.
    static let pytorch: [(String, [Double], [String: [Double]])] = [
        ("SGD", [0.2679999768733978, -1.5119999647140503, 0.9880000352859497], [:]),
        ("SGD-nesterov", [-0.6647113561630249, -0.882818341255188, 1.6033551692962646],
         ["momentum_buffer": [4.772438049316406, -3.202765703201294, -3.1631271839141846]]),
        ("SGD-dampening", [-0.23887993395328522, -1.1740800142288208, 1.3259199857711792],
         ["momentum_buffer": [5.0087995529174805, -3.3391997814178467, -3.3391997814178467]]),
        ("Adam", [0.7009028196334839, -1.7015862464904785, 0.7984136939048767],
         ["step": [3], "exp_avg": [0.7550478577613831, -0.48408243060112, -0.4840824604034424],
          "exp_avg_sq": [0.023576656356453896, 0.009791403077542782, 0.009791404008865356]]),
        ("AdamW", [0.6743071675300598, -1.6456563472747803, 0.7806987762451172],
         ["step": [3], "exp_avg": [0.7494741678237915, -0.4727470576763153, -0.48716676235198975]]),
        ("Adagrad", [0.24811455607414246, -1.3067348003387451, 1.180558681488037],
         ["step": [3], "sum": [17.756444931030273, 7.127105712890625, 6.123528480529785]]),
        ("RMSprop", [0.7768514752388, -1.7799822092056274, 0.7200177311897278],
         ["step": [3], "square_avg": [0.23674975335597992, 0.09903008490800858, 0.09903009980916977]]),
        ("RMSprop-centered", [0.8819257020950317, -1.8823482990264893, 0.6174622774124146],
         ["step": [3], "momentum_buffer": [4.286159038543701, -4.2555975914001465, -4.241855621337891],
          "grad_avg": [0.8180053234100342, -0.5741298794746399, -0.5063908100128174]]),
        ("Adadelta", [0.9903035163879395, -1.9903091192245483, 0.5096909403800964],
         ["step": [3], "acc_delta": [2.8398767426551785e-06, 2.8363572255329927e-06, 2.836357452906668e-06]]),
        ("Adadelta-wd", [0.9975771903991699, -1.9975773096084595, 0.502422571182251],
         ["step": [3], "square_avg": [8.396535873413086, 4.2263336181640625, 3.319507122039795]]),
    ]

    static func make(_ name: String, _ ps: [Tensor]) throws -> Optimizer {
        switch name {
        case "SGD": return try SGD(ps, lr: 0.1)
        case "SGD-nesterov": return try SGD(ps, lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true)
        case "SGD-dampening": return try SGD(ps, lr: 0.1, momentum: 0.9, dampening: 0.3)
        case "Adam": return try Adam(ps, lr: 0.1)
        case "AdamW": return try AdamW(ps, lr: 0.1, weightDecay: 0.1)
        case "Adagrad": return try Adagrad(ps, lr: 0.4, lrDecay: 0.1, weightDecay: 0.05, initialAccumulatorValue: 0.2)
        case "RMSprop": return try RMSprop(ps, lr: 0.01)
        case "RMSprop-centered": return try RMSprop(ps, lr: 0.01, alpha: 0.9, weightDecay: 0.1, momentum: 0.5, centered: true)
        case "Adadelta": return try Adadelta(ps, lr: 1)
        default: return try Adadelta(ps, lr: 0.5, rho: 0.5, weightDecay: 0.1)
        }
    }

    @Test(arguments: pytorch.map { $0.0 })
    func threeStepsLandOnPyTorchsParametersAndState(_ name: String) throws {
        let (_, expected, state) = Self.pytorch.first { $0.0 == name }!
        let p = try tensor([1, -2, 0.5], [3])
        p.requiresGrad = true
        let c = try tensor([1, 2, -3], [3])
        let optimizer = try Self.make(name, [p])
        for _ in 0..<3 {
            try optimizer.zeroGrad()
            try p.times(c).reduce(.sum).plus(p.times(p).reduce(.sum)).backward()
            try optimizer.step()
        }
        let got = try p.doubles()
        #expect(close(got, expected, rel: 1e-5, abs: 1e-7), "\(name): \(got)")
        let have = try optimizer.state(of: p)
        for (key, values) in state {
            let t = try #require(have.first { $0.0 == key }?.1, "\(name) has no state '\(key)'")
            let values2 = try t.doubles()
            #expect(close(values2, values, rel: 1e-4, abs: 1e-9), "\(name).\(key): \(values2)")
        }
    }

    /// PyTorch's state keys in its order: `step` first; SGD counts no steps; Adagrad's state exists from the start.
    @Test func stateIsNamedAndOrderedAsPyTorchsStateDict() throws {
        let p = try tensor([1, 2], [2])
        p.requiresGrad = true
        let adagrad = try Adagrad([p], initialAccumulatorValue: 0.5)
        #expect(try adagrad.state(of: p).map { $0.0 } == ["step", "sum"])
        #expect(try adagrad.state(of: p)[1].1.doubles() == [0.5, 0.5])
        let rms = try RMSprop([p], momentum: 0.5)
        #expect(try rms.state(of: p).isEmpty)
        p.grad = try tensor([1, 1], [2])
        try rms.step()
        #expect(try rms.state(of: p).map { $0.0 } == ["step", "square_avg", "momentum_buffer"])
        #expect(try rms.state(of: p)[0].1.doubles() == [1])
        let sgd = try SGD([p], lr: 0.1, momentum: 0.9)
        try sgd.step()
        #expect(try sgd.state(of: p).map { $0.0 } == ["momentum_buffer"])
        #expect(throws: TensorError.self) { try SGD([p], lr: 0.1, nesterov: true) }
    }

    /// A restored state continues as the saved optimizer would have.
    @Test func setStateRestoresStepsAndBuffers() throws {
        func run(_ restore: Bool) throws -> [Double] {
            let p = try tensor([1, -2], [2])
            p.requiresGrad = true
            let a = try Adam([p], lr: 0.1)
            p.grad = try tensor([0.5, -1], [2])
            try a.step()
            let saved = try a.state(of: p).map { ($0.0, try $0.1.clone()) }
            let b = restore ? try Adam([p], lr: 0.1) : a
            if restore { try b.setState(of: p, steps: 1, buffers: saved.filter { $0.0 != "step" }) }
            try b.step()
            return try p.doubles()
        }
        #expect(try run(true) == run(false))
    }

    @Test func learningRateChangesAreHeard() throws {
        let p = try tensor([1], [1])
        p.requiresGrad = true
        let o = try SGD([p], lr: 0.1)
        var heard: [Double] = []
        o.onLearningRateChange = { heard.append($0) }
        let s = try StepLR(o, stepSize: 1, gamma: 0.5)
        s.step()
        o.learningRate = 0.01
        o.learningRate = 0.01
        #expect(heard == [0.05, 0.01])
    }
}
