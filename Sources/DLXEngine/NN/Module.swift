import CSupport

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
    /// Sub-modules, in registration order, with their names (what the layer itself holds).
    open var children: [(String, Module)] { [] }
    /// Modules assigned to the layer afterwards (`model.head = nn.Linear(...)`), as PyTorch allows on any module.
    public var addedChildren: [(String, Module)] = []
    /// Other values assigned to the layer (`model.name = "mlp"`), kept for the code that assigned them.
    public var addedAttributes: [String: AnyObject] = [:]
    /// Every child: the layer's own, then those assigned to it.
    public var allChildren: [(String, Module)] { addedChildren.isEmpty ? children : children + addedChildren }
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
        // A model that contains itself (seq.append(seq)) recurses without end: an error before the stack runs out.
        guard dlx_stack_remaining() > 256 << 10 else { throw TensorError(.recursion, "maximum recursion depth exceeded") }
        let y = try forward(x, &context)
        if !isContainer { context.observer?(self, x, y) }
        return y
    }

    /// Every module from this one down with its dotted name, depth first, each module once (PyTorch's
    /// `named_modules` with its memo): a module that holds itself, or one held twice, is not walked again.
    public func namedModules(prefix: String = "") -> [(String, Module)] {
        var out: [(String, Module)] = []
        var seen = Set<ObjectIdentifier>()
        var stack: [(String, Module)] = [(prefix, self)]
        while let (name, module) = stack.popLast() {
            guard seen.insert(ObjectIdentifier(module)).inserted else { continue }
            out.append((name, module))
            for (n, c) in module.allChildren.reversed() { stack.append((name.isEmpty ? n : name + "." + n, c)) }
        }
        return out
    }

    /// `named_parameters()`: `0.weight`, `0.bias`, ... depth first; a parameter shared by two layers is listed
    /// once (so an optimizer steps it once), as PyTorch's `remove_duplicate` does.
    public func namedParameters(prefix: String = "") -> [(String, Tensor)] {
        var out: [(String, Tensor)] = []
        var seen = Set<ObjectIdentifier>()
        for (name, module) in namedModules() {
            for (n, p) in module.ownParameters where seen.insert(ObjectIdentifier(p)).inserted {
                out.append((prefix + (name.isEmpty ? n : name + "." + n), p))
            }
        }
        return out
    }

    public var parameters: [Tensor] { namedParameters().map { $0.1 } }

    /// Every buffer of this module and those below it (running statistics).
    public var allBuffers: [Tensor] { allModules.flatMap { $0.ownBuffers.map { $0.1 } } }

    /// This module and all below it, depth first, each once (what `model.apply` visits).
    public var allModules: [Module] { namedModules().map { $0.1 } }

    public func setTraining(_ on: Bool) {
        for m in allModules { m.training = on }
    }

    /// PyTorch's `Module.__repr__`: one line for leaves, an indented list of children for containers.
    open var repr: String { repr(within: []) }

    /// The repr; a module met again inside itself prints as `Name(...)` there (PyTorch recurses without end).
    public func repr(within ancestors: Set<ObjectIdentifier>) -> String {
        let me = ObjectIdentifier(self)
        guard !ancestors.contains(me) else { return typeName + "(...)" }
        let inner = ancestors.union([me])
        let extra = extraRepr()
        let extraLines = extra.isEmpty ? [] : extra.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let childLines = allChildren.map { "(\($0.0)): " + Module.addIndent(Module.childRepr($0.1, inner), 2) }
        var s = typeName + "("
        let lines = extraLines + childLines
        if !lines.isEmpty {
            if extraLines.count == 1 && childLines.isEmpty { s += extraLines[0] }
            else { s += "\n  " + lines.joined(separator: "\n  ") + "\n" }
        }
        return s + ")"
    }

    /// A child's repr inside its parent's (a subclass that prints itself its own way keeps its way).
    static func childRepr(_ m: Module, _ ancestors: Set<ObjectIdentifier>) -> String {
        ancestors.contains(ObjectIdentifier(m)) ? m.typeName + "(...)" : (type(of: m).printsItself ? m.repr : m.repr(within: ancestors))
    }

    /// True for modules whose `repr` is their own (ModuleList's repeated blocks).
    open class var printsItself: Bool { false }

    /// PyTorch's `_addindent`: every line but the first indented by n spaces.
    public static func indented(_ s: String, _ n: Int) -> String { addIndent(s, n) }

    static func addIndent(_ s: String, _ n: Int) -> String {
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 1 else { return s }
        let pad = String(repeating: " ", count: n)
        return lines[0] + "\n" + lines.dropFirst().map { pad + $0 }.joined(separator: "\n")
    }

    /// A fresh parameter tensor drawn from U(-bound, bound), as PyTorch's Linear and Conv2d initialise:
    /// the weight by `kaiming_uniform_(w, a=sqrt(5))` (`kaiming: true`), the bias from U(-1/sqrt(fan_in),
    /// 1/sqrt(fan_in)), each with `uniform_` on the generator in that order.
    static func uniformParameter(_ shape: [Int], fanIn: Int, kaiming: Bool = false, backend: any Backend,
                                 generator: inout Generator) throws(TensorError) -> Tensor {
        let t = try Tensor.empty(shape, on: backend)
        if t.count > 0 {
            let bound = fanIn <= 0 ? 0 : kaiming ? Tensor.kaimingUniformBound(fanIn: fanIn, a: 5.0.squareRoot()) : 1 / Double(fanIn).squareRoot()
            try t.uniform(-bound, bound, generator: &generator)
        }
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
