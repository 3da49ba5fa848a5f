/// `collections.namedtuple`: a class (a TypeObject with `_fields`, `_field_defaults`, `_make`) whose instances
/// are tuples with named fields; they compare, combine and unpack as tuples.
extension Interpreter {
    func namedTupleClass(_ a: inout Arguments) throws(DLXError) -> Value {
        let typeName = try toStringValue(try a.required(0, "typename"), "typename")
        let spec = try a.required(1, "field_names")
        let rename = try flag(&a, nil, "rename", false)
        let defaults = try a.get(nil, "defaults").flatMap { v throws(DLXError) -> [Value]? in v.isNone ? nil : try iterateAll(v) } ?? []
        _ = try a.get(nil, "module")
        var fields: [String]
        if case .string(let s) = spec {
            fields = s.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" || $0 == "\t" }).map(String.init)
        } else {
            fields = try iterateAll(spec).map { v throws(DLXError) in try str(v) }
        }
        var seen = Set<String>()
        for (k, f) in fields.enumerated() where rename {
            if !Interpreter.isIdentifier(f) || Interpreter.keywords.contains(f) || f.hasPrefix("_") || seen.contains(f) { fields[k] = "_\(k)" }
            seen.insert(f)
        }
        seen = []
        for name in [typeName] + fields {
            guard Interpreter.isIdentifier(name) else { throw .value("Type names and field names must be valid identifiers: \(Interpreter.quote(name))") }
            guard !Interpreter.keywords.contains(name) else { throw .value("Type names and field names cannot be a keyword: \(Interpreter.quote(name))") }
        }
        for f in fields {
            guard !f.hasPrefix("_") || rename else { throw .value("Field names cannot start with an underscore: \(Interpreter.quote(f))") }
            guard seen.insert(f).inserted else { throw .value("Encountered duplicate field name: \(Interpreter.quote(f))") }
        }
        guard defaults.count <= fields.count else { throw .type("Got more default values than field names") }
        let shape = NamedTupleShape(name: typeName, fields: fields, defaults: defaults)
        let type = TypeObject(typeName, qualified: "__main__." + typeName) { a, i throws(DLXError) in
            let v = try shape.make(a, i)
            a = Arguments()
            return v
        }
        let defaultsDict = DictBox()
        for (f, v) in zip(fields.suffix(defaults.count), defaults) { try defaultsDict.set(.string(f), v) }
        type.members = ["_fields": .tuple(fields.map { .string($0) }), "_field_defaults": .dict(defaultsDict),
                        "_make": function("_make") { a, i throws(DLXError) in
                            let items = try i.iterateAll(try a.required(0, "iterable"))
                            guard items.count == fields.count else { throw .type("Expected \(fields.count) arguments, got \(items.count)") }
                            return .object(NamedTupleValue(shape, items))
                        }]
        return .object(type)
    }

    static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
        "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
        "return", "try", "while", "with", "yield"]

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || first.properties.isXIDStart else { return false }
        return s.unicodeScalars.dropFirst().allSatisfy { $0 == "_" || $0.properties.isXIDContinue }
    }
}

/// A named tuple class's name, fields and defaults (for the last fields).
struct NamedTupleShape {
    let name: String
    let fields: [String]
    let defaults: [Value]

    /// `Point(1, y=2)`, with `Point.__new__()`'s errors.
    func make(_ a: Arguments, _ i: Interpreter) throws(DLXError) -> Value {
        let function = "\(name).__new__()"
        guard a.positional.count <= fields.count else {
            throw .type("\(function) takes \(fields.count + 1) positional arguments but \(a.positional.count + 1) were given")
        }
        var values: [Value?] = a.positional + Array(repeating: nil, count: fields.count - a.positional.count)
        for (k, v) in a.keywords {
            guard let at = fields.firstIndex(of: k) else { throw .type("\(function) got an unexpected keyword argument '\(k)'") }
            guard values[at] == nil else { throw .type("\(function) got multiple values for argument '\(k)'") }
            values[at] = v
        }
        let firstDefault = fields.count - defaults.count
        for k in firstDefault..<fields.count where values[k] == nil { values[k] = defaults[k - firstDefault] }
        let missing = fields.indices.filter { values[$0] == nil }.map { "'\(fields[$0])'" }
        if !missing.isEmpty {
            let list = missing.count == 1 ? missing[0] : missing.count == 2 ? missing.joined(separator: " and ")
                : missing.dropLast().joined(separator: ", ") + ", and " + missing.last!
            throw .type("\(function) missing \(missing.count) required positional argument\(missing.count == 1 ? "" : "s"): \(list)")
        }
        return .object(NamedTupleValue(self, values.map { $0 ?? Value.none }))
    }
}

