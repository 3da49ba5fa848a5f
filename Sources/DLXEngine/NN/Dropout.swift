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
            let keep = Float(1 - p), scale = 1 / keep
            for i in 0..<mask.count { m[i] = context.generator.nextFloat() < keep ? scale : 0 }
        }
        return try x.derive("NativeDropoutBackward0", [x], { () throws(TensorError) in try x.times(mask) }) { g, _ throws(TensorError) in
            [try g.times(mask)]
        }
    }
}
