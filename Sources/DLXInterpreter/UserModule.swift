import DLXFrontEnd
import DLXEngine

/// An instance of a user's `nn.Module` subclass. It is an engine `Module`, so optimizers, `fit`, `summary`,
/// `to(device)` and state dicts treat it as they treat built-in layers; attribute assignment registers
/// sub-modules, parameters and buffers in PyTorch's order, and its forward runs the user's `forward`.
final class UserModule: Module, UserObject, @unchecked Sendable {
    let cls: PyClass
    var attributes = AttributeTable()
    var modules: [(String, Module?)] = []
    var parameterSlots: [(String, Tensor?)] = []
    var bufferSlots: [(String, Tensor?)] = []
    /// `nn.Module.__init__` has run (`super().__init__()`): PyTorch refuses to register anything before.
    var initialised = false
    weak var interpreter: Interpreter?

    var heapLink = HeapLink()

    init(_ cls: PyClass, _ interpreter: Interpreter) {
        self.cls = cls; self.interpreter = interpreter
        super.init()
        Heap.adopt(self)
    }
    deinit { Heap.leave(self) }

    override var typeName: String { cls.name }
    override var children: [(String, Module)] { modules.compactMap { n, m in m.map { (n, $0) } } }
    override var ownParameters: [(String, Tensor)] { parameterSlots.compactMap { n, t in t.map { (n, $0) } } }
    override var ownBuffers: [(String, Tensor)] { bufferSlots.compactMap { n, t in t.map { (n, $0) } } }

    override func extraRepr() -> String {
        guard let i = interpreter, let v = try? callSpecial("extra_repr", [], i), case .string(let s) = v else { return "" }
        return s
    }

