import CKernels

/// How conv2d computes its products. The engine picks Winograd's F(2x2, 3x3) (CKernels/conv_winograd.c) for
/// 3x3 stride-1 windows between layers of several channels, a direct kernel (CKernels/conv_direct.c) for
/// them over one channel, and the implicit gemm (CKernels/conv_gemm.c) elsewhere; the im2col path (unrolled
/// columns and the backend's sgemm) is the reference that tests compare them with.
public enum ConvolutionMethod: Sendable {
    /// The engine's choice: Winograd for 3x3 stride-1 windows with at least 8 input and output channels
    /// (fewer leave its products too short to pay for the transforms), the direct kernel for 3x3 stride-1
    /// windows over one channel, the implicit gemm elsewhere.
    case automatic
    /// The direct kernel for 3x3 stride-1 windows over one channel (AVX2+FMA where the CPU has it); the
    /// implicit gemm elsewhere.
    case direct
    /// The direct kernel's plain-C loops.
    case directPortable
    /// Winograd wherever the window allows it (3x3, stride 1, dilation 1), with the AVX2+FMA kernel where
    /// the CPU has it; the implicit gemm elsewhere.
    case winograd
    /// Winograd with the plain-C kernel.
    case winogradPortable
    /// Implicit gemm with the AVX2+FMA kernel where the CPU has it.
    case implicitGemm
    /// Implicit gemm with the plain-C kernel (what machines without AVX2 run).
    case implicitGemmPortable
    /// im2col + sgemm, col2im for the input gradient.
    case im2col
}

/// Convolution as an implicit gemm: weights packed once per call, positions packed 16 at a time from a
/// zero-bordered copy of each chunk of samples, chunks claimed by the workers one at a time.
enum ImplicitConvolution {
    /// out (N, O, OH, OW) = conv(x) + bias over contiguous x (N, C, H, W) with geometry `s` and weights
    /// packed by dlx_conv_pack_weights (O rows). Returns false, touching nothing, where the im2col path
    /// does better (short reductions) or the offsets of a chunk would not fit the kernel's 32-bit tables.
    static func run(_ s: dlx_conv_shape, outChannels: Int, packedWeights: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                    x: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, vector: Bool, backend: any Backend) throws(TensorError) -> Bool {
        let n = Int(s.n), plane = Int(s.oh) * Int(s.ow)
        let paddedSample = Int(s.c) * (Int(s.h) + 2 * Int(s.ph)) * (Int(s.w) + 2 * Int(s.pw))
        guard n > 0, plane > 0 else { return true }
        // A short reduction (one input channel: 9 products per output) spends its time storing tiles;
        // the sgemm path does better there.
        let k = Int(s.c) * Int(s.kh) * Int(s.kw)
        guard k >= 32 else { return false }
        // Enough samples per chunk for a few hundred positions (whole 16-wide panels for small images),
        // within a padded copy that stays in the core's cache.
        var chunk = Swift.max(1, Swift.min(n, (192 + plane - 1) / plane))
        let perCore = 2 * backend.workerCount   // at least two chunks per core, so that the cores finish together
        chunk = Swift.min(chunk, Swift.max(1, (n + perCore - 1) / perCore))
        while chunk > 1 && chunk * paddedSample > 64 * 1024 { chunk -= 1 }
        guard chunk * paddedSample + 16 < Int(Int32.max) else { return false }
        var shape = s
        var off = [Int32](repeating: 0, count: k)
        var pos = [Int32](repeating: 0, count: chunk * plane)
        var col = [Int](repeating: 0, count: chunk * plane)
        dlx_conv_gemm_tables(&shape, Int32(chunk), Int32(outChannels), &off, &pos, &col)
        let scratchCount = dlx_conv_gemm_scratch(&shape, Int32(chunk))
        let chunks = (n + chunk - 1) / chunk
        let avx2: Int32 = vector ? CPUKernels.hasAVX2 : 0
        try off.withUnsafeBufferPointer { offs throws(TensorError) in
            try pos.withUnsafeBufferPointer { poss throws(TensorError) in
                try col.withUnsafeBufferPointer { cols throws(TensorError) in
                    try eachChunk(chunks, scratch: scratchCount, backend) { c, scratch in
                        var s = shape
                        let n0 = c * chunk, n1 = Swift.min(n, n0 + chunk)
                        dlx_conv_gemm_chunk(avx2, &s, Int32(outChannels), packedWeights, bias, offs.baseAddress, poss.baseAddress,
                                            cols.baseAddress, x, n0, n1, out, scratch)
                    }
                }
            }
        }
        return true
    }

