import DLXFrontEnd
import DLXEngine

/// Attributes in the order they were set, as Python's instance and class dicts keep them.
struct AttributeTable {
    private(set) var names: [String] = []
    private var values: [String: Value] = [:]
    subscript(name: String) -> Value? {
        get { values[name] }
        set {
            if let v = newValue {
                if values.updateValue(v, forKey: name) == nil { names.append(name) }
            } else if values.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }
    var pairs: [(String, Value)] { names.map { ($0, values[$0]!) } }

    /// For the cycle collector (Memory/Heap.swift).
    mutating func ownStorage() { Value.ownStorage(&values) }
    func traverse(_ visit: (AnyObject) -> Void) { for v in values.values { Value.traverse(v, visit) } }

    /// Removes an attribute; false when there was none (`del obj.x` then raises).
    mutating func delete(_ name: String) -> Bool {
        guard self[name] != nil else { return false }
        self[name] = nil
        return true
    }
}

/// The built-in class a user class derives from, which decides what its instances are.
enum NativeBase {
    case object, exception, module, dataset
}

/// A class: one defined with `class`, or one of Python's built-in exception classes.
final class PyClass: PyObject, ObjectProtocols {
    let name: String
    let module: String
    var bases: [PyClass]   // (a var only so that the cycle collector can make its storage unique)
    let native: NativeBase
    var attributes = AttributeTable()
    /// Method resolution order: this class, then its bases' (depth first, each class once, as C3 gives for
    /// the single-inheritance chains beginner code writes).
    var mro: [PyClass] { [self] + ancestors }
    /// The MRO after this class (kept without the class itself, which would hold itself and never be freed).
    var ancestors: [PyClass]
    /// The session's heap it is tracked by (see Memory/Heap.swift), as for every object below that has one.
    var heapLink = HeapLink()

    init(name: String, module: String = "__main__", bases: [PyClass], native: NativeBase) {
        self.name = name; self.module = module; self.bases = bases; self.native = native
        ancestors = PyClass.linearize(bases) ?? bases
        Heap.adopt(self)
    }
    deinit { Heap.leave(self) }

    /// Python's C3 linearization of the bases' MROs (nil when there is no consistent order).
    static func linearize(_ bases: [PyClass]) -> [PyClass]? {
        var sequences = bases.map { $0.mro } + [bases]
        var out: [PyClass] = []
        while true {
            sequences = sequences.filter { !$0.isEmpty }
            if sequences.isEmpty { return out }
            // The first head that is in no other sequence's tail.
            guard let head = sequences.lazy.map({ $0[0] }).first(where: { h in
                !sequences.contains { seq in seq.dropFirst().contains { $0 === h } }
            }) else { return nil }
            out.append(head)
            sequences = sequences.map { seq in seq.first === head ? Array(seq.dropFirst()) : seq }
        }
    }

    var typeName: String { "type" }
    var qualifiedName: String { module == "builtins" ? name : module + "." + name }
    func repr(_ interpreter: Interpreter) -> String { "<class '\(qualifiedName)'>" }

    func isSubclass(of other: PyClass) -> Bool { self === other || ancestors.contains { $0 === other } }

