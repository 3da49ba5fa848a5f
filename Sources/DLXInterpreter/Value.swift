import DLXEngine

/// A value of the dlx language: Python's values plus PyTorch's.
public enum Value {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list(ListBox)
    case tuple([Value])
    case dict(DictBox)
    case tensor(Tensor)
    /// `torch.Size`, a tuple of ints.
    case size([Int])
    case dtype(DType)
    case device(Device)
    case slice(Int?, Int?, Int?)
    case ellipsis
    case module(Module)
    case object(any PyObject)
}

/// Python lists are shared and mutable, so a list value is a reference.
public final class ListBox {
    public var items: [Value]
    /// The session's heap it is tracked by (see Memory/Heap.swift).
    var heapLink = HeapLink()
    public init(_ items: [Value]) { self.items = items; Heap.adopt(self) }
    deinit { Heap.leave(self); Value.release(&items) }
}

extension ListBox: Collectable {
    func ownStorage() { Value.ownStorage(&items) }
    func traverse(_ visit: (AnyObject) -> Void) { for v in items { Value.traverse(v, visit) } }
    func clear() { Value.release(&items); items = [] }
}

/// An insertion-ordered dict with hashable keys (None, bools, numbers, strings, tuples of those).
public final class DictBox {
    public private(set) var keys: [Value] = []
    public private(set) var values: [Value] = []
    private var index: [HashKey: Int] = [:]
    /// OrderedDict, defaultdict or Counter (collections), else plain: see Stdlib/PyCollections.swift.
    public var flavor: DictFlavor = .plain
    /// An OrderedDict's `_metadata` attribute (a state dict's module versions), kept by torch.save and torch.load.
    public var metadata: Value? = nil
    /// Told of every assignment, after it is stored: an optimizer's param group passes `lr` on this way.
    var onSet: ((Value, Value) throws(DLXError) -> Void)?

    var heapLink = HeapLink()

    public init() { Heap.adopt(self) }

    deinit { Heap.leave(self); Value.release(&keys); Value.release(&values) }

    public func removeAll() { keys = []; values = []; index = [:] }

    public func get(_ key: Value) throws(DLXError) -> Value? {
        index[try HashKey(key)].map { values[$0] }
    }

    public func set(_ key: Value, _ value: Value) throws(DLXError) {
        let k = try HashKey(key)
        if let i = index[k] {
            values[i] = value
        } else {
            try Interpreter.checkCap(keys.count + 1, .items)
            index[k] = keys.count
            keys.append(key)
            values.append(value)
        }
        try onSet?(key, value)
    }

    public func remove(_ key: Value) throws(DLXError) -> Bool {
        let k = try HashKey(key)
        guard let i = index.removeValue(forKey: k) else { return false }
        keys.remove(at: i); values.remove(at: i)
        if i < keys.count { for (key, j) in index where j > i { index[key] = j - 1 } }
        return true
    }

    public func copy() -> DictBox {
        let d = DictBox()
        d.keys = keys; d.values = values; d.index = index; d.flavor = flavor
        return d
    }

    public var count: Int { keys.count }
}

/// A dict's keys and values (not the keys' hashed forms, which hold a key with `__hash__` again: such a key counts
/// as held from outside, so a cycle through it is kept rather than freed).
extension DictBox: Collectable {
    func ownStorage() {
        Value.ownStorage(&keys); Value.ownStorage(&values)
        if var m = metadata { metadata = nil; Value.ownStorage(&m); metadata = m }
    }
    func traverse(_ visit: (AnyObject) -> Void) {
        for v in keys { Value.traverse(v, visit) }
        for v in values { Value.traverse(v, visit) }
        if let m = metadata { Value.traverse(m, visit) }
    }
    func clear() { Value.release(&keys); Value.release(&values); removeAll(); metadata = nil; onSet = nil }
}

/// The hashable form of a dict key; 1, 1.0 and True are the same key, as in Python.
enum HashKey: Hashable {
    case none
    case number(Double)
    case string(String)
    case tuple([HashKey])
    case identity(ObjectIdentifier)
    /// A frozenset: equal to any frozenset of the same items.
    case set(Set<HashKey>)
    /// A user object whose class defines `__hash__`: its hash, and `__eq__` for equality.
    case custom(Int, CustomKey)

