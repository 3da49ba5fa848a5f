#if canImport(Glibc)
import Glibc
#endif
import DLXEngine

/// Tab completion: names, keywords, module members and the attributes of the value before the dot,
/// and dataset names after `load`. It looks values up but never calls anything.
extension Interpreter {
    static let datasetNames = ["mnist", "mnist.test", "fashion", "fashion.test", "idx(", "csv("]
    /// dlx's own names beside Python's built-ins (the library modules and short forms it defines).
    static let completionExtras = ["load", "torch", "nn", "F", "transforms", "torchvision", "DataLoader", "seq", "flatten",
                                   "linear", "relu", "sigmoid", "tanh", "softmax"]

    /// Candidates that extend `text`, the word being completed; `line` is everything before it.
    /// Only what can be typed: identifiers after a dot (a Sequential's children are `model[0]`), no `_private`
    /// names unless the word starts with `_`, and inside a call the keyword arguments of the callee (`kernel_size=`).
    public func completions(for text: String, line: String) -> [String] {
        if Interpreter.insideString(line) { return Interpreter.fileNames(completing: text) }
        if line.trimmingSpaces.hasSuffix("load") && line.hasSuffix(" ") || line.trimmingSpaces.hasPrefix("load ") && !line.contains("(") {
            return Interpreter.datasetNames.filter { $0.hasPrefix(text) }
        }
        func visible(_ name: String, _ prefix: String) -> Bool {
            name.hasPrefix(prefix) && Interpreter.isIdentifier(name) && (!name.hasPrefix("_") || prefix.hasPrefix("_"))
        }
        if let dot = text.lastIndex(of: ".") {
            let base = String(text[..<dot]), prefix = String(text[text.index(after: dot)...])
            guard let value = lookupChain(base) else { return [] }
            var names = attributeNames(of: value)
            if case .object(let ns as Namespace) = value { names = ns.members.keys.sorted() }
            return Set(names).filter { visible($0, prefix) }.sorted().map { base + "." + $0 }
        }
        var names = Set(session.globals.keys)
        names.formUnion(Interpreter.builtinNames)
        names.formUnion(Interpreter.keywords)
        names.formUnion(Interpreter.completionExtras)
        let bare = names.filter { visible($0, text) }.sorted()
        return keywordArguments(completing: text, line: line) + bare
    }

    /// Whether `line` ends inside a string literal (an odd number of unescaped quotes of one kind).
    static func insideString(_ line: String) -> Bool {
        var quote: Character? = nil, escaped = false
        for ch in line {
            if escaped { escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if let q = quote { if ch == q { quote = nil } } else if ch == "\"" || ch == "'" { quote = ch } else if ch == "#" { return false }
        }
        return quote != nil
    }

    /// Files and folders (with a trailing /) whose path starts with `text`, relative to the working directory.
    static func fileNames(completing text: String) -> [String] {
        let slash = text.lastIndex(of: "/")
        let folder = slash.map { String(text[...$0]) } ?? ""
        let prefix = slash.map { String(text[text.index(after: $0)...]) } ?? text
        let names = TextFiles.entries(of: folder.isEmpty ? "." : folder) ?? []
        return names.filter { $0.hasPrefix(prefix) && (!$0.hasPrefix(".") || prefix.hasPrefix(".")) }
            .map { folder + $0 + (TextFiles.isDirectory(folder + $0) ? "/" : "") }
    }

    /// The value of `a.b.c` when it is only names and attributes (no calls, no indexing).
    func lookupChain(_ path: String) -> Value? {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, parts.allSatisfy({ p in !p.isEmpty && p.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else {
            return nil
        }
        guard var value = session.globals[parts[0]] ?? builtin(parts[0]) else { return nil }
        for p in parts.dropFirst() {
            guard let next = try? getAttribute(value, p) else { return nil }
            value = next
        }
        return value
    }
}
