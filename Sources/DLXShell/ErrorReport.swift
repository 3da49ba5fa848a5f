import DLXInterpreter
import DLXFrontEnd

/// How errors are shown: one line a tool can parse in scripts, the line and a caret at the prompt.
enum ErrorReport {
    /// `FILE:LINE:COL: error: TypeError: message`.
    static func compact(_ e: DLXError, file: String) -> String {
        if let s = e.span, s.start.line > 0 {
            return "\(file):\(s.start.line):\(s.start.column): error: \(e.description)\n"
        }
        return "\(file): error: \(e.description)\n"
    }

    /// The message, then the offending source line with carets under the span.
    static func annotated(_ e: DLXError, source: String, firstLine: Int, color: Bool) -> String {
        let red = color ? "\u{1B}[31m" : "", bold = color ? "\u{1B}[1m" : "", reset = color ? "\u{1B}[0m" : ""
        var out = red + bold + e.type + reset + (e.message.isEmpty ? "" : ": " + e.message) + "\n"
        guard let span = e.span, span.start.line >= firstLine else { return out }
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let index = span.start.line - firstLine
        guard index < lines.count else { return out }
        let text = String(lines[index])
        let start = max(span.start.column - 1, 0)
        let end = span.end.line == span.start.line ? max(span.end.column - 1, start + 1) : max(text.count, start + 1)
        out += "    " + text + "\n"
        out += "    " + String(repeating: " ", count: start) + red + String(repeating: "^", count: max(1, min(end, text.count + 1) - start)) + reset + "\n"
        return out
    }
}
