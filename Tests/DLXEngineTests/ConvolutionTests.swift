import Testing
@testable import DLXEngine

/// Conv2d, MaxPool2d and BatchNorm2d against PyTorch 2.15's values (engine-fixtures.json): outputs,
/// input gradients and parameter gradients for loss = sum(output * upstream).
@Suite struct ConvolutionTests {
    func fixtureCase(_ name: String) -> [String: Any] { engineFixtures[name] as! [String: Any] }

    func input(_ c: [String: Any]) throws -> Tensor {
        let (s, v) = fixture(c["input"])
        let x = try tensor(v, s)
        x.requiresGrad = true
        return x
    }

    func check(_ c: [String: Any], _ x: Tensor, _ out: Tensor, params: [(String, Tensor)]) throws {
        let (_, expected) = fixture(c["output"])
        #expect(try close(out.doubles(), expected.map(Double.init), rel: 1e-4, abs: 1e-5), "output")
        let (us, up) = fixture(c["upstream_grad"])
        try out.backward(try tensor(up, us))
        let (_, gi) = fixture(c["grad_input"])
        #expect(try close(x.grad!.doubles(), gi.map(Double.init), rel: 1e-4, abs: 1e-5), "grad_input")
        let grads = c["grads"] as! [String: Any]
        for (name, p) in params {
            let (_, g) = fixture(grads[name])
            #expect(try close(p.grad!.doubles(), g.map(Double.init), rel: 1e-4, abs: 1e-5), "grad of \(name)")
        }
    }

    func conv(_ c: [String: Any], _ inC: Int, _ outC: Int, _ k: IntPair, stride: IntPair, padding: IntPair, bias: Bool) throws -> Conv2d {
        var g = Generator(seed: 0)
        let layer = try Conv2d(inC, outC, kernelSize: k, stride: stride, padding: padding, bias: bias, backend: backend, generator: &g)
        let params = c["params"] as! [String: Any]
        let (ws, w) = fixture(params["weight"])
        layer.weight = try tensor(w, ws); layer.weight.requiresGrad = true
        if bias {
            let (bs, b) = fixture(params["bias"])
            layer.bias = try tensor(b, bs); layer.bias!.requiresGrad = true
        }
        return layer
    }

    @Test(arguments: [("conv2d_3_4_k3_s1_p1", 4, IntPair(3), IntPair(1), IntPair(1), true),
                      ("conv2d_3_2_k3_s2_p0", 2, IntPair(3), IntPair(2), IntPair(0), true),
                      ("conv2d_3_2_k2x3_s1_p1x0_nobias", 2, IntPair(2, 3), IntPair(1), IntPair(1, 0), false)])
    func conv2dMatchesPyTorch(_ a: (String, Int, IntPair, IntPair, IntPair, Bool)) throws {
        let c = fixtureCase(a.0)
        let layer = try conv(c, 3, a.1, a.2, stride: a.3, padding: a.4, bias: a.5)
        let x = try input(c)
        var context = ForwardContext(generator: Generator(seed: 0))
        let out = try layer(x, &context)
        #expect(out.gradFn?.name == "ConvolutionBackward0")
        try check(c, x, out, params: [("weight", layer.weight)] + (layer.bias.map { [("bias", $0)] } ?? []))
    }

    @Test(arguments: [("maxpool2d_k2_s2", IntPair(2), IntPair(2), IntPair(0)), ("maxpool2d_k3_s1_p1", IntPair(3), IntPair(1), IntPair(1))])
    func maxPoolMatchesPyTorch(_ a: (String, IntPair, IntPair, IntPair)) throws {
        let c = fixtureCase(a.0)
        let x = try input(c)
        let out = try Tensor.maxPool2d(x, kernel: a.1, stride: a.2, padding: a.3, dilation: IntPair(1))
        try check(c, x, out, params: [])
    }

