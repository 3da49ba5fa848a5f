#if canImport(Glibc)
import Glibc
#endif
import DLXInterpreter
import DLXFrontEnd

/// `dlx test FILE...`: runs checked transcripts, each file in a fresh session, and reports failures as
/// diffs with a `N passed, M failed` summary; exit status 1 when any check failed.
enum DocTestCommand {
    static let usage = """
    usage: dlx test [options] FILE...

    Runs checked transcripts: `>>> ` lines (continued by `... `) are input, the lines after them up to
    a blank line or the next `>>> ` the expected output (`error: <message>` for an error, by prefix).
    Options in `# dlx:` comments: +ELLIPSIS, +NORMALIZE_WHITESPACE, tolerance=1e-4, skip (docs/grading.md).

    options:
      -v, --verbose      name every check as it runs
      --seed N           seed each file's session (default 0)
      --timeout S, --total-timeout S, --max-memory MB, --max-output KB, --sandbox,
      --sandbox-root DIR, --sandbox-hide FILE    as for dlx

    """

    struct Tally { var passed = 0, failed = 0, skipped = 0 }

    static func main(_ args: [String]) -> Int32 {
        var files: [String] = [], verbose = false, seed: UInt64 = 0, limits = RunLimits()
        var i = 0
        while i < args.count {
            switch limits.parse(args, &i) {
            case .taken: i += 1; continue
            case .bad(let m): Output.stderr("dlx test: \(m)\n" + usage); return 2
            case .notMine: break
            }
            switch args[i] {
            case "-h", "--help": Output.stdout(usage); return 0
            case "-v", "--verbose": verbose = true
            case "--seed":
                guard i + 1 < args.count, let n = Int64(args[i + 1]) else { Output.stderr("dlx test: --seed needs an integer\n"); return 2 }
                seed = UInt64(bitPattern: n); i += 1
            default:
                if args[i].hasPrefix("-") { Output.stderr("dlx test: unknown option '\(args[i])'\n" + usage); return 2 }
                files.append(args[i])
            }
            i += 1
        }
        guard !files.isEmpty else { Output.stderr("dlx test: no files given\n" + usage); return 2 }
        if limits.sandboxRoot != nil {
            files = files.map(RunLimits.absolutePath)
            if let why = limits.enterSandboxRoot() { Output.stderr("dlx test: \(why)\n"); return 2 }
        }
        var tally = Tally(), broken = false
        for file in files {
            guard let text = TextFiles.read(file) else {
                Output.stderr("dlx test: cannot open '\(file)': \(TextFiles.failure)\n")
                broken = true
                continue
            }
            do {
                let checks = try DocTestFile.parse(text, file: file)
                run(checks, file: file, seed: seed, limits: limits, verbose: verbose, &tally)
            } catch {
                Output.stderr(error.description + "\n")
                broken = true
            }
        }
        var line = "\(tally.passed) passed, \(tally.failed) failed"
        if tally.skipped > 0 { line += ", \(tally.skipped) skipped" }
        Output.stdout(line + "\n")
        Output.flush()
        return broken ? 2 : tally.failed > 0 ? 1 : 0
    }

    static func run(_ checks: [DocCheck], file: String, seed: UInt64, limits: RunLimits, verbose: Bool, _ tally: inout Tally) {
        let session = DataFolders.session(memoryLimit: limits.memoryBytes, seed: seed)
        limits.apply(to: session)
        let runner = ScriptRunner(interpreter: Interpreter(session: session), name: file)
        runner.sink = { _ in }
        runner.maxOutputKB = limits.maxOutputKB
        for check in checks {
            if check.options.skip {
                tally.skipped += 1
                if verbose { Output.stdout("\(file):\(check.line): skipped\n") }
                continue
            }
            let result = runner.runCell(CellSplitter.Cell(text: check.source, firstLine: check.line))
            let got = OutputMatch.got(result)
            if OutputMatch.matches(expected: check.expected, got: got, check.options) {
                tally.passed += 1
                if verbose { Output.stdout("\(file):\(check.line): ok\n") }
            } else {
                tally.failed += 1
                Output.stdout(failure(check, got: got, file: file))
            }
        }
    }

    /// The failure report: where, the input, and expected (-) against got (+).
    static func failure(_ check: DocCheck, got: [String], file: String) -> String {
        var out = "\(file):\(check.line): failed\n"
        for (i, l) in check.source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            out += (i == 0 ? "    >>> " : "    ... ") + l + "\n"
        }
        out += "    expected (-), got (+):\n"
        for l in OutputMatch.diff(expected: OutputMatch.trimmed(check.expected), got: OutputMatch.trimmed(got)) { out += "    " + l + "\n" }
        return out
    }
}