    init(_ v: Value) throws(DLXError) {
        switch v {
        case .none: self = .none
        case .bool(let b): self = .number(b ? 1 : 0)
        case .int(let i): self = .number(Double(i))
        case .float(let f): self = .number(f)
        case .string(let s): self = .string(s)
        case .tuple(let items):
            try Interpreter.ensureStack("maximum recursion depth exceeded while calling a Python object")
            var keys: [HashKey] = []
            for i in items { keys.append(try HashKey(i)) }
            self = .tuple(keys)
        case .size(let s): self = .tuple(s.map { .number(Double($0)) })
        case .dtype(let d): self = .string("dtype:" + d.name)
        case .tensor(let t): self = .identity(ObjectIdentifier(t))
        case .module(let m): self = .identity(ObjectIdentifier(m))
        case .object(let s as SetObject):
            guard s.frozen else { throw DLXError("TypeError", "unhashable type: 'set'") }
            var keys = Set<HashKey>()
            for i in s.items { keys.insert(try HashKey(i)) }
            self = .set(keys)
        case .object(let o as PyInstance):
            guard let i = o.interpreter, o.cls.lookup("__hash__") != nil || o.cls.lookup("__eq__") != nil else {
                self = .identity(ObjectIdentifier(o)); return
            }
            if case .none? = o.cls.lookup("__hash__")?.0 { throw DLXError("TypeError", "unhashable type: '\(o.cls.name)'") }
            guard let h = try o.callSpecial("__hash__", [], i) else { throw DLXError("TypeError", "unhashable type: '\(o.cls.name)'") }
            guard case .int(let n) = h else { throw DLXError("TypeError", "__hash__ method should return an integer") }
            self = .custom(n, CustomKey(value: v, interpreter: i))
        case .object(let t as NamedTupleValue): self = try HashKey(.tuple(t.values))   // hashes as its tuple
        case .object(let n as NumpyScalar): self = try HashKey(n.pythonNumber)   // np.int64(1) is the key 1
        case .object(let o): self = .identity(ObjectIdentifier(o))
        default: throw DLXError("TypeError", "unhashable type: '\(v.typeName)'")
        }
    }
}

/// A user object as a dict key: hashed by its `__hash__`, compared by its `__eq__`.
final class CustomKey: Hashable {
    let value: Value
    weak var interpreter: Interpreter?
    init(value: Value, interpreter: Interpreter) { self.value = value; self.interpreter = interpreter }
    static func == (a: CustomKey, b: CustomKey) -> Bool {
        guard let i = a.interpreter else { return false }
        return (try? i.equal(a.value, b.value)) ?? false
    }
    func hash(into hasher: inout Hasher) {}
}

/// Objects that are not plain values: datasets, loaders, transforms, functions, namespaces.
/// Every requirement has a default, so an object states only what it supports.
public protocol PyObject: AnyObject {
    /// Python's class name, for `type(x)` and error messages.
    var typeName: String { get }
    /// The module path `type(x)` prints: `<class 'torch.utils.data.dataloader.DataLoader'>`.
    var qualifiedName: String { get }
    func repr(_ interpreter: Interpreter) -> String
    func attribute(_ name: String, _ interpreter: Interpreter) throws(DLXError) -> Value?
    func setAttribute(_ name: String, _ value: Value, _ interpreter: Interpreter) throws(DLXError) -> Bool
    /// nil when the object cannot be called.
    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws(DLXError) -> Value?
    func makeIterator(_ interpreter: Interpreter) throws(DLXError) -> ValueIterator?
    func length(_ interpreter: Interpreter) throws(DLXError) -> Int?
    func item(_ key: Value, _ interpreter: Interpreter) throws(DLXError) -> Value?
    /// Names for `dir()` and completion.
    var attributeNames: [String] { get }
}