    @Test func batchNormTrainingMatchesPyTorchIncludingRunningStatistics() throws {
        let c = fixtureCase("batchnorm2d_3_train")
        let bn = try BatchNorm(dims: 2, 3, backend: backend)
        let x = try input(c)
        var context = ForwardContext(generator: Generator(seed: 0))
        let out = try bn(x, &context)
        try check(c, x, out, params: [("weight", bn.weight!), ("bias", bn.bias!)])
        let (_, rm) = fixture(c["running_mean_after"]), (_, rv) = fixture(c["running_var_after"])
        #expect(try close(bn.runningMean.doubles(), rm.map(Double.init), rel: 1e-5, abs: 1e-6))
        #expect(try close(bn.runningVar.doubles(), rv.map(Double.init), rel: 1e-5, abs: 1e-6))
        bn.setTraining(false)
        let (_, evalOut) = fixture(c["output_eval_after_one_train_step"])
        #expect(try close(try bn(x, &context).doubles(), evalOut.map(Double.init), rel: 1e-4, abs: 1e-5))
    }

    /// The per-sample im2col convolution against a direct seven-loop convolution, with stride, padding and
    /// dilation that differ by axis: the output, and the gradients of sum(out * r) for input, weight and bias.
    /// Geometries for the direct-reference check: (input, weight, stride, padding, dilation). The first is
    /// strided (input gradient by col2im); the others are stride 1 with reductions long enough for the
    /// implicit gemm, over batches that end in a partial chunk. The 3x3 stride-1 ones run as Winograd
    /// convolutions under `.winograd`: odd and even sides, padding 0 to 2, more than sixteen channels (two
    /// lane groups), batches whose tiles end in a partial group of sixteen.
    static let geometries: [([Int], [Int], IntPair, IntPair, IntPair)] = [
        ([3, 6, 7, 6], [4, 6, 3, 2], IntPair(2, 1), IntPair(1, 2), IntPair(2, 1)),
        ([9, 5, 7, 7], [8, 5, 3, 3], IntPair(1), IntPair(1), IntPair(1)),
        ([3, 4, 9, 11], [7, 4, 3, 3], IntPair(1), IntPair(2), IntPair(2)),
        ([2, 6, 6, 5], [13, 6, 2, 3], IntPair(1), IntPair(0), IntPair(1)),
        ([5, 1, 8, 8], [3, 1, 3, 3], IntPair(1), IntPair(1), IntPair(1)),
        ([3, 17, 7, 6], [9, 17, 3, 3], IntPair(1), IntPair(0, 2), IntPair(1)),
        ([11, 8, 14, 14], [20, 8, 3, 3], IntPair(1), IntPair(1), IntPair(1)),
        ([2, 3, 5, 9], [4, 3, 3, 3], IntPair(1), IntPair(2, 1), IntPair(1)),
        ([7, 1, 28, 28], [25, 1, 3, 3], IntPair(1), IntPair(1), IntPair(1)),
        ([3, 1, 5, 13], [5, 1, 3, 3], IntPair(1), IntPair(0, 2), IntPair(1)),
    ]

    @Test(arguments: geometries, [ConvolutionMethod.automatic, .winograd, .winogradPortable, .direct, .directPortable, .implicitGemm,
                                  .implicitGemmPortable, .im2col])
    func conv2dForwardAndBackwardMatchTheDirectReference(_ geometry: ([Int], [Int], IntPair, IntPair, IntPair),
                                                          _ method: ConvolutionMethod) throws {
        let (xs, ws, s, p, d) = geometry
        let x = try randomTensor(xs, seed: 100), w = try randomTensor(ws, seed: 101), b = try randomTensor([ws[0]], seed: 102)
        for t in [x, w, b] { t.requiresGrad = true }
        let fast = try Tensor.conv2d(x, weight: w, bias: b, stride: s, padding: p, dilation: d, method: method)
        let g = try WindowGeometry(input: x.shape, kernel: IntPair(ws[2], ws[3]), stride: s, padding: p, dilation: d)
        let r = try randomTensor(fast.shape, seed: 103)
        try fast.times(r).reduce(.sum).backward()
        let (oc, ic) = (ws[0], xs[1])
        var ref = [Double](repeating: 0, count: g.n * oc * g.oh * g.ow)
        var gx = [Double](repeating: 0, count: x.count), gw = [Double](repeating: 0, count: w.count), gb = [Double](repeating: 0, count: oc)
        let xv = try x.doubles(), wv = try w.doubles(), bv = try b.doubles(), rv = try r.doubles()
        for n in 0..<g.n { for o in 0..<oc { for oy in 0..<g.oh { for ox in 0..<g.ow {
            let at = ((n * oc + o) * g.oh + oy) * g.ow + ox
            var acc = bv[o]
            gb[o] += rv[at]
            for c in 0..<ic { for ki in 0..<g.kh { for kj in 0..<g.kw {
                let iy = oy * s.h - p.h + ki * d.h, ix = ox * s.w - p.w + kj * d.w
                guard iy >= 0 && iy < g.h && ix >= 0 && ix < g.w else { continue }
                let xi = ((n * ic + c) * g.h + iy) * g.w + ix, wi = ((o * ic + c) * g.kh + ki) * g.kw + kj
                acc += xv[xi] * wv[wi]
                gx[xi] += rv[at] * wv[wi]
                gw[wi] += rv[at] * xv[xi]
            } } }
            ref[at] = acc
        } } } }
        #expect(fast.shape == [g.n, oc, g.oh, g.ow])
        #expect(try close(fast.doubles(), ref, rel: 1e-4, abs: 1e-4))
        #expect(try close(try #require(try x.grad).doubles(), gx, rel: 1e-4, abs: 1e-4))
        #expect(try close(try #require(try w.grad).doubles(), gw, rel: 1e-4, abs: 1e-4))
        #expect(try close(try #require(try b.grad).doubles(), gb, rel: 1e-4, abs: 1e-4))
    }

