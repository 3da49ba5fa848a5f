/// `nn.Dropout(p=0.5)`: in training, zeroes each element with probability p and scales the rest by
/// 1/(1-p) (inverted dropout); in eval mode, the identity.
public final class Dropout: Module, @unchecked Sendable {
    public let p: Double

    public init(p: Double = 0.5) throws(TensorError) {
        guard p >= 0 && p <= 1 else { throw .value("dropout probability has to be between 0 and 1, but got \(NumberFormat.pythonRepr(p))") }
        self.p = p
        super.init()
    }

    public override func extraRepr() -> String { "p=\(NumberFormat.pythonRepr(p)), inplace=False" }

    public override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        if !training || p == 0 { return x }
        let src = try x.to(.float32).contiguous()
        let out = try Tensor.empty(x.shape, on: x.backend)
        let s = src.f32, o = out.f32
        if p == 1 { out.fill(0); return out }
        let keep = Float(1 - p), scale = 1 / keep
        for i in 0..<x.count { o[i] = context.generator.nextFloat() < keep ? s[i] * scale : 0 }
        return out
    }
}