    /// The attribute as the class defines it (no binding), searched along the MRO.
    func lookup(_ name: String) -> (Value, PyClass)? {
        if let v = attributes[name] { return (v, self) }
        for c in ancestors { if let v = c.attributes[name] { return (v, c) } }
        return nil
    }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "__name__", "__qualname__": return .string(self.name)
        case "__module__": return .string(module)
        case "__bases__": return .tuple(bases.map { .object($0) })
        case "__mro__": return .tuple(mro.map { .object($0) })
        case "__dict__":
            let d = DictBox()
            for (k, v) in attributes.pairs { try d.set(.string(k), v) }
            return .dict(d)
        default: break
        }
        guard let (v, _) = lookup(name) else { return nil }
        return binding(v, to: nil, owner: self.name)
    }

    /// A class attribute as seen through an instance (`receiver`) or through the class (nil): functions bind to
    /// the instance, class methods to this class, static methods are their plain function.
    func binding(_ v: Value, to receiver: Value?, owner: String) -> Value {
        switch v {
        case .object(let f as UserFunction): return receiver.map { .object(BoundMethod(receiver: $0, function: .object(f), owner: owner)) } ?? v
        case .object(let s as StaticMethod): return s.function
        case .object(let c as ClassMethod): return .object(BoundMethod(receiver: .object(self), function: c.function, owner: owner))
        default: return v
        }
    }

    func setAttribute(_ name: String, _ value: Value, _ i: Interpreter) throws(DLXError) -> Bool {
        attributes[name] = value
        return true
    }

    func deleteAttribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Bool { attributes.delete(name) }

    func compare(_ op: CompareOp, _ other: Value, _ i: Interpreter) throws(DLXError) -> Value? {
        guard op == .equal || op == .notEqual else { return nil }
        let same: Bool
        if case .object(let o) = other { same = o === self } else { same = false }
        return .bool(op == .equal ? same : !same)
    }

    /// `Name(...)`: a new instance, initialised by `__init__`.
    func call(_ args: inout Arguments, _ i: Interpreter) throws(DLXError) -> Value? {
        let instance: Value
        switch native {
        case .module: instance = .module(UserModule(self, i))
        default:
            let o = PyInstance(self, i)
            if native == .exception { o.attributes["args"] = .tuple(args.positional) }
            instance = .object(o)
        }
        if let (initializer, _) = lookup("__init__") {
            var a = args
            a.positional.insert(instance, at: 0)
            let result = try i.call(initializer, &a)
            guard result.isNone else { throw .type("__init__() should return None, not '\(result.typeName)'") }
        } else if native == .object, !args.positional.isEmpty || !args.keywords.isEmpty, lookup("__new__") == nil {
            throw .type("\(name)() takes no arguments")
        }
        return instance
    }
}

/// An instance of a user class (other than an `nn.Module`, which is a `UserModule`).
final class PyInstance: PyObject, UserObject {
    let cls: PyClass
    var attributes = AttributeTable()
    /// For hashing by `__hash__` where no interpreter is at hand (dict keys).
    weak var interpreter: Interpreter?
    var heapLink = HeapLink()
    init(_ cls: PyClass, _ interpreter: Interpreter? = nil) {
        self.cls = cls; self.interpreter = interpreter
        Heap.adopt(self)
    }
    deinit { Heap.leave(self) }
}

/// What user instances share, plain objects and modules alike: a class and attributes, and special methods
/// found on the class.
protocol UserObject: ObjectProtocols {
    var cls: PyClass { get }
    var attributes: AttributeTable { get set }
}

extension UserObject {
    var typeName: String { cls.name }
    var qualifiedName: String { cls.qualifiedName }
    var selfValue: Value {
        if let m = self as? UserModule { return .module(m) }
        return .object(self)
    }

    /// The special method `name` bound to this instance, when its class defines one.
    func special(_ name: String) -> Value? {
        guard let (f, _) = cls.lookup(name) else { return nil }
        return bind(f)
    }

    /// A class attribute as seen from the instance: functions become bound methods.
    func bind(_ v: Value) -> Value { cls.binding(v, to: selfValue, owner: cls.name) }

    /// Calls the special method `name` with `args`; nil when the class has none.
    func callSpecial(_ name: String, _ args: [Value], _ i: Interpreter) throws(DLXError) -> Value? {
        guard let m = special(name) else { return nil }
        var a = Arguments(args)
        return try i.call(m, &a)
    }

