import DLXInterpreter
import DLXFrontEnd
import DLXEngine
import CSupport

/// The interactive prompt, IPython-style: numbered `In [n]:` cells, `   ...:` continuations until the
/// statement is complete, `Out[n]:` for a cell's value. Errors leave the session as it was.
public final class REPL {
    let interpreter: Interpreter
    let reader: LineReader
    let color: Bool
    private var cellNumber = 1
    /// Each cell's text by its name in tracebacks ("Cell In[3]").
    private var cellSources: [String: String] = [:]

    public init(interpreter: Interpreter, reader: LineReader, color: Bool) {
        self.interpreter = interpreter; self.reader = reader; self.color = color
    }

    private func inPrompt() -> String {
        color ? "\u{1B}[32mIn [\u{1B}[1;32m\(cellNumber)\u{1B}[0;32m]:\u{1B}[0m " : "In [\(cellNumber)]: "
    }

    private func continuationPrompt() -> String {
        let width = "In [\(cellNumber)]".count
        let dots = String(repeating: " ", count: max(0, width - 3)) + "...: "
        return color ? "\u{1B}[32m" + dots + "\u{1B}[0m" : dots
    }

    /// Runs until end of input; returns the exit status.
    public func run() -> Int32 {
        var pendingValue: DLXInterpreter.Value? = nil
        interpreter.session.display = { v in pendingValue = v }
        ReadlineReader.completer = { [interpreter] text, line in interpreter.completions(for: text, line: line) }
        interpreter.session.loadIntoNextInput = { [reader] text in reader.prefill(text) }
        // What each cell showed, for %notebook.
        var cells: [NotebookCell] = []
        var events: [OutputEvent] = []
        let write = interpreter.session.write
        interpreter.session.write = { s in events.append(.text(s)); write(s) }
        interpreter.session.drawPicture = { picture, text in events.append(.picture(picture)); write(text) }
        interpreter.session.saveNotebook = { [unowned session = interpreter.session] path throws(AtomicFile.Failure) in
            try Notebook.write(cells, to: path, quota: session.diskQuota)
        }
        while true {
            guard let cell = readCell() else { break }
            if cell.trimmingCharacters(in: " ").isEmpty { continue }
            if isExitCommand(cell.trimmingCharacters(in: " ")) { reader.addHistory(cell); break }
            reader.addHistory(cell)
            pendingValue = nil
            events = []
            var failure: DLXError? = nil
            defer { cells.append(NotebookCell(source: cell, events: events, error: failure, executionCount: cellNumber - 1)) }
            _ = dlx_sigint_take()
            interpreter.sourceName = "Cell In[\(cellNumber)]"
            cellSources[interpreter.sourceName] = cell
            interpreter.session.startCell()   // --timeout at the prompt too
            do {
                try interpreter.run(cell, firstLine: 1, displayAll: false)
                REPL.recordHistory(interpreter.session, cell, pendingValue, number: cellNumber)
                if let v = pendingValue, !cell.trimmingCharacters(in: " ").hasSuffix(";") {
                    let text = (try? interpreter.displayText(v)) ?? "<unprintable>"
                    events.append(.value(text))
                    let label = color ? "\u{1B}[31mOut[\u{1B}[1;31m\(cellNumber)\u{1B}[0;31m]:\u{1B}[0m " : "Out[\(cellNumber)]: "
                    Output.stdout(label + (text.contains("\n") ? "\n" : "") + text + "\n")
                }
            } catch {
                failure = error
                Output.flush()
                if error.type == "SystemExit" { break }
                if error.type == "KeyboardInterrupt" {
                    Output.stdout("\n" + (color ? "\u{1B}[31mKeyboardInterrupt\u{1B}[0m" : "KeyboardInterrupt") + "\n")
                } else if !error.traceback.isEmpty {
                    Output.stdout(ErrorReport.ipythonTraceback(error, cell: interpreter.sourceName, sources: cellSources, color: color))
                } else {
                    Output.stdout(ErrorReport.annotated(error, source: cell, firstLine: 1, color: color))
                }
            }
            _ = dlx_sigint_take()   // a Ctrl-C that arrived late must not cancel the next prompt
            Output.stdout("\n")
            Output.flush()
            cellNumber += 1
        }
        interpreter.finish()
        Output.flush()
        return 0
    }

    /// `exit`, `quit` (IPython calls them without parentheses) and `%exit` leave the prompt, unless the
    /// session has its own variable of that name.
    private func isExitCommand(_ cell: String) -> Bool {
        if cell == "%exit" || cell == "%quit" { return true }
        return (cell == "exit" || cell == "quit") && interpreter.session.globals[cell] == nil
    }

    /// IPython's cell history: `In[n]`, `Out[n]`, `_n`, and `_`, `__`, `___` for the last three outputs.
    public static func recordHistory(_ g: Session, _ cell: String, _ value: DLXInterpreter.Value?, number cellNumber: Int) {
        if case .list(let inputs)? = g.globals["In"] {
            while inputs.items.count < cellNumber { inputs.items.append(.string("")) }
            inputs.items.append(.string(cell))
        } else {
            g.globals["In"] = .list(ListBox(Array(repeating: .string(""), count: cellNumber) + [.string(cell)]))
        }
        guard let value else { return }
        let outputs: DictBox
        if case .dict(let d)? = g.globals["Out"] { outputs = d } else { outputs = DictBox(); g.globals["Out"] = .dict(outputs) }
        try? outputs.set(.int(cellNumber), value)
        g.globals["___"] = g.globals["__"] ?? .string("")
        g.globals["__"] = g.globals["_"] ?? .string("")
        g.globals["_"] = value
        g.globals["_\(cellNumber)"] = value
    }

    /// Reads one complete cell; nil at end of input.
    private func readCell() -> String? {
        var text = ""
        var prompt = inPrompt()
        while true {
            reader.startLine(continuing: !text.isEmpty)
            switch reader.read(prompt: prompt) {
            case .endOfInput:
                return text.isEmpty ? nil : text
            case .interrupted:
                text = ""
                prompt = inPrompt()
                continue
            case .line(let line):
                text += text.isEmpty ? line : "\n" + line
                if !CellSplitter.needsContinuation(text + "\n") { return text }
                prompt = continuationPrompt()
                // IPython's auto-indent: the next line starts at the block's indentation.
                let indent = CellSplitter.nextIndent(text)
                if indent > 0 { reader.prefill(String(repeating: " ", count: indent)) }
            }
        }
    }
}