    /// The packed left matrix for weight (O, C, kh, kw): O rows, or C rows of the turned window with `flip`.
    static func packWeights(_ w: Tensor, flip: Bool) -> [Float] {
        let o = w.shape[0], c = w.shape[1], kh = w.shape[2], kw = w.shape[3]
        let rows = flip ? c : o, mr = Int(DLX_CONV_MR)
        var packed = [Float](repeating: 0, count: (rows + mr - 1) / mr * mr * (flip ? o : c) * kh * kw)
        dlx_conv_pack_weights(w.f32, Int32(o), Int32(c), Int32(kh), Int32(kw), flip ? 1 : 0, &packed)
        return packed
    }

    /// conv(x) + bias for contiguous x and weight, or nil when the tables would overflow.
    static func forward(_ x: Tensor, weight: Tensor, bias: Tensor?, _ g: WindowGeometry, vector: Bool) throws(TensorError) -> Tensor? {
        let result = try Tensor.empty([g.n, weight.shape[0], g.oh, g.ow], on: x.backend)   // (N, O, OH, OW)
        let packed = packWeights(weight, flip: false)
        let done = try packed.withUnsafeBufferPointer { p throws(TensorError) in
            try run(g.c_shape, outChannels: weight.shape[0], packedWeights: p.baseAddress!, bias: bias.map { UnsafePointer($0.f32) },
                x: x.f32, out: result.f32, vector: vector, backend: x.backend)
        }
        return done ? result : nil
    }

    /// The input gradient of a stride-1 convolution as a convolution of the output gradient (padded by
    /// dilation * (k - 1) - padding) with the turned weights; nil where that does not apply.
    static func inputGradient(_ gradOut: Tensor, weight: Tensor, _ g: WindowGeometry, vector: Bool) throws(TensorError) -> Tensor? {
        let qh = g.dh * (g.kh - 1) - g.ph, qw = g.dw * (g.kw - 1) - g.pw
        guard g.sh == 1, g.sw == 1, qh >= 0, qw >= 0 else { return nil }
        let o = weight.shape[0], c = weight.shape[1]
        let s = dlx_conv_shape(n: Int32(g.n), c: Int32(o), h: Int32(g.oh), w: Int32(g.ow), kh: Int32(g.kh), kw: Int32(g.kw),
                               sh: 1, sw: 1, ph: Int32(qh), pw: Int32(qw), dh: Int32(g.dh), dw: Int32(g.dw),
                               oh: Int32(g.h), ow: Int32(g.w))
        let dx = try Tensor.empty([g.n, c, g.h, g.w], on: gradOut.backend)                  // (N, C, H, W)
        let packed = packWeights(weight, flip: true)
        let done = try packed.withUnsafeBufferPointer { p throws(TensorError) in
            try run(s, outChannels: c, packedWeights: p.baseAddress!, bias: nil, x: gradOut.f32, out: dx.f32, vector: vector,
                backend: gradOut.backend)
        }
        return done ? dx : nil
    }

