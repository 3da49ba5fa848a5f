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

    public override func extraRepr() -> String { "p=\(NumberFormat.pythonRepr(p)), inplace=False" }

    public override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        if !training || p == 0 { return x }
        // The mask is never stored: the backward pass replays the generator from the state it had here
        // and draws the same mask again, so each pass writes one array instead of two.
        let start = context.generator
        let src = try x.to(.float32).contiguous()
        let out = try Tensor.empty(x.shape, on: x.backend)
        let group = channelwise && x.rank >= 3 ? x.shape.suffix(2).reduce(1, *) : 1
        var rng = start
        Dropout.apply(p, src.f32, out.f32, count: x.count, group: group, &rng)
        context.generator = rng
        let (p, shape, backend) = (self.p, x.shape, x.backend)
        return out.recorded("NativeDropoutBackward0", [x]) { g, _ throws(TensorError) in
            let gc = try g.to(.float32).contiguous()
            let dx = try Tensor.empty(shape, on: backend)
            var replay = start
            Dropout.apply(p, gc.f32, dx.f32, count: dx.count, group: group, &replay)
            return [dx]
        }
    }

    /// out = x * mask, the mask drawn from `rng`: one draw per `group` consecutive elements (1 for Dropout,
    /// a whole H x W plane for Dropout2d), kept with probability 1 - p and scaled by 1 / (1 - p).
    /// Four 16-bit draws per random word: a keep probability resolved to 1/65536 is plenty.
    static func apply(_ p: Double, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int, group: Int,
                      _ rng: inout Generator) {
        if p >= 1 { out.update(repeating: 0, count: count); return }
        let scale = Float(1 / (1 - p))
        let threshold = UInt64((1 - p) * 65536)
        let groups = count / Swift.max(group, 1)
        var bits: UInt64 = 0
        var left = 0
        for k in 0..<groups {
            if left == 0 { bits = rng.next(); left = 4 }
            let m: Float = bits & 0xFFFF < threshold ? scale : 0
            bits >>= 16
            left -= 1
            if group == 1 {
                out[k] = x[k] * m
            } else {
                let base = k * group
                for i in 0..<group { out[base + i] = x[base + i] * m }
            }
        }
    }
}
