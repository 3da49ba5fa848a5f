import DLXEngine

/// `nn.Module`'s methods beyond the forward: the named walks (`named_children`, `named_modules`,
/// `named_buffers`), `state_dict`, `load_state_dict`, `register_buffer`, `apply`, `requires_grad_`; and
/// `nn.Parameter`, `nn.ModuleList`, `nn.ModuleDict`, `nn.init`.
extension Interpreter {
    func namedModules(_ m: Module, prefix: String = "") -> [(String, Module)] { m.namedModules(prefix: prefix) }

    func namedBuffers(_ m: Module) -> [(String, Tensor)] {
        namedModules(m).flatMap { name, module in module.ownBuffers.map { (name.isEmpty ? $0.0 : name + "." + $0.0, $0.1) } }
    }

    /// `state_dict()`: parameters and buffers by dotted name, in PyTorch's order (each module's own
    /// parameters, then its buffers, then its children's).
    /// Its `_metadata` holds each module's version by dotted name, as PyTorch's (BatchNorm is at version 2).
    func stateDict(_ m: Module, keepVars: Bool) throws(DLXError) -> DictBox {
        let d = DictBox(), metadata = DictBox()
        d.flavor = .ordered
        metadata.flavor = .ordered
        for (name, module) in m.namedModules() {
            let prefix = name.isEmpty ? "" : name + "."
            for (n, p) in module.ownParameters { try d.set(.string(prefix + n), .tensor(keepVars ? p : p.detached())) }
            for (n, b) in module.ownBuffers { try d.set(.string(prefix + n), .tensor(keepVars ? b : b.detached())) }
            let version = DictBox()
            try version.set(.string("version"), .int(moduleVersion(module)))
            try metadata.set(.string(name), .dict(version))
        }
        d.metadata = .dict(metadata)
        return d
    }

    /// A module class's `_version`: 2 for BatchNorm, a user class's own when it sets one, else 1.
    func moduleVersion(_ m: Module) -> Int {
        if m is BatchNorm { return 2 }
        if let u = m as? UserModule, case .int(let v)? = u.cls.lookup("_version")?.0 { return v }
        return 1
    }

