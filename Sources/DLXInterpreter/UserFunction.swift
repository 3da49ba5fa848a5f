import DLXFrontEnd

/// A function defined with `def`: parameters bound by position or keyword, defaults evaluated once at
/// definition (as in Python), a fresh frame of locals per call.
final class UserFunction: PyObject {
    let name: String
    let parameters: [Parameter]
    let defaults: [Value?]
    let body: [Stmt]

    init(name: String, parameters: [Parameter], defaults: [Value?], body: [Stmt]) {
        self.name = name; self.parameters = parameters; self.defaults = defaults; self.body = body
    }

    var typeName: String { "function" }
    func repr(_ interpreter: Interpreter) -> String { "<function \(name) at \(interpreter.session.address(of: self))>" }

    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        guard interpreter.frames.count < interpreter.session.maxCallDepth else {
            throw DLXError("RecursionError", "maximum recursion depth exceeded")
        }
        let frame = Interpreter.Frame()
        guard args.positional.count <= parameters.count else {
            throw .type("\(name)() takes \(parameters.count) positional argument\(parameters.count == 1 ? "" : "s") but \(args.positional.count) \(args.positional.count == 1 ? "was" : "were") given")
        }
        for (i, v) in args.positional.enumerated() { frame.locals[parameters[i].name] = v }
        for (k, v) in args.keywords {
            guard parameters.contains(where: { $0.name == k }) else {
                throw .type("\(name)() got an unexpected keyword argument '\(k)'")
            }
            if frame.locals[k] != nil { throw .type("\(name)() got multiple values for argument '\(k)'") }
            frame.locals[k] = v
        }
        var missing: [String] = []
        for (i, p) in parameters.enumerated() where frame.locals[p.name] == nil {
            if let d = defaults[i] { frame.locals[p.name] = d } else { missing.append("'\(p.name)'") }
        }
        if !missing.isEmpty {
            throw .type("\(name)() missing \(missing.count) required positional argument\(missing.count == 1 ? "" : "s"): \(missing.joined(separator: " and "))")
        }
        frame.globalNames = UserFunction.declaredGlobals(body)
        interpreter.frames.append(frame)
        defer { interpreter.frames.removeLast() }
        do {
            try interpreter.execBlock(body)
        } catch let flow as ControlFlow {
            if case .returnValue(let v) = flow { return v }
            throw DLXError("SyntaxError", "'break' outside loop")
        } catch let e as DLXError {
            throw e
        } catch {
            throw DLXError("RuntimeError", "\(error)")
        }
        return Value.none
    }

    /// Names a `global` statement anywhere in the body declares.
    static func declaredGlobals(_ body: [Stmt]) -> Set<String> {
        var out = Set<String>()
        for s in body {
            switch s.kind {
            case .global(let names): out.formUnion(names)
            case .ifElse(let branches, let otherwise):
                for b in branches { out.formUnion(declaredGlobals(b.body)) }
                if let o = otherwise { out.formUnion(declaredGlobals(o)) }
            case .forLoop(_, _, let b, let o), .whileLoop(_, let b, let o):
                out.formUnion(declaredGlobals(b))
                if let o { out.formUnion(declaredGlobals(o)) }
            case .with(_, _, let b): out.formUnion(declaredGlobals(b))
            default: break
            }
        }
        return out
    }
}
