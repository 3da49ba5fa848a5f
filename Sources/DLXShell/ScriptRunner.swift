#if canImport(Glibc)
import Glibc
#endif
import DLXInterpreter
import DLXEngine
import DLXFrontEnd

/// What one top-level cell of a script did: for `--json`, `--echo`, `dlx test` and `dlx grade`.
public struct CellResult {
    public var index: Int
    public var firstLine: Int
    public var lastLine: Int
    public var source: String
    /// Printed text (`print`, `summary`, `fit`'s lines).
    public var stdout = ""
    /// The reprs of the values the cell displayed, one per line; nil when it displayed none.
    public var value: String? = nil
    /// Printed text and displayed values in the order a terminal shows them.
    public var output = ""
    public var error: DLXError? = nil
    public var elapsed = 0.0
    /// Everything the cell showed, in order: for notebooks, which keep pictures as images.
    public var events: [OutputEvent] = []

    /// The JSON Lines record of `--json` (key order documented in docs/grading.md).
    public var json: JSON {
        .object([("type", .string("cell")), ("index", .number(Double(index))), ("first_line", .number(Double(firstLine))),
                 ("last_line", .number(Double(lastLine))), ("source", .string(source)), ("stdout", .string(stdout)),
                 ("value", value.map { .string($0) } ?? .null),
                 ("error", error.map { e in
                     // The position is the deepest frame's (where the error was raised); the traceback lists
                     // every frame, outermost first, as Python prints them.
                     let deepest = e.traceback.first?.span ?? e.span
                     let frames: [JSON] = ([(e.span, "<module>", "")] + e.traceback.reversed().map { ($0.span, $0.function, $0.source) }).map { span, function, file in
                         .object([("file", file.isEmpty ? .null : .string(file)), ("line", span.map { .number(Double($0.start.line)) } ?? .null),
                                  ("function", .string(function))])
                     }
                     return .object([("type", .string(e.type)), ("message", .string(e.message)),
                                     ("line", deepest.map { .number(Double($0.start.line)) } ?? .null),
                                     ("col", deepest.map { .number(Double($0.start.column)) } ?? .null),
                                     ("traceback", e.traceback.isEmpty ? .array([]) : .array(frames))])
                 } ?? .null),
                 ("elapsed", .number((elapsed * 1e6).rounded() / 1e6))])
    }
}

/// One thing a cell showed.
public enum OutputEvent {
    case text(String)          // printed
    case value(String)         // a displayed value's repr
    case picture(Picture)      // a `show`
}

/// Cuts the text of a whole run at `limit` bytes with one marker line (`--max-output`).
final class OutputLimit {
    let limit: Int?
    private var used = 0
    private(set) var cut = false

    init(kilobytes: Int?) { limit = kilobytes.map { $0 * 1024 } }

    func admit(_ s: String) -> String {
        guard let limit else { return s }
        if cut { return "" }
        let n = s.utf8.count
        if used + n <= limit { used += n; return s }
        cut = true
        let keep = String(decoding: s.utf8.prefix(Swift.max(0, limit - used)), as: UTF8.self)
        used = limit
        return keep + (keep.hasSuffix("\n") || keep.isEmpty ? "" : "\n") + "[dlx: output cut here: more than \(limit / 1024) KB (--max-output)]\n"
    }
}

/// Runs a script (a file, `-c` code or piped standard input) cell by cell, printing what a notebook
/// would show for each top-level statement. The first error stops it with status 1, unless it keeps
/// going; a time limit that stops it gives status 124.
public final class ScriptRunner {
    public let interpreter: Interpreter
    public let name: String
    public var keepGoing = false
    /// A `.py` file runs as Python runs it: bare expressions show nothing.
    public var pythonSemantics = false
    /// `--echo`: each cell's source as `In [n]: ` before its output.
    public var echo = false
    /// Where the run's text goes (standard output, or nowhere when `--json -` owns it).
    public var sink: (String) -> Void = { Output.stdout($0) }
    /// Where error lines go.
    public var errorSink: (String) -> Void = { Output.stderr($0) }
    /// Called after every cell.
    public var onCell: (CellResult) -> Void = { _ in }
    var outputLimit = OutputLimit(kilobytes: nil)
    public private(set) var results: [CellResult] = []
    public private(set) var timedOut = false

    public init(interpreter: Interpreter, name: String, keepGoing: Bool = false) {
        self.interpreter = interpreter; self.name = name; self.keepGoing = keepGoing
        interpreter.sourceName = name
        interpreter.session.globals["__name__"] = .string("__main__")
        if name != "<string>" && name != "<stdin>" { interpreter.session.globals["__file__"] = .string(name) }
    }

    public var maxOutputKB: Int? {
        get { outputLimit.limit.map { $0 / 1024 } }
        set { outputLimit = OutputLimit(kilobytes: newValue) }
    }

