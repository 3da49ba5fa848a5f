#if canImport(Glibc)
import Glibc
#endif
import DLXFrontEnd

/// `import torch.nn as nn`, `from torchvision import transforms`: the modules dlx provides.
extension Interpreter {
    static let providedModules = ["torch", "torch.nn", "torch.nn.functional", "torch.optim", "torch.optim.lr_scheduler", "torch.utils", "torch.utils.data", "torch.onnx",
                                  "torch.cuda", "torch.random", "torchvision", "torchvision.datasets", "torchvision.transforms",
                                  "torchvision.transforms.v2", "torchsummary", "safetensors", "safetensors.torch", "time", "numpy", "numpy.random",
                                  "random", "math", "collections", "itertools", "functools", "operator", "json", "os", "os.path", "sys", "gc", "argparse", "copy",
                                  "typing", "warnings", "__future__", "matplotlib", "matplotlib.pyplot",
                                  "PIL", "PIL.Image", "tqdm", "tqdm.auto", "tqdm.notebook"]

    /// What to use instead of the libraries course code imports that dlx does not have.
    static let insteadOfModules: [String: String] = [
        "pandas": "dlx reads tables without pandas: load csv(\"file.csv\")",
    ]

    private func moduleNotFound(_ path: String) -> DLXError {
        let top = String(path.prefix { $0 != "." })
        if let instead = Interpreter.insteadOfModules[top] {
            return DLXError("ModuleNotFoundError", "No module named '\(path)' (\(instead))")
        }
        if let close = Interpreter.closestName(to: path, among: Interpreter.providedModules) {
            var e = DLXError("ModuleNotFoundError", "No module named '\(path)'")
            e.suggestion = .name(close)
            return e
        }
        return DLXError("ModuleNotFoundError", "No module named '\(path)' (dlx provides \(Interpreter.providedModules.joined(separator: ", ")))")
    }

    func importModule(_ name: ImportName) throws(DLXError) {
        let path = name.path.joined(separator: ".")
        guard let module = try findModule(path) else { throw moduleNotFound(path) }
        if let alias = name.alias {
            assignName(alias, .object(module))
        } else {
            // `import torch.nn` binds `torch`, as Python does.
            guard let top = try findModule(name.path[0]) else { throw moduleNotFound(name.path[0]) }
            assignName(name.path[0], .object(top))
        }
    }

    func importFrom(_ path: [String], _ names: [ImportName]) throws(DLXError) {
        let modulePath = path.joined(separator: ".")
        if modulePath == "__future__" {
            // `from __future__ import annotations`: annotations are kept as their source text, unevaluated.
            if names.contains(where: { $0.path == ["annotations"] }) { session.futureAnnotations = true }
            return
        }
        guard let module = try findModule(modulePath) else { throw moduleNotFound(modulePath) }
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

    func findModule(_ path: String) throws(DLXError) -> Namespace? {
        if let n = namespace(path) { return n }
        return try localModule(path)
    }

    /// `import helper`: `helper.py` or `helper.dlx` in the script's folder (the working folder at the prompt),
    /// run once per session in a scope of its own whose names become the module's; Python's semantics
    /// (nothing displayed). A module that imports itself, directly or not, sees what it has defined so far.
    func localModule(_ name: String) throws(DLXError) -> Namespace? {
        guard !name.contains("."), !name.isEmpty else { return nil }
        if let m = session.localModules[name] { return m }
        let folder = session.scriptDirectory
        guard let file = [".py", ".dlx"].map({ folder + "/" + name + $0 }).first(where: { access($0, R_OK) == 0 }) else { return nil }
        try session.checkRead(file)
        guard let text = TextFiles.read(file) else {
            throw DLXError("ImportError", "cannot read '\(file)': \(String(cString: strerror(errno)))")
        }
        let scope = Frame(.function, parent: nil, name: "<module>", source: file)
        scope.locals["__name__"] = .string(name)
        scope.locals["__file__"] = .string(file)
        let module = Namespace(name, [:], library: false)
        session.localModules[name] = module
        let statements: [Stmt]
        do { statements = try Parser.parse(text) } catch {
            session.localModules[name] = nil
            throw DLXError(error)
        }
        let savedSource = sourceName
        sourceName = file
        defer { sourceName = savedSource }
        do {
            try session.quietly { () throws in try within(scope) { () throws in try execBlock(statements) } }
        } catch let e as DLXError {
            session.localModules[name] = nil
            throw e
        } catch {
            session.localModules[name] = nil
            throw DLXError("SyntaxError", "'return' outside function")
        }
        module.members = scope.locals
        return module
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
