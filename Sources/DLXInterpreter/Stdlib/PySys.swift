/// Python's `sys`: the session's argv, exit as SystemExit, version and platform facts, and stdout/stderr
/// that write where `print` does.
extension Interpreter {
    func sysMembers() -> [String: Value] {
        func info(_ name: String, _ fields: [(String, Value)]) -> Value {
            .object(NamedTupleValue(NamedTupleShape(name: name, fields: fields.map { $0.0 }, defaults: []), fields.map { $0.1 }))
        }
        var m: [String: Value] = [
            "argv": .list(ListBox(session.argv.map { .string($0) })),
            "version": .string("3.11.7 (dlx, a PyTorch-flavoured Python) [Swift]"),
            "version_info": info("sys.version_info", [("major", .int(3)), ("minor", .int(11)), ("micro", .int(7)),
                                                      ("releaselevel", .string("final")), ("serial", .int(0))]),
            "float_info": info("sys.float_info", [
                ("max", .float(.greatestFiniteMagnitude)), ("max_exp", .int(1024)), ("max_10_exp", .int(308)),
                ("min", .float(.leastNormalMagnitude)), ("min_exp", .int(-1021)), ("min_10_exp", .int(-307)), ("dig", .int(15)),
                ("mant_dig", .int(53)), ("epsilon", .float(.ulpOfOne)), ("radix", .int(2)), ("rounds", .int(1))]),
            "platform": .string("linux"), "byteorder": .string("little"), "maxsize": .int(Int.max), "executable": .string(""),
            "path": .list(ListBox([])), "stdout": .object(OutputStream("<stdout>")), "stderr": .object(OutputStream("<stderr>")),
        ]
        // SystemExit's message is str(code): "" for None, "2", or the text (the shell decides the exit status).
        m["exit"] = function("exit") { a, i throws(DLXError) in
            let code = try a.get(0, "status") ?? Value.none
            throw DLXError("SystemExit", code.isNone ? "" : try i.str(code))
        }
        m["getrecursionlimit"] = function("getrecursionlimit") { _, _ throws(DLXError) in .int(1000) }
        // dlx keeps its own bound on nested calls (Session.maxCallDepth), which protects its stack.
        m["setrecursionlimit"] = function("setrecursionlimit") { a, i throws(DLXError) in
            guard try i.indexArgument(try a.required(0, "limit")) >= 1 else { throw .value("recursion limit must be greater or equal than 1") }
            return Value.none
        }
        return m
    }
}

/// `sys.stdout` and `sys.stderr`: text written goes to the session's output.
final class OutputStream: PyObject {
    let name: String
    init(_ name: String) { self.name = name }

    var typeName: String { "TextIOWrapper" }
    var qualifiedName: String { "_io.TextIOWrapper" }
    var attributeNames: [String] { ["encoding", "flush", "isatty", "mode", "name", "write", "writelines"] }
    func repr(_ interpreter: Interpreter) -> String { "<_io.TextIOWrapper name='\(name)' mode='w' encoding='utf-8'>" }

    func attribute(_ attr: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        switch attr {
        case "name": return .string(name)
        case "mode": return .string("w")
        case "encoding": return .string("utf-8")
        case "write":
            return interpreter.method(attr) { a, i throws(DLXError) in
                let v = try a.required(0, "s")
                guard case .string(let s) = v else { throw .type("write() argument must be str, not \(v.typeName)") }
                if self.name == "<stderr>" { i.session.writeError(s) } else { i.session.write(s) }
                return .int(s.unicodeScalars.count)
            }
        case "writelines":
            return interpreter.method(attr) { a, i throws(DLXError) in
                for v in try i.iterateAll(try a.required(0, "lines")) {
                    guard case .string(let s) = v else { throw .type("write() argument must be str, not \(v.typeName)") }
                    i.session.write(s)
                }
                return Value.none
            }
        case "flush": return interpreter.method(attr) { _, _ throws(DLXError) in Value.none }
        case "isatty": return interpreter.method(attr) { _, i throws(DLXError) in .bool(i.session.isTerminal) }
        default: return nil
        }
    }
}
