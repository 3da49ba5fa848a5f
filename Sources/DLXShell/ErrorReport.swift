import DLXInterpreter
import DLXFrontEnd

/// How errors are shown: one line a tool can parse in scripts, the line and a caret at the prompt.
public enum ErrorReport {
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
        let places = [(file, e.span, "<module>")] + e.traceback.reversed().map { ($0.source, $0.span, $0.function) }
        // Python prints a frame repeated more than three times in a row once, then a count.
        var previous = "", repeats = 0
        func flush() {
            if repeats > 3 { out += "  [Previous line repeated \(repeats - 3) more time\(repeats - 3 == 1 ? "" : "s")]\n" }
        }
        for (source, span, function) in places {
            let text = "  File \"\(source)\", line \(span?.start.line ?? 0), in \(function)\n" + code(source, span)
            if text == previous {
                repeats += 1
                if repeats > 3 { continue }
            } else {
                flush()
                previous = text
                repeats = 1
            }
            out += text
        }
        flush()
        return out
    }

    /// IPython's traceback at the prompt: each frame's cell, line and function with the lines around the
    /// one that failed (an arrow at it), then the error.
    public static func ipythonTraceback(_ e: DLXError, cell: String, sources: [String: String], color: Bool) -> String {
        let red = color ? "\u{1B}[31m" : "", green = color ? "\u{1B}[32m" : "", reset = color ? "\u{1B}[0m" : ""
        var out = red + String(repeating: "-", count: 75) + reset + "\n"
        out += red + e.type.padding(42) + reset + "Traceback (most recent call last)\n"
        var frames: [(String, SourceSpan?, String?)] = [(cell, e.span, nil)]
        for f in e.traceback.reversed() { frames.append((f.source, f.span, f.function)) }
        for (k, (source, span, function)) in frames.enumerated() {
            let line = span?.start.line ?? 0
            out += green + source + reset + ", line \(line)" + (function.map { ", in \($0)()" } ?? "") + "\n"
            if let text = sources[source] {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                let lo = max(1, line - 2), hi = min(lines.count, line + 2)
                if lo <= hi {
                    for n in lo...hi {
                        let number = String(n)
                        let prefix = n == line ? green + String(repeating: "-", count: max(1, 5 - number.count)) + "> " + number + reset
                            : String(repeating: " ", count: max(1, 7 - number.count)) + number
                        out += prefix + " " + lines[n - 1] + "\n"
                    }
                }
            }
            if k < frames.count - 1 { out += "\n" }
        }
        out += "\n" + red + e.type + reset + (e.message.isEmpty ? "" : ": " + e.message) + "\n"
        return out
    }

    /// The message, then the offending source line with carets under the span.
    public static func annotated(_ e: DLXError, source: String, firstLine: Int, color: Bool) -> String {
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
