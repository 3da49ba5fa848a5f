#if canImport(Glibc)
import Glibc
#endif
import DLXInterpreter
import DLXEngine
import DLXFrontEnd

/// One submission, graded inside its own process (`dlx grade --one`, started by `dlx grade`): runs the
/// submission cell by cell, going on after errors, then the key's checks in the same session, and
/// prints one JSON line: the result record of `--json`.
enum GradeChild {
    static func run(_ o: GradeCommand.Options, checks: [DocCheck]) -> Int32 {
        guard let submission = o.submissions.first else { return 2 }
        let start = Trainer.now()
        // dlx reads the submission itself, before the sandbox and the move to the fresh directory.
        var text = TextFiles.read(submission)
        var failure = text == nil ? TextFiles.failure : ""   // before other calls change errno
        // A notebook is graded by its code cells, as `--from-ipynb` runs them.
        if submission.hasSuffix(".ipynb"), let notebook = text {
            text = NotebookImport.script(notebook)
            if text == nil { failure = "not a Jupyter notebook (no JSON with a \"cells\" list)" }
        }
        var limits = o.limits
        limits.hidden = [o.key!].compactMap(absolute) + limits.hidden
        limits.readable = o.allowRead.compactMap(absolute)
        if let dir = o.workdir, chdir(dir) != 0 { return 2 }
        let session = DataFolders.session(memoryLimit: limits.memoryBytes, seed: o.seed)
        limits.apply(to: session)
        // Its messages name it as the submissions folder does, not by the grader's absolute path.
        let name = o.name ?? submission
        let runner = ScriptRunner(interpreter: Interpreter(session: session), name: name, keepGoing: true)
        runner.maxOutputKB = limits.maxOutputKB
        var output = ""
        runner.sink = { output += $0 }
        runner.errorSink = { output += $0 }
        var status = "ok"
        if let text {
            if runner.run(text) == 124 || runner.results.contains(where: { $0.error?.type == "TimeoutError" }) { status = "timeout" }
        } else {
            output += "dlx: cannot read the submission '\(name)': \(failure)\n"
            status = "error"
        }
        // The checks get their own time budget: a runaway submission costs only what it broke.
        session.restartClock()
        runner.sink = { _ in }
        // The checks see Python's built-ins whatever the submission rebound (`def sum(x): return 7850`), and
        // its variables as it left them.
        runner.interpreter.sourceName = "<key>"
        runner.interpreter.trustedSource = "<key>"
        var results: [JSON] = [], score = 0.0, max = 0.0
        for check in checks where !check.options.skip {
            let points = check.options.points ?? 1
            max += points
            let r = runner.runCell(CellSplitter.Cell(text: check.source, firstLine: check.line))
            let got = OutputMatch.got(r)
            let passed = OutputMatch.matches(expected: check.expected, got: got, check.options)
            // What a check printed is reported, but never more than 64 KB of it (a hostile value's repr).
            var gotText = got.joined(separator: "\n")
            if gotText.utf8.count > 65_536 {
                gotText = String(decoding: gotText.utf8.prefix(65_536), as: UTF8.self) + "\n[dlx: cut at 64 KB]"
            }
            if passed { score += points }
            results.append(record(check, key: o.key!, status: passed ? "passed" : "failed", scored: passed ? points : 0, got: gotText))
        }
        let record = JSON.object([("id", .string(submission)), ("score", .number(score)), ("max", .number(max)),
                                  ("status", .string(status)), ("elapsed", .number(((Trainer.now() - start) * 1000).rounded() / 1000)),
                                  ("output", .string(output)), ("checks", .array(results))])
        Output.stdout(record.text() + "\n")
        Output.flush()
        return 0
    }

    /// One check's entry in a result (key order documented in docs/grading.md); the parent builds the
    /// same entries for a submission whose process gave no result. An unnamed check is named by the key's
    /// file name (the child sees the key's absolute path, the parent the path as given) and its line.
    static func record(_ check: DocCheck, key: String, status: String, scored: Double, got: String) -> JSON {
        let file = key.split(separator: "/").last.map(String.init) ?? key
        let name = check.options.name ?? "\(file):\(check.line): " + (check.source.split(separator: "\n").first.map(String.init) ?? "")
        return .object([("name", .string(name)), ("status", .string(status)), ("points", .number(scored)),
                        ("max_points", .number(check.options.points ?? 1)), ("expected", .string(check.expected.joined(separator: "\n"))),
                        ("got", .string(got)), ("visibility", .string(check.options.visibility ?? "visible"))])
    }

    static func absolute(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
