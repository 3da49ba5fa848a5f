import CKernels

/// Direct convolution of one-channel images with 3x3 stride-1 windows (CKernels/conv_direct.c): the forward
/// pass, the weight and bias gradients, and the input gradient (in plain loops: images seldom require
/// grad). Samples are cut into chunks that the cores claim one at a time; the gradients are
/// summed per chunk and the chunks added in order.
enum DirectConvolution {
    static func applies(_ g: WindowGeometry) -> Bool {
        g.c == 1 && g.kh == 3 && g.kw == 3 && g.sh == 1 && g.sw == 1 && g.dh == 1 && g.dw == 1
    }

    /// At least two chunks per core, of at most 8 samples, and (for large images) of at most about a million
    /// floats of zero-bordered planes.
    static func chunking(_ g: WindowGeometry, _ backend: any Backend) -> (size: Int, count: Int) {
        guard g.n > 0 else { return (1, 0) }
        let wanted = Swift.min(g.n, Swift.max(2 * backend.workerCount, (g.n + 7) / 8))
        let plane = (g.h + 2 * g.ph) * ((g.ow + 7) / 8 * 8 + 2)
        let size = Swift.max(1, Swift.min((g.n + wanted - 1) / wanted, (1 << 20) / Swift.max(plane, 1)))
        return (size, (g.n + size - 1) / size)
    }

    /// The convolution, and with `moments` (N, O, 2) each output plane's sum and sum of squares, while in cache.
    static func forward(_ x: Tensor, weight: Tensor, bias: Tensor?, _ g: WindowGeometry, vector: Bool,
                        moments: UnsafeMutablePointer<Float>? = nil) throws(TensorError) -> Tensor {
        let o = weight.shape[0]
        let result = try Tensor.empty([g.n, o, g.oh, g.ow], on: x.backend)                 // (N, O, OH, OW)
        var shape = g.c_shape
        let (size, count) = chunking(g, x.backend)
        let scratch = dlx_conv_direct_scratch(&shape, Int32(size))
        let avx2: Int32 = vector ? CPUKernels.hasAVX2 : 0
        let xs = UnsafePointer(x.f32), ws = UnsafePointer(weight.f32), bs = bias.map { UnsafePointer($0.f32) }, out = result.f32
        try ImplicitConvolution.eachChunk(count, scratch: scratch, x.backend) { c, scratch in
            var s = shape
            let (n0, n1) = (c * size, Swift.min(g.n, (c + 1) * size))
            dlx_conv_direct_forward(avx2, &s, Int32(o), ws, bs, xs, n0, n1, out, scratch)
            ImplicitConvolution.planeMoments(out, samples: n0..<n1, channels: o, g, into: moments)
        }
        return result
    }

    static func inputGradient(_ gradOut: Tensor, weight: Tensor, _ g: WindowGeometry) throws(TensorError) -> Tensor {
        let dx = try Tensor.empty([g.n, 1, g.h, g.w], on: gradOut.backend)
        var shape = g.c_shape
        let (size, count) = chunking(g, gradOut.backend)
        let scratch = dlx_conv_direct_scratch(&shape, 1)
        let gs = UnsafePointer(gradOut.f32), ws = UnsafePointer(weight.f32), out = dx.f32, o = Int32(weight.shape[0])
        try ImplicitConvolution.eachChunk(count, scratch: scratch, gradOut.backend) { c, scratch in
            var s = shape
            dlx_conv_direct_input_grad(&s, o, ws, gs, c * size, Swift.min(g.n, (c + 1) * size), out, scratch)
        }
        return dx
    }

    /// The weight gradient (O, 1, 3, 3) and the bias gradient (O) (nil when not wanted) from gradOut (N, O, OH, OW).
    static func parameterGradients(_ x: Tensor, gradOut: Tensor, outChannels o: Int, _ g: WindowGeometry, bias: Bool,
                                   vector: Bool) throws(TensorError) -> (Tensor, Tensor?) {
        let backend = x.backend
        let (size, count) = chunking(g, backend)
        let gw = try Tensor.zeros([count, o, 9], on: backend)                                 // per chunk (O, 9)
        let gb = try Tensor.zeros([count, o], on: backend)                                    // per chunk (O)
        var shape = g.c_shape
        let scratch = dlx_conv_direct_scratch(&shape, Int32(size))
        let avx2: Int32 = vector ? CPUKernels.hasAVX2 : 0
        let xs = UnsafePointer(x.f32), gs = UnsafePointer(gradOut.f32), gws = gw.f32, gbs = gb.f32
        try ImplicitConvolution.eachChunk(count, scratch: scratch, backend) { c, scratch in
            var s = shape
            dlx_conv_direct_weight_grad(avx2, &s, Int32(o), xs, gs, c * size, Swift.min(g.n, (c + 1) * size),
                                        gws + c * o * 9, bias ? gbs + c * o : nil, scratch)
        }
        return try backend.autograd.with(enabled: false) { () throws(TensorError) in
            let w = try gw.reduce(.sum, dim: 0, keepdim: false).values.reshape([o, 1, 3, 3])
            w.isFreshGradient = true   // a new tensor shared with nothing: the weight adopts it without a copy
            return (w, bias ? try gb.reduce(.sum, dim: 0, keepdim: false).values : nil)
        }
    }
}

extension Tensor {
    /// conv2d through DirectConvolution, recorded as ConvolutionBackward0 like the other methods.
    static func directConv2d(_ input: Tensor, x: Tensor, weight: Tensor, bias: Tensor?, _ g: WindowGeometry, unbatched: Bool,
                             vector: Bool, moments: UnsafeMutablePointer<Float>?) throws(TensorError) -> Tensor {
        let result = try DirectConvolution.forward(x, weight: weight, bias: bias, g, vector: vector, moments: moments)
        let o = weight.shape[0]
        return try recordedConv2d(result, input: input, weight: weight, bias: bias, unbatched: unbatched) { gOut throws(TensorError) in
            let wantBias = bias?.requiresGrad ?? false
            var gw: Tensor? = nil, gb: Tensor? = nil
            if weight.requiresGrad || wantBias {
                (gw, gb) = try DirectConvolution.parameterGradients(x, gradOut: gOut, outChannels: o, g, bias: wantBias, vector: vector)
                if !weight.requiresGrad { gw = nil }
            }
            let dx = input.requiresGrad ? try DirectConvolution.inputGradient(gOut, weight: weight, g) : nil   // (N, 1, H, W)
            return (dx, gw, gb)
        }
    }
}