    /// The engine's forward (from `fit`, `summary`, a `Sequential` holding this module): the user's `forward`.
    override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        guard let i = interpreter else { throw TensorError(.runtime, "the session of \(typeName) has ended") }
        let saved = i.forwardContext
        i.forwardContext = context
        defer {
            if let c = i.forwardContext { context = c }
            i.forwardContext = saved
        }
        do throws(DLXError) {
            var a = Arguments([.tensor(x)])
            let y = try i.callUserForward(self, &a, observe: false)
            guard case .tensor(let t) = y else {
                throw DLXError("TypeError", "\(typeName).forward() returned \(y.typeName), where a tensor was expected")
            }
            return t
        } catch {
            throw TensorError(error)
        }
    }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        if let v = try userAttribute(name, i) { return v }
        if let m = modules.first(where: { $0.0 == name }) { return m.1.map { .module($0) } ?? Value.none }
        if let p = parameterSlots.first(where: { $0.0 == name }) { return p.1.map { .tensor($0) } ?? Value.none }
        if let b = bufferSlots.first(where: { $0.0 == name }) { return b.1.map { .tensor($0) } ?? Value.none }
        return nil
    }

    private func remove(_ name: String) {
        attributes[name] = nil
        modules.removeAll { $0.0 == name }
        parameterSlots.removeAll { $0.0 == name }
        bufferSlots.removeAll { $0.0 == name }
    }

    /// PyTorch's `Module.__setattr__`.
    func setAttribute(_ name: String, _ value: Value, _ i: Interpreter) throws(DLXError) -> Bool {
        if try setThroughProperty(name, value, i) { return true }
        if name == "training" { training = try i.truthy(value); return true }
        switch value {
        case .tensor(let t) where t.isParameter:
            guard initialised else { throw DLXError("AttributeError", "cannot assign parameters before Module.__init__() call") }
            if let k = parameterSlots.firstIndex(where: { $0.0 == name }) { parameterSlots[k].1 = t; return true }
            remove(name)
            parameterSlots.append((name, t))
        case .module(let m):
            guard initialised else { throw DLXError("AttributeError", "cannot assign module before Module.__init__() call") }
            if let k = modules.firstIndex(where: { $0.0 == name }) { modules[k].1 = m; return true }
            remove(name)
            modules.append((name, m))
        default:
            if let k = parameterSlots.firstIndex(where: { $0.0 == name }) {
                guard value.isNone else {
                    throw .type("cannot assign '\(value.qualifiedTypeName)' as parameter '\(name)' (torch.nn.Parameter or None expected)")
                }
                parameterSlots[k].1 = nil
            } else if let k = modules.firstIndex(where: { $0.0 == name }) {
                guard value.isNone else {
                    throw .type("cannot assign '\(value.qualifiedTypeName)' as child module '\(name)' (torch.nn.Module or None expected)")
                }
                modules[k].1 = nil
            } else if let k = bufferSlots.firstIndex(where: { $0.0 == name }) {
                switch value {
                case .none: bufferSlots[k].1 = nil
                case .tensor(let t): bufferSlots[k].1 = t
                default: throw .type("cannot assign '\(value.qualifiedTypeName)' as buffer '\(name)' (torch.Tensor or None expected)")
                }
            } else {
                attributes[name] = value
            }
        }
        return true
    }

    func deleteAttribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Bool {
        let known = attributes[name] != nil || modules.contains { $0.0 == name } || parameterSlots.contains { $0.0 == name }
            || bufferSlots.contains { $0.0 == name }
        remove(name)
        return known
    }

    /// `register_buffer(name, tensor)` / `register_parameter(name, param)` / `add_module(name, module)`.
    func register(_ kind: String, _ name: String, _ value: Value, _ i: Interpreter) throws(DLXError) {
        guard initialised else { throw DLXError("AttributeError", "cannot assign \(kind) before Module.__init__() call") }
        guard !name.contains("."), !name.isEmpty else { throw DLXError("KeyError", "\(kind) name can't contain \".\"") }
        switch kind {
        case "buffer":
            let t: Tensor?
            switch value {
            case .none: t = nil
            case .tensor(let x): t = x
            default: throw .type("cannot assign '\(value.qualifiedTypeName)' object to buffer '\(name)' (torch Tensor or None required)")
            }
            remove(name)
            bufferSlots.append((name, t))
        case "parameter":
            let t: Tensor?
            switch value {
            case .none: t = nil
            case .tensor(let x) where x.isParameter: t = x
            default: throw .type("cannot assign '\(value.qualifiedTypeName)' object to parameter '\(name)' (torch.nn.Parameter or None required)")
            }
            remove(name)
            parameterSlots.append((name, t))
        default:
            let m: Module?
            switch value {
            case .none: m = nil
            case .module(let x): m = x
            default: throw .type("\(value.qualifiedTypeName) is not a Module subclass")
            }
            remove(name)
            modules.append((name, m))
        }
    }

    var attributeNames: [String] {
        attributes.names + modules.map { $0.0 } + parameterSlots.map { $0.0 } + bufferSlots.map { $0.0 }
            + cls.mro.flatMap { $0.attributes.names }.filter { !$0.hasPrefix("__") } + Interpreter.moduleAttributeNames
    }

    func length(_ i: Interpreter) throws(DLXError) -> Int? { try userLength(i) }
    func item(_ key: Value, _ i: Interpreter) throws(DLXError) -> Value? { try callSpecial("__getitem__", [key], i) }
    func makeIterator(_ i: Interpreter) throws(DLXError) -> ValueIterator? {
        guard let m = special("__iter__") else { return nil }
        var a = Arguments()
        return try i.iterator(try i.call(m, &a))
    }
}

extension Interpreter {
    /// `model(x, ...)` for a user module: its `forward`, with every argument, within one forward context.
    /// `observe`: report the module's output to the forward's observer (`summary`), as the engine does for
    /// the modules it calls itself.
    func callUserForward(_ m: UserModule, _ args: inout Arguments, observe: Bool = true) throws(DLXError) -> Value {
        guard let forward = m.special("forward") else {
            throw DLXError("NotImplementedError", "Module [\(m.typeName)] is missing the required \"forward\" function")
        }
        try checkInterrupt()
        if let observer = forwardContext?.observer {
            let input = args.positional.first
            let y = try call(forward, &args)
            if observe, case .tensor(let x)? = input, case .tensor(let t) = y { observer(m, x, t) }
            return y
        }
        if forwardContext != nil { return try call(forward, &args) }
        forwardContext = ForwardContext(generator: session.generator)
        defer {
            if let c = forwardContext { session.generator = c.generator }
            forwardContext = nil
        }
        return try call(forward, &args)
    }
}

extension TensorError {
    /// A language error raised inside a user module's forward, carried through the engine and restored on
    /// the other side.
    init(_ error: DLXError) {
        self.init(TensorError.Kind(rawValue: error.type) ?? .runtime, error.message)
        self.underlying = error
    }
}
