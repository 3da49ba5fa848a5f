#if canImport(Glibc)
import Glibc
#endif
import DLXShell
import DLXInterpreter
import DLXFrontEnd

/// The shell requests other than execution: completion, inspection, is_complete and history.
extension Kernel {
    /// Characters that end the word being completed, as at dlx's prompt (readline's word breaks).
    static let wordBreaks: Set<Unicode.Scalar> = Set(" \t\n\"\\'`@$><=;|&{([,+-*/%".unicodeScalars)

    /// The code before `cursor_pos` (counted in Unicode code points, as protocol 5.2 on counts), and the code.
    private func split(_ content: JSON) -> (scalars: [Unicode.Scalar], cursor: Int) {
        let scalars = Array((content["code"]?.stringValue ?? "").unicodeScalars)
        let asked = content["cursor_pos"]?.numberValue ?? Double(scalars.count)
        let cursor = asked.isFinite ? Swift.max(0, Swift.min(scalars.count, Int(asked))) : scalars.count
        return (scalars, cursor)
    }

    private static func text(_ s: ArraySlice<Unicode.Scalar>) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: s)
        return String(v)
    }

    func complete(_ content: JSON) -> JSON {
        let (scalars, cursor) = split(content)
        var lineStart = cursor
        while lineStart > 0 && scalars[lineStart - 1] != "\n" { lineStart -= 1 }
        var start = cursor
        while start > lineStart && !Kernel.wordBreaks.contains(scalars[start - 1]) { start -= 1 }
        let word = Kernel.text(scalars[start..<cursor]), before = Kernel.text(scalars[lineStart..<start])
        let matches = interpreter.completions(for: word, line: before)
        return .object([("status", .string("ok")), ("matches", .array(matches.map { .string($0) })),
                        ("cursor_start", .number(Double(start))), ("cursor_end", .number(Double(cursor))),
                        ("metadata", .object([]))])
    }

    /// inspect_request: dlx's help on the name (or attribute chain) at the cursor, or on the function
    /// whose call the cursor is in.
    func inspect(_ content: JSON) -> JSON {
        let (scalars, cursor) = split(content)
        func isNamePart(_ c: Unicode.Scalar) -> Bool { c == "_" || c == "." || c.properties.isAlphabetic || c.properties.numericType != nil }
        var end = cursor
        // `print(|`: the function being called.
        if end > 0 && (end == scalars.count || !isNamePart(scalars[end])) && scalars[end - 1] == "(" { end -= 1 }
        while end < scalars.count && isNamePart(scalars[end]) && scalars[end] != "." { end += 1 }
        var start = end
        while start > 0 && isNamePart(scalars[start - 1]) { start -= 1 }
        let name = Kernel.text(scalars[start..<end])
        let text = name.isEmpty ? nil : interpreter.help(onName: name)
        return .object([("status", .string("ok")), ("found", .bool(text != nil)),
                        ("data", text.map { .object([("text/plain", .string($0))]) } ?? .object([])), ("metadata", .object([]))])
    }

    /// is_complete_request through dlx's cell splitter: a block needs its blank line, as in IPython.
    func isComplete(_ code: String) -> JSON {
        func answer(_ status: String, indent: String? = nil) -> JSON {
            .object([("status", .string(status))] + (indent.map { [("indent", .string($0))] } ?? []))
        }
        let trimmed = code.trimmingSpaces
        if trimmed.isEmpty { return answer("complete") }
        // Magics, help and shell lines are IPython's, not Python's syntax.
        if !trimmed.contains("\n") && (trimmed.hasPrefix("%") || trimmed.hasPrefix("!") || trimmed.hasPrefix("?") || trimmed.hasSuffix("?")) {
            return answer("complete")
        }
        if CellSplitter.needsContinuation(code + "\n") {
            let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
            let last = lines.last { !$0.allSatisfy { $0 == " " || $0 == "\t" } } ?? ""
            var indent = String(last.prefix { $0 == " " || $0 == "\t" })
            var bare = String(last)
            if let hash = bare.firstIndex(of: "#") { bare = String(bare[..<hash]) }
            if bare.trimmingSpaces.hasSuffix(":") { indent += "    " }
            return answer("incomplete", indent: indent)
        }
        do {
            _ = try Parser.parse(code)
            return answer("complete")
        } catch {
            return answer("invalid")
        }
    }

    /// history_request over this session's cells (session number 1): tail, range and search (a glob).
    func historyReply(_ content: JSON) -> JSON {
        let output = content["output"]?.boolValue ?? false
        func count(_ key: String) -> Int? {
            guard let n = content[key]?.numberValue, n.isFinite, Swift.abs(n) < 1e15 else { return nil }
            return Int(n)
        }
        var entries = history
        switch content["hist_access_type"]?.stringValue ?? "tail" {
        case "range":
            let session = count("session") ?? 0
            guard session == 0 || session == 1 else { entries = []; break }
            let start = count("start") ?? 0, stop = count("stop")
            entries = entries.filter { e in e.number >= start && (stop.map { e.number < $0 } ?? true) }
        case "search":
            let pattern = content["pattern"]?.stringValue ?? "*"
            entries = entries.filter { fnmatch(pattern, $0.input, 0) == 0 }
            if content["unique"]?.boolValue ?? false {
                var seen = Set<String>()
                entries = entries.reversed().filter { seen.insert($0.input).inserted }.reversed()
            }
            if let n = count("n"), n >= 0 { entries = Array(entries.suffix(n)) }
        default:
            entries = Array(entries.suffix(Swift.max(0, count("n") ?? 10)))
        }
        let items: [JSON] = entries.map { e in
            let input: JSON = output ? .array([.string(e.input), e.output.map { .string($0) } ?? .null]) : .string(e.input)
            return .array([.number(1), .number(Double(e.number)), input])
        }
        return .object([("status", .string("ok")), ("history", .array(items))])
    }
}