extension PyObject {
    public var qualifiedName: String { typeName }
    public func repr(_ interpreter: Interpreter) -> String {
        "<\(qualifiedName) object at \(interpreter.session.address(of: self))>"
    }
    public func attribute(_ name: String, _ interpreter: Interpreter) throws(DLXError) -> Value? { nil }
    public func setAttribute(_ name: String, _ value: Value, _ interpreter: Interpreter) throws(DLXError) -> Bool { false }
    public func call(_ args: inout Arguments, _ interpreter: Interpreter) throws(DLXError) -> Value? { nil }
    public func makeIterator(_ interpreter: Interpreter) throws(DLXError) -> ValueIterator? { nil }
    public func length(_ interpreter: Interpreter) throws(DLXError) -> Int? { nil }
    public func item(_ key: Value, _ interpreter: Interpreter) throws(DLXError) -> Value? { nil }
    public var attributeNames: [String] { [] }
}

/// A pull-based iterator, as Python's `__next__`.
public final class ValueIterator: PyObject {
    let nextValue: () throws(DLXError) -> Value?
    public init(_ next: @escaping () throws(DLXError) -> Value?) { nextValue = next }
    public func next() throws(DLXError) -> Value? { try nextValue() }
    public var typeName: String { "iterator" }
    public func makeIterator(_ interpreter: Interpreter) throws(DLXError) -> ValueIterator? { self }

    /// An iterator over a snapshot of values.
    convenience init(over items: [Value]) {
        var k = 0
        self.init { () throws(DLXError) -> Value? in
            guard k < items.count else { return nil }
            k += 1
            return items[k - 1]
        }
    }
}

/// A function implemented in Swift (a built-in, or a method bound to its receiver).
public final class BuiltinFunction: PyObject {
    public let name: String
    /// Where help finds it: "torch.zeros", "torch.nn.functional.relu"; the bare name for built-ins.
    public var helpKey: String
    let body: (inout Arguments, Interpreter) throws(DLXError) -> Value
    let isMethod: Bool

    public init(_ name: String, method: Bool = false, _ body: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Value) {
        self.name = name; self.body = body; self.isMethod = method; self.helpKey = name
    }

    /// A module's method, which PyTorch defines in Python: its receiver and the class that defines it, for
    /// `<bound method Linear.forward of Linear(...)>`.
    var bound: (receiver: Value, owner: String)? = nil

    public var typeName: String { bound == nil ? "builtin_function_or_method" : "method" }
    public func repr(_ interpreter: Interpreter) -> String {
        if let (receiver, owner) = bound {
            return "<bound method \(owner).\(name) of \((try? interpreter.repr(receiver)) ?? "...")>"
        }
        return isMethod ? "<built-in method \(name)>" : "<built-in function \(name)>"
    }
    public func attribute(_ n: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        switch n {
        case "__name__", "__qualname__": return .string(name)
        case "__module__":
            let parts = helpKey.split(separator: ".")
            return parts.count > 1 ? .string(parts.dropLast().joined(separator: ".")) : Value.none
        default: return nil
        }
    }
    public func call(_ args: inout Arguments, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        args.function = name
        let v = try body(&args, interpreter)
        try args.finish()
        return v
    }
}

/// A named group of members: `torch`, `torch.nn`, `torchvision.transforms`.
public final class Namespace: PyObject {
    public let name: String
    public var members: [String: Value]
    /// A library module's own members that code replaced (`torch.sum = ...`): a grading key's checks still
    /// see these. Not kept for modules of the user's own files.
    var replaced: [String: Value] = [:]
    let library: Bool
    public init(_ name: String, _ members: [String: Value], library: Bool = true) {
        self.name = name; self.members = members; self.library = library
    }
    public var typeName: String { "module" }
    public func repr(_ interpreter: Interpreter) -> String { "<module '\(name)'>" }
    public func attribute(_ n: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        if !replaced.isEmpty, interpreter.runningTrustedCode, let own = replaced[n] { return own }
        return members[n]
    }
    /// Modules take new attributes, as Python's do (`torch.backends.cudnn.benchmark = True`).
    public func setAttribute(_ n: String, _ value: Value, _ interpreter: Interpreter) throws(DLXError) -> Bool {
        if library, replaced[n] == nil, let own = members[n] { replaced[n] = own }
        members[n] = value
        return true
    }
    public var attributeNames: [String] { members.keys.sorted() }
}

