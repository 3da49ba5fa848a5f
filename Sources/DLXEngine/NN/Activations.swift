/// Elementwise activations and `Softmax(dim)`.
public final class Activation: Module, @unchecked Sendable {
    public enum Kind: String, Sendable { case relu = "ReLU", sigmoid = "Sigmoid", tanh = "Tanh" }
    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind; super.init() }

    public override var typeName: String { kind.rawValue }

    public override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        switch kind {
        case .relu: return try x.unary(.relu)
        case .sigmoid: return try x.unary(.sigmoid)
        case .tanh: return try x.unary(.tanh)
        }
    }
}

public final class Softmax: Module, @unchecked Sendable {
    public let dim: Int?
    public let log: Bool

    public init(dim: Int?, log: Bool = false) { self.dim = dim; self.log = log; super.init() }

    public override var typeName: String { log ? "LogSoftmax" : "Softmax" }
    public override func extraRepr() -> String { "dim=\(dim.map(String.init) ?? "None")" }

    public override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        // PyTorch's legacy choice when dim is None: 0 for 0-, 1- and 3-d inputs, else 1.
        let d = dim ?? ((x.rank == 0 || x.rank == 1 || x.rank == 3) ? 0 : 1)
        return try x.softmax(d, log: log)
    }
}
