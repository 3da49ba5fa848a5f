import DLXEngine

/// `help(x)`: a short description of dlx's names, and of values.
extension Interpreter {
    static let helpTexts: [String: String] = [
        "load": "load NAME — a dataset. `load mnist` (60,000 training digits), `load mnist.test` (10,000),\n`load mnist[i]` (image i as a [1, 28, 28] float tensor), `load idx(\"images.gz\", \"labels.gz\")`.",
        "summary": "summary(model, input_size, batch_size=-1, device='cuda') — torchsummary's table of layers,\noutput shapes and parameter counts. Example: summary(model, (1, 28, 28))",
        "seq": "seq(*modules) — nn.Sequential. Example: seq(flatten(), linear(784, 10))",
        "print": "print(*values, sep=' ', end='\\n') — prints values.",
    ]

    func helpText(for v: Value?) -> String {
        guard let v else {
            return "dlx: a PyTorch-flavoured shell. Try: x = load mnist[0]; x.shape; model = seq(flatten(), linear(784, 10)); summary(model, (1, 28, 28))"
        }
        switch v {
        case .tensor(let t):
            return "Tensor of shape \(TensorPrinter.sizeRepr(t.shape)), dtype \(t.dtype.repr), on \(t.device)."
        case .module(let m):
            let n = m.parameters.reduce(0) { $0 + $1.count }
            return "\(m.typeName) module with \(NumberFormat.grouped(n)) parameters:\n\(m.repr)"
        case .object(let o as BuiltinFunction):
            return Interpreter.helpTexts[o.name] ?? "\(o.name): a dlx built-in function."
        case .object(let o as TypeObject):
            return Interpreter.helpTexts[o.name] ?? "class \(o.qualified)"
        default:
            return "\(v.typeName) value."
        }
    }
}
