import CKernels

/// Batch normalisation as one autograd node; channels are split across the backend's threads.
extension Tensor {
    /// Batch normalisation over (N, C, *): per-channel statistics in training (running estimates updated
    /// with the unbiased variance, as PyTorch), the running estimates in eval. With `relu`, a following ReLU
    /// is applied in the same passes (forward and backward) and the node is the ReLU's.
    public static func batchNorm(_ input: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor, runningVar: Tensor,
                                 training: Bool, momentum: Double, eps: Double, relu: Bool = false,
                                 moments: Tensor? = nil) throws(TensorError) -> Tensor {
        let (n, c, inner, m) = try batchNormShape(input, runningMean: runningMean, training: training)
        if let acc = input.accelerator {
            return try deviceBatchNorm(input, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                                       training: training, momentum: momentum, eps: eps, relu: relu, acc)
        }
        let backend = input.backend
        var mean: [Float] = [], invStd: [Float] = []
        // The backward recomputes xhat = (x - mean) * invstd from the contiguous input rather than keeping it.
        let (out, x) = try backend.autograd.with(enabled: false) { () throws(TensorError) -> (Tensor, Tensor) in
            let x = try input.to(.float32).contiguous()
            (mean, invStd) = batchNormStatistics(x, n: n, c: c, inner: inner, runningMean: runningMean, runningVar: runningVar,
                                                 training: training, momentum: momentum, eps: eps, moments: moments)
            let out = try Tensor.empty(input.shape, on: backend)    // (N, C, *)
            let gamma = try weight?.contiguous(), beta = try bias?.contiguous()
            // The per-channel arrays are only read here and in the backward: they pass to C as pointers.
            backend.splitChannels(c) { c0, c1 in
                dlx_batchnorm_apply(x.f32, n, c, inner, c0, c1, mean, invStd, gamma.map { UnsafePointer($0.f32) },
                                    beta.map { UnsafePointer($0.f32) }, relu ? 1 : 0, out.f32)
            }
            return (out, x)
        }
        let inputs = [input] + [weight, bias].compactMap { $0 }
        return out.recorded(relu ? "ReluBackward0" : "NativeBatchNormBackward0", inputs, saving: [input, weight], savingOutput: relu) { grad, output throws(TensorError) in
            let gc = try grad.contiguous()
            let gate = relu ? UnsafePointer(output.f32) : nil   // the fused ReLU's output: gradient flows where it is > 0
            var sumG = [Double](repeating: 0, count: c), sumGH = [Double](repeating: 0, count: c)
            sumG.withUnsafeMutableBufferPointer { sp in
                sumGH.withUnsafeMutableBufferPointer { hp in
                    let (sb, hb) = (sp.baseAddress!, hp.baseAddress!)
                    backend.splitChannels(c) { c0, c1 in dlx_batchnorm_sums(gc.f32, gate, x.f32, mean, invStd, n, c, inner, c0, c1, 1, sb, hb) }
                }
            }
            var gx: Tensor? = nil
            if input.requiresGrad {
                let dx = try Tensor.empty(input.shape, on: backend)   // (N, C, *)
                let k = try batchNormFactors(weight, invStd, training: training, m: m)
                let sg = sumG.map(Float.init), sgh = sumGH.map(Float.init)
                backend.splitChannels(c) { c0, c1 in
                    dlx_batchnorm_dx(gc.f32, gate, x.f32, mean, invStd, n, c, inner, c0, c1, k, sg, sgh, Float(m), training ? 1 : 0, dx.f32)
                }
                dx.isFreshGradient = true
                gx = dx
            }
            return [gx] + (try batchNormParameterGradients(weight, bias, sumG: sumG, sumGXhat: sumGH, on: backend))
        }
    }