    func extraModuleAttribute(_ m: Module, _ name: String) throws(DLXError) -> Value? {
        func meth(_ body: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Value) -> Value { method(name, body) }
        if let list = m as? ModuleList {
            switch name {
            case "append":
                return meth { a, i throws(DLXError) in list.modules += try i.modules([try a.required(0, "module")]); return .module(list) }
            case "extend":
                return meth { a, i throws(DLXError) in list.modules += try i.modules(try i.iterateAll(try a.required(0, "modules"))); return .module(list) }
            case "insert":
                return meth { a, i throws(DLXError) in
                    let k = try i.toInt(try a.required(0, "index"), "index")
                    let at = min(max(k < 0 ? k + list.modules.count : k, 0), list.modules.count)
                    list.modules.insert(try i.modules([try a.required(1, "module")])[0], at: at)
                    return Value.none
                }
            default: break
            }
        }
        if let dict = m as? ModuleDict {
            switch name {
            case "keys": return meth { _, _ throws(DLXError) in .list(ListBox(dict.entries.map { .string($0.0) })) }
            case "values": return meth { _, _ throws(DLXError) in .list(ListBox(dict.entries.map { .module($0.1) })) }
            case "items": return meth { _, _ throws(DLXError) in .list(ListBox(dict.entries.map { .tuple([.string($0.0), .module($0.1)]) })) }
            case "update":
                return meth { a, i throws(DLXError) in
                    let v = try a.required(0, "modules")
                    let pairs: [Value]
                    if case .dict(let d) = v { pairs = zip(d.keys, d.values).map { .tuple([$0.0, $0.1]) } } else { pairs = try i.iterateAll(v) }
                    for p in pairs {
                        let kv = try i.iterateAll(p)
                        dict.set(try i.toStringValue(kv[0], "key"), try i.modules([kv[1]])[0])
                    }
                    return Value.none
                }
            case "pop":
                return meth { a, i throws(DLXError) in
                    let key = try a.required(0, "key")
                    guard case .string(let k) = key, let at = dict.entries.firstIndex(where: { $0.0 == k }) else { throw i.keyError(key) }
                    return .module(dict.entries.remove(at: at).1)
                }
            default: break
            }
        }
        switch name {
        case "named_children":
            return meth { _, i throws(DLXError) in
                .object(GeneratorIterator("Module.named_children", i, m.allChildren.map { .tuple([.string($0.0), .module($0.1)]) }))
            }
        case "named_modules":
            return meth { a, i throws(DLXError) in
                let prefix = try a.get(1, "prefix").map { v throws(DLXError) in try i.toStringValue(v, "prefix") } ?? ""
                _ = try a.get(0, "memo"); _ = try a.get(2, "remove_duplicate")
                return .object(GeneratorIterator("Module.named_modules", i, i.namedModules(m, prefix: prefix).map { .tuple([.string($0.0), .module($0.1)]) }))
            }
        case "buffers":
            return meth { _, i throws(DLXError) in .object(GeneratorIterator("Module.buffers", i, i.namedBuffers(m).map { .tensor($0.1) })) }
        case "named_buffers":
            return meth { _, i throws(DLXError) in
                .object(GeneratorIterator("Module.named_buffers", i, i.namedBuffers(m).map { .tuple([.string($0.0), .tensor($0.1)]) }))
            }
        case "state_dict":
            return meth { a, i throws(DLXError) in
                _ = try a.get(0, "destination"); _ = try a.get(1, "prefix")
                let keep = try a.get(2, "keep_vars").map { v throws(DLXError) in try i.truthy(v) } ?? false
                return .dict(try i.stateDict(m, keepVars: keep))
            }
        case "load_state_dict":
            return meth { a, i throws(DLXError) in
                guard case .dict(let d) = try a.required(0, "state_dict") else { throw .type("Expected state_dict to be dict-like") }
                let strict = try a.get(1, "strict").map { v throws(DLXError) in try i.truthy(v) } ?? true
                return try i.loadStateDict(m, d, strict: strict)
            }
        case "register_buffer", "register_parameter", "add_module", "register_module":
            guard let u = m as? UserModule else { return nil }
            return meth { a, i throws(DLXError) in
                let n = try i.toStringValue(try a.required(0, "name"), "name")
                let v = try a.required(1, name == "register_buffer" ? "tensor" : name == "register_parameter" ? "param" : "module")
                _ = try a.get(2, "persistent")
                try u.register(name == "register_buffer" ? "buffer" : name == "register_parameter" ? "parameter" : "module", n, v, i)
                return Value.none
            }
        case "requires_grad_":
            return meth { a, i throws(DLXError) in
                let on = try a.get(0, "requires_grad").map { v throws(DLXError) in try i.truthy(v) } ?? true
                for p in m.parameters { try i.setRequiresGrad(p, on) }
                return .module(m)
            }
        case "apply":
            return meth { a, i throws(DLXError) in
                let f = try a.required(0, "fn")
                // Children first, then the module itself, as PyTorch's apply.
                // Children first, then the module itself, as PyTorch's apply; each module once.
                var seen = Set<ObjectIdentifier>()
                func visit(_ x: Module) throws(DLXError) {
                    guard seen.insert(ObjectIdentifier(x)).inserted else { return }
                    for (_, c) in x.allChildren { try visit(c) }
                    var call = Arguments([.module(x)])
                    _ = try i.call(f, &call)
                }
                try visit(m)
                return .module(m)
            }
        case "extra_repr": return meth { _, _ throws(DLXError) in .string(m.extraRepr()) }
        case "get_submodule":
            return meth { a, i throws(DLXError) in
                let path = try i.toStringValue(try a.required(0, "target"), "target")
                guard let found = i.namedModules(m).first(where: { $0.0 == path }) else {
                    throw DLXError("AttributeError", "\(m.typeName) has no attribute `\(path)`")
                }
                return .module(found.1)
            }
        default: return nil
        }
    }