    /// Normal attribute lookup: properties, the instance's own attributes, the class's, then `__getattr__`.
    func userAttribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        if name == "__class__" { return .object(cls) }
        if name == "__dict__" {
            let d = DictBox()
            for (k, v) in attributes.pairs { try d.set(.string(k), v) }
            return .dict(d)
        }
        let found = cls.lookup(name)
        if let (v, _) = found, case .object(let p as Property) = v {
            var a = Arguments([selfValue])
            return try i.call(p.getter, &a)
        }
        if let v = attributes[name] { return v }
        if let (v, _) = found { return bind(v) }
        if cls.native == .exception {
            switch name {
            case "args": return .tuple([])
            case "__cause__", "__context__", "__traceback__": return Value.none
            case "__suppress_context__": return .bool(false)
            case "code" where cls.name == "SystemExit" || cls.mro.contains { $0.name == "SystemExit" }:
                if case .tuple(let a)? = attributes["args"] { return a.count == 1 ? a[0] : a.isEmpty ? Value.none : .tuple(a) }
                return Value.none
            case "value" where cls.mro.contains { $0.name == "StopIteration" }:
                if case .tuple(let a)? = attributes["args"], let first = a.first { return first }
                return Value.none
            case "errno" where cls.mro.contains { $0.name == "OSError" },
                 "strerror" where cls.mro.contains { $0.name == "OSError" },
                 "filename" where cls.mro.contains { $0.name == "OSError" }:
                return Value.none
            case "with_traceback":
                return i.method(name) { [selfValue] _, _ throws(DLXError) in selfValue }
            default: break
            }
        }
        return nil
    }

    func fallbackAttribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        guard !name.hasPrefix("__"), let getter = special("__getattr__") else { return nil }
        var a = Arguments([.string(name)])
        return try i.call(getter, &a)
    }

    /// Sets through a property's setter when there is one; false when the caller should store it.
    func setThroughProperty(_ name: String, _ value: Value, _ i: Interpreter) throws(DLXError) -> Bool {
        guard let (v, _) = cls.lookup(name), case .object(let p as Property) = v else { return false }
        guard let setter = p.setter else {
            throw DLXError("AttributeError", "property '\(name)' of '\(cls.name)' object has no setter")
        }
        var a = Arguments([selfValue, value])
        _ = try i.call(setter, &a)
        return true
    }
}

extension PyInstance {
    func repr(_ interpreter: Interpreter) -> String {
        (try? checkedRepr(interpreter)) ?? defaultRepr(interpreter)
    }

    func defaultRepr(_ i: Interpreter) -> String { "<\(cls.qualifiedName) object at \(i.session.address(of: self))>" }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        do {
            if let v = try userAttribute(name, i) { return v }
        } catch {
            // An AttributeError from a property still falls back to __getattr__, as in Python.
            guard error.type == "AttributeError", let v = try fallbackAttribute(name, i) else { throw error }
            return v
        }
        return try fallbackAttribute(name, i)
    }

    func setAttribute(_ name: String, _ value: Value, _ i: Interpreter) throws(DLXError) -> Bool {
        if try setThroughProperty(name, value, i) { return true }
        if let setter = special("__setattr__") {
            var a = Arguments([.string(name), value])
            _ = try i.call(setter, &a)
            return true
        }
        attributes[name] = value
        return true
    }

    func deleteAttribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Bool { attributes.delete(name) }

    var attributeNames: [String] { attributes.names + cls.mro.flatMap { $0.attributes.names }.filter { !$0.hasPrefix("__") } }

    func call(_ args: inout Arguments, _ i: Interpreter) throws(DLXError) -> Value? {
        guard let m = special("__call__") else { return nil }
        return try i.call(m, &args)
    }

    func makeIterator(_ i: Interpreter) throws(DLXError) -> ValueIterator? {
        if let m = special("__iter__") {
            var a = Arguments()
            let it = try i.call(m, &a)
            if case .object(let o as PyInstance) = it {
                guard let next = o.special("__next__") else {
                    throw .type("iter() returned non-iterator of type '\(o.cls.name)'")
                }
                return PyInstance.stepping(next, i)
            }
            return try i.iterator(it)
        }
        if let m = special("__next__") { return PyInstance.stepping(m, i) }
        if special("__getitem__") != nil {
            // The old sequence protocol: items 0, 1, 2, ... until IndexError.
            var k = 0
            return ValueIterator { [self] () throws(DLXError) -> Value? in
                do throws(DLXError) {
                    let v = try callSpecial("__getitem__", [.int(k)], i)
                    k += 1
                    return v
                } catch {
                    if error.type == "IndexError" || error.type == "StopIteration" { return nil }
                    throw error
                }
            }
        }
        return nil
    }

    /// Items from a bound `__next__`, until it raises StopIteration.
    static func stepping(_ next: Value, _ i: Interpreter) -> ValueIterator {
        ValueIterator { () throws(DLXError) -> Value? in
            var a = Arguments()
            do throws(DLXError) { return try i.call(next, &a) } catch {
                if error.type == "StopIteration" { return nil }
                throw error
            }
        }
    }

    func length(_ i: Interpreter) throws(DLXError) -> Int? { try userLength(i) }
    func item(_ key: Value, _ i: Interpreter) throws(DLXError) -> Value? { try callSpecial("__getitem__", [key], i) }
}

