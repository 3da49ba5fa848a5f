import DLXEngine

/// Python's `argparse`, as training scripts use it: `ArgumentParser(description=...)`, `add_argument` for
/// options and positionals (type, default, help, action store_true/store_false/store_const/append/count,
/// choices, required, nargs, dest, metavar), `parse_args()` over `sys.argv[1:]` (or a given list) into a
/// `Namespace`, `-h`/`--help` (argparse's layout), and argparse's errors: usage and
/// `prog: error: message` on standard error, exit status 2.
extension Interpreter {
    func argparseMembers() -> [String: Value] {
        [
            "ArgumentParser": .object(TypeObject("ArgumentParser", qualified: "argparse.ArgumentParser") { a, i throws(DLXError) in
                let prog = try a.get(0, "prog").flatMap { v throws(DLXError) -> String? in v.isNone ? nil : try i.toStringValue(v, "prog") }
                let usage = try a.get(1, "usage").flatMap { v throws(DLXError) -> String? in v.isNone ? nil : try i.toStringValue(v, "usage") }
                let description = try a.get(2, "description").flatMap { v throws(DLXError) -> String? in v.isNone ? nil : try i.toStringValue(v, "description") }
                let epilog = try a.get(3, "epilog").flatMap { v throws(DLXError) -> String? in v.isNone ? nil : try i.toStringValue(v, "epilog") }
                for k in ["parents", "formatter_class", "prefix_chars", "fromfile_prefix_chars", "argument_default",
                          "conflict_handler", "add_help", "allow_abbrev", "exit_on_error"] { _ = try a.get(nil, k) }
                let script = i.session.argv.first ?? ""
                let name = prog ?? String(script.split(separator: "/").last ?? "")
                return .object(ArgumentParser(prog: name.isEmpty ? "dlx" : name, usage: usage, description: description, epilog: epilog))
            }),
            "Namespace": .object(TypeObject("Namespace", qualified: "argparse.Namespace") { a, _ throws(DLXError) in
                let n = ArgumentNamespace()
                for (k, v) in a.keywords { n.values[k] = v }
                a = Arguments()
                return .object(n)
            }),
        ]
    }
}

/// One `add_argument`.
struct ArgumentSpec {
    var flags: [String]
    var dest: String
    var action = "store"
    var nargs: Value = .none
    var const: Value = .none
    var defaultValue: Value = .none
    var type: Value? = nil
    var choices: [Value]? = nil
    var required = false
    var help: String? = nil
    var metavar: String? = nil
    var positional: Bool { flags.isEmpty }

    var takesValue: Bool { ["store", "append"].contains(action) }

    /// `--epochs EPOCHS`, `-h, --help`, `data`.
    func invocation() -> String {
        if positional { return valuePlaceholder() }
        let shown = takesValue ? " " + valuePlaceholder() : ""
        return flags.map { $0 + shown }.joined(separator: ", ")
    }

    func valuePlaceholder() -> String {
        let choiceList = choices.map { "{" + $0.map(ArgumentSpec.plain).joined(separator: ",") + "}" }
        let m = metavar ?? choiceList ?? (positional ? dest : dest.uppercased())
        switch nargs {
        case .string("?"): return "[\(m)]"
        case .string("*"): return "[\(m) ...]"
        case .string("+"): return "\(m) [\(m) ...]"
        case .int(let n): return Array(repeating: m, count: n).joined(separator: " ")
        default: return m
        }
    }

    /// The usage line's part: `[--epochs EPOCHS]`, `data`.
    func usagePart() -> String {
        if positional { return valuePlaceholder() }
        let text = flags[0] + (takesValue ? " " + valuePlaceholder() : "")
        return required ? text : "[\(text)]"
    }
}

final class ArgumentParser: PyObject {
    let prog: String
    let usage: String?
    let description: String?
    let epilog: String?
    var specs: [ArgumentSpec] = []

    init(prog: String, usage: String?, description: String?, epilog: String?) {
        self.prog = prog; self.usage = usage; self.description = description; self.epilog = epilog
        specs.append(ArgumentSpec(flags: ["-h", "--help"], dest: "help", action: "help", help: "show this help message and exit"))
    }