final class NamedTupleValue: PyObject {
    let shape: NamedTupleShape
    let values: [Value]

    init(_ shape: NamedTupleShape, _ values: [Value]) { self.shape = shape; self.values = values }

    var typeName: String { shape.name }
    /// `__main__.Point`; a name with a dot is already qualified (`sys.version_info`).
    var qualifiedName: String { shape.name.contains(".") ? shape.name : "__main__." + shape.name }
    var attributeNames: [String] { shape.fields + ["count", "index"] }

    func repr(_ interpreter: Interpreter) -> String {
        let parts = zip(shape.fields, values).map { f, v in f + "=" + ((try? interpreter.repr(v)) ?? "?") }
        return shape.name + "(" + parts.joined(separator: ", ") + ")"
    }

    func attribute(_ name: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        if let k = shape.fields.firstIndex(of: name) { return values[k] }
        switch name {
        case "_fields": return .tuple(shape.fields.map { .string($0) })
        case "_asdict":
            return interpreter.method(name) { [self] _, _ throws(DLXError) in
                let d = DictBox()
                for (f, v) in zip(shape.fields, values) { try d.set(.string(f), v) }
                return .dict(d)
            }
        case "_replace":
            return interpreter.method(name) { [self] a, i throws(DLXError) in
                var new = values
                let unknown = a.keywords.map { $0.0 }.filter { !shape.fields.contains($0) }
                guard unknown.isEmpty else { throw .value("Got unexpected field names: \(try i.repr(.list(ListBox(unknown.map { .string($0) }))))") }
                for (k, v) in a.keywords { new[shape.fields.firstIndex(of: k)!] = v }
                a = Arguments()
                return .object(NamedTupleValue(shape, new))
            }
        case "count", "index":
            return interpreter.method(name) { [self] a, i throws(DLXError) in
                let x = try a.required(0, "value")
                var n = 0
                for (k, v) in values.enumerated() where try i.equal(v, x) {
                    if name == "index" { return .int(k) }
                    n += 1
                }
                if name == "index" { throw .value("tuple.index(x): x not in tuple") }
                return .int(n)
            }
        default: return nil
        }
    }

    func setAttribute(_ name: String, _ value: Value, _ interpreter: Interpreter) throws(DLXError) -> Bool {
        throw DLXError("AttributeError", shape.fields.contains(name) ? "can't set attribute" : "'\(shape.name)' object has no attribute '\(name)'")
    }

    func makeIterator(_ interpreter: Interpreter) throws(DLXError) -> ValueIterator? { try interpreter.iterator(.tuple(values)) }
    func length(_ interpreter: Interpreter) throws(DLXError) -> Int? { values.count }
    func item(_ key: Value, _ interpreter: Interpreter) throws(DLXError) -> Value? { try interpreter.getItem(.tuple(values), [key]) }
}

extension Value {
    /// A named tuple's items; nil for other values.
    var namedTupleItems: [Value]? {
        if case .object(let t as NamedTupleValue) = self { return t.values }
        return nil
    }

    /// Both operands with named tuples as plain tuples, when either is one (they compare and combine as tuples).
    static func asTuples(_ a: Value, _ b: Value) -> (Value, Value)? {
        guard a.namedTupleItems != nil || b.namedTupleItems != nil else { return nil }
        return (a.namedTupleItems.map { .tuple($0) } ?? a, b.namedTupleItems.map { .tuple($0) } ?? b)
    }
}