    /// The weight gradient (O, C*kh*kw) of a stride-1 convolution, contracted over positions; the workers
    /// claim chunks of samples, each chunk sums into its own copy, and the copies are added in order. Nil
    /// where it does not apply.
    static func weightGradient(_ x: Tensor, gradOut: Tensor, outChannels: Int, _ g: WindowGeometry, vector: Bool) throws(TensorError) -> Tensor? {
        guard g.sh == 1, g.sw == 1, g.n > 0 else { return nil }
        var shape = g.c_shape
        let k = g.c * g.kh * g.kw, rowPositions = g.oh * ((g.ow + 7) / 8 * 8)
        let paddedSample = g.c * (g.h + 2 * g.ph) * (g.w + 2 * g.pw)
        // About a thousand positions per chunk: long contractions, and several chunks to share out.
        var chunk = Swift.max(1, Swift.min(g.n, 1024 / Swift.max(rowPositions, 1)))
        // At least two chunks per core, in equal sizes, so that no core is left with the long one.
        let perCore = 2 * x.backend.workerCount
        chunk = Swift.min(chunk, Swift.max(1, (g.n + perCore - 1) / perCore))
        while chunk > 1 && chunk * paddedSample > 128 * 1024 { chunk -= 1 }
        guard chunk * paddedSample + 64 < Int(Int32.max) else { return nil }
        var off = [Int32](repeating: 0, count: k)
        var pos = [Int32](repeating: 0, count: g.outputPlane), col = [Int](repeating: 0, count: g.outputPlane)
        var one = shape
        one.n = 1
        dlx_conv_gemm_tables(&one, 1, Int32(outChannels), &off, &pos, &col)
        let scratchCount = dlx_conv_weight_grad_scratch(&shape, Int32(chunk), Int32(outChannels))
        let chunks = (g.n + chunk - 1) / chunk
        // Sums per chunk, added in chunk order: the result does not depend on which core took which chunk.
        let partial = try Tensor.empty([chunks, outChannels, k], on: x.backend)         // per chunk (O, C*kh*kw)
        let avx2: Int32 = vector ? CPUKernels.hasAVX2 : 0
        let xs = UnsafePointer(x.f32), gs = UnsafePointer(gradOut.f32), sums = partial.f32
        try off.withUnsafeBufferPointer { offs throws(TensorError) in
            try eachChunk(chunks, scratch: scratchCount, x.backend) { c, scratch in
                var s = shape
                let n0 = c * chunk, n1 = Swift.min(g.n, n0 + chunk)
                dlx_conv_weight_grad_chunk(avx2, &s, Int32(outChannels), offs.baseAddress, xs, gs, n0, n1,
                                           sums + c * outChannels * k, scratch)
            }
        }
        return try x.backend.autograd.with(enabled: false) { () throws(TensorError) in
            try partial.reduce(.sum, dim: 0, keepdim: false).values
        }
    }

    /// The sums and sums of squares of a chunk's output planes (N, O, OH, OW) into moments (N, O, 2), on the core
    /// that has just written them (nothing without `moments`).
    static func planeMoments(_ out: UnsafeMutablePointer<Float>, samples: Range<Int>, channels: Int, _ g: WindowGeometry,
                             into moments: UnsafeMutablePointer<Float>?) {
        guard let moments else { return }
        let plane = g.oh * g.ow
        dlx_plane_moments(out + samples.lowerBound * channels * plane, samples.count * channels, plane,
                          moments + 2 * samples.lowerBound * channels)
    }

    /// Runs body(chunk, scratch) for every chunk in 0..<chunks, the cores claiming chunks one at a time;
    /// each core has its own scratch of `scratch` floats, starting on a cache line.
    /// Between chunks the cores check the backend's cancellation: once it asks to stop they claim no more,
    /// and this throws the interrupted error (the output, half written, is never returned).
    static func eachChunk(_ chunks: Int, scratch count: Int, _ backend: any Backend,
                          _ body: (Int, UnsafeMutablePointer<Float>) -> Void) throws(TensorError) {
        let cancellation = backend.cancellation, armed = cancellation.isArmed
        var counter = 0
        withUnsafeMutablePointer(to: &counter) { shared in
            backend.splitChannels(Swift.min(backend.workerCount, chunks)) { _, _ in
                let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
                defer { raw.deallocate() }
                let scratch = raw.bindMemory(to: Float.self, capacity: count)
                while true {
                    let c = dlx_claim_next(shared)
                    guard c < chunks, !(armed && cancellation.isRequested) else { break }
                    body(c, scratch)
                }
            }
        }
        if armed { try cancellation.check() }
    }
}