/// A class-like callable with a printable type, e.g. `torch.Tensor` or `int` for `type(x)`.
public final class TypeObject: PyObject {
    public let name: String
    public let qualified: String
    /// Where help finds it: "torch.nn.Linear".
    public var helpKey: String
    let construct: ((inout Arguments, Interpreter) throws(DLXError) -> Value)?
    public init(_ name: String, qualified: String? = nil, _ construct: ((inout Arguments, Interpreter) throws(DLXError) -> Value)? = nil) {
        self.name = name; self.qualified = qualified ?? name; self.construct = construct; self.helpKey = name
    }
    public var typeName: String { "type" }
    /// Class attributes (`Point._fields`, `Point._make`).
    public var members: [String: Value] = [:]
    public func repr(_ interpreter: Interpreter) -> String { "<class '\(qualified)'>" }
    public func attribute(_ n: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        if let v = members[n] { return v }
        switch n {
        case "__name__", "__qualname__": return .string(name)
        case "__module__":
            let parts = qualified.split(separator: ".")
            return .string(parts.count > 1 ? parts.dropLast().joined(separator: ".") : "builtins")
        default: return nil
        }
    }
    public func call(_ args: inout Arguments, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        guard let construct else { return nil }
        // PyTorch's classes are Python classes: their errors name `Linear.__init__()`.
        args.function = qualified.hasPrefix("torch") ? name + ".__init__" : name
        let v = try construct(&args, interpreter)
        try args.finish()
        return v
    }
}

extension Value {
    /// Python's type name (`int`, `Tensor`, `list`).
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict(let d): return d.flavor.typeName
        case .tensor(let t): return t.isParameter ? "Parameter" : "Tensor"
        case .size: return "Size"
        case .dtype: return "dtype"
        case .device: return "device"
        case .slice: return "slice"
        case .ellipsis: return "ellipsis"
        case .module(let m): return m.typeName
        case .object(let o): return o.typeName
        }
    }

    /// What `type(x)` prints inside `<class '...'>`.
    public var qualifiedTypeName: String {
        switch self {
        case .tensor(let t): return t.isParameter ? "torch.nn.parameter.Parameter" : "torch.Tensor"
        case .size: return "torch.Size"
        case .dtype: return "torch.dtype"
        case .device: return "torch.device"
        case .module(let m): return Interpreter.pytorchClassPath(m.typeName)
        case .dict(let d): return d.flavor.qualifiedName
        case .object(let o): return o.qualifiedName
        default: return typeName
        }
    }
}

extension Value {
    /// Frees `items` and the lists and dicts nested in them one level at a time, with an explicit stack: freed
    /// the ordinary way, a list nested four million deep nested four million deinits and overflowed the thread's
    /// stack (CPython frees deep structures iteratively too). Boxes still referenced elsewhere are left whole.
    /// Tuples are freed as Swift frees arrays (their buffers' sharing cannot be asked, and a shared one walked
    /// again at each reference made the walk exponential), so only tuples nested in tuples still recurse.
    static func release(_ items: inout [Value]) {
        guard items.contains(where: \.isContainer) else { return }
        var pending = [items]
        items = []
        while var level = pending.popLast() {
            for k in level.indices where level[k].isContainer {
                // Each box is taken out of the array first, so that its only other holders are outside.
                if var l = level[k].takeList() {
                    if isKnownUniquelyReferenced(&l) { pending.append(l.items); l.items = [] }
                } else if var d = level[k].takeDict() {
                    if isKnownUniquelyReferenced(&d) { pending.append(d.keys + d.values); d.removeAll() }
                }
            }
        }
    }

    fileprivate mutating func takeList() -> ListBox? {
        guard case .list(let l) = self else { return nil }
        self = .none
        return l
    }

    fileprivate mutating func takeDict() -> DictBox? {
        guard case .dict(let d) = self else { return nil }
        self = .none
        return d
    }

    fileprivate var isContainer: Bool {
        switch self { case .list, .dict: return true; default: return false }
    }
}
