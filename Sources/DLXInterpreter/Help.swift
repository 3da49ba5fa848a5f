import DLXEngine

/// `help(x)`: a short description of dlx's names, and of values.
extension Interpreter {
    /// Help on a name or attribute chain (`x`, `nn.Linear`, `x.shape`) without calling anything, as `x?` gives
    /// it (and a Jupyter kernel's inspect_request), wrapped to the session's width; nil when it is not a name
    /// that is defined.
    public func help(onName path: String) -> String? {
        if path == "load" { return Interpreter.helpText(key: "load").map { Interpreter.wrap($0, width: session.columns) } }
        guard Interpreter.isNameChain(path) else { return nil }
        // `x.shape?`: the attribute's entry in its family's table, not the help of the value it holds.
        if let dot = path.lastIndex(of: "."), case let name = String(path[path.index(after: dot)...]),
           let owner = try? evaluateWithoutCalls(String(path[..<dot])),
           let table = table(describing: name, of: owner), let text = Interpreter.helpText(key: table.key(name)) {
            return Interpreter.wrap(text, width: session.columns)
        }
        guard let v = try? evaluateWithoutCalls(path) else { return nil }
        return help(for: v)
    }

    /// The help of a value, wrapped to the session's width.
    func help(for v: Value?) -> String {
        Interpreter.wrap(helpText(for: v), width: session.columns)
    }

    func helpText(for v: Value?) -> String {
        guard let v else {
            return "dlx: a PyTorch-flavoured shell. Try: x = load mnist[0]; x.shape; model = seq(flatten(), linear(784, 10)); summary(model, (1, 28, 28))"
        }
        switch v {
        case .tensor(let t):
            var text = "Tensor of shape \(TensorPrinter.sizeRepr(t.shape)), dtype \(t.dtype.repr), on \(t.device)"
            let values = (try? t.doubles()) ?? []
            if !values.isEmpty, let lo = values.min(), let hi = values.max() {
                let mean = values.reduce(0, +) / Double(values.count)
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
        case .object(let o) where methodTable(of: v) != nil:
            // An optimizer, a schedule, a dataset, a loader: its class's help, then what it offers.
            let classKeys = ["torch.optim." + o.typeName, "torch.optim.lr_scheduler." + o.typeName, "torchvision.datasets." + o.typeName,
                             "torch.utils.data." + o.typeName, "torch.utils.data.DataLoader"]
            let text = classKeys.lazy.compactMap { Interpreter.helpText(key: $0) }.first ?? "\(o.typeName) object."
            return text + memberList(of: v)
        default:
            return "\(v.typeName) value."
        }
    }

    /// "\n\nAttributes and methods (help(x.name) for each): a, b, ..." for a value of a family with a table.
    private func memberList(of v: Value) -> String {
        let names = attributeNames(of: v).filter { n in methodTable(of: v)?.contains(n) ?? false }
        guard !names.isEmpty else { return "" }
        return "\n\nAttributes and methods (help(value.name) for each): " + names.joined(separator: ", ") + "."
    }

    /// Text wrapped to `width` columns at spaces: the first line (a signature) and indented lines (code)
    /// stay whole, and a word longer than the width is never broken.
    static func wrap(_ text: String, width: Int) -> String {
        let width = max(20, width)
        var out: [String] = []
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if k == 0 || line.count <= width || line.hasPrefix(" ") { out.append(String(line)); continue }
            var current = ""
            for word in line.split(separator: " ") {
                if current.isEmpty { current = String(word) }
                else if current.count + 1 + word.count <= width { current += " " + word }
                else { out.append(current); current = String(word) }
            }
            out.append(current)
        }
        return out.joined(separator: "\n")
    }
}