    /// Many random geometries (seeded): the implicit gemm and Winograd against the im2col path, forward and all
    /// gradients, including 1x1 kernels, kernels as large as the padded input, dilation, padding past the
    /// kernel, batches of one and chunk boundaries (every third trial a 3x3 stride-1 window, for Winograd).
    @Test func fastMethodsMatchIm2colOnRandomGeometries() throws {
        var rng = Generator(seed: 77)
        func pick(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(rng.random64() % UInt64(range.count)) }
        var checked = 0
        for trial in 0..<60 {
            let (n, c, o) = (pick(1...5), pick(1...9), pick(1...13))
            let winogradWindow = trial % 3 == 0
            let (kh, kw) = winogradWindow ? (3, 3) : (pick(1...4), pick(1...4))
            let (sh, sw) = winogradWindow ? (1, 1) : (pick(1...2), pick(1...2))
            let (ph, pw) = (pick(0...3), pick(0...3)), (dh, dw) = winogradWindow ? (1, 1) : (pick(1...2), pick(1...2))
            let (h, w) = (pick(1...12), pick(1...12))
            guard h + 2 * ph >= dh * (kh - 1) + 1, w + 2 * pw >= dw * (kw - 1) + 1 else { continue }
            var results: [[[Double]]] = []
            for method in [ConvolutionMethod.im2col, .implicitGemm, .winograd, .direct] {
                let x = try randomTensor([n, c, h, w], seed: UInt64(1000 + trial)), wt = try randomTensor([o, c, kh, kw], seed: UInt64(2000 + trial))
                let b = try randomTensor([o], seed: UInt64(3000 + trial))
                for t in [x, wt, b] { t.requiresGrad = true }
                let y = try Tensor.conv2d(x, weight: wt, bias: b, stride: IntPair(sh, sw), padding: IntPair(ph, pw),
                                          dilation: IntPair(dh, dw), method: method)
                try y.times(try randomTensor(y.shape, seed: UInt64(4000 + trial))).reduce(.sum).backward()
                results.append([try y.doubles()] + (try [x, wt, b].map { try $0.grad?.doubles() ?? [] }))
            }
            for fast in results.dropFirst() {
                for (a, r) in zip(fast, results[0]) {
                    #expect(close(a, r, rel: 1e-4, abs: 1e-4), "trial \(trial): n\(n) c\(c) o\(o) k\(kh)x\(kw) s\(sh),\(sw) p\(ph),\(pw) d\(dh),\(dw) \(h)x\(w)")
                }
            }
            checked += 1
        }
        #expect(checked > 30)
    }

