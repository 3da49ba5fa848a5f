/// Tab completion of keyword arguments inside a call: `nn.Conv2d(1, 25, kern<TAB>` gives `kernel_size=`.
/// The parameter names come from the signature help shows (the help tables and the method tables), and a
/// user function's from its definition, so completion and help cannot disagree.
extension Interpreter {
    /// `name=` for each parameter of the call `line` ends inside that starts with `text` and is not given yet.
    func keywordArguments(completing text: String, line: String) -> [String] {
        guard text.isEmpty || Interpreter.isIdentifier(text), let (callee, arguments) = Interpreter.openCall(line),
              !line.trimmingSpaces.hasPrefix("def "), !line.trimmingSpaces.hasPrefix("class "),
              let value = lookupChain(callee) else { return [] }
        let given = Interpreter.givenKeywords(arguments)
        return parameterNames(of: value).filter { $0.hasPrefix(text) && !given.contains($0) }.map { $0 + "=" }
    }

    /// The parameter names of a callable, in order (without `self`).
    func parameterNames(of callee: Value, depth: Int = 0) -> [String] {
        guard depth < 4, case .object(let o) = callee else { return [] }
        func fromHelp(_ keys: [String]) -> [String] {
            keys.lazy.compactMap { Interpreter.helpEntry(key: $0) }.first.map { Interpreter.parameterNames(inSignature: $0.signature) } ?? []
        }
        switch o {
        case let f as BuiltinFunction: return fromHelp([f.helpKey, f.name])
        case let t as TypeObject: return fromHelp([t.helpKey, t.name])
        case let u as UserFunction:
            return u.parameters.filter { $0.kind == .positional || $0.kind == .keywordOnly }.map(\.name)
        case let b as BoundMethod: return Array(parameterNames(of: b.function, depth: depth + 1).dropFirst())
        case let c as PyClass:
            guard let (initializer, _) = c.lookup("__init__") else { return [] }
            return Array(parameterNames(of: initializer, depth: depth + 1).dropFirst())
        default: return []
        }
    }

    /// The callee (a name chain such as `nn.Conv2d`) and the argument text of the innermost call still open
    /// at the end of `line`; nil outside a call, or when the bracket is an index, a list or a tuple.
    static func openCall(_ line: String) -> (callee: String, arguments: String)? {
        var stack: [(Character, String.Index)] = [], quote: Character? = nil, escaped = false
        for i in line.indices {
            let ch = line[i]
            if let q = quote {
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == q { quote = nil }
                continue
            }
            switch ch {
            case "\"", "'": quote = ch
            case "(", "[", "{": stack.append((ch, i))
            case ")", "]", "}": if !stack.isEmpty { stack.removeLast() }
            case "#": return nil
            default: break
            }
        }
        guard let (bracket, open) = stack.last, bracket == "(" else { return nil }
        let before = line[..<open].reversed().drop { $0 == " " }
        let callee = String(before.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }.reversed())
        guard !callee.isEmpty, !callee.hasPrefix("."), !callee.hasSuffix("."), !Interpreter.keywords.contains(callee) else { return nil }
        return (callee, String(line[line.index(after: open)...]))
    }

    /// The keywords an argument text already gives (`a, stride=2, padding=(1, 1)` gives stride and padding).
    static func givenKeywords(_ arguments: String) -> Set<String> {
        var out = Set<String>(), depth = 0, word = "", previous: Character = " "
        var chars = Array(arguments)[...]
        while let ch = chars.popFirst() {
            switch ch {
            case "(", "[", "{": depth += 1; word = ""
            case ")", "]", "}": depth -= 1; word = ""
            case "=" where depth == 0 && chars.first != "=" && !"=!<>".contains(previous):
                if Interpreter.isIdentifier(word.trimmingSpaces) { out.insert(word.trimmingSpaces) }
                word = ""
            case ",": word = ""
            default: word.append(ch)
            }
            previous = ch
        }
        return out
    }
}