    /// (N, C, inner, M = N * inner) of a batch-norm input, checked against the running statistics.
    static func batchNormShape(_ input: Tensor, runningMean: Tensor, training: Bool) throws(TensorError) -> (Int, Int, Int, Int) {
        guard input.rank >= 2 else { throw .value("expected 2D or higher input (got \(input.rank)D input)") }
        let n = input.shape[0], c = input.shape[1]
        guard c == runningMean.count else {
            throw .runtime("running_mean should contain \(input.shape[1]) elements not \(runningMean.count)")
        }
        let inner = input.shape.dropFirst(2).reduce(1, *)
        if training && n * inner <= 1 {
            throw .value("Expected more than 1 value per channel when training, got input size \(TensorPrinter.sizeRepr(input.shape))")
        }
        return (n, c, inner, n * inner)
    }

    /// Per-channel mean and 1 / sqrt(var + eps) of contiguous x (N, C, inner): the batch's in training (the running
    /// estimates updated with the unbiased variance, as PyTorch), the running estimates in eval.
    /// `moments` (N, C, 2), when given, are the planes' sums from dlx_plane_moments (the convolution before):
    /// the same statistics without a pass over x.
    static func batchNormStatistics(_ x: Tensor, n: Int, c: Int, inner: Int, runningMean: Tensor, runningVar: Tensor,
                                    training: Bool, momentum: Double, eps: Double,
                                    moments: Tensor? = nil) -> (mean: [Float], invStd: [Float]) {
        var mean = [Float](repeating: 0, count: c), invStd = [Float](repeating: 0, count: c)
        guard training else {
            for ch in 0..<c {
                mean[ch] = runningMean.f32[ch]
                invStd[ch] = Float(1 / (Double(runningVar.f32[ch]) + eps).squareRoot())
            }
            return (mean, invStd)
        }
        var mu = [Double](repeating: 0, count: c), variance = [Double](repeating: 0, count: c)
        mu.withUnsafeMutableBufferPointer { mp in
            variance.withUnsafeMutableBufferPointer { vp in
                let (mb, vb) = (mp.baseAddress!, vp.baseAddress!)
                if let moments, moments.shape == [n, c, 2] {
                    let ms = UnsafePointer(moments.f32)
                    dlx_batchnorm_stats_from_moments(ms, n, c, inner, 0, c, mb, vb)
                } else {
                    x.backend.splitChannels(c) { c0, c1 in dlx_batchnorm_stats(x.f32, n, c, inner, c0, c1, mb, vb) }
                }
            }
        }
        let rm = runningMean.f32, rv = runningVar.f32, m = Double(n * inner)
        runningMean.bumpVersion(); runningVar.bumpVersion()
        for ch in 0..<c {
            mean[ch] = Float(mu[ch])
            invStd[ch] = Float(1 / (variance[ch] + eps).squareRoot())
            rm[ch] = Float((1 - momentum) * Double(rm[ch]) + momentum * mu[ch])
            rv[ch] = Float((1 - momentum) * Double(rv[ch]) + momentum * variance[ch] * m / (m - 1))
        }
        return (mean, invStd)
    }

    /// dx = k * (M g - sum(g) - xhat sum(g xhat)) in training, k g in eval: k = gamma * invstd (/ M in training).
    static func batchNormFactors(_ weight: Tensor?, _ invStd: [Float], training: Bool, m: Int) throws(TensorError) -> [Float] {
        let gamma = try weight?.contiguous()
        return (0..<invStd.count).map { ch in (gamma?.f32[ch] ?? 1) * invStd[ch] / (training ? Float(m) : 1) }
    }

    /// The weight and bias gradients, sum(g xhat) and sum(g), for those of the two that exist.
    static func batchNormParameterGradients(_ weight: Tensor?, _ bias: Tensor?, sumG: [Double], sumGXhat: [Double],
                                            on backend: any Backend) throws(TensorError) -> [Tensor?] {
        let c = sumG.count
        let gw = weight == nil ? nil : try Tensor.from(sumGXhat.map(Float.init), shape: [c], on: backend)
        let gb = bias == nil ? nil : try Tensor.from(sumG.map(Float.init), shape: [c], on: backend)
        return (weight == nil ? [] : [gw]) + (bias == nil ? [] : [gb])
    }
}
