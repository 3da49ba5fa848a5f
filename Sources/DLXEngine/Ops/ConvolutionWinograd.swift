import CKernels

/// Winograd's F(2x2, 3x3) convolution (CKernels/conv_winograd.c): 16 products per input-output channel pair
/// and 2x2 block of output instead of 36, for the forward pass and both gradients. Samples are cut into
/// chunks that the cores claim one at a time (ImplicitConvolution.eachChunk); weight and bias gradients
/// are summed per chunk and the chunks added in order, so results do not depend on which core ran what.
enum WinogradConvolution {
    /// The windows it computes: 3x3, stride 1, dilation 1 (any padding), on images of up to 128x128 outputs
    /// (a chunk holds at least one whole image, whose transforms grow with its area).
    static func applies(_ g: WindowGeometry) -> Bool {
        g.kh == 3 && g.kw == 3 && g.sh == 1 && g.sw == 1 && g.dh == 1 && g.dw == 1 && g.oh * g.ow <= 128 * 128
    }

    /// Where the chunks of samples start (and the batch ends): chunks of about 256 tiles (2x2 output blocks) at
    /// most, so that a chunk's transformed input and gradient stay in the core's cache, and at least two per core.
    /// With `shrinking` (the forward pass) the chunks shrink towards the end (each at most half of what is left
    /// per core, down to about 64 tiles), so that the cores, claiming them one at a time, finish close together:
    /// with equal chunks one core often waited most of a chunk for the other. The backward keeps them equal:
    /// each of its chunks also writes and later adds a weight-gradient partial, and dots over fewer tiles.
    /// The first chunk is the largest.
    static func chunking(_ g: WindowGeometry, _ backend: any Backend, shrinking: Bool) -> [Int] {
        guard g.n > 0 else { return [0] }
        let tiles = ((g.oh + 1) / 2) * ((g.ow + 1) / 2), cores = Swift.max(backend.workerCount, 1)
        let byCache = (g.n * tiles + 255) / 256
        let wanted = Swift.min(g.n, Swift.max(2 * cores, (byCache + cores - 1) / cores * cores))
        let largest = (g.n + wanted - 1) / wanted, smallest = Swift.min(largest, (64 + tiles - 1) / tiles)
        var starts = [0]
        while let last = starts.last, last < g.n {
            let left = g.n - last
            let shrunk = Swift.max(smallest, Swift.min(largest, (left + 2 * cores - 1) / (2 * cores)))
            starts.append(last + Swift.min(left, shrinking ? shrunk : largest))
        }
        return starts
    }

    /// The transformed weights, for the forward and the input-gradient products (panels of output channels
    /// shared among the cores, each writing whole panels).
    static func packWeights(_ w: Tensor) -> [Float] {
        let o = Int32(w.shape[0]), c = Int32(w.shape[1]), ws = UnsafePointer(w.f32)
        return [Float](unsafeUninitializedCapacity: dlx_winograd_weights_size(o, c)) { buffer, count in
            let p = buffer.baseAddress!
            let panels = (Int(o) + Int(DLX_CONV_MR) - 1) / Int(DLX_CONV_MR)
            w.backend.splitChannels(panels) { p0, p1 in dlx_winograd_pack_weights(ws, o, c, Int32(p0), Int32(p1), p) }
            count = buffer.count
        }
    }

    /// conv(x) + bias for contiguous x (N, C, H, W) and weight (O, C, 3, 3), with the weights packed by packWeights;
    /// with `moments` (N, O, 2), each output plane's sum and sum of squares (dlx_plane_moments), while in cache.
    static func forward(_ x: Tensor, packed: [Float], outChannels: Int, bias: Tensor?, _ g: WindowGeometry,
                        vector: Bool, moments: UnsafeMutablePointer<Float>? = nil) throws(TensorError) -> Tensor {
        let result = try Tensor.empty([g.n, outChannels, g.oh, g.ow], on: x.backend)     // (N, O, OH, OW)
        guard g.n > 0 else { return result }
        var shape = g.c_shape
        let starts = chunking(g, x.backend, shrinking: true), size = starts.count > 1 ? starts[1] : 1
        let scratch = dlx_winograd_forward_scratch(&shape, Int32(outChannels), Int32(size))
        let avx2: Int32 = vector ? CPUKernels.hasAVX2 : 0
        let xs = UnsafePointer(x.f32), out = result.f32, b = bias.map { UnsafePointer($0.f32) }
        try packed.withUnsafeBufferPointer { p throws(TensorError) in
            try ImplicitConvolution.eachChunk(starts.count - 1, scratch: scratch, x.backend) { c, scratch in
                var s = shape
                let (n0, n1) = (starts[c], starts[c + 1])
                dlx_winograd_forward_chunk(avx2, &s, Int32(outChannels), p.baseAddress, b, xs, n0, n1, out, scratch)
                ImplicitConvolution.planeMoments(out, samples: n0..<n1, channels: outChannels, g, into: moments)
            }
        }
        return result
    }

    /// The wanted gradients (input, weight, bias) of the convolution from gradOut (N, O, OH, OW).
    static func backward(_ x: Tensor, gradOut: Tensor, packed: [Float], weightShape: [Int], _ g: WindowGeometry,
                         wants: (x: Bool, weight: Bool, bias: Bool), vector: Bool) throws(TensorError) -> (Tensor?, Tensor?, Tensor?) {
        let backend = x.backend, o = weightShape[0]
        let starts = chunking(g, backend, shrinking: false), size = starts.count > 1 ? starts[1] : 1, count = starts.count - 1
        let dx = wants.x ? try Tensor.empty(x.shape, on: backend) : nil                   // (N, C, H, W)
        // Every chunk writes all of its sums: no clearing.
        let du = try Tensor.empty([wants.weight ? count : 0, 16, o, g.c], on: backend)    // per chunk (16, O, C)
        let db = try Tensor.empty([wants.bias ? count : 0, o], on: backend)              // per chunk (O)
        if g.n > 0 {
            var shape = g.c_shape
            let scratch = dlx_winograd_backward_scratch(&shape, Int32(o), Int32(size))
            let avx2: Int32 = vector ? CPUKernels.hasAVX2 : 0
            let xs = UnsafePointer(x.f32), gs = UnsafePointer(gradOut.f32)
            let dxs = dx?.f32, dus = du.f32, dbs = db.f32
            try packed.withUnsafeBufferPointer { p throws(TensorError) in
                try ImplicitConvolution.eachChunk(count, scratch: scratch, backend) { c, scratch in
                    var s = shape
                    dlx_winograd_backward_chunk(avx2, &s, Int32(o), p.baseAddress, xs, gs, starts[c], starts[c + 1],
                                                dxs, wants.weight ? dus + c * 16 * o * g.c : nil,
                                                wants.bias ? dbs + c * o : nil, scratch)
                }
            }
        }
        return try backend.autograd.with(enabled: false) { () throws(TensorError) in
            var gw: Tensor? = nil
            if wants.weight {
                let w = try Tensor.empty(weightShape, on: backend)                          // (O, C, 3, 3)
                let dus = UnsafePointer(du.f32), ws = w.f32
                backend.splitChannels(o * g.c) { k0, k1 in
                    dlx_winograd_weight_gradient(dus, count, Int32(o), Int32(g.c), k0, k1, ws)
                }
                w.isFreshGradient = true   // a new tensor shared with nothing: the weight adopts it without a copy
                gw = w
            }
            let gb = wants.bias ? try db.reduce(.sum, dim: 0, keepdim: false).values : nil
            return (dx, gw, gb)
        }
    }
}