    /// `load_state_dict`: copies into the existing tensors (an optimizer made before keeps training them);
    /// PyTorch's messages for missing and unexpected keys and for shape mismatches.
    func loadStateDict(_ m: Module, _ d: DictBox, strict: Bool) throws(DLXError) -> Value {
        let own = try stateDict(m, keepVars: true)
        var missing: [String] = [], unexpected: [String] = [], mismatched: [String] = []
        for (k, v) in zip(own.keys, own.values) {
            guard case .string(let key) = k, case .tensor(let target) = v else { continue }
            guard let given = try d.get(k) else { missing.append(key); continue }
            guard case .tensor(let source) = given else { throw .type("state_dict['\(key)'] is a \(given.typeName), not a tensor") }
            guard source.shape == target.shape else {
                mismatched.append("size mismatch for \(key): copying a param with shape \(TensorPrinter.sizeRepr(source.shape)) from checkpoint, the shape in current model is \(TensorPrinter.sizeRepr(target.shape)).")
                continue
            }
            try engine { () throws(TensorError) in
                try target.backend.autograd.with(enabled: false) { () throws(TensorError) in try target.copy(from: source) }
            }
        }
        for k in d.keys {
            guard case .string(let key) = k else { continue }
            if try own.get(k) == nil { unexpected.append(key) }
        }
        var problems: [String] = []
        if strict && !unexpected.isEmpty { problems.append("Unexpected key(s) in state_dict: " + unexpected.map { "\"\($0)\"" }.joined(separator: ", ") + ". ") }
        if strict && !missing.isEmpty { problems.insert("Missing key(s) in state_dict: " + missing.map { "\"\($0)\"" }.joined(separator: ", ") + ". ", at: 0) }
        problems += mismatched
        if !problems.isEmpty {
            throw DLXError("RuntimeError", "Error(s) in loading state_dict for \(m.typeName):\n\t" + problems.joined(separator: "\n\t"))
        }
        return .object(IncompatibleKeys(missing: missing, unexpected: unexpected))
    }

