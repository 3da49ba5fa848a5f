/// `nn.Flatten(start_dim=1, end_dim=-1)`.
public final class Flatten: Module, @unchecked Sendable {
    public let startDim: Int, endDim: Int

    public init(startDim: Int = 1, endDim: Int = -1) { self.startDim = startDim; self.endDim = endDim; super.init() }

    public override func extraRepr() -> String { "start_dim=\(startDim), end_dim=\(endDim)" }

    public override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        try x.flatten(startDim, endDim)
    }
}

/// `nn.Identity()`: gives its input back (a placeholder layer).
public final class Identity: Module, @unchecked Sendable {
    public override init() { super.init() }
    public override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor { x }
}
