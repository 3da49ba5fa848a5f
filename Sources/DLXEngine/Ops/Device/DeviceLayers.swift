/// The layers of the convolutional lessons on device tensors: convolution as im2col over the whole
/// batch and one gemm, pooling, batch norm and dropout. Each op records the same node as its host
/// version, with the device kernels in its forward and backward.
extension Tensor {
    /// conv2d on the device: `x` is the input's data (N, C, H, W), contiguous float32; weight (O, C, KH, KW).
    static func deviceConv2d(_ input: Tensor, data x: Tensor, weight: Tensor, bias: Tensor?, _ g: WindowGeometry,
                             unbatched: Bool, _ acc: any Accelerator) throws(TensorError) -> Tensor {
        try weight.requireSameDevice(x, bias)
        let backend = x.backend
        let outC = weight.shape[0], k = g.c * g.kh * g.kw, plane = g.outputPlane, columns = g.n * plane
        let (wc, bc) = try backend.autograd.with(enabled: false) { () throws(TensorError) in
            (try weight.contiguous(), try bias?.contiguous())
        }
        let cols = try Tensor.empty([k, columns], on: backend)               // (C*KH*KW, N*P)
        try acc.im2col(x.address, cols.address, g)
        let product = try Tensor.empty([outC, columns], on: backend)         // (O, N*P)
        try acc.gemm(DeviceGemm(transA: false, transB: false, m: outC, n: columns, k: k, alpha: 1, beta: 0, a: wc.address, lda: k,
                                b: cols.address, ldb: columns, c: product.address, ldc: columns))
        let out = try Tensor.empty([g.n, outC, g.oh, g.ow], on: backend)     // (N, O, OH, OW)
        try acc.swapLeading(product.address, out.address, bias: bc?.address, a: outC, b: g.n, p: plane)
        return try recordedConv2d(out, input: input, weight: weight, bias: bias, unbatched: unbatched) { gOut throws(TensorError) in
            let gT = try Tensor.empty([outC, columns], on: backend)            // (O, N*P)
            try acc.swapLeading(gOut.address, gT.address, bias: nil, a: g.n, b: outC, p: plane)
            var gw: Tensor? = nil, gb: Tensor? = nil, gx: Tensor? = nil
            if weight.requiresGrad {
                let w = try Tensor.empty(weight.shape, on: backend)            // (O, C*KH*KW)
                try acc.gemm(DeviceGemm(transA: false, transB: true, m: outC, n: k, k: columns, alpha: 1, beta: 0, a: gT.address,
                                        lda: columns, b: cols.address, ldb: columns, c: w.address, ldc: k))
                gw = w
            }
            if bias?.requiresGrad == true {
                let b = try Tensor.empty([outC], on: backend)
                try acc.sumRows(gT.address, b.address, rows: outC, cols: columns, scale: 1)
                gb = b
            }
            if input.requiresGrad {
                let colsGrad = try Tensor.empty([k, columns], on: backend)     // (C*KH*KW, N*P)
                try acc.gemm(DeviceGemm(transA: true, transB: false, m: k, n: columns, k: outC, alpha: 1, beta: 0, a: wc.address,
                                        lda: k, b: gT.address, ldb: columns, c: colsGrad.address, ldc: columns))
                let dx = try Tensor.empty(x.shape, on: backend)                // (N, C, H, W)
                try acc.col2im(colsGrad.address, dx.address, g)
                gx = dx
            }
            return (gx, gw, gb)
        }
    }

    /// max_pool2d on the device: the winners' offsets (int32 per output) are kept for the backward.
    static func deviceMaxPool2d(_ input: Tensor, _ x4: Tensor, _ g: WindowGeometry, unbatched: Bool,
                                _ acc: any Accelerator) throws(TensorError) -> Tensor {
        let argmax = try Tensor.empty([g.n * g.c * g.outputPlane], dtype: .int32, on: input.backend)
        return try devicePool(input, x4, g, unbatched: unbatched, name: "MaxPool2DWithIndicesBackward0",
                              forward: { x, y throws(TensorError) in try acc.maxPoolForward(x, y, argmax: argmax.address, g) },
                              backward: { gy, dx throws(TensorError) in try acc.maxPoolBackward(gy, argmax: argmax.address, dx, g) })
    }

    /// avg_pool2d on the device (count_include_pad, as PyTorch's default).
    static func deviceAvgPool2d(_ input: Tensor, _ x4: Tensor, _ g: WindowGeometry, unbatched: Bool, name: String,
                                _ acc: any Accelerator) throws(TensorError) -> Tensor {
        try devicePool(input, x4, g, unbatched: unbatched, name: name,
                       forward: { x, y throws(TensorError) in try acc.avgPoolForward(x, y, g) },
                       backward: { gy, dx throws(TensorError) in try acc.avgPoolBackward(gy, dx, g) })
    }

