/// `nn.Sequential(*modules)`: runs its children in order.
public final class Sequential: Module, @unchecked Sendable {
    public var modules: [Module]

    public init(_ modules: [Module]) { self.modules = modules; super.init() }

    public override var children: [(String, Module)] { modules.enumerated().map { (String($0.offset), $0.element) } }
    public override var isContainer: Bool { true }

    public override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        var y = x
        var i = 0
        while i < modules.count {
            // A BatchNorm followed by a ReLU runs as one op (one pass fewer each way), unless an observer
            // (summary, the profiler) wants to see the BatchNorm's own output.
            if context.observer == nil, i + 1 < modules.count, let bn = modules[i] as? BatchNorm,
               let act = modules[i + 1] as? Activation, act.kind == .relu {
                y = try bn.forward(y, relu: true)
                i += 2
                continue
            }
            y = try modules[i](y, &context)
            i += 1
        }
        return y
    }
}