extension UserObject {
    func userLength(_ i: Interpreter) throws(DLXError) -> Int? {
        guard let v = try callSpecial("__len__", [], i) else { return nil }
        guard case .int(let n) = v else {
            if case .bool(let b) = v { return b ? 1 : 0 }
            throw .type("'\(v.typeName)' object cannot be interpreted as an integer")
        }
        guard n >= 0 else { throw .value("__len__() should return >= 0") }
        return n
    }

    func checkedRepr(_ i: Interpreter) throws(DLXError) -> String? {
        guard let v = try callSpecial("__repr__", [], i) else {
            if cls.native == .exception { return try i.exceptionRepr(self) }
            return nil
        }
        guard case .string(let s) = v else { throw .type("__repr__ returned non-string (type \(v.typeName))") }
        return s
    }

    func checkedStr(_ i: Interpreter) throws(DLXError) -> String? {
        if let v = try callSpecial("__str__", [], i) {
            guard case .string(let s) = v else { throw .type("__str__ returned non-string (type \(v.typeName))") }
            return s
        }
        if cls.native == .exception, cls.lookup("__repr__") == nil { return try i.exceptionStr(self) }
        return nil
    }

    func truth(_ i: Interpreter) throws(DLXError) -> Bool? {
        if let v = try callSpecial("__bool__", [], i) {
            guard case .bool(let b) = v else { throw .type("__bool__ should return bool, returned \(v.typeName)") }
            return b
        }
        if let n = try userLength(i) { return n > 0 }
        return nil
    }

    func contains(_ item: Value, _ i: Interpreter) throws(DLXError) -> Bool? {
        guard let v = try callSpecial("__contains__", [item], i) else { return nil }
        return try i.truthy(v)
    }

    func setItem(_ key: Value, _ value: Value, _ i: Interpreter) throws(DLXError) -> Bool {
        try callSpecial("__setitem__", [key, value], i) != nil
    }

    func deleteItem(_ key: Value, _ i: Interpreter) throws(DLXError) -> Bool {
        try callSpecial("__delitem__", [key], i) != nil
    }

    static func dunder(_ op: BinaryOp) -> String {
        switch op {
        case .add: return "add"
        case .subtract: return "sub"
        case .multiply: return "mul"
        case .divide: return "truediv"
        case .floorDivide: return "floordiv"
        case .modulo: return "mod"
        case .power: return "pow"
        case .matmul: return "matmul"
        case .bitAnd: return "and"
        case .bitOr: return "or"
        case .bitXor: return "xor"
        case .leftShift: return "lshift"
        case .rightShift: return "rshift"
        }
    }

    func binaryOperator(_ op: BinaryOp, _ other: Value, reflected: Bool, _ i: Interpreter) throws(DLXError) -> Value? {
        let name = "__" + (reflected ? "r" : "") + Self.dunder(op) + "__"
        return Self.implemented(try callSpecial(name, [other], i))
    }

    /// A special method's result, or nil for NotImplemented (the other operand is tried next).
    static func implemented(_ v: Value?) -> Value? {
        if case .object(let o)? = v, o is NotImplementedObject { return nil }
        return v
    }

    func compare(_ op: CompareOp, _ other: Value, _ i: Interpreter) throws(DLXError) -> Value? {
        let names: [CompareOp: String] = [.equal: "__eq__", .notEqual: "__ne__", .less: "__lt__", .lessEqual: "__le__",
                                          .greater: "__gt__", .greaterEqual: "__ge__"]
        guard let name = names[op] else { return nil }
        if let v = Self.implemented(try callSpecial(name, [other], i)) { return v }
        if op == .notEqual, let v = Self.implemented(try callSpecial("__eq__", [other], i)) { return .bool(!(try i.truthy(v))) }
        return nil
    }
}

