import DLXEngine

/// `help(x)`: a short description of dlx's names, and of values.
extension Interpreter {
    /// Help on a name or attribute chain (`x`, `nn.Linear`) without calling anything, as `x?` gives it
    /// (a Jupyter kernel's inspect_request); nil when it is not a name that is defined.
    public func help(onName path: String) -> String? {
        if path == "load" { return Interpreter.helpText(key: "load") }
        guard Interpreter.isNameChain(path), let v = try? evaluateWithoutCalls(path) else { return nil }
        return helpText(for: v)
    }

    func helpText(for v: Value?) -> String {
        guard let v else {
            return "dlx: a PyTorch-flavoured shell. Try: x = load mnist[0]; x.shape; model = seq(flatten(), linear(784, 10)); summary(model, (1, 28, 28))"
        }
        switch v {
        case .tensor(let t):
            var text = "Tensor of shape \(TensorPrinter.sizeRepr(t.shape)), dtype \(t.dtype.repr), on \(t.device)"
            let v = (try? t.doubles()) ?? []
            if !v.isEmpty, let lo = v.min(), let hi = v.max() {
                let mean = v.reduce(0, +) / Double(v.count)
                func f(_ x: Double) -> String { t.dtype.isFloatingPoint || !x.isFinite ? NumberFormat.fixed(x, 4) : String(Int(x)) }
                text += ": min \(f(lo)), max \(f(hi)), mean \(NumberFormat.fixed(mean, 4))"
            }
            return text + (t.requiresGrad ? ", requires grad." : ".")
        case .module(let m):
            let n = m.parameters.reduce(0) { $0 + $1.count }
            return "\(m.typeName) module with \(NumberFormat.grouped(n)) parameters:\n\(m.repr)"
        case .object(let o as BuiltinFunction):
            return Interpreter.helpText(key: o.helpKey) ?? Interpreter.helpText(key: o.name) ?? "\(o.name): a dlx built-in function."
        case .object(let o as TypeObject):
            return Interpreter.helpText(key: o.helpKey) ?? Interpreter.helpText(key: o.name) ?? "class \(o.qualified)"
        case .dtype(let d):
            return "torch.\(d.name): a dtype of \(d.itemSize)-byte elements. Example: x.to(torch.\(d.name))"
        default:
            return "\(v.typeName) value."
        }
    }
}
