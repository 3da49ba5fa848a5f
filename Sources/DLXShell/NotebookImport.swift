import DLXInterpreter
import DLXFrontEnd

/// `dlx --from-ipynb lesson.ipynb`: runs a notebook's code cells in one session, each as a notebook cell
/// (only its last expression is shown), and reports per cell what ran, what failed and what dlx does
/// not support (shell commands, unknown magics and modules, syntax dlx leaves out).
enum NotebookImport {
    enum Status: String { case ran, failed = "error", unsupported = "not supported", empty }

    static func run(_ path: String, interpreter: Interpreter) -> Int32 {
        guard let text = TextFiles.read(path) else {
            Output.stderr("dlx: cannot open '\(path)'\n")
            return 2
        }
        guard let doc = JSON.parse(text), let cells = doc["cells"]?.arrayValue else {
            Output.stderr("dlx: '\(path)' is not a Jupyter notebook (no JSON with a \"cells\" list)\n")
            return 2
        }
        let session = interpreter.session
        session.display = { v in Output.stdout(((try? interpreter.displayText(v)) ?? "<unprintable>") + "\n") }
        var report: [(Int, Status, String)] = []
        var number = 0
        for cell in cells where cell["cell_type"]?.stringValue == "code" {
            number += 1
            let source: String
            if let parts = cell["source"]?.arrayValue { source = parts.compactMap(\.stringValue).joined() }
            else { source = cell["source"]?.stringValue ?? "" }
            do {
                let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
                Output.stdout(lines.enumerated().map { ($0.offset == 0 ? "In [\(number)]: " : "   ...: ") + $0.element }.joined(separator: "\n") + "\n")
            }
            let (status, detail) = runCell(source, number: number, interpreter)
            report.append((number, status, detail))
            Output.stdout("\n")
            Output.flush()
        }
        Output.stdout("cell  status         detail\n")
        for (n, status, detail) in report {
            let num = String(n), s = status.rawValue
            let line = String(repeating: " ", count: Swift.max(0, 4 - num.count)) + num + "  " + s
                + (detail.isEmpty ? "" : String(repeating: " ", count: Swift.max(1, 15 - s.count)) + detail)
            Output.stdout(line + "\n")
        }
        let count = { (s: Status) in report.filter { $0.1 == s }.count }
        Output.stdout("\(report.count) code cells: \(count(.ran)) ran, \(count(.unsupported)) not supported, \(count(.failed)) failed"
                      + (count(.empty) > 0 ? ", \(count(.empty)) empty" : "") + "\n")
        Output.flush()
        return count(.failed) + count(.unsupported) > 0 ? 1 : 0
    }

    /// A notebook's code cells as one script (for `dlx grade`), shell commands and environment magics
    /// blanked as `runCell` skips them; nil when the text is not a notebook.
    static func script(_ text: String) -> String? {
        guard let doc = JSON.parse(text), let cells = doc["cells"]?.arrayValue else { return nil }
        return cells.filter { $0["cell_type"]?.stringValue == "code" }.map { cell in
            let source = (cell["source"]?.arrayValue).map { $0.compactMap(\.stringValue).joined() } ?? cell["source"]?.stringValue ?? ""
            return source.split(separator: "\n", omittingEmptySubsequences: false)
                .map { isSkipped(String($0).trimmingSpaces) ? "" : String($0) }.joined(separator: "\n")
        }.joined(separator: "\n\n") + "\n"
    }

    static func isSkipped(_ line: String) -> Bool {
        line.hasPrefix("!") || line.hasPrefix("%pip") || line.hasPrefix("%conda")
    }

    /// Runs one cell; shell commands (`!pip ...`) are reported, not run.
    static func runCell(_ source: String, number: Int, _ interpreter: Interpreter) -> (Status, String) {
        var code: [String] = []
        var skipped: [String] = []
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = String(line).trimmingSpaces
            if isSkipped(t) {
                skipped.append(t)
                code.append("")   // keeps line numbers
            } else {
                code.append(String(line))
            }
        }
        let text = code.joined(separator: "\n")
        if text.trimmingSpaces.isEmpty {
            return skipped.isEmpty ? (.empty, "") : (.unsupported, "shell command or magic: " + skipped[0])
        }
        do {
            try interpreter.run(text, firstLine: 1, displayAll: false)
        } catch {
            Output.stdout(ErrorReport.annotated(error, source: text, firstLine: 1, color: false))
            return (unsupported(error) ? .unsupported : .failed, "line \(error.span?.start.line ?? 1): " + error.description)
        }
        return skipped.isEmpty ? (.ran, "") : (.unsupported, "ran, but skipped: " + skipped.joined(separator: "; "))
    }

    /// Errors that say dlx lacks something, as opposed to errors in the code.
    static func unsupported(_ e: DLXError) -> Bool {
        if e.type == "ModuleNotFoundError" || e.type == "ImportError" || e.type == "NotImplementedError" { return true }
        if e.type == "UsageError" && e.message.contains("magic") { return true }
        return e.message.contains("not supported") || e.message.contains("is not supported")
    }
}
