import DLXEngine

/// The built-ins that deal with classes and objects: `super`, `staticmethod`, `classmethod`, `property`,
/// `issubclass`, `object`, `set`, `frozenset`, `vars`, `delattr`, `map`, `filter`, `id`, `hash`, `type`.
extension Interpreter {
    private func builtinFunction(_ name: String, _ body: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Value) -> Value {
        .object(BuiltinFunction(name, body))
    }

    func classBuiltin(_ name: String) -> Value? {
        switch name {
        case "super":
            return builtinFunction(name) { a, i throws(DLXError) in
                if let c = try a.get(0, "type") {
                    guard case .object(let cls as PyClass) = c else { throw .type("super() argument 1 must be a type, not \(c.typeName)") }
                    let object = try a.required(1, "object")
                    guard let u = object.protocols as? UserObject, u.cls.isSubclass(of: cls) else {
                        throw .type("super(type, obj): obj must be an instance or subtype of type")
                    }
                    return .object(SuperObject(cls: cls, object: object, objectClass: u.cls))
                }
                guard let frame = i.functionFrame, let cls = frame.definingClass, let object = frame.firstArgument else {
                    throw DLXError("RuntimeError", "super(): no arguments")
                }
                if case .object(let k as PyClass) = object { return .object(SuperObject(cls: cls, object: object, objectClass: k)) }
                guard let u = object.protocols as? UserObject else { throw DLXError("RuntimeError", "super(): __class__ cell not found") }
                return .object(SuperObject(cls: cls, object: object, objectClass: u.cls))
            }
        case "staticmethod":
            return .object(TypeObject(name) { a, _ throws(DLXError) in .object(StaticMethod(try a.required(0, "function"))) })
        case "classmethod":
            return .object(TypeObject(name) { a, _ throws(DLXError) in .object(ClassMethod(try a.required(0, "function"))) })
        case "property":
            return .object(TypeObject(name) { a, _ throws(DLXError) in
                let setter = try a.get(1, "fset")
                _ = try a.get(2, "fdel"); _ = try a.get(3, "doc")
                return .object(Property(getter: try a.required(0, "fget"), setter: setter.flatMap { $0.isNone ? nil : $0 }))
            })
        case "issubclass":
            return builtinFunction(name) { a, i throws(DLXError) in
                let c = try a.required(0, "cls"), t = try a.required(1, "class_or_tuple")
                let targets: [Value]
                if case .tuple(let ts) = t { targets = ts } else { targets = [t] }
                for target in targets {
                    switch (c, target) {
                    case (.object(let x as PyClass), .object(let y as PyClass)): if x.isSubclass(of: y) { return .bool(true) }
                    case (.object(let x as PyClass), .object(let y as TypeObject)):
                        if y.name == "object" || (y.name == "Module" && x.native == .module) || (y.name == "Dataset" && x.native == .dataset) { return .bool(true) }
                    case (.object(let x as TypeObject), .object(let y as TypeObject)):
                        if x.qualified == y.qualified || y.name == "object" || (x.name == "bool" && y.name == "int") { return .bool(true) }
                    case (.object(is TypeObject), .object(is PyClass)): break
                    default: throw .type("issubclass() arg 1 must be a class")
                    }
                }
                return .bool(false)
            }
        case "object":
            return .object(TypeObject(name) { a, i throws(DLXError) in
                guard a.positional.isEmpty else { throw .type("object() takes no arguments") }
                return .object(PyInstance(i.objectClass))
            })
        case "set", "frozenset":
            return .object(TypeObject(name) { a, i throws(DLXError) in
                let items = try a.get(0, "iterable").map { v throws(DLXError) in try i.iterateAll(v) } ?? []
                return .object(try SetObject(items, i, frozen: name == "frozenset"))
            })
        case "vars":
            return builtinFunction(name) { a, i throws(DLXError) in
                guard let v = try a.get(0, "object") else {
                    let d = DictBox()
                    for (k, x) in i.session.globals.sorted(by: { $0.key < $1.key }) { try d.set(.string(k), x) }
                    return .dict(d)
                }
                return try i.getAttribute(v, "__dict__")
            }
        case "delattr":
            return builtinFunction(name) { a, i throws(DLXError) in
                let v = try a.required(0, "obj")
                let n = try i.toStringValue(try a.required(1, "name"), "attribute name")
                guard let p = v.protocols, try p.deleteAttribute(n, i) else { throw DLXError("AttributeError", n) }
                return Value.none
            }
        case "map":
            return builtinFunction(name) { a, i throws(DLXError) in
                let f = try a.required(0, "function")
                let its = try a.rest(from: 1).map { v throws(DLXError) in try i.iterator(v) }
                guard !its.isEmpty else { throw .type("map() must have at least two arguments.") }
                return .object(GeneratorIterator("map", ValueIterator { () throws(DLXError) -> Value? in
                    var row: [Value] = []
                    for it in its { guard let v = try it.next() else { return nil }; row.append(v) }
                    var call = Arguments(row)
                    return try i.call(f, &call)
                }, typeName: "map"))
            }
        case "filter":
            return builtinFunction(name) { a, i throws(DLXError) in
                let f = try a.required(0, "function")
                let it = try i.iterator(try a.required(1, "iterable"))
                return .object(GeneratorIterator("filter", ValueIterator { () throws(DLXError) -> Value? in
                    while let v = try it.next() {
                        var keep = v
                        if !f.isNone { var call = Arguments([v]); keep = try i.call(f, &call) }
                        if try i.truthy(keep) { return v }
                    }
                    return nil
                }, typeName: "filter"))
            }
        case "id":
            return builtinFunction(name) { a, i throws(DLXError) in
                let v = try a.required(0, "obj")
                // Reference values by identity; plain values (numbers, strings, tuples) by their hash.
                let object: AnyObject?
                switch v {
                case .object(let o): object = o
                case .module(let m): object = m
                case .tensor(let t): object = t
                case .list(let l): object = l
                case .dict(let d): object = d
                default: object = nil
                }
                if let object { return .int(ObjectIdentifier(object).hashValue) }
                return .int(try HashKey(v).hashValue)
            }
        case "hash":
            return builtinFunction(name) { a, i throws(DLXError) in
                let v = try a.required(0, "obj")
                if let u = v.protocols as? UserObject, let h = try u.callSpecial("__hash__", [], i) { return h }
                switch v {
                case .int(let n): return .int(n)
                case .bool(let b): return .int(b ? 1 : 0)
                case .float(let f) where f == f.rounded() && abs(f) < 1e18: return .int(Int(f))
                default: return .int(try HashKey(v).hashValue)
                }
            }
        case "exit", "quit":
            return builtinFunction(name) { a, i throws(DLXError) in
                let code = try a.get(0, "code") ?? Value.none
                var e = DLXError("SystemExit", code.isNone ? "" : try i.str(code))
                e.args = code.isNone ? [] : [code]
                throw e
            }
        case "pow":
            return builtinFunction(name) { a, i throws(DLXError) in
                let base = try a.required(0, "base"), exp = try a.required(1, "exp")
                guard let m = try a.get(2, "mod"), !m.isNone else { return try i.binaryOp(.power, base, exp) }
                guard case .int(var b) = base, case .int(var e) = exp, case .int(let n) = m else {
                    throw .type("pow() 3rd argument not allowed unless all arguments are integers")
                }
                guard n != 0 else { throw .value("pow() 3rd argument cannot be 0") }
                guard e >= 0 else { throw .value("base is not invertible for the given modulus") }
                // Square and multiply in 128 bits, so no product overflows.
                let modulus = Int128(n)
                var result = Int128(1) % modulus, x = ((Int128(b) % modulus) + modulus) % modulus
                while e > 0 {
                    if e & 1 == 1 { result = result * x % modulus }
                    x = x * x % modulus
                    e >>= 1
                }
                b = Int((result + modulus) % modulus)
                return .int(n < 0 && b != 0 ? b + n : b)
            }
        case "divmod":
            return builtinFunction(name) { a, i throws(DLXError) in
                let x = try a.required(0, "a"), y = try a.required(1, "b")
                return .tuple([try i.binaryOp(.floorDivide, x, y), try i.binaryOp(.modulo, x, y)])
            }
        case "exec", "eval", "compile", "breakpoint", "input", "globals", "locals":
            return builtinFunction(name) { a, i throws(DLXError) in
                switch name {
                case "globals":
                    let d = DictBox()
                    for (k, v) in i.session.globals.sorted(by: { $0.key < $1.key }) { try d.set(.string(k), v) }
                    return .dict(d)
                case "locals":
                    let d = DictBox()
                    let scope = i.frames.last?.locals ?? i.session.globals
                    for (k, v) in scope.sorted(by: { $0.key < $1.key }) { try d.set(.string(k), v) }
                    return .dict(d)
                case "input":
                    guard let read = i.session.readInput else {
                        throw DLXError("NotImplementedError", "input() is not supported in dlx: scripts and graded submissions read no keyboard input")
                    }
                    return .string(try read(try a.get(0, "prompt").map { v throws(DLXError) in try i.str(v) } ?? ""))
                default: throw DLXError("NotImplementedError", "\(name)() of code given as a string is not supported in dlx")
                }
            }
        case "NotImplemented": return .object(session.notImplemented)
        case "Ellipsis": return .ellipsis
        default: return nil
        }
    }

    /// The class `object`, base of every user class (for `object()` instances).
    var objectClass: PyClass {
        if let c = session.builtinClasses["object"] { return c }
        let c = PyClass(name: "object", module: "builtins", bases: [], native: .object)
        session.builtinClasses["object"] = c
        return c
    }

    /// `type(x)`: a user class itself; a layer's class as `nn` names it (so `type(m) == nn.Linear`); otherwise
    /// a type object that prints as Python's.
    func typeOf(_ v: Value) -> Value {
        if let u = v.protocols as? UserObject { return .object(u.cls) }
        if case .object(let c as PyClass) = v { _ = c; return .object(TypeObject("type")) }
        if case .module(let m) = v, let t = namespace("torch.nn")?.members[m.typeName] { return t }
        if case .object(let s as SetObject) = v { return builtin(s.frozen ? "frozenset" : "set") ?? .none }
        return .object(TypeObject(v.typeName, qualified: v.qualifiedTypeName))
    }
}
