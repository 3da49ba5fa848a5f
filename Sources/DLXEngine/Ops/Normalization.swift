import CKernels

/// Batch normalisation as one autograd node; channels are split across the backend's threads.
extension Tensor {
    /// Batch normalisation over (N, C, *): per-channel statistics in training (running estimates updated
    /// with the unbiased variance, as PyTorch), the running estimates in eval. With `relu`, a following ReLU
    /// is applied in the same passes (forward and backward) and the node is the ReLU's.
    public static func batchNorm(_ input: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor, runningVar: Tensor,
                                 training: Bool, momentum: Double, eps: Double, relu: Bool = false) throws(TensorError) -> Tensor {
        guard input.rank >= 2 else { throw .value("expected 2D or higher input (got \(input.rank)D input)") }
        let n = input.shape[0], c = input.shape[1]
        guard c == runningMean.count else {
            throw .runtime("running_mean should contain \(input.shape[1]) elements not \(runningMean.count)")
        }
        let inner = input.shape.dropFirst(2).reduce(1, *)
        let m = n * inner
        if training && m <= 1 {
            throw .value("Expected more than 1 value per channel when training, got input size \(TensorPrinter.sizeRepr(input.shape))")
        }
        if let acc = input.accelerator {
            return try deviceBatchNorm(input, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                                       training: training, momentum: momentum, eps: eps, relu: relu, acc)
        }
        let backend = input.backend
        var mean = [Float](repeating: 0, count: c), invStd = [Float](repeating: 0, count: c)
        // The backward recomputes xhat = (x - mean) * invstd from the contiguous input rather than keeping it.
        let (out, x) = try backend.autograd.with(enabled: false) { () throws(TensorError) -> (Tensor, Tensor) in
            let x = try input.to(.float32).contiguous()
            if training {
                var mu = [Double](repeating: 0, count: c), variance = [Double](repeating: 0, count: c)
                mu.withUnsafeMutableBufferPointer { mp in
                    variance.withUnsafeMutableBufferPointer { vp in
                        let (mb, vb) = (mp.baseAddress!, vp.baseAddress!)
                        backend.splitChannels(c) { c0, c1 in dlx_batchnorm_stats(x.f32, n, c, inner, c0, c1, mb, vb) }
                    }
                }
                let rm = runningMean.f32, rv = runningVar.f32
                for ch in 0..<c {
                    mean[ch] = Float(mu[ch])
                    invStd[ch] = Float(1 / (variance[ch] + eps).squareRoot())
                    rm[ch] = Float((1 - momentum) * Double(rm[ch]) + momentum * mu[ch])
                    rv[ch] = Float((1 - momentum) * Double(rv[ch]) + momentum * variance[ch] * Double(m) / Double(m - 1))
                }
            } else {
                for ch in 0..<c {
                    mean[ch] = runningMean.f32[ch]
                    invStd[ch] = Float(1 / (Double(runningVar.f32[ch]) + eps).squareRoot())
                }
            }
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
        return out.recorded(relu ? "ReluBackward0" : "NativeBatchNormBackward0", inputs) { grad, output throws(TensorError) in
            let gc = try grad.contiguous()
            let gate = relu ? UnsafePointer(output.f32) : nil   // the fused ReLU's output: gradient flows where it is > 0
            var sumG = [Double](repeating: 0, count: c), sumGH = [Double](repeating: 0, count: c)
            sumG.withUnsafeMutableBufferPointer { sp in
                sumGH.withUnsafeMutableBufferPointer { hp in
                    let (sb, hb) = (sp.baseAddress!, hp.baseAddress!)
                    backend.splitChannels(c) { c0, c1 in dlx_batchnorm_sums(gc.f32, gate, x.f32, mean, invStd, n, c, inner, c0, c1, sb, hb) }
                }
            }
            var gx: Tensor? = nil
            if input.requiresGrad {
                let dx = try Tensor.empty(input.shape, on: backend)   // (N, C, *)
                let gamma = try weight?.contiguous()
                // dx = gamma * invstd / M * (M g - sum(g) - xhat sum(g xhat)) in training; gamma * invstd * g in eval.
                let k = (0..<c).map { ch in (gamma?.f32[ch] ?? 1) * invStd[ch] / (training ? Float(m) : 1) }
                let sg = sumG.map(Float.init), sgh = sumGH.map(Float.init)
                backend.splitChannels(c) { c0, c1 in
                    dlx_batchnorm_dx(gc.f32, gate, x.f32, mean, invStd, n, c, inner, c0, c1, k, sg, sgh, Float(m), training ? 1 : 0, dx.f32)
                }
                gx = dx
            }
            let gw = try Tensor.from(sumGH.map(Float.init), shape: [c], on: backend)
            let gb = try Tensor.from(sumG.map(Float.init), shape: [c], on: backend)
            return [gx] + (weight == nil ? [] : [gw]) + (bias == nil ? [] : [gb])
        }
    }
}
