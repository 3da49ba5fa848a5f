import DLXInterpreter
import DLXFrontEnd

/// How errors are shown: one line a tool can parse in scripts, the line and a caret at the prompt.
enum ErrorReport {
    /// `FILE:LINE:COL: error: TypeError: message`, at the deepest frame's place for an error raised in a function.
    static func compact(_ e: DLXError, file: String) -> String {
        if let deepest = e.traceback.first, let s = deepest.span, s.start.line > 0 {
            return "\(deepest.source):\(s.start.line):\(s.start.column): error: \(e.description)\n"
        }
        if let s = e.span, s.start.line > 0 {
            return "\(file):\(s.start.line):\(s.start.column): error: \(e.description)\n"
        }
        return "\(file): error: \(e.description)\n"
    }

    /// Python's traceback of an error that passed through functions (nothing for one raised at the top
    /// level, where the compact line says it all): each frame's file, line, function and code line.
    static func traceback(_ e: DLXError, source: String, file: String) -> String {
        guard !e.traceback.isEmpty else { return "" }
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        func code(_ name: String, _ span: SourceSpan?) -> String {
            guard name == file, let line = span?.start.line, line >= 1, line <= lines.count else { return "" }
            let text = lines[line - 1].drop { $0 == " " || $0 == "\t" }
            return text.isEmpty ? "" : "    \(text)\n"
        }
        var out = "Traceback (most recent call last):\n"
        var place = (file, e.span, "<module>")
        for frame in e.traceback.reversed() {
            out += "  File \"\(place.0)\", line \(place.1?.start.line ?? 0), in \(place.2)\n" + code(place.0, place.1)
            place = (frame.source, frame.span, frame.function)
        }
        out += "  File \"\(place.0)\", line \(place.1?.start.line ?? 0), in \(place.2)\n" + code(place.0, place.1)
        return out
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
