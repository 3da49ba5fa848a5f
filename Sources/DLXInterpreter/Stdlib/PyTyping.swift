/// `typing` (subscriptable placeholders with CPython's reprs), `warnings` (accepted; dlx shows no warning
/// text) and `__future__` (every feature is already on).
extension Interpreter {
    func typingMembers() -> [String: Value] {
        var m: [String: Value] = ["TYPE_CHECKING": .bool(false)]
        for name in ["Any", "List", "Dict", "Tuple", "Set", "FrozenSet", "Optional", "Union", "Callable", "Iterable", "Iterator",
                     "Sequence", "Mapping", "MutableMapping", "Type", "Generator", "Literal", "ClassVar", "Final", "Deque",
                     "DefaultDict", "OrderedDict", "Counter", "NoReturn", "Hashable", "Sized", "Collection", "Container"] {
            m[name] = .object(TypingForm("typing." + name))
        }
        m["TypeVar"] = function("TypeVar") { a, i throws(DLXError) in
            let name = try i.toStringValue(try a.required(0, "name"), "TypeVar name")
            a = Arguments()
            return .object(TypingForm("~" + name))
        }
        m["cast"] = function("cast") { a, _ throws(DLXError) in _ = try a.required(0, "typ"); return try a.required(1, "val") }
        let identity = function("decorator") { a, _ throws(DLXError) in try a.required(0, "function") }
        for name in ["overload", "final", "no_type_check", "runtime_checkable"] { m[name] = identity }
        return m
    }

    func warningsMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        // filterwarnings/simplefilter(action, category=Warning): the newest matching filter decides (ignore,
        // error, always, default/once/module); resetwarnings forgets them.
        for name in ["filterwarnings", "simplefilter"] {
            m[name] = function(name) { a, i throws(DLXError) in
                let action = try i.toStringValue(try a.required(0, "action"), "action")
                guard ["ignore", "error", "always", "default", "once", "module"].contains(action) else {
                    throw .value("invalid action: \(Interpreter.quote(action))")
                }
                var category: PyClass? = nil
                if case .object(let c as PyClass)? = try a.get(name == "simplefilter" ? 1 : 2, "category") { category = c }
                a = Arguments()
                i.session.warningFilters.insert((action, category), at: 0)
                return Value.none
            }
        }
        m["resetwarnings"] = function("resetwarnings") { _, i throws(DLXError) in i.session.warningFilters = []; return Value.none }
        m["showwarning"] = function("showwarning") { a, _ throws(DLXError) in a = Arguments(); return Value.none }
        // warn(message, category=UserWarning): recorded inside catch_warnings(record=True), else printed once per
        // place and message on standard error, as Python's default filter does.
        m["warn"] = function("warn") { a, i throws(DLXError) in
            let message = try a.required(0, "message")
            let categoryValue = try a.get(1, "category") ?? Value.none
            _ = try a.get(2, "stacklevel"); _ = try a.get(nil, "source")
            var category = i.exceptionClass("UserWarning")
            if case .object(let c as PyClass) = categoryValue { category = c }
            try i.warn(message, category: category)
            return Value.none
        }
        m["catch_warnings"] = function("catch_warnings") { a, i throws(DLXError) in
            let record = try a.get(nil, "record").map { v throws(DLXError) in try i.truthy(v) } ?? false
            a = Arguments()
            return .object(CatchWarnings(record: record))
        }
        return m
    }

    func futureMembers() -> [String: Value] {
        let features = ["nested_scopes", "generators", "division", "absolute_import", "with_statement", "print_function",
                        "unicode_literals", "generator_stop", "annotations"]
        return Dictionary(uniqueKeysWithValues: features.map { ($0, Value.object(TypingForm("__future__." + $0))) })
    }
}

/// A typing construct: `typing.List`, and subscripted, `typing.Dict[str, int]`.
final class TypingForm: PyObject {
    let name: String
    init(_ name: String) { self.name = name }
    var typeName: String { name.hasPrefix("~") ? "TypeVar" : "_SpecialForm" }
    var qualifiedName: String { "typing." + typeName }
    func repr(_ interpreter: Interpreter) -> String { name }

    func item(_ key: Value, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        func describe(_ v: Value) -> String {
            switch v {
            case .object(let t as TypeObject): return t.qualified
            case .object(let f as TypingForm): return f.name
            case .ellipsis: return "..."
            case .none: return "None"
            case .list(let l): return "[" + l.items.map(describe).joined(separator: ", ") + "]"
            default: return (try? interpreter.repr(v)) ?? "?"
            }
        }
        let args: [Value]
        if case .tuple(let items) = key { args = items } else { args = [key] }
        return .object(TypingForm(name + "[" + args.map(describe).joined(separator: ", ") + "]"))
    }

    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        throw .type("Type \(name) cannot be instantiated")
    }
}

/// `with warnings.catch_warnings(record=True) as caught:` — the warnings inside go to the list `caught`; the
/// filters set inside are forgotten at the end of the block.
final class CatchWarnings: PyObject, ContextManager {
    let record: Bool
    init(record: Bool) { self.record = record }
    var typeName: String { "catch_warnings" }
    var qualifiedName: String { "warnings.catch_warnings" }
    private var savedFilters: [[(String, PyClass?)]] = []
    func enter(_ interpreter: Interpreter) -> Value {
        savedFilters.append(interpreter.session.warningFilters)
        guard record else { return Value.none }
        let list = ListBox([])
        interpreter.session.warningRecords.append(list)
        return .list(list)
    }
    func exit(_ interpreter: Interpreter) {
        if record { _ = interpreter.session.warningRecords.popLast() }
        interpreter.session.warningFilters = savedFilters.popLast() ?? []
    }
}

/// One recorded warning: `message` (the warning object), `category`, `filename`, `lineno`.
final class WarningMessage: PyObject {
    let message: Value, category: PyClass, filename: String, lineno: Int
    init(message: Value, category: PyClass, filename: String, lineno: Int) {
        self.message = message; self.category = category; self.filename = filename; self.lineno = lineno
    }
    var typeName: String { "WarningMessage" }
    var qualifiedName: String { "warnings.WarningMessage" }
    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "message": return message
        case "category": return .object(category)
        case "filename": return .string(filename)
        case "lineno": return .int(lineno)
        default: return nil
        }
    }
    func repr(_ i: Interpreter) -> String {
        "{message : \((try? i.repr(message)) ?? "?"), category : '\(category.name)', filename : '\(filename)', lineno : \(lineno), line : None}"
    }
}
