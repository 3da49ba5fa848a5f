import CKernels

/// 2-d max and average pooling over NCHW tensors, each one autograd node.
extension Tensor {
    /// `F.max_pool2d`: the maximum of each window (padding counts as -inf); the backward sends each
    /// output's gradient to the position that held the maximum.
    public static func maxPool2d(_ input: Tensor, kernel: IntPair, stride: IntPair, padding: IntPair,
                                 dilation: IntPair) throws(TensorError) -> Tensor {
        let (x4, unbatched) = try input.batched4d()
        let g = try WindowGeometry(input: x4.shape, kernel: kernel, stride: stride, padding: padding, dilation: dilation)
        if let acc = input.accelerator { return try deviceMaxPool2d(input, x4, g, unbatched: unbatched, acc) }
        let planes = g.n * g.c
        // Every entry is written by the kernel: no need to clear it first.
        var argmax = [Int32](unsafeUninitializedCapacity: planes * g.outputPlane) { _, n in n = planes * g.outputPlane }
        let out = try input.backend.autograd.with(enabled: false) { () throws(TensorError) -> Tensor in
            let x = try x4.to(.float32).contiguous()
            let out = try Tensor.empty([g.n, g.c, g.oh, g.ow], on: input.backend)
            let src = x.f32, dst = out.f32
            let shape = g.c_shape
            argmax.withUnsafeMutableBufferPointer { arg in
                let a = arg.baseAddress!
                input.backend.splitChannels(planes) { p0, p1 in
                    var s = shape
                    dlx_maxpool_forward(CPUKernels.hasAVX2, &s, src, dst, a, p0, p1)
                }
            }
            return unbatched ? try out.squeeze(0) : out
        }
        return out.recorded("MaxPool2DWithIndicesBackward0", [input], saving: [input]) { grad, _ throws(TensorError) in
            let gc = try grad.contiguous()
            let dx = try Tensor.empty(x4.shape, on: input.backend)                   // (N, C, H, W)
            let gp = gc.f32, dp = dx.f32
            let shape = g.c_shape
            argmax.withUnsafeBufferPointer { arg in
                let a = arg.baseAddress!
                input.backend.splitChannels(planes) { p0, p1 in
                    var s = shape
                    dlx_maxpool_backward(&s, gp, a, dp, p0, p1)
                }
            }
            return [unbatched ? try dx.squeeze(0) : dx]
        }
    }

    /// `F.avg_pool2d` (count_include_pad=True, as PyTorch's default) and adaptive average pooling, which
    /// picks windows [floor(i*H/OH), ceil((i+1)*H/OH)).
    public static func avgPool2d(_ input: Tensor, kernel: IntPair, stride: IntPair, padding: IntPair) throws(TensorError) -> Tensor {
        let (x4, _) = try input.batched4d()
        let g = try WindowGeometry(input: x4.shape, kernel: kernel, stride: stride, padding: padding, dilation: IntPair(1))
        if let acc = input.accelerator {
            return try deviceAvgPool2d(input, x4, g, unbatched: input.rank == 3, name: "AvgPool2DBackward0", acc)
        }
        let windows: (Int, Int) -> (rows: Range<Int>, cols: Range<Int>, count: Int) = { oy, ox in
            let y0 = oy * g.sh - g.ph, x0 = ox * g.sw - g.pw
            let rows = Swift.max(y0, 0)..<Swift.min(y0 + g.kh, g.h), cols = Swift.max(x0, 0)..<Swift.min(x0 + g.kw, g.w)
            return (rows, cols, g.kh * g.kw)
        }
        return try averagePool(input, g, "AvgPool2DBackward0", windows)
    }

    public static func adaptiveAvgPool2d(_ input: Tensor, output: IntPair) throws(TensorError) -> Tensor {
        let (x4, _) = try input.batched4d()
        guard x4.rank == 4 else { throw .runtime("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got \(input.shape)") }
        guard output.h > 0, output.w > 0 else { throw .runtime("adaptive_avg_pool2d: output size must be positive") }
        var g = try WindowGeometry(input: x4.shape, kernel: IntPair(1), stride: IntPair(1), padding: IntPair(0), dilation: IntPair(1))
        g.oh = output.h; g.ow = output.w
        if let acc = input.accelerator {
            // Equal windows (sizes that divide) are plain average pooling; others have no device kernel yet.
            guard g.h % g.oh == 0, g.w % g.ow == 0 else { try input.requireHost("adaptive_avg_pool2d with uneven windows"); return input }
            g.kh = g.h / g.oh; g.kw = g.w / g.ow; g.sh = g.kh; g.sw = g.kw
            return try deviceAvgPool2d(input, x4, g, unbatched: input.rank == 3, name: "AdaptiveAvgPool2DBackward0", acc)
        }
        let (h, w, oh, ow) = (g.h, g.w, g.oh, g.ow)
        let windows: (Int, Int) -> (rows: Range<Int>, cols: Range<Int>, count: Int) = { oy, ox in
            let rows = (oy * h / oh)..<((oy + 1) * h + oh - 1) / oh
            let cols = (ox * w / ow)..<((ox + 1) * w + ow - 1) / ow
            return (rows, cols, rows.count * cols.count)
        }
        return try averagePool(input, g, "AdaptiveAvgPool2DBackward0", windows)
    }

    private static func averagePool(_ input: Tensor, _ g: WindowGeometry, _ name: String,
                                    _ window: @escaping (Int, Int) -> (rows: Range<Int>, cols: Range<Int>, count: Int)) throws(TensorError) -> Tensor {
        let (x4, unbatched) = try input.batched4d()
        let planes = g.n * g.c
        let out = try input.backend.autograd.with(enabled: false) { () throws(TensorError) -> Tensor in
            let x = try x4.to(.float32).contiguous()
            let out = try Tensor.empty([g.n, g.c, g.oh, g.ow], on: input.backend)
            let src = x.f32, dst = out.f32
            for p in 0..<planes {
                let plane = src + p * g.h * g.w
                for oy in 0..<g.oh {
                    for ox in 0..<g.ow {
                        let win = window(oy, ox)
                        var s: Float = 0
                        for iy in win.rows { for ix in win.cols { s += plane[iy * g.w + ix] } }
                        dst[(p * g.oh + oy) * g.ow + ox] = s / Float(Swift.max(win.count, 1))
                    }
                }
            }
            return unbatched ? try out.squeeze(0) : out
        }
        return out.recorded(name, [input]) { grad, _ throws(TensorError) in
            let gc = try grad.contiguous()
            let dx = try Tensor.zeros(x4.shape, on: input.backend)
            let gp = gc.f32, dp = dx.f32
            for p in 0..<planes {
                for oy in 0..<g.oh {
                    for ox in 0..<g.ow {
                        let win = window(oy, ox)
                        let v = gp[(p * g.oh + oy) * g.ow + ox] / Float(Swift.max(win.count, 1))
                        for iy in win.rows { for ix in win.cols { dp[p * g.h * g.w + iy * g.w + ix] += v } }
                    }
                }
            }
            return [unbatched ? try dx.squeeze(0) : dx]
        }
    }
}
