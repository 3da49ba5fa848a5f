import CKernels

/// Batch normalisation, ReLU, dropout and 2x2 max pooling as one autograd node (CKernels/layers.c): the
/// convolutional blocks' BatchNorm2d-ReLU-[Dropout]-MaxPool2d(2) runs, on the CPU. The full-size activations
/// between the four ops are never written, and the backward reads only what the pooling kept.
extension Tensor {
    /// The four ops on (N, C, H, W): `dropout` (p < 1, and the seed Dropout would have drawn) in training only;
    /// `moments` as for batchNormStatistics.
    /// Values and gradients are those of the separate ops, element by element (the gradient sums may round
    /// differently).
    static func batchNormReluPool(_ input: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor, runningVar: Tensor,
                                  training: Bool, momentum: Double, eps: Double,
                                  dropout: (p: Double, seed: UInt32)?, moments: Tensor? = nil) throws(TensorError) -> Tensor {
        let (n, c, _, m) = try batchNormShape(input, runningMean: runningMean, training: training)
        let g = try WindowGeometry(input: input.shape, kernel: IntPair(2), stride: IntPair(2), padding: IntPair(0),
                                   dilation: IntPair(1))
        let backend = input.backend, planes = n * c, shape = g.c_shape
        let (keep, scale) = dropout.map { Dropout.threshold($0.p) } ?? (0, 1)
        // Every entry is written by the kernel: no need to clear it first.
        var argmax = [Int32](unsafeUninitializedCapacity: planes * g.outputPlane) { _, k in k = planes * g.outputPlane }
        var winners = [Float](unsafeUninitializedCapacity: planes * g.outputPlane) { _, k in k = planes * g.outputPlane }   // x there
        var mean: [Float] = [], invStd: [Float] = []
        let (out, x) = try backend.autograd.with(enabled: false) { () throws(TensorError) -> (Tensor, Tensor) in
            let x = try input.to(.float32).contiguous()                                     // (N, C, H, W)
            (mean, invStd) = batchNormStatistics(x, n: n, c: c, inner: g.h * g.w, runningMean: runningMean,
                                                 runningVar: runningVar, training: training, momentum: momentum, eps: eps,
                                                 moments: moments)
            let out = try Tensor.empty([n, c, g.oh, g.ow], on: backend)                    // (N, C, H/2, W/2)
            let gamma = try weight?.contiguous(), beta = try bias?.contiguous()
            argmax.withUnsafeMutableBufferPointer { arg in
                winners.withUnsafeMutableBufferPointer { win in
                    let (a, xw) = (arg.baseAddress!, win.baseAddress!)
                    backend.splitChannels(planes) { p0, p1 in
                        let plane = UnsafeMutablePointer<Float>.allocate(capacity: g.h * g.w)   // (H, W)
                        defer { plane.deallocate() }
                        var s = shape
                        dlx_bn_relu_pool_forward(CPUKernels.hasAVX2, &s, x.f32, mean, invStd, gamma.map { UnsafePointer($0.f32) },
                                                 beta.map { UnsafePointer($0.f32) }, dropout == nil ? 0 : 1, dropout?.seed ?? 0,
                                                 keep, scale, plane, out.f32, a, xw, p0, p1)
                    }
                }
            }
            return (out, x)
        }
        let inputs = [input] + [weight, bias].compactMap { $0 }
        return out.recorded("MaxPool2DWithIndicesBackward0", inputs, saving: [input, weight]) { grad, output throws(TensorError) in
            let gc = try grad.contiguous()                                                   // (N, C, H/2, W/2)
            var sumG = [Double](repeating: 0, count: c), sumGH = [Double](repeating: 0, count: c)
            winners.withUnsafeBufferPointer { win in
                let xw = win.baseAddress!
                sumG.withUnsafeMutableBufferPointer { sp in
                    sumGH.withUnsafeMutableBufferPointer { hp in
                        let (sb, hb) = (sp.baseAddress!, hp.baseAddress!)
                        // The batch norm's sums over the pooled planes: g' is zero off the winners, so the pooled
                        // gradient (gated by the pooled value, scaled by the dropout's factor) at the winners' inputs
                        // gives the same terms, added in window order.
                        backend.splitChannels(c) { c0, c1 in
                            dlx_batchnorm_sums(gc.f32, output.f32, xw, mean, invStd, n, c, g.outputPlane, c0, c1, scale, sb, hb)
                        }
                    }
                }
            }
            var gx: Tensor? = nil
            if input.requiresGrad {
                let dx = try Tensor.empty(input.shape, on: backend)                          // (N, C, H, W)
                let k = try batchNormFactors(weight, invStd, training: training, m: m)
                let sg = sumG.map(Float.init), sgh = sumGH.map(Float.init)
                argmax.withUnsafeBufferPointer { arg in
                    winners.withUnsafeBufferPointer { win in
                        let (a, xw) = (arg.baseAddress!, win.baseAddress!)
                        backend.splitChannels(c) { c0, c1 in
                            var s = shape
                            dlx_bn_relu_pool_dx(&s, gc.f32, output.f32, a, xw, x.f32, mean, invStd, scale, c0, c1, k, sg, sgh,
                                                Float(m), training ? 1 : 0, dx.f32)
                        }
                    }
                }
                dx.isFreshGradient = true
                gx = dx
            }
            return [gx] + (try batchNormParameterGradients(weight, bias, sumG: sumG, sumGXhat: sumGH, on: backend))
        }
    }
}
