/// `nn.Linear(in_features, out_features, bias=True)`: y = x W^T + b.
public final class Linear: Module, @unchecked Sendable {
    public let inFeatures: Int, outFeatures: Int
    public var weight: Tensor        // (out, in)
    public var bias: Tensor?         // (out)

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, backend: any Backend, generator: inout Generator) throws(TensorError) {
        guard inFeatures >= 0, outFeatures >= 0 else {
            throw .runtime("Trying to create tensor with negative dimension \(Swift.min(inFeatures, outFeatures)): [\(outFeatures), \(inFeatures)]")
        }
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = try Module.uniformParameter([outFeatures, inFeatures], fanIn: inFeatures, kaiming: true, backend: backend, generator: &generator)
        self.bias = bias ? try Module.uniformParameter([outFeatures], fanIn: inFeatures, backend: backend, generator: &generator) : nil
        super.init()
    }

    public override var ownParameters: [(String, Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public override func extraRepr() -> String {
        "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(bias == nil ? "False" : "True")"
    }

    public override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        try Tensor.linear(x, weight: weight, bias: bias)
    }
}
