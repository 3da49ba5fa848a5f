import DLXFrontEnd

/// `import torch.nn as nn`, `from torchvision import transforms`: the modules dlx provides.
extension Interpreter {
    static let providedModules = ["torch", "torch.nn", "torch.nn.functional", "torch.optim", "torch.optim.lr_scheduler", "torch.utils", "torch.utils.data",
                                  "torch.cuda", "torchvision", "torchvision.datasets", "torchvision.transforms",
                                  "torchvision.transforms.v2", "torchsummary", "time",
                                  "random", "math", "collections", "itertools", "functools", "operator", "json", "os", "os.path", "sys", "copy",
                                  "typing", "warnings", "__future__"]

    private func moduleNotFound(_ path: String) -> DLXError {
        DLXError("ModuleNotFoundError", "No module named '\(path)' (dlx provides \(Interpreter.providedModules.joined(separator: ", ")))")
    }

    func importModule(_ name: ImportName) throws(DLXError) {
        let path = name.path.joined(separator: ".")
        guard let module = namespace(path) else { throw moduleNotFound(path) }
        if let alias = name.alias {
            assignName(alias, .object(module))
        } else {
            // `import torch.nn` binds `torch`, as Python does.
            guard let top = namespace(name.path[0]) else { throw moduleNotFound(name.path[0]) }
            assignName(name.path[0], .object(top))
        }
    }

    func importFrom(_ path: [String], _ names: [ImportName]) throws(DLXError) {
        let modulePath = path.joined(separator: ".")
        guard let module = namespace(modulePath) else { throw moduleNotFound(modulePath) }
        for n in names {
            let member = n.path[0]
            let value: Value
            if let v = module.members[member] {
                value = v
            } else if let sub = namespace(modulePath + "." + member) {
                value = .object(sub)
            } else {
                throw DLXError("ImportError", "cannot import name '\(member)' from '\(modulePath)' (not provided by dlx)", span: n.span)
            }
            assignName(n.alias ?? member, value)
        }
    }

    /// Names every session has without importing: the PyTorch modules under their usual short names,
    /// and dlx's short forms.
    func preludeName(_ name: String) -> Value? {
        switch name {
        case "torch": return namespace("torch").map { .object($0) }
        case "nn": return namespace("torch.nn").map { .object($0) }
        case "F": return namespace("torch.nn.functional").map { .object($0) }
        case "transforms": return namespace("torchvision.transforms").map { .object($0) }
        case "torchvision": return namespace("torchvision").map { .object($0) }
        case "DataLoader": return namespace("torch.utils.data")?.members["DataLoader"]
        default: return shortForm(name)
        }
    }
}