    /// `nn.Parameter`, `nn.ModuleList`, `nn.ModuleDict` and `nn.init`.
    func moreNNMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        m["Parameter"] = .object(TypeObject("Parameter", qualified: "torch.nn.parameter.Parameter") { a, i throws(DLXError) in
            let data = try a.get(0, "data")
            let grad = try a.get(1, "requires_grad").map { v throws(DLXError) in try i.truthy(v) } ?? true
            let t: Tensor
            if let data { t = try i.toTensor(data, "data") }
            else { t = try i.engine { () throws(TensorError) in try Tensor.full([0], 0, on: i.session.backend) } }
            let p = t.detached()
            p.isParameter = true
            p.requiresGrad = grad
            return .tensor(p)
        })
        m["ModuleList"] = .object(TypeObject("ModuleList", qualified: "torch.nn.modules.container.ModuleList") { a, i throws(DLXError) in
            let items = try a.get(0, "modules").map { v throws(DLXError) in try i.iterateAll(v) } ?? []
            return .module(ModuleList(try i.modules(items)))
        })
        m["ModuleDict"] = .object(TypeObject("ModuleDict", qualified: "torch.nn.modules.container.ModuleDict") { a, i throws(DLXError) in
            let d = ModuleDict()
            if let v = try a.get(0, "modules") {
                if case .dict(let box) = v {
                    for (k, x) in zip(box.keys, box.values) { d.set(try i.toStringValue(k, "key"), try i.modules([x])[0]) }
                } else {
                    for pair in try i.iterateAll(v) {
                        let kv = try i.iterateAll(pair)
                        d.set(try i.toStringValue(kv[0], "key"), try i.modules([kv[1]])[0])
                    }
                }
            }
            return .module(d)
        })
        m["init"] = .object(Namespace("torch.nn.init", initMembers().merging(["calculate_gain": calculateGain()]) { a, _ in a }))
        return m
    }

    private func initMembers() -> [String: Value] {
        func initializer(_ name: String, _ fill: @escaping (Tensor, inout Arguments, Interpreter) throws(DLXError) -> [Float]) -> Value {
            .object(BuiltinFunction(name) { a, i throws(DLXError) in
                let t = try i.toTensor(try a.required(0, "tensor"), "tensor")
                let values = try fill(t, &a, i)
                try i.engine { () throws(TensorError) in
                    let src = try Tensor.from(values, shape: t.shape, on: i.session.backend)
                    try t.backend.autograd.with(enabled: false) { () throws(TensorError) in try t.copy(from: src) }
                }
                return .tensor(t)
            })
        }
        func fans(_ t: Tensor) throws(DLXError) -> (Double, Double) {
            guard t.rank >= 2 else { throw .value("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions") }
            let field = t.shape.dropFirst(2).reduce(1, *)
            return (Double(t.shape[1] * field), Double(t.shape[0] * field))
        }
        func gain(_ a: inout Arguments, _ i: Interpreter, _ index: Int) throws(DLXError) -> Double {
            try a.get(index, "gain").map { v throws(DLXError) in try i.toDouble(v, "gain") } ?? 1
        }
        /// Draws into t in place with `uniform_(lo, hi)` or `normal_(mean, std)`, on the `generator=` given.
        func drawn(_ name: String, _ body: @escaping (Tensor, inout Arguments, Interpreter) throws(DLXError) -> (normal: Bool, Double, Double)) -> Value {
            .object(BuiltinFunction(name) { a, i throws(DLXError) in
                let t = try i.toTensor(try a.required(0, "tensor"), "tensor")
                let (normal, p, q) = try body(t, &a, i)
                let g = try i.generatorArgument(&a)
                guard t.count > 0 else { return .tensor(t) }
                try i.drawing(from: g) { gen throws(TensorError) in
                    try t.backend.autograd.with(enabled: false) { () throws(TensorError) in
                        if normal { try t.normal(p, q, generator: &gen) } else { try t.uniform(p, q, generator: &gen) }
                    }
                }
                return .tensor(t)
            })
        }
        func kaimingBound(_ t: Tensor, _ a: inout Arguments, _ i: Interpreter) throws(DLXError) -> Double {
            let slope = try a.get(1, "a").map { v throws(DLXError) in try i.toDouble(v, "a") } ?? 0
            let mode = try a.get(2, "mode").map { v throws(DLXError) in try i.toStringValue(v, "mode") } ?? "fan_in"
            let nonlinearity = try a.get(3, "nonlinearity").map { v throws(DLXError) in try i.toStringValue(v, "nonlinearity") } ?? "leaky_relu"
            let (fanIn, fanOut) = try fans(t)
            guard mode == "fan_in" || mode == "fan_out" else { throw .value("Mode \(mode) not supported, please use one of fan_in, fan_out") }
            let g: Double
            switch nonlinearity {
            case "relu": g = 2.0.squareRoot()
            case "leaky_relu": g = (2.0 / (1 + slope * slope)).squareRoot()
            case "tanh": g = 5.0 / 3
            case "selu": g = 3.0 / 4
            default: g = 1
            }
            return g / (mode == "fan_in" ? fanIn : fanOut).squareRoot()
        }
        return [
            "zeros_": initializer("zeros_") { t, _, _ throws(DLXError) in Array(repeating: 0, count: t.count) },
            "ones_": initializer("ones_") { t, _, _ throws(DLXError) in Array(repeating: 1, count: t.count) },
            "constant_": initializer("constant_") { t, a, i throws(DLXError) in
                Array(repeating: Float(try i.toDouble(try a.required(1, "val"), "val")), count: t.count)
            },
            "uniform_": drawn("uniform_") { t, a, i throws(DLXError) in
                let lo = try a.get(1, "a").map { v throws(DLXError) in try i.toDouble(v, "a") } ?? 0
                let hi = try a.get(2, "b").map { v throws(DLXError) in try i.toDouble(v, "b") } ?? 1
                return (false, lo, hi)
            },
            "normal_": drawn("normal_") { t, a, i throws(DLXError) in
                let mean = try a.get(1, "mean").map { v throws(DLXError) in try i.toDouble(v, "mean") } ?? 0
                let std = try a.get(2, "std").map { v throws(DLXError) in try i.toDouble(v, "std") } ?? 1
                return (true, mean, std)
            },
            "xavier_uniform_": drawn("xavier_uniform_") { t, a, i throws(DLXError) in
                let (fi, fo) = try fans(t)
                let bound = 3.0.squareRoot() * (try gain(&a, i, 1) * (2.0 / (fi + fo)).squareRoot())
                return (false, -bound, bound)
            },
            "xavier_normal_": drawn("xavier_normal_") { t, a, i throws(DLXError) in
                let (fi, fo) = try fans(t)
                return (true, 0, try gain(&a, i, 1) * (2.0 / (fi + fo)).squareRoot())
            },
            "kaiming_uniform_": drawn("kaiming_uniform_") { t, a, i throws(DLXError) in
                let bound = 3.0.squareRoot() * (try kaimingBound(t, &a, i))
                return (false, -bound, bound)
            },
            "kaiming_normal_": drawn("kaiming_normal_") { t, a, i throws(DLXError) in
                (true, 0, try kaimingBound(t, &a, i))
            },
            "eye_": initializer("eye_") { t, _, _ throws(DLXError) in
                guard t.rank == 2 else { throw .value("Only tensors with 2 dimensions are supported") }
                return (0..<t.count).map { $0 / t.shape[1] == $0 % t.shape[1] ? 1 : 0 }
            },
        ]
    }
}

