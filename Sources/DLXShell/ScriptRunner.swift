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
        for cell in CellSplitter.split(source) {
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
}