/// Python's `NotImplemented`, which a special method returns to let the other operand try.
final class NotImplementedObject: PyObject {
    var typeName: String { "NotImplementedType" }
    func repr(_ interpreter: Interpreter) -> String { "NotImplemented" }
}

/// A function bound to its receiver: `obj.method`.
final class BoundMethod: PyObject {
    let receiver: Value
    let function: Value
    let owner: String
    var heapLink = HeapLink()
    init(receiver: Value, function: Value, owner: String) {
        self.receiver = receiver; self.function = function; self.owner = owner
        Heap.adopt(self)
    }
    deinit { Heap.leave(self) }
    var typeName: String { "method" }
    var name: String {
        if case .object(let f as UserFunction) = function { return f.name }
        return "method"
    }
    func repr(_ i: Interpreter) -> String {
        let of = (try? i.repr(receiver)) ?? "?"
        return "<bound method \(owner).\(name) of \(of)>"
    }
    func call(_ args: inout Arguments, _ i: Interpreter) throws(DLXError) -> Value? {
        args.positional.insert(receiver, at: 0)
        return try i.call(function, &args)
    }
    func attribute(_ n: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch n {
        case "__self__": return receiver
        case "__func__": return function
        case "__name__": return .string(name)
        default: return nil
        }
    }
}

/// `@staticmethod`.
final class StaticMethod: PyObject {
    let function: Value
    var heapLink = HeapLink()
    init(_ f: Value) { function = f; Heap.adopt(self) }
    deinit { Heap.leave(self) }
    var typeName: String { "staticmethod" }
    func call(_ args: inout Arguments, _ i: Interpreter) throws(DLXError) -> Value? { try i.call(function, &args) }
}

/// `@classmethod`.
final class ClassMethod: PyObject {
    let function: Value
    var heapLink = HeapLink()
    init(_ f: Value) { function = f; Heap.adopt(self) }
    deinit { Heap.leave(self) }
    var typeName: String { "classmethod" }
}

/// `@property`, with `@name.setter`.
final class Property: PyObject {
    let getter: Value
    let setter: Value?
    var heapLink = HeapLink()
    init(getter: Value, setter: Value? = nil) { self.getter = getter; self.setter = setter; Heap.adopt(self) }
    deinit { Heap.leave(self) }
    var typeName: String { "property" }
    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "setter":
            return .object(BuiltinFunction("setter", method: true) { [getter] a, _ throws(DLXError) in
                .object(Property(getter: getter, setter: try a.required(0, "fset")))
            })
        case "getter":
            return .object(BuiltinFunction("getter", method: true) { [setter] a, _ throws(DLXError) in
                .object(Property(getter: try a.required(0, "fget"), setter: setter))
            })
        case "fget": return getter
        case "fset": return setter ?? Value.none
        default: return nil
        }
    }
}

/// `super()` and `super(Class, obj)`: attribute lookup that starts after `cls` in the instance's MRO.
final class SuperObject: PyObject {
    let cls: PyClass
    let object: Value
    let objectClass: PyClass
    init(cls: PyClass, object: Value, objectClass: PyClass) { self.cls = cls; self.object = object; self.objectClass = objectClass }
    var typeName: String { "super" }
    func repr(_ i: Interpreter) -> String { "<super: <class '\(cls.name)'>, <\(objectClass.name) object>>" }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        let mro = objectClass.mro
        guard let start = mro.firstIndex(where: { $0 === cls }) else { return nil }
        for c in mro[(start + 1)...] {
            guard let v = c.attributes[name] else { continue }
            if case .object(let p as Property) = v {
                var a = Arguments([object])
                return try i.call(p.getter, &a)
            }
            return objectClass.binding(v, to: object, owner: c.name)
        }
        return try i.nativeAttribute(of: object, objectClass, name)
    }
}
