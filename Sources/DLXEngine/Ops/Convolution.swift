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
        guard sh > 0, sw > 0 else { throw .runtime("non-positive stride is not supported") }
        guard dh > 0, dw > 0 else { throw .runtime("dilation should be greater than zero, but got dilation: \(dilation)") }
        guard kh > 0, kw > 0 else { throw .runtime("kernel size should be greater than zero, but got kernel size: \(kernel)") }
        guard ph >= 0, pw >= 0 else { throw .runtime("negative padding is not supported") }
        // A stride past the padded input gives one output either way; clamped, it stays in range.
        sh = Swift.min(sh, h + 2 * Swift.min(ph, 1 << 30) + 1); sw = Swift.min(sw, w + 2 * Swift.min(pw, 1 << 30) + 1)
        // The kernels index planes with 32-bit offsets; PyTorch would fail to allocate long before.
        let limit = 1 << 24
        guard [n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw].allSatisfy({ $0 <= limit }),
              (h + 2 * ph) * (w + 2 * pw) <= Int(Int32.max) / 4, dh * kh <= limit, dw * kw <= limit else {
            throw TensorError(.memory, "can't allocate memory: a window of kernel \(kernel), stride \(stride), padding \(padding), dilation \(dilation) over input of size \(input) is too large")
        }
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

    /// `F.conv2d`, recorded as one node (ConvolutionBackward0). 3x3 stride-1 windows between layers of
    /// several channels run as Winograd convolutions (ConvolutionWinograd.swift), over one-channel images as
    /// direct convolutions (ConvolutionDirect.swift); otherwise the output, and
    /// the input and weight gradients of stride-1 convolutions, come from the implicit gemm
    /// (ConvolutionGemm.swift); short reductions (one input channel), strided gradients and everything under
    /// `method: .im2col` (the reference) from per-sample im2col and sgemm.
    public static func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, stride: IntPair, padding: IntPair,
                              dilation: IntPair, method: ConvolutionMethod = .automatic) throws(TensorError) -> Tensor {
        try conv2dAndMoments(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation,
                             method: method, wantMoments: false).output
    }

    /// conv2d, and with `wantMoments` each output plane's sum and sum of squares (N, O, 2) for a batch norm that
    /// follows (dlx_batchnorm_stats_from_moments), where the method computes them (Winograd and direct: nil otherwise).
    static func conv2dAndMoments(_ input: Tensor, weight: Tensor, bias: Tensor?, stride: IntPair, padding: IntPair,
                                 dilation: IntPair, method: ConvolutionMethod = .automatic,
                                 wantMoments: Bool) throws(TensorError) -> (output: Tensor, moments: Tensor?) {
        guard input.dtype == .float32 else {
            throw .runtime(bias != nil ? "Input type (\(input.dtype.cTypeName)) and bias type (float) should be the same"
                                       : "expected scalar type \(input.dtype.pytorchScalarName) but found Float")
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
        if let acc = x.accelerator {
            let xc = try x.backend.autograd.with(enabled: false) { () throws(TensorError) in try x.contiguous() }
            return (try deviceConv2d(input, data: xc, weight: weight, bias: bias, g, unbatched: unbatched, acc), nil)
        }
        let k = inC * g.kh * g.kw, plane = g.outputPlane, inPlane = g.c * g.h * g.w
        let paddedPlane = g.c * (g.h + 2 * g.ph) * (g.w + 2 * g.pw)
        let backend = x.backend
        // The batch is cut into fixed runs of samples ("parts", a few per core), which the cores claim one at
        // a time. Each part unrolls its samples one by one into its own (K, P) scratch, which stays in cache
        // for the gemm that follows, and writes NCHW output directly. Sums (weight and bias gradients) are
        // kept per part and added in part order, so results do not depend on which core ran what.
        let parts = Swift.max(1, Swift.min(backend.workerCount * 4, g.n))
        // Each sample starts only while nothing asks the work to stop (a time limit, Ctrl-C); a stopped run
        // throws the interrupted error once the parts return.
        let cancellation = backend.cancellation, armed = cancellation.isArmed
        func eachPart(_ body: (_ part: Int, _ samples: LazyFilterSequence<Range<Int>>) -> Void) throws(TensorError) {
            backend.splitChannels(parts) { p0, p1 in
                for part in p0..<p1 {
                    body(part, (g.n * part / parts..<g.n * (part + 1) / parts).lazy.filter { _ in !(armed && cancellation.isRequested) })
                }
            }
            if armed { try cancellation.check() }
        }
        var one = g.c_shape
        one.n = 1
        let sampleShape = one
        let (xc, wc) = try backend.autograd.with(enabled: false) { () throws(TensorError) in (try x.contiguous(), try weight.contiguous()) }
        let w = UnsafePointer(wc.f32)                                                   // (O, C*kh*kw)
        let bc = try bias.map { b throws(TensorError) in try b.contiguous() }
        let vector = ![.implicitGemmPortable, .winogradPortable, .directPortable].contains(method)
        let winograd = switch method {
        case .automatic: WinogradConvolution.applies(g) && inC >= 8 && outC >= 8
        case .winograd, .winogradPortable: WinogradConvolution.applies(g)
        default: false
        }
        let direct = !winograd && [.automatic, .direct, .directPortable].contains(method) && DirectConvolution.applies(g)
        if winograd || direct {
            let moments = wantMoments && !unbatched ? try Tensor.empty([g.n, outC, 2], on: backend) : nil   // (N, O, 2)
            let output = winograd
                ? try winogradConv2d(input, x: xc, weight: wc, bias: bc, g, unbatched: unbatched, vector: vector, moments: moments?.f32)
                : try directConv2d(input, x: xc, weight: wc, bias: bc, g, unbatched: unbatched, vector: vector, moments: moments?.f32)
            return (output, moments)
        }
        let implicit = method != .im2col
        let result: Tensor                                                              // (N, O, OH, OW)
        if implicit, let r = try ImplicitConvolution.forward(xc, weight: wc, bias: bc, g, vector: vector) {
            result = r
        } else {
            result = try Tensor.empty([g.n, outC, g.oh, g.ow], on: backend)
            let xs = UnsafePointer(xc.f32), out = result.f32, b = bc.map { UnsafePointer($0.f32) }
            try eachPart { _, samples in
                let cols = UnsafeMutablePointer<Float>.allocate(capacity: k * plane)  // (C*kh*kw, P)
                let padded = UnsafeMutablePointer<Float>.allocate(capacity: paddedPlane) // (C, H+2ph, W+2pw)
                defer { cols.deallocate(); padded.deallocate() }
                var s = sampleShape
                for n in samples {
                    dlx_im2col_sample(&s, xs + n * inPlane, padded, cols)
                    let o = out + n * outC * plane                                     // (O, P)
                    for r in 0..<outC { (o + r * plane).update(repeating: b?[r] ?? 0, count: plane) }
                    backend.gemmOnThisThread(GemmParameters(transA: false, transB: false, m: outC, n: plane, k: k, alpha: 1, beta: 1,
                                                            a: w, lda: k, b: UnsafePointer(cols), ldb: plane, c: o, ldc: plane))
                }
            }
        }
        return (try recordedConv2d(result, input: input, weight: weight, bias: bias, unbatched: unbatched) { gOut throws(TensorError) in
            var fastW: Tensor? = nil
            if implicit && weight.requiresGrad && k >= 32 {   // one input channel: the sgemm path does better
                fastW = try ImplicitConvolution.weightGradient(xc, gradOut: gOut, outChannels: outC, g, vector: vector)
            }
            let wantW = weight.requiresGrad && fastW == nil, wantB = bias?.requiresGrad ?? false
            var fast: Tensor? = nil
            if implicit && input.requiresGrad { fast = try ImplicitConvolution.inputGradient(gOut, weight: wc, g, vector: vector) }
            let wantX = input.requiresGrad && fast == nil
            let gwParts = try Tensor.zeros([wantW ? parts : 0, outC, k], on: backend)  // per part (O, C*kh*kw)
            let gbParts = try Tensor.zeros([parts, outC], on: backend)
            let dx = if let fast { fast } else { try Tensor.empty(x.shape, on: backend) } // (N, C, H, W)
            let gs = UnsafePointer(gOut.f32), xs = UnsafePointer(xc.f32)
            let unrolled = wantW || wantX
            try eachPart { part, samples in
                // Scratch only for the im2col paths; the implicit ones leave just the bias sums here.
                let cols = UnsafeMutablePointer<Float>.allocate(capacity: unrolled ? k * plane : 0)   // (C*kh*kw, P)
                let padded = UnsafeMutablePointer<Float>.allocate(capacity: unrolled ? paddedPlane : 0) // (C, H+2ph, W+2pw)
                defer { cols.deallocate(); padded.deallocate() }
                var s = sampleShape
                let gw = gwParts.f32 + (wantW ? part * outC * k : 0), gb = gbParts.f32 + part * outC
                for n in samples {
                    let go = gs + n * outC * plane                                     // (O, P)
                    if wantW {
                        dlx_im2col_sample(&s, xs + n * inPlane, padded, cols)
                        backend.gemmOnThisThread(GemmParameters(transA: false, transB: true, m: outC, n: k, k: plane, alpha: 1, beta: 1,
                                                                a: go, lda: plane, b: UnsafePointer(cols), ldb: plane, c: gw, ldc: k))
                    }
                    if wantB { dlx_row_sums(go, outC, plane, gb) }
                    if wantX {
                        backend.gemmOnThisThread(GemmParameters(transA: true, transB: false, m: k, n: plane, k: outC, alpha: 1, beta: 0,
                                                                a: w, lda: k, b: go, ldb: plane, c: cols, ldc: plane))
                        dlx_col2im_sample(&s, cols, padded, dx.f32 + n * inPlane)
                    }
                }
            }
            withExtendedLifetime((xc, wc)) {}
            func total(_ t: Tensor, _ shape: [Int]) throws(TensorError) -> Tensor {
                try backend.autograd.with(enabled: false) { () throws(TensorError) in try t.reduce(.sum, dim: 0, keepdim: false).values.reshape(shape) }
            }
            let gw = if let fastW { try fastW.reshape(weight.shape) } else { wantW ? try total(gwParts, weight.shape) : nil }
            let gb = wantB ? try total(gbParts, [outC]) : nil
            return (input.requiresGrad ? dx : nil, gw, gb)
        }, nil)
    }

    /// Records conv2d's result (N, O, OH, OW) as one ConvolutionBackward0 node of input, weight and bias, the
    /// batch of one that an unbatched input was given taken away again. `rule` gets the output gradient as
    /// contiguous (N, O, OH, OW) and returns the gradients it computed: input (N, C, H, W), weight, bias.
    static func recordedConv2d(_ result: Tensor, input: Tensor, weight: Tensor, bias: Tensor?, unbatched: Bool,
                               _ rule: @escaping (Tensor) throws(TensorError) -> (Tensor?, Tensor?, Tensor?)) throws(TensorError) -> Tensor {
        let output = unbatched ? try result.squeeze(0) : result
        let inputs = [input, weight] + (bias.map { [$0] } ?? [])
        return output.recorded("ConvolutionBackward0", inputs, saving: [input, weight]) { grad, _ throws(TensorError) in
            let (dx, gw, gb) = try rule(try (unbatched ? grad.insertingAxis(at: 0) : grad).contiguous())
            return [unbatched ? try dx?.squeeze(0) : dx, gw] + (bias == nil ? [] : [gb])
        }
    }
}

extension Tensor {
    /// conv2d through WinogradConvolution, recorded as ConvolutionBackward0 like the other methods.
    static func winogradConv2d(_ input: Tensor, x: Tensor, weight: Tensor, bias: Tensor?, _ g: WindowGeometry, unbatched: Bool,
                               vector: Bool, moments: UnsafeMutablePointer<Float>?) throws(TensorError) -> Tensor {
        let packed = WinogradConvolution.packWeights(weight)
        let result = try WinogradConvolution.forward(x, packed: packed, outChannels: weight.shape[0], bias: bias, g, vector: vector,
                                                     moments: moments)
        return try recordedConv2d(result, input: input, weight: weight, bias: bias, unbatched: unbatched) { gOut throws(TensorError) in
            let wants = (x: input.requiresGrad, weight: weight.requiresGrad, bias: bias?.requiresGrad ?? false)
            return try WinogradConvolution.backward(x, gradOut: gOut, packed: packed, weightShape: weight.shape, g, wants: wants,
                                                    vector: vector)
        }
    }
}