    var typeName: String { "ArgumentParser" }
    var qualifiedName: String { "argparse.ArgumentParser" }
    func repr(_ i: Interpreter) -> String {
        "ArgumentParser(prog='\(prog)', usage=None, description=\(description.map { Interpreter.quote($0) } ?? "None"), formatter_class=<class 'argparse.HelpFormatter'>, conflict_handler='error', add_help=True)"
    }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "add_argument":
            return i.method(name) { [self] a, i throws(DLXError) in
                try addArgument(&a, i)
                return Value.none
            }
        case "parse_args", "parse_known_args":
            return i.method(name) { [self] a, i throws(DLXError) in
                let given = try a.get(0, "args")
                _ = try a.get(1, "namespace")
                let words = try given.flatMap { v throws(DLXError) -> [String]? in
                    v.isNone ? nil : try i.iterateAll(v).map { x throws(DLXError) in try i.toStringValue(x, "args") }
                } ?? Array(i.session.argv.dropFirst())
                let (namespace, rest) = try parse(words, i, known: name == "parse_known_args")
                if name == "parse_args" { return .object(namespace) }
                return .tuple([.object(namespace), .list(ListBox(rest.map { .string($0) }))])
            }
        case "print_help", "format_help":
            return i.method(name) { [self] _, i throws(DLXError) in
                if name == "format_help" { return .string(helpText()) }
                i.session.write(helpText())
                return Value.none
            }
        case "print_usage", "format_usage":
            return i.method(name) { [self] _, i throws(DLXError) in
                if name == "format_usage" { return .string(usageText() + "\n") }
                i.session.write(usageText() + "\n")
                return Value.none
            }
        case "error":
            return i.method(name) { [self] a, i throws(DLXError) in
                throw fail(try i.toStringValue(try a.required(0, "message"), "message"), i)
            }
        case "set_defaults":
            return i.method(name) { [self] a, _ throws(DLXError) in
                for (k, v) in a.keywords {
                    if let s = specs.firstIndex(where: { $0.dest == k }) { specs[s].defaultValue = v }
                    else { specs.append(ArgumentSpec(flags: [], dest: k, action: "default", defaultValue: v)) }
                }
                a = Arguments()
                return Value.none
            }
        case "prog": return .string(prog)
        case "description": return description.map { .string($0) } ?? Value.none
        default: return nil
        }
    }

    private func addArgument(_ a: inout Arguments, _ i: Interpreter) throws(DLXError) {
        let names = try a.rest(from: 0).map { v throws(DLXError) in try i.toStringValue(v, "name") }
        guard let first = names.first else { throw .type("add_argument() missing required argument: 'name'") }
        let optional = first.hasPrefix("-")
        var spec: ArgumentSpec
        if optional {
            let long = names.first { $0.hasPrefix("--") } ?? first
            spec = ArgumentSpec(flags: names, dest: String(long.drop { $0 == "-" }).replacingAll("-", with: "_"))
        } else {
            guard names.count == 1 else { throw .value("invalid option string '\(names[1])': must start with a character '-'") }
            spec = ArgumentSpec(flags: [], dest: first)
            spec.required = true
        }
        func string(_ key: String) throws(DLXError) -> String? {
            try a.get(nil, key).flatMap { v throws(DLXError) -> String? in v.isNone ? nil : try i.toStringValue(v, key) }
        }
        if let d = try string("dest") { spec.dest = d }
        if let act = try string("action") { spec.action = act }
        switch spec.action {
        case "store_true": spec.defaultValue = .bool(false); spec.const = .bool(true)
        case "store_false": spec.defaultValue = .bool(true); spec.const = .bool(false)
        case "store", "store_const", "append", "count", "append_const", "help", "version": break
        default: throw .value("unknown action '\(spec.action)'")
        }
        if let v = try a.get(nil, "nargs") { spec.nargs = v; if case .string("?") = v, !optional { spec.required = false }
            if case .string("*") = v, !optional { spec.required = false } }
        if let v = try a.get(nil, "const") { spec.const = v }
        if let v = try a.get(nil, "default") { spec.defaultValue = v; if !optional, case .string("?") = spec.nargs {} }
        if let v = try a.get(nil, "type"), !v.isNone { spec.type = v }
        if let v = try a.get(nil, "choices"), !v.isNone { spec.choices = try i.iterateAll(v) }
        if let v = try a.get(nil, "required") { spec.required = try i.truthy(v) }
        spec.help = try string("help")
        spec.metavar = try string("metavar")
        _ = try a.get(nil, "version")
        specs.append(spec)
    }

    func usageText() -> String {
        if let usage { return "usage: " + usage.replacingAll("%(prog)s", with: prog) }
        let optionals = specs.filter { !$0.positional && $0.action != "default" }.map { $0.usagePart() }
        let positionals = specs.filter { $0.positional && $0.action != "default" }.map { $0.usagePart() }
        let prefix = "usage: ", width = ArgumentParser.textWidth
        let oneLine = ([prog] + optionals + positionals).joined(separator: " ")
        guard prefix.count + oneLine.count > width else { return prefix + oneLine }
        // argparse's wrapping: optionals after the program's name, positionals on lines of their own, both
        // indented under the first part.
        func lines(_ parts: [String], _ indent: String, prefixed: Bool) -> [String] {
            var out: [String] = [], line: [String] = []
            var length = (prefixed ? prefix.count : indent.count) - 1
            for part in parts {
                if length + 1 + part.count > width && !line.isEmpty {
                    out.append(indent + line.joined(separator: " "))
                    line = []
                    length = indent.count - 1
                }
                line.append(part)
                length += part.count + 1
            }
            if !line.isEmpty { out.append(indent + line.joined(separator: " ")) }
            if prefixed, !out.isEmpty { out[0] = String(out[0].dropFirst(indent.count)) }
            return out
        }
        let indent = String(repeating: " ", count: prefix.count + prog.count + 1)
        var all: [String]
        if !optionals.isEmpty {
            all = lines([prog] + optionals, indent, prefixed: true) + lines(positionals, indent, prefixed: false)
        } else {
            all = lines([prog] + positionals, indent, prefixed: true)
        }
        return prefix + all.joined(separator: "\n")
    }

    /// argparse's width: the terminal's 80 columns less 2.
    static let textWidth = 78

    /// Words of `text` in lines of at most `width` characters (textwrap's greedy filling).
    static func wrap(_ text: String, _ width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }) {
            if !line.isEmpty && line.count + 1 + word.count > width { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// argparse's help: usage, description, the two groups with help at column min(longest + 4, 24).
    func helpText() -> String {
        var out = usageText() + "\n"
        if let description { out += "\n" + ArgumentParser.wrap(description, ArgumentParser.textWidth).joined(separator: "\n") + "\n" }
        let shown = specs.filter { $0.action != "default" }
        let longest = shown.map { $0.invocation().count + 2 }.max() ?? 0
        let column = min(longest + 2, 24)
        func section(_ title: String, _ items: [ArgumentSpec]) -> String {
            guard !items.isEmpty else { return "" }
            var s = "\n" + title + ":\n"
            for spec in items {
                let inv = "  " + spec.invocation()
                guard let help = spec.help else { s += inv + "\n"; continue }
                let text = help.replacingAll("%(default)s", with: spec.defaultText)
                    .replacingAll("%(prog)s", with: prog)
                let pad = String(repeating: " ", count: column)
                let wrapped = ArgumentParser.wrap(text, max(11, ArgumentParser.textWidth - column)).joined(separator: "\n" + pad)
                if inv.count + 2 <= column { s += inv + String(repeating: " ", count: column - inv.count) + wrapped + "\n" }
                else { s += inv + "\n" + pad + wrapped + "\n" }
            }
            return s
        }
        out += section("positional arguments", shown.filter { $0.positional })
        out += section("options", shown.filter { !$0.positional })
        if let epilog { out += "\n" + epilog + "\n" }
        return out
    }

    /// Prints the usage and `prog: error: message` to standard error and ends the run with status 2.
    func fail(_ message: String, _ i: Interpreter) -> DLXError {
        var e = DLXError("SystemExit", "2")
        e.catchable = true
        e.args = [.int(2)]
        i.session.writeError(usageText() + "\n" + "\(prog): error: \(message)\n")
        return e
    }

    private func convert(_ text: String, _ spec: ArgumentSpec, _ i: Interpreter) throws(DLXError) -> Value {
        var value: Value = .string(text)
        if let type = spec.type {
            var a = Arguments([.string(text)])
            do {
                value = try i.call(type, &a)
            } catch {
                let name: String
                if case .object(let t as TypeObject) = type { name = t.name } else if let f = type.userFunction { name = f.name } else { name = "type" }
                throw fail("argument \(spec.flags.isEmpty ? spec.dest : spec.flags.joined(separator: "/")): invalid \(name) value: \(Interpreter.quote(text))", i)
            }
        }
        if let choices = spec.choices, !(try choices.pyAny { c throws(DLXError) in try i.equal(c, value) }) {
            let listed = (try choices.map { c throws(DLXError) in try i.repr(c) }).joined(separator: ", ")
            throw fail("argument \(spec.flags.isEmpty ? spec.dest : spec.flags.joined(separator: "/")): invalid choice: \(try i.repr(value)) (choose from \(listed))", i)
        }
        return value
    }

    private func count(_ spec: ArgumentSpec) -> (Int, Int) {
        switch spec.nargs {
        case .string("?"): return (0, 1)
        case .string("*"): return (0, Int.max)
        case .string("+"): return (1, Int.max)
        case .int(let n): return (n, n)
        default: return spec.takesValue ? (1, 1) : (0, 0)
        }
    }

    func parse(_ given: [String], _ i: Interpreter, known: Bool) throws(DLXError) -> (ArgumentNamespace, [String]) {
        var words = given
        let ns = ArgumentNamespace()
        for spec in specs where spec.action != "help" {
            if case .string(let s) = spec.defaultValue, let _ = spec.type, !spec.positional {
                ns.values[spec.dest] = try convert(s, spec, i)
            } else {
                ns.values[spec.dest] = spec.action == "count" && spec.defaultValue.isNone ? Value.none : spec.defaultValue
            }
        }
        var positionals: [String] = [], rest: [String] = []
        var seen = Set<String>()
        var k = 0
        while k < words.count {
            var word = words[k]
            k += 1
            if word == "--" { positionals += words[k...]; break }
            guard word.hasPrefix("-"), word.count > 1, Double(word) == nil else { positionals.append(word); continue }
            var inline: String? = nil
            if word.hasPrefix("--"), let eq = word.firstIndex(of: "=") {
                inline = String(word[word.index(after: eq)...])
                word = String(word[..<eq])
            } else if !word.hasPrefix("--"), word.count > 2, !specs.contains(where: { $0.flags.contains(word) }),
                      let short = specs.first(where: { $0.flags.contains(String(word.prefix(2))) }) {
                // `-vv` is -v twice; `-n3` is -n 3.
                let tail = String(word.dropFirst(2))
                word = String(word.prefix(2))
                if short.takesValue { inline = tail } else { words.insert("-" + tail, at: k) }
            }
            let matches = specs.filter { s in s.flags.contains(word) }
            let candidates = matches.isEmpty && word.hasPrefix("--") ? specs.filter { s in s.flags.contains { $0.hasPrefix(word) && $0.hasPrefix("--") } } : matches
            guard candidates.count == 1, let spec = candidates.first else {
                if candidates.count > 1 {
                    throw fail("ambiguous option: \(word) could match \(candidates.flatMap { $0.flags.filter { $0.hasPrefix(word) } }.joined(separator: ", "))", i)
                }
                rest.append(words[k - 1])
                continue
            }
            seen.insert(spec.dest)
            let name = spec.flags.joined(separator: "/")
            switch spec.action {
            case "help":
                i.session.write(helpText())
                var e = DLXError("SystemExit", "0")
                e.args = [.int(0)]
                throw e
            case "store_true", "store_false", "store_const": ns.values[spec.dest] = spec.const
            case "count":
                let n = (try? i.toInt(ns.values[spec.dest] ?? .int(0), "count")) ?? 0
                ns.values[spec.dest] = .int(n + 1)
            default:
                let (lo, hi) = count(spec)
                var values: [String] = inline.map { [$0] } ?? []
                while values.count < hi, k < words.count, !(words[k].hasPrefix("-") && words[k].count > 1 && Double(words[k]) == nil) {
                    values.append(words[k]); k += 1
                }
                guard values.count >= lo else {
                    throw fail("argument \(name): expected \(lo == 1 && hi == 1 ? "one argument" : "at least one argument")", i)
                }
                var converted: [Value] = []
                for v in values { converted.append(try convert(v, spec, i)) }
                let value: Value
                if case .none = spec.nargs { value = converted.first ?? .none }
                else if case .string("?") = spec.nargs { value = converted.first ?? spec.const }
                else { value = .list(ListBox(converted)) }
                if spec.action == "append" {
                    if case .list(let l)? = ns.values[spec.dest] { l.items.append(value) } else { ns.values[spec.dest] = .list(ListBox([value])) }
                } else {
                    ns.values[spec.dest] = value
                }
            }
        }
        // Positionals take the words in order.
        var p = 0
        for spec in specs where spec.positional && spec.action != "default" {
            let (lo, hi) = count(spec)
            let take = min(hi, max(lo, positionals.count - p))
            guard p + lo <= positionals.count else {
                let missing = specs.filter { $0.positional && $0.required && $0.action != "default" }.dropFirst(specs.filter { $0.positional }.firstIndex { $0.dest == spec.dest } ?? 0)
                throw fail("the following arguments are required: \(missing.map { $0.metavar ?? $0.dest }.joined(separator: ", "))", i)
            }
            var converted: [Value] = []
            for w in positionals[p..<min(positionals.count, p + take)] { converted.append(try convert(w, spec, i)) }
            p += converted.count
            if case .none = spec.nargs { ns.values[spec.dest] = converted.first ?? spec.defaultValue }
            else if case .string("?") = spec.nargs { ns.values[spec.dest] = converted.first ?? spec.defaultValue }
            else { ns.values[spec.dest] = .list(ListBox(converted)) }
        }
        if p < positionals.count { rest += positionals[p...] }
        let missing = specs.filter { !$0.positional && $0.required && !seen.contains($0.dest) }
        if !missing.isEmpty {
            throw fail("the following arguments are required: \(missing.map { $0.flags.joined(separator: "/") }.joined(separator: ", "))", i)
        }
        if !rest.isEmpty && !known { throw fail("unrecognized arguments: \(rest.joined(separator: " "))", i) }
        return (ns, rest)
    }
}

extension ArgumentSpec {
    /// A choice as argparse shows it (its str).
    static func plain(_ v: Value) -> String {
        switch v {
        case .string(let s): return s
        case .int(let n): return String(n)
        case .float(let f): return NumberFormat.pythonRepr(f)
        case .bool(let b): return b ? "True" : "False"
        case .none: return "None"
        default: return "?"
        }
    }

    var defaultText: String {
        switch defaultValue {
        case .none: return "None"
        case .string(let s): return s
        case .bool(let b): return b ? "True" : "False"
        case .int(let n): return String(n)
        case .float(let f): return NumberFormat.pythonRepr(f)
        default: return "…"
        }
    }
}

/// What `parse_args` returns: attributes by destination, in the order the arguments were added.
final class ArgumentNamespace: PyObject, ObjectProtocols {
    var table = AttributeTable()
    /// Attributes in the order they were set, as Namespace's __dict__ keeps them.
    var values: AttributeTable {
        get { table }
        set { table = newValue }
    }
    var typeName: String { "Namespace" }
    var qualifiedName: String { "argparse.Namespace" }
    func repr(_ i: Interpreter) -> String { (try? checkedRepr(i)) ?? "Namespace(...)" }
    func checkedRepr(_ i: Interpreter) throws(DLXError) -> String? {
        let parts = try table.pairs.map { k, v throws(DLXError) in k + "=" + (try i.repr(v)) }
        return "Namespace(" + parts.joined(separator: ", ") + ")"
    }
    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        if name == "__dict__" {
            let d = DictBox()
            for (k, v) in table.pairs { try d.set(.string(k), v) }
            return .dict(d)
        }
        return values[name]
    }
    func setAttribute(_ name: String, _ value: Value, _ i: Interpreter) throws(DLXError) -> Bool { values[name] = value; return true }
    func contains(_ item: Value, _ i: Interpreter) throws(DLXError) -> Bool? {
        guard case .string(let s) = item else { return false }
        return values[s] != nil
    }
    var attributeNames: [String] { table.names }
}