    /// Returns the exit status: 0, 1 when any cell failed, 124 when a time limit ended the run.
    public func run(_ source: String) -> Int32 {
        var status: Int32 = 0
        var queue = CellSplitter.split(source)[...]
        while let cell = queue.popFirst() {
            if keepGoing, let rest = afterUnclosedBracket(cell) {
                // An unclosed bracket swallows the rest of the file; report it on its first line and
                // go on with the next line, so one typo costs one statement.
                queue = CellSplitter.split(rest.text, firstLine: rest.firstLine)[...]
            }
            let result = runCell(cell)
            if let error = result.error, error.type == "SystemExit" {
                // sys.exit(n) / exit(): the run ends with n (a message is printed and gives 1), as python does.
                if let code = Int32(error.message) { status = code }
                else if error.message.isEmpty || error.message == "None" { status = 0 }
                else { emitError(error.message + "\n"); status = 1 }
                break
            }
            if let error = result.error {
                emitError(ErrorReport.traceback(error, source: source, file: name) + ErrorReport.compact(error, file: name))
                status = 1
                if error.type == "TimeoutError" {
                    // A total limit ends the run; a cell's limit ends it unless we keep going.
                    if !keepGoing || error.message.contains("--total-timeout") { timedOut = true; status = 124; break }
                }
                if !keepGoing { break }
            }
        }
        Output.flush()
        return status
    }

    /// Runs one cell, capturing what it prints and displays.
    public func runCell(_ cell: CellSplitter.Cell) -> CellResult {
        let lines = cell.text.split(separator: "\n", omittingEmptySubsequences: false)
        var result = CellResult(index: results.count + 1, firstLine: cell.firstLine,
                                lastLine: cell.firstLine + lines.count - 1, source: cell.text)
        if echo {
            emit(lines.enumerated().map { (i, l) in (i == 0 ? "In [\(result.index)]: " : "   ...: ") + l }.joined(separator: "\n") + "\n")
        }
        let session = interpreter.session
        let (write, display, draw) = (session.write, session.display, session.drawPicture)
        var values: [String] = []
        // What the cell keeps of its output (for --json, notebooks and checks) stops at the --max-output
        // limit too, so that a flood of prints cannot fill the memory.
        var room = outputLimit.limit ?? Int.max
        func kept(_ s: String) -> String {
            if s.utf8.count <= room { room -= s.utf8.count; return s }
            defer { room = 0 }
            return String(decoding: s.utf8.prefix(room), as: UTF8.self)
        }
        session.write = { [unowned self] s in
            let k = kept(s)
            if !k.isEmpty { result.stdout += k; result.output += k; result.events.append(.text(k)) }
            self.emit(s)
        }
        session.display = { [unowned self] v in
            if self.pythonSemantics { return }
            let text = ((try? self.interpreter.displayText(v)) ?? "<unprintable>") + "\n"
            let k = kept(text)
            if !k.isEmpty {
                values.append(k.hasSuffix("\n") ? String(k.dropLast()) : k)
                result.output += k
                result.events.append(.value(k.hasSuffix("\n") ? String(k.dropLast()) : k))
            }
            self.emit(text)
        }
        session.drawPicture = { [unowned self] picture, text in
            let k = kept(text)
            if !k.isEmpty { result.output += k; result.events.append(.picture(picture)) }
            self.emit(text)
        }
        defer { session.write = write; session.display = display; session.drawPicture = draw }
        session.startCell()
        let start = Trainer.now()
        do throws(DLXError) {
            // A run already past its total time stops here, between cells, as well as inside them.
            if var stop = session.pendingStop() {
                stop.span = SourceSpan(SourceLocation(line: cell.firstLine, column: 1), SourceLocation(line: cell.firstLine, column: 2))
                throw stop
            }
            try interpreter.run(cell.text, firstLine: cell.firstLine, displayAll: true)
        } catch {
            result.error = error
        }
        result.elapsed = Trainer.now() - start
        if !values.isEmpty { result.value = values.joined(separator: "\n") }
        if echo { emit("\n") }
        Output.flush()
        results.append(result)
        onCell(result)
        return result
    }

    func emit(_ s: String) {
        let kept = outputLimit.admit(s)
        if !kept.isEmpty { sink(kept) }
    }

    /// Error reports count towards --max-output as printed text does.
    func emitError(_ s: String) {
        let kept = outputLimit.admit(s)
        if !kept.isEmpty { errorSink(kept) }
    }

    /// The `--json` summary record.
    public func summary(status: Int32, elapsed: Double) -> JSON {
        .object([("type", .string("summary")), ("cells", .number(Double(results.count))),
                 ("errors", .number(Double(results.filter { $0.error != nil }.count))),
                 ("timed_out", .bool(timedOut)), ("output_cut", .bool(outputLimit.cut)),
                 ("exit_status", .number(Double(status))), ("elapsed", .number((elapsed * 1e6).rounded() / 1e6))])
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
