import DLXFrontEnd
import DLXEngine

/// `def`, `lambda`, `class`, decorators and `with`.
extension Interpreter {
    /// A function value: defaults evaluated now (once, as in Python), closing over the current scope.
    func makeFunction(_ def: FunctionDef) throws(DLXError) -> Value {
        var defaults: [Value?] = []
        for p in def.parameters { defaults.append(try p.defaultValue.map { d throws(DLXError) in try eval(d) }) }
        let scope = closureScope
        scope?.madeClosures = true
        let f = UserFunction(def, defaults: defaults, closure: scope, source: lexicalSource)
        let annotations = DictBox()
        for p in def.parameters { if let a = p.annotation { try annotations.set(.string(p.name), try annotationValue(a)) } }
        if let r = def.returns { try annotations.set(.string("return"), try annotationValue(r)) }
        f.attributes["__annotations__"] = .dict(annotations)
        return .object(f)
    }

    /// An annotation's value: its source text under `from __future__ import annotations`, else evaluated.
    func annotationValue(_ e: Expr) throws(DLXError) -> Value {
        session.futureAnnotations ? .string(e.source) : try eval(e)
    }

    /// `x: T = v` at module or class level records T in the scope's `__annotations__` (a function's own
    /// variables' annotations are not kept, as in Python).
    func annotate(_ target: Expr, _ annotation: Expr) throws(DLXError) {
        guard case .name(let name) = target.kind else { _ = try annotationValue(annotation); return }
        if let f = frames.last, f.kind == .function { return }
        let value = try annotationValue(annotation)
        let scope = frames.last
        let existing = scope.map { $0.locals["__annotations__"] } ?? session.globals["__annotations__"]
        let table: DictBox
        if case .dict(let d)? = existing { table = d } else {
            table = DictBox()
            if let scope { scope.locals["__annotations__"] = .dict(table) } else { session.globals["__annotations__"] = .dict(table) }
        }
        try table.set(.string(name), value)
    }

    /// Applies decorators, innermost (lowest) first.
    func decorate(_ value: Value, _ decorators: [Expr]) throws(DLXError) -> Value {
        var v = value
        for d in decorators.reversed() {
            let f = try eval(d)
            var a = Arguments([v])
            v = try call(f, &a)
        }
        return v
    }

    /// `class Name(Base): body`: the body runs in a scope of its own whose names become the class's attributes.
    func makeClass(_ def: ClassDef) throws(DLXError) -> Value {
        var bases: [PyClass] = []
        var native = NativeBase.object
        for b in def.bases {
            guard case .positional = b.kind else {
                if case .keyword(let k) = b.kind, k == "metaclass" {
                    throw DLXError("NotImplementedError", "metaclasses are not supported in dlx")
                }
                continue
            }
            let v = try eval(b.value)
            switch v {
            case .object(let c as PyClass):
                bases.append(c)
                if c.native != .object { native = c.native }
            case .object(let t as TypeObject):
                switch t.name {
                case "object": break
                case "Module": native = .module; bases.append(nativeClass("Module", "torch.nn.modules.module", .module))
                case "Dataset", "IterableDataset":
                    native = .dataset
                    bases.append(nativeClass(t.name, "torch.utils.data.dataset", .dataset))
                default:
                    throw DLXError("NotImplementedError", "subclassing '\(t.name)' is not supported in dlx (user classes may derive from object, Exception classes, nn.Module and Dataset)")
                }
            default:
                throw .type("bases must be types")
            }
        }
        if bases.count > 1, Set(bases.map { $0.native }).count > 1 {
            throw .type("multiple bases have instance lay-out conflict")
        }
        if bases.isEmpty { bases = [objectClass] }
        for (k, b) in bases.enumerated() where bases[..<k].contains(where: { $0 === b }) {
            throw .type("duplicate base class \(b.name)")
        }
        if PyClass.linearize(bases) == nil {
            throw .type("Cannot create a consistent method resolution order (MRO) for bases " + bases.map { $0.name }.joined(separator: ", "))
        }
        let cls = PyClass(name: def.name, bases: bases, native: native)
        let scope = Frame(.classBody, parent: closureScope, name: def.name, source: lexicalSource)
        scope.locals["__module__"] = .string("__main__")
        scope.locals["__qualname__"] = .string(def.name)
        try within(scope) { () throws(DLXError) in
            do {
                try execBlock(def.body)
            } catch let e as DLXError {
                throw e
            } catch {
                throw DLXError("SyntaxError", "'return' outside function")
            }
        }
        // Attributes in the order the body made them (functions first appear where they were defined).
        for stmt in def.body {
            for name in Interpreter.boundNames(stmt) where cls.attributes[name] == nil {
                if let v = scope.locals[name] { cls.attributes[name] = v }
            }
        }
        for (k, v) in scope.locals.sorted(by: { $0.key < $1.key }) where cls.attributes[k] == nil { cls.attributes[k] = v }
        for (_, v) in cls.attributes.pairs {
            switch v {
            case .object(let f as UserFunction): f.definingClass = cls
            case .object(let s as StaticMethod): (s.function.userFunction)?.definingClass = cls
            case .object(let c as ClassMethod): (c.function.userFunction)?.definingClass = cls
            case .object(let p as Property):
                p.getter.userFunction?.definingClass = cls
                p.setter?.userFunction?.definingClass = cls
            default: break
            }
        }
        return .object(cls)
    }

