/// State that a forward pass may need beyond its input: randomness for dropout, and an observer that
/// sees every leaf module's output (how `summary` learns output shapes, like torchsummary's hooks).
public struct ForwardContext {
    public var generator: Generator
    public var observer: ((Module, Tensor, Tensor) -> Void)?
    public init(generator: Generator, observer: ((Module, Tensor, Tensor) -> Void)? = nil) {
        self.generator = generator; self.observer = observer
    }
}

/// A neural-network layer or a container of layers, as `torch.nn.Module`.
open class Module: @unchecked Sendable {
    public var training = true

    public init() {}

    /// The class name PyTorch prints (`Linear`).
    open var typeName: String { String(describing: type(of: self)) }
    /// Sub-modules, in registration order, with their names.
    open var children: [(String, Module)] { [] }
    /// This module's own parameters (not its children's).
    open var ownParameters: [(String, Tensor)] { [] }
    /// Non-learnable state saved with the model (BatchNorm's running statistics).
    open var ownBuffers: [(String, Tensor)] { [] }
    /// The text inside the parentheses of the repr.
    open func extraRepr() -> String { "" }
    /// Containers are skipped by `summary`, as torchsummary skips Sequential.
    open var isContainer: Bool { false }

    open func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        throw TensorError(.notImplemented, "\(typeName) has no forward")
    }

    /// Runs `forward` and reports the output to the context's observer.
    public final func callAsFunction(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        let y = try forward(x, &context)
        if !isContainer { context.observer?(self, x, y) }
        return y
    }

    /// `named_parameters()`: `0.weight`, `0.bias`, ... depth first.
    public func namedParameters(prefix: String = "") -> [(String, Tensor)] {
        var out = ownParameters.map { (prefix + $0.0, $0.1) }
        for (name, child) in children { out += child.namedParameters(prefix: prefix + name + ".") }
        return out
    }

    public var parameters: [Tensor] { namedParameters().map { $0.1 } }

    /// Every buffer of this module and those below it (running statistics).
    public var allBuffers: [Tensor] { allModules.flatMap { $0.ownBuffers.map { $0.1 } } }

    /// This module and all below it, depth first (what `model.apply` visits).
    public var allModules: [Module] { [self] + children.flatMap { $0.1.allModules } }

    public func setTraining(_ on: Bool) {
        training = on
        for (_, c) in children { c.setTraining(on) }
    }

    /// PyTorch's `Module.__repr__`: one line for leaves, an indented list of children for containers.
    open var repr: String {
        let extra = extraRepr()
        let extraLines = extra.isEmpty ? [] : extra.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let childLines = children.map { "(\($0.0)): " + Module.addIndent($0.1.repr, 2) }
        var s = typeName + "("
        let lines = extraLines + childLines
        if !lines.isEmpty {
            if extraLines.count == 1 && childLines.isEmpty { s += extraLines[0] }
            else { s += "\n  " + lines.joined(separator: "\n  ") + "\n" }
        }
        return s + ")"
    }

    /// PyTorch's `_addindent`: every line but the first indented by n spaces.
    public static func indented(_ s: String, _ n: Int) -> String { addIndent(s, n) }

    static func addIndent(_ s: String, _ n: Int) -> String {
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 1 else { return s }
        let pad = String(repeating: " ", count: n)
        return lines[0] + "\n" + lines.dropFirst().map { pad + $0 }.joined(separator: "\n")
    }

    /// A fresh parameter tensor drawn from U(-bound, bound), PyTorch's default for Linear and Conv2d
    /// (kaiming_uniform with a = sqrt(5) gives bound = 1/sqrt(fan_in) for weights as for biases).
    static func uniformParameter(_ shape: [Int], fanIn: Int, backend: any Backend, generator: inout Generator) throws(TensorError) -> Tensor {
        let t = try Tensor.empty(shape, on: backend)
        let bound: Float = fanIn > 0 ? 1 / Float(fanIn).squareRoot() : 0
        t.uniform(-bound, bound, generator: &generator)
        t.requiresGrad = true
        t.isParameter = true
        return t
    }
}

/// Parameters get a fixed value (ones, zeros) and the parameter flags.
func parameter(_ t: Tensor) -> Tensor {
    t.requiresGrad = true
    t.isParameter = true
    return t
}