    /// A batch of no images gives an empty output and zero weight and bias gradients, whichever method runs.
    @Test(arguments: [ConvolutionMethod.automatic, .winograd, .implicitGemm, .im2col])
    func anEmptyBatchGivesZeroParameterGradients(_ method: ConvolutionMethod) throws {
        let x = try Tensor.zeros([0, 8, 6, 6], on: backend), w = try randomTensor([9, 8, 3, 3], seed: 5), b = try randomTensor([9], seed: 6)
        for t in [x, w, b] { t.requiresGrad = true }
        let y = try Tensor.conv2d(x, weight: w, bias: b, stride: IntPair(1), padding: IntPair(1), dilation: IntPair(1), method: method)
        #expect(y.shape == [0, 9, 6, 6])
        try y.reduce(.sum).backward()
        #expect(try #require(try w.grad).doubles() == [Double](repeating: 0, count: w.count))
        #expect(try #require(try b.grad).doubles() == [Double](repeating: 0, count: 9))
    }

    /// The cores claim work in whatever order they get to it; gradients must not depend on that order.
    @Test(arguments: [[25, 3, 3], [1, 3, 3]])
    func convolutionGradientsAreTheSameBitsOnEveryRun(_ kernel: [Int]) throws {
        func gradients() throws -> [[Double]] {
            let x = try randomTensor([32, kernel[0], 14, 14], seed: 40), w = try randomTensor([16] + kernel, seed: 41)
            let b = try randomTensor([16], seed: 42)
            for t in [x, w, b] { t.requiresGrad = true }
            let y = try Tensor.conv2d(x, weight: w, bias: b, stride: IntPair(1), padding: IntPair(1), dilation: IntPair(1))
            try y.times(try randomTensor(y.shape, seed: 43)).reduce(.sum).backward()
            return try [x, w, b].map { try $0.grad?.doubles() ?? [] }
        }
        let first = try gradients()
        for _ in 0..<4 { #expect(try gradients() == first) }
    }

    @Test func poolingAndChannelErrorsUsePyTorchsWords() throws {
        let x = try Tensor.zeros([1, 3, 8, 8], on: backend), w = try Tensor.zeros([5, 2, 3, 3], on: backend)
        #expect(throws: TensorError.runtime("Given groups=1, weight of size [5, 2, 3, 3], expected input[1, 3, 8, 8] to have 2 channels, but got 3 channels instead")) {
            try Tensor.conv2d(x, weight: w, bias: nil, stride: IntPair(1), padding: IntPair(0), dilation: IntPair(1))
        }
        #expect(throws: TensorError.self) { try Tensor.maxPool2d(try Tensor.zeros([1, 1, 2, 2], on: backend), kernel: IntPair(3), stride: IntPair(1), padding: IntPair(0), dilation: IntPair(1)) }
        let avg = try Tensor.avgPool2d(try Tensor.ones([1, 1, 4, 4], on: backend), kernel: IntPair(2), stride: IntPair(2), padding: IntPair(0))
        #expect(try avg.doubles() == [1, 1, 1, 1])
        let adaptive = try Tensor.adaptiveAvgPool2d(try Tensor.arange(0, 16, 1, dtype: .float32, on: backend).reshape([1, 1, 4, 4]), output: IntPair(1))
        #expect(try adaptive.doubles() == [7.5])
    }

    /// Winograd's chunks of samples cover the batch in order, largest first (the forward's shrinking towards the
    /// end, down to about 64 tiles), at least two per core: the lesson's layers at batch 32, odd batches, one sample.
    @Test(arguments: [(32, 14), (32, 7), (32, 28), (11, 14), (1, 7), (3, 2), (100, 64)])
    func winogradChunksShrinkTowardsTheEndOfTheBatch(_ batch: Int, _ side: Int) throws {
        let g = try WindowGeometry(input: [batch, 8, side, side], kernel: IntPair(3), stride: IntPair(1), padding: IntPair(1),
                                   dilation: IntPair(1))
        for shrinking in [true, false] {
            let starts = WinogradConvolution.chunking(g, CPUBackend(threads: 2), shrinking: shrinking)
            let sizes = zip(starts.dropFirst(), starts).map { $0 - $1 }
            #expect(starts.first == 0 && starts.last == batch && sizes.allSatisfy { $0 > 0 })
            #expect(zip(sizes, sizes.dropFirst()).allSatisfy { $0 >= $1 }, "\(sizes)")
            #expect(sizes.count >= Swift.min(batch, 4), "\(sizes)")
            if batch == 32 && side == 14 { #expect(sizes == (shrinking ? [4, 4, 4, 4, 4, 3, 3, 2, 2, 2] : [4, 4, 4, 4, 4, 4, 4, 4])) }
        }
    }
}
