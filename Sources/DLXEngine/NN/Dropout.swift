import CKernels

/// `nn.Dropout(p=0.5)`: in training, zeroes each element with probability p and scales the rest by
/// 1/(1-p) (inverted dropout); in eval mode, the identity.
public final class Dropout: Module, @unchecked Sendable {
    public let p: Double

    public init(p: Double = 0.5) throws(TensorError) {
        guard p >= 0 && p <= 1 else { throw .value("dropout probability has to be between 0 and 1, but got \(NumberFormat.pythonRepr(p))") }
        self.p = p
        super.init()
    }

    /// `nn.Dropout2d`: whole channels of (N, C, H, W) are dropped together.
    public var channelwise = false

    public override var typeName: String { channelwise ? "Dropout2d" : "Dropout" }

    /// How p was given, when not as a float (`Dropout(0)` prints `p=0`).
    public var pText: String? = nil
    public override func extraRepr() -> String { "p=\(pText ?? NumberFormat.pythonRepr(p)), inplace=False" }

    /// The seed of this forward's mask, drawn from the context's generator; nil (and nothing drawn) where the
    /// forward is the identity. Sequential's fused pooling block draws it here too, at the same point of the
    /// stream as this module's own forward would.
    func maskSeed(_ context: inout ForwardContext) -> UInt32? {
        training && p != 0 ? context.generator.random() : nil
    }

    public override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        // The mask is never stored: it is a hash of one seed drawn here and the element's index, so the
        // backward pass recomputes it and each pass writes one array instead of two.
        guard let seed = maskSeed(&context) else { return x }
        let src = try x.to(.float32).contiguous()
        let out = try Tensor.empty(x.shape, on: x.backend)
        let group = channelwise && x.rank >= 3 ? x.shape.suffix(2).reduce(1, *) : 1
        if let acc = x.accelerator {
            try Dropout.deviceApply(p, src, out, group: group, seed: seed, acc)
            let (p, shape, backend) = (self.p, x.shape, x.backend)
            return out.recorded("NativeDropoutBackward0", [x]) { g, _ throws(TensorError) in
                let gc = try g.to(.float32).contiguous()
                let dx = try Tensor.empty(shape, on: backend)
                try Dropout.deviceApply(p, gc, dx, group: group, seed: seed, acc)
                return [dx]
            }
        }
        Dropout.apply(p, src.f32, out.f32, count: x.count, group: group, seed: seed, on: x.backend)
        let (p, shape, backend) = (self.p, x.shape, x.backend)
        return out.recorded("NativeDropoutBackward0", [x]) { g, _ throws(TensorError) in
            let gc = try g.to(.float32).contiguous()
            let dx = try Tensor.empty(shape, on: backend)
            Dropout.apply(p, gc.f32, dx.f32, count: dx.count, group: group, seed: seed, on: backend)
            return [dx]
        }
    }

    /// The mask's threshold on a draw's top 24 bits, and the kept elements' scale, for p < 1.
    static func threshold(_ p: Double) -> (keep: UInt32, scale: Float) {
        (UInt32((1 - p) * 16_777_216), Float(1 / (1 - p)))
    }

    /// out = x * mask: one draw per `group` consecutive elements (1 for Dropout, a whole H x W plane for
    /// Dropout2d), kept with probability 1 - p (resolved to 2^-24) and scaled by 1 / (1 - p).
    static func apply(_ p: Double, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int, group: Int,
                      seed: UInt32, on backend: Backend) {
        if p >= 1 { out.update(repeating: 0, count: count); return }
        let group = Swift.max(group, 1), groups = count / group
        let (keep, scale) = threshold(p)
        // Each group's draw depends only on its index, so any split of the groups gives the same mask.
        if count < 32_768 { dlx_dropout(x, out, 0, groups, group, seed, keep, scale); return }
        backend.splitChannels(groups) { g0, g1 in dlx_dropout(x, out, g0, g1, group, seed, keep, scale) }
    }
}
