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
        // One draw per element, or per (image, channel) for Dropout2d; 0 or 1/(1-p).
        let maskShape = channelwise && x.rank >= 3 ? Array(x.shape.prefix(x.rank - 2)) + [1, 1] : x.shape
        let mask = try Tensor.empty(maskShape, on: x.backend)
        let m = mask.f32
        if p == 1 { mask.fill(0) } else {
            // Four 16-bit draws per random word: a keep probability resolved to 1/65536 is plenty, and
            // the mask costs a quarter of the generator calls.
            let scale = Float(1 / (1 - p))
            let threshold = UInt64((1 - p) * 65536)
            var rng = context.generator   // a local copy keeps the generator in registers
            let n = mask.count
            var i = 0
            while i + 4 <= n {
                let bits = rng.next()
                m[i] = bits & 0xFFFF < threshold ? scale : 0
                m[i + 1] = (bits >> 16) & 0xFFFF < threshold ? scale : 0
                m[i + 2] = (bits >> 32) & 0xFFFF < threshold ? scale : 0
                m[i + 3] = (bits >> 48) < threshold ? scale : 0
                i += 4
            }
            while i < n { m[i] = rng.next() & 0xFFFF < threshold ? scale : 0; i += 1 }
            context.generator = rng
        }
        return try x.derive("NativeDropoutBackward0", [x], { () throws(TensorError) in try x.times(mask) }) { g, _ throws(TensorError) in
            [try g.times(mask)]
        }
    }
}