/// `_IncompatibleKeys`, what `load_state_dict` returns.
final class IncompatibleKeys: PyObject {
    let missing: [String], unexpected: [String]
    init(missing: [String], unexpected: [String]) { self.missing = missing; self.unexpected = unexpected }
    var typeName: String { "_IncompatibleKeys" }
    func repr(_ i: Interpreter) -> String {
        if missing.isEmpty && unexpected.isEmpty { return "<All keys matched successfully>" }
        let m = (try? i.repr(.list(ListBox(missing.map { .string($0) })))) ?? ""
        let u = (try? i.repr(.list(ListBox(unexpected.map { .string($0) })))) ?? ""
        return "_IncompatibleKeys(missing_keys=\(m), unexpected_keys=\(u))"
    }
    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "missing_keys": return .list(ListBox(missing.map { .string($0) }))
        case "unexpected_keys": return .list(ListBox(unexpected.map { .string($0) }))
        default: return nil
        }
    }
}

/// `nn.ModuleList`: modules held in a list, registered as children `0`, `1`, ...
final class ModuleList: Module, @unchecked Sendable {
    var modules: [Module]
    init(_ modules: [Module]) { self.modules = modules; super.init() }
    override var typeName: String { "ModuleList" }
    override var children: [(String, Module)] { modules.enumerated().map { (String($0.offset), $0.element) } }
    override var isContainer: Bool { true }

    /// PyTorch prints runs of equal modules once: `(0-2): 3 x Linear(...)`.
    override class var printsItself: Bool { true }
    override var repr: String {
        guard !modules.isEmpty else { return "ModuleList()" }
        var blocks: [(Int, Int, String)] = []
        for (k, m) in modules.enumerated() {
            let r = m.repr
            if let last = blocks.last, last.2 == r { blocks[blocks.count - 1].1 = k } else { blocks.append((k, k, r)) }
        }
        let lines = blocks.map { s, e, r in Module.indented(s == e ? "(\(s)): \(r)" : "(\(s)-\(e)): \(e - s + 1) x \(r)", 2) }
        return "ModuleList(\n  " + lines.joined(separator: "\n  ") + "\n)"
    }

    override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        throw TensorError(.notImplemented, "Module [ModuleList] is missing the required \"forward\" function")
    }
}

/// `nn.ModuleDict`: modules by name, in insertion order.
final class ModuleDict: Module, @unchecked Sendable {
    var entries: [(String, Module)] = []
    override var typeName: String { "ModuleDict" }
    override var children: [(String, Module)] { entries }
    override var isContainer: Bool { true }
    func set(_ key: String, _ m: Module) {
        if let k = entries.firstIndex(where: { $0.0 == key }) { entries[k].1 = m } else { entries.append((key, m)) }
    }
    override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        throw TensorError(.notImplemented, "Module [ModuleDict] is missing the required \"forward\" function")
    }
}
