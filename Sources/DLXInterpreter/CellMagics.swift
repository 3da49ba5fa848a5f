#if canImport(Glibc)
import Glibc
#endif
import DLXFrontEnd
import DLXEngine

/// IPython's cell magics: `%%name arguments` on a cell's first line, the rest of the cell its body.
extension Interpreter {
    static let cellMagicNames = ["capture", "time", "timeit", "writefile"]

    /// True when `source` is a cell magic (its first line starts with `%%`).
    static func isCellMagic(_ source: String) -> Bool {
        source.drop { $0 == " " || $0 == "\n" }.hasPrefix("%%")
    }

    func runCellMagic(_ source: String, firstLine: Int) throws(DLXError) {
        var lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        var headerLine = firstLine
        while let first = lines.first, first.allSatisfy({ $0 == " " }) { lines.removeFirst(); headerLine += 1 }
        let header = String(lines.first ?? "").trimmingSpaces.dropFirst(2)
        let name = String(header.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        let argument = String(header.dropFirst(name.count)).trimmingSpaces
        let body = lines.dropFirst().joined(separator: "\n")
        let bodyLine = headerLine + 1
        switch name {
        case "time":
            // The cell's value shows after the times, as the displayhook shows what the magic returned.
            var shown: [Value] = []
            let times = try session.redirecting(display: { shown.append($0) }) { () throws(DLXError) in
                try timedRun { () throws(DLXError) in try run(body, firstLine: bodyLine, displayAll: false) }
            }
            session.write(Interpreter.timesReport(times))
            for v in shown { session.display(v) }
        case "timeit":
            // `%%timeit setup`: the first line's statement runs once, the body is what is timed.
            if !argument.isEmpty {
                try session.quietly { () throws(DLXError) in try run(argument, firstLine: headerLine, displayAll: false) }
            }
            try timeit(body, firstLine: bodyLine)
        case "writefile":
            var words = argument.split(separator: " ").map(String.init)
            let append = words.first == "-a" || words.first == "--append"
            if append { words.removeFirst() }
            guard words.count == 1 else {
                throw DLXError("UsageError", "%%writefile needs one file name: %%writefile [-a] file")
            }
            let file = words[0]
            let exists = access(file, F_OK) == 0
            var bytes = Array((body.hasSuffix("\n") ? body : body + "\n").utf8)
            if append && exists {
                try session.checkRead(file)
                guard let old = TextFiles.read(file) else { throw Interpreter.unreadable(file) }
                bytes = Array(old.utf8) + bytes
            }
            try writeFile(bytes, to: file)
            session.write((append && exists ? "Appending to " : exists ? "Overwriting " : "Writing ") + file + "\n")
        case "capture":
            try capture(body, firstLine: bodyLine, into: argument.split(separator: " ").first.map(String.init))
        default:
            throw DLXError("UsageError", "Cell magic `%%\(name)` not found.")
        }
    }

    /// `%%capture [name]`: the body's printed text and displayed values are kept instead of shown; with a
    /// name, an object holding them (`.stdout`, `.stderr`, `.outputs`, `.show()`).
    private func capture(_ body: String, firstLine: Int, into name: String?) throws(DLXError) {
        var printed = "", errors = "", outputs: [Value] = []
        try session.redirecting(write: { printed += $0 }, standardError: { errors += $0 }, display: { outputs.append($0) }) { () throws(DLXError) in
            try run(body, firstLine: firstLine, displayAll: false)
        }
        if let name, !name.isEmpty {
            session.globals[name] = .object(CapturedOutput(stdout: printed, stderr: errors, outputs: outputs))
        }
    }

    /// Wall, user and system seconds of `body`.
    func timedRun(_ body: () throws(DLXError) -> Void) throws(DLXError) -> (wall: Double, user: Double, system: Double) {
        let w0 = Trainer.now(), (u0, s0) = Interpreter.processTimes()
        try body()
        let (u1, s1) = Interpreter.processTimes()
        return (Trainer.now() - w0, u1 - u0, s1 - s0)
    }

    static func processTimes() -> (user: Double, system: Double) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return (seconds(usage.ru_utime), seconds(usage.ru_stime))
    }

    /// IPython's `%time` report.
    static func timesReport(_ t: (wall: Double, user: Double, system: Double)) -> String {
        "CPU times: user \(duration(t.user)), sys: \(duration(t.system)), total: \(duration(t.user + t.system))\n"
            + "Wall time: \(duration(t.wall))\n"
    }
}

/// What `%%capture name` keeps.
final class CapturedOutput: PyObject {
    let stdout: String, stderr: String, outputs: [Value]
    init(stdout: String, stderr: String, outputs: [Value]) { self.stdout = stdout; self.stderr = stderr; self.outputs = outputs }
    var typeName: String { "CapturedIO" }
    func repr(_ interpreter: Interpreter) -> String { "<IPython.utils.capture.CapturedIO object>" }
    func attribute(_ n: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        switch n {
        case "stdout": return .string(stdout)
        case "stderr": return .string(stderr)
        case "outputs": return .list(ListBox(outputs))
        case "show", "__call__":
            return interpreter.method(n) { [stdout, stderr, outputs] _, i throws(DLXError) in
                i.session.write(stdout)
                if !stderr.isEmpty { i.session.writeError(stderr) }
                for v in outputs { i.session.display(v) }
                return Value.none
            }
        default: return nil
        }
    }
    var attributeNames: [String] { ["outputs", "show", "stderr", "stdout"] }
}
