/// `nn.Sequential(*modules)`: runs its children in order.
public final class Sequential: Module, @unchecked Sendable {
    public var modules: [Module]

    public init(_ modules: [Module]) { self.modules = modules; super.init() }

    public override var children: [(String, Module)] { modules.enumerated().map { (String($0.offset), $0.element) } }
    public override var isContainer: Bool { true }

    public override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        var y = x
        for m in modules { y = try m(y, &context) }
        return y
    }
}
