import DLXEngine

/// One table per family of attribute names (a tensor's, a module's, an optimizer's, ...): each name's
/// signature, summary and example. A family's attribute names (dir(), Tab completion) come from its table,
/// help finds an entry by `prefix.name` (`torch.Tensor.unsqueeze`), and the methods the family returns carry
/// that key; the implementations stay in the family's attribute switch, and tests hold the two together.
struct MethodTable {
    /// Where the family lives in PyTorch: `torch.Tensor`, `torch.nn.Module`.
    let prefix: String
    let entries: [String: Interpreter.HelpEntry]
    /// The names, sorted.
    let names: [String]

    /// Rows of (name, signature, summary, example).
    init(_ prefix: String, _ rows: [(String, String, String, String)]) {
        self.prefix = prefix
        var e: [String: Interpreter.HelpEntry] = [:]
        for (name, signature, summary, example) in rows { e.add(name, signature, summary, example) }
        entries = e
        names = e.keys.sorted()
    }

    func contains(_ name: String) -> Bool { entries[name] != nil }

    /// The help key of one of its names.
    func key(_ name: String) -> String { prefix + "." + name }
}

extension Interpreter {
    /// Every family's table.
    static let methodTables: [MethodTable] = [tensorMethods, moduleMethods, sequentialMethods, optimizerMethods,
                                              schedulerMethods, datasetMethods, loaderMethods, ndarrayMethods, pyplotFunctionTable, axesMethodTable,
                                              figureMethodTable, pilImageMethods, tqdmMethods] + layerTables.values.sorted { $0.prefix < $1.prefix }

    /// The entries of every family, by key (`torch.optim.Optimizer.step`).
    static let methodHelp: [String: HelpEntry] = {
        var h: [String: HelpEntry] = [:]
        for table in methodTables { for (name, e) in table.entries { h[table.key(name)] = e } }
        return h
    }()

    /// The table of the family a value belongs to, if it has one.
    func methodTable(of v: Value) -> MethodTable? {
        switch v {
        case .tensor: return Interpreter.tensorMethods
        case .module: return Interpreter.moduleMethods
        case .object(let o):
            switch o {
            case is OptimizerObject: return Interpreter.optimizerMethods
            case is SchedulerObject: return Interpreter.schedulerMethods
            case is DatasetObject: return Interpreter.datasetMethods
            case is DataLoaderObject, is UserLoaderObject: return Interpreter.loaderMethods
            case is NDArrayObject: return Interpreter.ndarrayMethods
            case is PILImageObject: return Interpreter.pilImageMethods
            case is TqdmObject: return Interpreter.tqdmMethods
            default: return nil
            }
        default: return nil
        }
    }

    /// The tables whose names a value has, most specific first: a layer's own (Linear), Sequential's, Module's.
    func methodTables(of v: Value) -> [MethodTable] {
        var tables: [MethodTable] = []
        if case .module(let m) = v {
            if !(m is UserModule), let t = Interpreter.layerTables[m.typeName] { tables.append(t) }
            if m is Sequential { tables.append(Interpreter.sequentialMethods) }
        }
        if let t = methodTable(of: v) { tables.append(t) }
        return tables
    }

    /// The table that describes `base.name`, if any.
    func table(describing name: String, of base: Value) -> MethodTable? {
        methodTables(of: base).first { $0.contains(name) }
    }

    /// A method a family returned, marked with its table's help key so `help(x.unsqueeze)` finds its entry.
    func markedMethod(_ v: Value, of base: Value, _ name: String) -> Value {
        guard case .object(let f as BuiltinFunction) = v, f.helpKey == f.name, let table = table(describing: name, of: base) else { return v }
        f.helpKey = table.key(name)
        return v
    }

    /// The parameter names a signature string names, in order: `nn.Conv2d(in_channels, out_channels,
    /// kernel_size, stride=1, ...)` gives in_channels, out_channels, kernel_size, stride, ...; alternatives
    /// (`range(stop) / range(start, stop, step=1)`) give the names of each. `*args`, `**kwargs`, `*` and `/` are left out.
    static func parameterNames(inSignature signature: String) -> [String] {
        var names: [String] = [], depth = 0, current = "", seen = Set<String>()
        func flush() {
            var p = current.trimmingSpaces
            current = ""
            if let eq = p.firstIndex(of: "=") { p = String(p[..<eq]) }
            if let colon = p.firstIndex(of: ":") { p = String(p[..<colon]) }
            p = p.trimmingSpaces
            guard !p.hasPrefix("*"), p != "/", p != "...", isIdentifier(p), p != "self", !seen.contains(p) else { return }
            seen.insert(p)
            names.append(p)
        }
        for ch in signature {
            switch ch {
            case "(", "[", "{":
                depth += 1
                if depth > 1 { current.append(ch) }
            case ")", "]", "}":
                if depth == 1 { flush() } else if depth > 1 { current.append(ch) }
                depth = max(0, depth - 1)
            case "," where depth == 1: flush()
            default: if depth >= 1 { current.append(ch) }
            }
        }
        return names
    }

}