    /// A pooling op on the device: `forward(x, y)` over contiguous (N, C, H, W) input into (N, C, OH, OW),
    /// `backward(gradient, dx)` adding into a zeroed input gradient.
    private static func devicePool(_ input: Tensor, _ x4: Tensor, _ g: WindowGeometry, unbatched: Bool, name: String,
                                   forward: (DeviceAddress, DeviceAddress) throws(TensorError) -> Void,
                                   backward: @escaping (DeviceAddress, DeviceAddress) throws(TensorError) -> Void) throws(TensorError) -> Tensor {
        let backend = input.backend
        let out = try backend.autograd.with(enabled: false) { () throws(TensorError) -> Tensor in
            let x = try x4.to(.float32).contiguous()
            let out = try Tensor.empty([g.n, g.c, g.oh, g.ow], on: backend)
            try forward(x.address, out.address)
            return unbatched ? try out.squeeze(0) : out
        }
        // As PyTorch's max pooling, which saves its input (average pooling saves nothing).
        return out.recorded(name, [input], saving: [name.hasPrefix("Max") ? input : nil]) { grad, _ throws(TensorError) in
            let gc = try grad.contiguous()
            let dx = try Tensor.zeros(x4.shape, on: backend)
            try backward(gc.address, dx.address)
            return [unbatched ? try dx.squeeze(0) : dx]
        }
    }

    /// batch_norm on the device: statistics, running estimates and normalisation in device kernels;
    /// xhat is kept for the backward. A following ReLU runs as its own op (same graph: ReluBackward0 on top).
    static func deviceBatchNorm(_ input: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor, runningVar: Tensor,
                                training: Bool, momentum: Double, eps: Double, relu: Bool,
                                _ acc: any Accelerator) throws(TensorError) -> Tensor {
        let n = input.shape[0], c = input.shape[1], inner = input.shape.dropFirst(2).reduce(1, *), m = n * inner
        let backend = input.backend
        try input.requireSameDevice(weight, bias, runningMean, runningVar)
        let (out, xhat, invstd) = try backend.autograd.with(enabled: false) { () throws(TensorError) -> (Tensor, Tensor, Tensor) in
            let x = try input.to(.float32).contiguous()
            let mean: Tensor, variance: Tensor
            if training {
                mean = try Tensor.empty([c], on: backend)
                variance = try Tensor.empty([c], on: backend)
                try acc.batchNormStats(x.address, mean: mean.address, variance: variance.address, n: n, c: c, inner: inner)
                // Running estimates, with the unbiased variance as PyTorch keeps it.
                runningMean.bumpVersion(); runningVar.bumpVersion()
                try acc.axpby(runningMean.address, mean.address, alpha: Float(1 - momentum), beta: Float(momentum), count: c)
                try acc.axpby(runningVar.address, variance.address, alpha: Float(1 - momentum),
                              beta: Float(momentum * Double(m) / Double(m - 1)), count: c)
            } else {
                mean = try runningMean.contiguous()
                variance = try runningVar.contiguous()
            }
            let invstd = try Tensor.binary(.div, .scalar(.float(1)), .tensor(try Tensor.binary(.add, .tensor(variance), .scalar(.float(eps))).unary(.sqrt)))
            let xhat = try Tensor.empty(input.shape, on: backend)
            let out = try Tensor.empty(input.shape, on: backend)
            try acc.batchNormApply(x.address, mean: mean.address, invstd: invstd.address, gamma: try weight?.contiguous().address,
                                   beta: try bias?.contiguous().address, xhat: xhat.address, out.address, n: n, c: c, inner: inner)
            return (out, xhat, invstd)
        }
        let inputs = [input] + [weight, bias].compactMap { $0 }
        let normalized = out.recorded("NativeBatchNormBackward0", inputs, saving: [input, weight]) { grad, _ throws(TensorError) in
            let gc = try grad.contiguous()
            let sumG = try Tensor.empty([c], on: backend), sumGXhat = try Tensor.empty([c], on: backend)
            try acc.batchNormSums(gc.address, xhat: xhat.address, sumG: sumG.address, sumGXhat: sumGXhat.address, n: n, c: c, inner: inner)
            var gx: Tensor? = nil
            if input.requiresGrad {
                // k = gamma * invstd / M in training, gamma * invstd in eval.
                var k = try weight.map { w throws(TensorError) in try w.contiguous().times(invstd) } ?? invstd
                if training { k = try k.scaled(1 / Double(m)) }
                let dx = try Tensor.empty(input.shape, on: backend)
                try acc.batchNormInputGradient(gc.address, xhat: xhat.address, k: k.contiguous().address, sumG: sumG.address,
                                               sumGXhat: sumGXhat.address, dx.address, n: n, c: c, inner: inner, m: Float(m),
                                               training: training)
                gx = dx
            }
            return [gx] + (weight == nil ? [] : [sumGXhat]) + (bias == nil ? [] : [sumG])
        }
        return relu ? try normalized.unary(.relu) : normalized
    }
}

extension Dropout {
    /// out = x * mask on the device, with the host's hash (the same seed gives the same mask).
    static func deviceApply(_ p: Double, _ x: Tensor, _ out: Tensor, group: Int, seed: UInt32, _ acc: any Accelerator) throws(TensorError) {
        if p >= 1 { try acc.fill(out.address, 0, count: out.count); return }
        try acc.dropout(x.address, out.address, count: out.count, group: Swift.max(group, 1), seed: seed,
                        keepBelow: UInt32((1 - p) * 16_777_216), scale: Float(1 / (1 - p)))
    }

    /// The counter-based hash behind every mask (CKernels' dropout_hash, the kernels' too).
    static func hash(_ seed: UInt32, _ k: UInt32) -> UInt32 {
        var h = seed ^ (k &* 0x9E37_79B9)
        h ^= h >> 16; h = h &* 0x85EB_CA6B
        h ^= h >> 13; h = h &* 0xC2B2_AE35
        h ^= h >> 16
        return h
    }
}