    /// The class a user class derives from when it derives from a built-in one (`nn.Module`, `Dataset`), so
    /// that its MRO names it as PyTorch's does.
    func nativeClass(_ name: String, _ module: String, _ native: NativeBase) -> PyClass {
        let key = module + "." + name
        if let c = session.builtinClasses[key] { return c }
        let c = PyClass(name: name, module: module, bases: [objectClass], native: native)
        session.builtinClasses[key] = c
        return c
    }

    /// The names a class-body statement binds, in order.
    static func boundNames(_ s: Stmt) -> [String] {
        switch s.kind {
        case .function(let d): return [d.name]
        case .classDef(let d): return [d.name]
        case .assign(let targets, _): return targets.flatMap { names(in: $0) }
        case .annotated(let t, _, _), .augmentedAssign(let t, _, _): return names(in: t)
        case .ifElse(let branches, let otherwise): return branches.flatMap { $0.body.flatMap(boundNames) } + (otherwise ?? []).flatMap(boundNames)
        default: return []
        }
    }

    static func names(in target: Expr) -> [String] {
        switch target.kind {
        case .name(let n): return [n]
        case .tuple(let items), .list(let items): return items.flatMap { names(in: $0) }
        case .starred(let inner): return names(in: inner)
        default: return []
        }
    }

    /// What a native base class (object, Exception, nn.Module, Dataset) gives an instance through `super()`.
    func nativeAttribute(of object: Value, _ cls: PyClass, _ name: String) throws(DLXError) -> Value? {
        switch (cls.native, name) {
        case (.exception, "__init__"):
            return method(name) { a, _ throws(DLXError) in
                if case .object(let o as PyInstance) = object { o.attributes["args"] = .tuple(a.rest(from: 0)) }
                return Value.none
            }
        case (.module, "__init__"):
            return method(name) { a, _ throws(DLXError) in
                _ = a.rest(from: 0)
                for (k, _) in a.keywords { _ = try a.get(nil, k) }
                if case .module(let m as UserModule) = object { m.initialised = true }
                return Value.none
            }
        case (_, "__init__"):
            return method(name) { a, _ throws(DLXError) in
                if !a.positional.isEmpty || !a.keywords.isEmpty {
                    throw .type("object.__init__() takes exactly one argument (the instance to initialize)")
                }
                return Value.none
            }
        case (_, "__repr__"):
            return method(name) { _, i throws(DLXError) in
                switch object {
                case .module(let m): return .string(m.repr)
                case .object(let o as PyInstance):
                    return .string(o.cls.native == .exception ? try i.exceptionRepr(o) : o.defaultRepr(i))
                default: return .string(try i.repr(object))
                }
            }
        case (_, "__str__"):
            return method(name) { _, i throws(DLXError) in
                if case .object(let o as PyInstance) = object, o.cls.native == .exception { return .string(try i.exceptionStr(o)) }
                if case .module(let m) = object { return .string(m.repr) }
                if case .object(let o as PyInstance) = object { return .string((try o.checkedRepr(i)) ?? o.defaultRepr(i)) }
                return .string(try i.str(object))
            }
        case (_, "__setattr__"):
            return method(name) { a, i throws(DLXError) in
                let n = try i.toStringValue(try a.required(0, "name"), "name")
                let v = try a.required(1, "value")
                if case .object(let o as PyInstance) = object { o.attributes[n] = v; return Value.none }
                try i.setAttribute(object, n, v)
                return Value.none
            }
        case (_, "__getattribute__"), (_, "__getattr__"):
            return method(name) { a, i throws(DLXError) in
                try i.getAttribute(object, try i.toStringValue(try a.required(0, "name"), "name"))
            }
        case (.module, _):
            guard case .module(let m) = object else { return nil }
            return try moduleAttribute(m, name)
        default:
            return nil
        }
    }

    /// `with manager as target: body`: built-in managers (`torch.no_grad()`) and user classes with
    /// `__enter__`/`__exit__` (whose true result suppresses the error).
    func execWith(_ ctx: Value, _ target: Expr?, _ body: [Stmt], _ span: SourceSpan) throws {
        if case .object(let o) = ctx, let manager = o as? ContextManager {
            let entered = manager.enter(self)
            defer { manager.exit(self) }
            if let target { try assign(target, entered) }
            try execBlock(body)
            return
        }
        guard let user = ctx.protocols as? UserObject, let enter = user.special("__enter__"), let exit = user.special("__exit__") else {
            throw DLXError("TypeError", "'\(ctx.typeName)' object does not support the context manager protocol", span: span)
        }
        var none = Arguments()
        let entered = try call(enter, &none)
        do {
            if let target { try assign(target, entered) }
            try execBlock(body)
        } catch var error as DLXError {
            guard error.catchable else { throw error }
            let instance = exceptionObject(&error)
            var a = Arguments([.object(instance.cls), .object(instance), Value.none])
            if try truthy(try call(exit, &a)) { return }
            throw error
        } catch {
            var a = Arguments([Value.none, Value.none, Value.none])
            _ = try call(exit, &a)
            throw error
        }
        var a = Arguments([Value.none, Value.none, Value.none])
        _ = try call(exit, &a)
    }

    func keyError(_ key: Value) -> DLXError {
        var e = DLXError("KeyError", (try? repr(key)) ?? "")
        e.args = [key]
        return e
    }
}

extension Value {
    var userFunction: UserFunction? {
        if case .object(let f as UserFunction) = self { return f }
        return nil
    }
}
