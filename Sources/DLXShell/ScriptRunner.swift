import DLXInterpreter
import DLXFrontEnd

/// Runs a script (a file, `-c` code or piped standard input) cell by cell, printing what a notebook
/// would show for each top-level statement. The first error stops it with status 1, unless it keeps going.
public struct ScriptRunner {
    public let interpreter: Interpreter
    public let name: String
    public var keepGoing = false

    public init(interpreter: Interpreter, name: String, keepGoing: Bool = false) {
        self.interpreter = interpreter; self.name = name; self.keepGoing = keepGoing
    }

    /// Returns the exit status: 0, or 1 when any cell failed.
    public func run(_ source: String) -> Int32 {
        var status: Int32 = 0
        var queue = CellSplitter.split(source)[...]
        while let cell = queue.popFirst() {
            if keepGoing, let rest = afterUnclosedBracket(cell) {
                // An unclosed bracket swallows the rest of the file; report it on its first line and
                // go on with the next line, so one typo costs one statement.
                queue = CellSplitter.split(rest.text, firstLine: rest.firstLine)[...]
            }
            do {
                try interpreter.run(cell.text, firstLine: cell.firstLine, displayAll: true)
                Output.flush()
            } catch {
                Output.stderr(ErrorReport.compact(error, file: name))
                status = 1
                if !keepGoing { break }
            }
        }
        Output.flush()
        return status
    }

    /// For a multi-line cell whose first line opens a bracket that never closes: the lines after the
    /// first, to run on their own.
    private func afterUnclosedBracket(_ cell: CellSplitter.Cell) -> CellSplitter.Cell? {
        guard cell.text.contains("\n") else { return nil }
        do {
            _ = try Lexer.tokenize(cell.text, firstLine: cell.firstLine)
            return nil
        } catch {
            guard error.incomplete, error.span.start.line == cell.firstLine else { return nil }
            let lines = cell.text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            return CellSplitter.Cell(text: String(lines[1]), firstLine: cell.firstLine + 1)
        }
    }
}
