import CKernels

/// The geometry of a 2-d window (convolution or pooling) over NCHW input.
public struct WindowGeometry: Sendable {
    public var n: Int, c: Int, h: Int, w: Int
    public var kh: Int, kw: Int, sh: Int, sw: Int, ph: Int, pw: Int, dh: Int, dw: Int
    public var oh: Int, ow: Int

    public init(input: [Int], kernel: IntPair, stride: IntPair, padding: IntPair, dilation: IntPair) throws(TensorError) {
        guard input.count == 4 else { throw .runtime("Expected 3D (unbatched) or 4D (batched) input, but got input of size: \(input)") }
        n = input[0]; c = input[1]; h = input[2]; w = input[3]
        kh = kernel.h; kw = kernel.w; sh = stride.h; sw = stride.w; ph = padding.h; pw = padding.w; dh = dilation.h; dw = dilation.w
        let effH = dh * (kh - 1) + 1, effW = dw * (kw - 1) + 1
        guard h + 2 * ph >= effH, w + 2 * pw >= effW else {
            throw .runtime("Calculated padded input size per channel: (\(h + 2 * ph) x \(w + 2 * pw)). Kernel size: (\(effH) x \(effW)). Kernel size can't be greater than actual input size")
        }
        oh = (h + 2 * ph - effH) / sh + 1
        ow = (w + 2 * pw - effW) / sw + 1
    }

    var c_shape: dlx_conv_shape {
        dlx_conv_shape(n: Int32(n), c: Int32(c), h: Int32(h), w: Int32(w), kh: Int32(kh), kw: Int32(kw), sh: Int32(sh),
                       sw: Int32(sw), ph: Int32(ph), pw: Int32(pw), dh: Int32(dh), dw: Int32(dw), oh: Int32(oh), ow: Int32(ow))
    }
    public var outputPlane: Int { oh * ow }
}

extension Tensor {
    /// A 3-d (C, H, W) input is one image: PyTorch accepts it unbatched.
    func batched4d() throws(TensorError) -> (Tensor, Bool) {
        if rank == 3 { return (insertingAxis(at: 0), true) }
        return (self, false)
    }

    /// (A, B, P) -> (B, A, P): between the batch-major layout of NCHW and the channel-major layout of the
    /// convolution's gemm; `bias` (indexed by the A axis) is added on the way.
    static func swapLeadingAxes(_ x: Tensor, _ a: Int, _ b: Int, _ p: Int, bias: UnsafePointer<Float>? = nil) throws(TensorError) -> Tensor {
        let out = try Tensor.empty([b, a, p], on: x.backend)
        let src = try x.contiguous().f32, dst = out.f32
        x.backend.splitChannels(a) { i0, i1 in
            for i in i0..<i1 {
                for j in 0..<b {
                    let s = src + (i * b + j) * p, d = dst + (j * a + i) * p
                    if let bias {
                        let v = bias[i]
                        for k in 0..<p { d[k] = s[k] + v }
                    } else {
                        d.update(from: s, count: p)
                    }
                }
            }
        }
        return out
    }

    /// `F.conv2d`: im2col over the whole batch and one gemm; recorded as one node (ConvolutionBackward0).
    public static func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, stride: IntPair, padding: IntPair,
                              dilation: IntPair) throws(TensorError) -> Tensor {
        guard input.dtype == .float32 else {
            throw .runtime("Input type (\(input.dtype.pytorchScalarName)) and weight type (Float) should be the same")
        }
        let (x, unbatched) = try input.batched4d()
        let outC = weight.shape[0], inC = weight.shape[1]
        guard x.rank == 4 else {
            throw .runtime("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: \(input.shape)")
        }
        guard x.shape[1] == inC else {
            throw .runtime("Given groups=1, weight of size \(weight.shape), expected input\(x.shape) to have \(inC) channels, but got \(x.shape[1]) channels instead")
        }
        let g = try WindowGeometry(input: x.shape, kernel: IntPair(weight.shape[2], weight.shape[3]), stride: stride,
                                   padding: padding, dilation: dilation)
        let k = inC * g.kh * g.kw, columns = g.n * g.outputPlane
        // The forward's own steps record nothing; the result is recorded below as one node.
        let (result, cols, w2) = try x.backend.autograd.with(enabled: false) { () throws(TensorError) -> (Tensor, Tensor, Tensor) in
            let xc = try x.contiguous()
            let cols = try Tensor.empty([k, columns], on: x.backend)                 // (C*kh*kw, N*P)
            let shape = g.c_shape
            x.backend.splitChannels(g.c) { c0, c1 in
                var s = shape
                dlx_im2col(&s, xc.f32, cols.f32, Int32(c0), Int32(c1))
            }
            let wc = try weight.contiguous()
            let w2 = wc.view(shape: [outC, k], strides: [k, 1], offset: wc.offset)   // (O, C*kh*kw)
            let outT = try Tensor.empty([outC, columns], on: x.backend)               // (O, N*P)
            try gemm(w2, cols, into: outT)
            let b = try bias?.contiguous()
            let out = try swapLeadingAxes(outT, outC, g.n, g.outputPlane, bias: b.map { UnsafePointer($0.f32) })
                .view(shape: [g.n, outC, g.oh, g.ow], strides: contiguousStrides([g.n, outC, g.oh, g.ow]), offset: 0)
            return (unbatched ? try out.squeeze(0) : out, cols, w2)
        }
        let inputs = [input, weight] + (bias.map { [$0] } ?? [])
        return result.recorded("ConvolutionBackward0", inputs) { grad, _ throws(TensorError) in
            let gOut = try (unbatched ? grad.insertingAxis(at: 0) : grad).contiguous()
            let gT = try swapLeadingAxes(gOut, g.n, outC, g.outputPlane).view(shape: [outC, columns], strides: [columns, 1], offset: 0) // (O, N*P)
            var gw: Tensor? = nil, gb: Tensor? = nil, gx: Tensor? = nil
            if weight.requiresGrad {
                let r = try Tensor.empty([outC, k], on: x.backend)                // (O, C*kh*kw)
                try gemm(gT, cols.transpose(0, 1), into: r)
                gw = try r.reshape(weight.shape)
            }
            if let bias, bias.requiresGrad {
                let b = try Tensor.zeros([outC], on: x.backend)
                let src = gT.f32
                for r in 0..<outC {
                    var s: Float = 0
                    let row = src + r * columns
                    for j in 0..<columns { s += row[j] }
                    b.f32[r] = s
                }
                gb = b
            }
            if input.requiresGrad {
                let gCols = try Tensor.empty([k, columns], on: x.backend)         // (C*kh*kw, N*P)
                try gemm(w2.transpose(0, 1), gT, into: gCols)
                let dx = try Tensor.zeros(x.shape, on: x.backend)
                let shape = g.c_shape
                x.backend.splitChannels(g.c) { c0, c1 in
                    var s = shape
                    dlx_col2im(&s, gCols.f32, dx.f32, Int32(c0), Int32(c1))
                }
                gx = unbatched ? try dx.squeeze(0) : dx
            }
            return [gx, gw] + (bias == nil ? [] : [gb])
        }
    }
}
