#if canImport(Glibc)
import Glibc
#endif
import DLXInterpreter
import DLXEngine
import CSupport

/// `dlx [options] [FILE.dlx | -c CODE]`.
public struct DLXCommand {
    public static let version = "0.1.0"
    static let usage = """
    usage: dlx [options] [FILE.dlx | -c CODE]
           dlx test [options] FILE...                  (checked transcripts; dlx test --help)
           dlx grade --key KEY [options] SUBMISSION... (grading; dlx grade --help)
           dlx kernel -f FILE | install | uninstall  (Jupyter kernel; dlx kernel --help)

    Runs the dlx language: interactively on a terminal, or a script from FILE, from -c CODE,
    or from standard input when it is not a terminal.

    options:
      -c CODE            run CODE as a script named <string>
      --keep-going       in a script, report an error and go on with the next statement (exit status 1)
      --seed N           seed the random generator (default 0), as torch.manual_seed(N)
      --echo             print each cell as `In [n]: source` before its output
      --json FILE        write one JSON object per cell, then a summary, to FILE (- for standard
                         output, which then carries nothing else); see docs/grading.md
      --timeout S        stop a cell after S seconds with TimeoutError (exit status 124)
      --total-timeout S  stop the run after S seconds in all (exit status 124)
      --max-memory MB    tensor memory beyond MB is a MemoryError (an address-space limit backs it up)
      --max-output KB    cut the output after KB kilobytes, with a marker
      --max-disk MB      the files the code writes may take MB megabytes; past it a write is
                         OSError: [Errno 122] Disk quota exceeded
      --ipynb FILE       also write the run as a Jupyter notebook (nbformat 4.5) with its outputs
      --from-ipynb FILE  run a notebook's code cells, reporting per cell what ran and what is not supported
      --sandbox          read files only under the working directory and the data folders, write
                         only under it; no environment, no %cd
      --sandbox-root DIR run the code in DIR, the sandbox's root (default: the working directory,
                         so never run untrusted code with --sandbox in a folder that holds a key)
      --sandbox-hide FILE  a file the code may never read, even under the root (repeatable)
      --version          print the version, the BLAS library and core, and whether a CUDA driver was found
      -h, --help         print this help

    """

    var file: String? = nil
    var scriptArguments: [String] = []
    var code: String? = nil
    var keepGoing = false
    var seed: UInt64 = 0
    var echo = false
    var json: String? = nil
    var ipynb: String? = nil
    var fromIpynb: String? = nil
    /// Where the script is read from when that is not `file` (named before a move into --sandbox-root);
    /// messages still name it `file`.
    var scriptPath: String? = nil
    var run = RunLimits()

    enum ParseResult { case run(DLXCommand), exit(Int32) }

    static func parse(_ args: [String]) -> ParseResult {
        var cmd = DLXCommand()
        var i = 0
        func fail(_ message: String) -> ParseResult {
            Output.stderr("dlx: \(message)\n" + usage)
            return .exit(2)
        }
        while i < args.count {
            let a = args[i]
            switch cmd.run.parse(args, &i) {
            case .taken: i += 1; continue
            case .bad(let message): return fail(message)
            case .notMine: break
            }
            switch a {
            case "-h", "--help": Output.stdout(usage); return .exit(0)
            case "--echo": cmd.echo = true
            case "--json":
                guard i + 1 < args.count else { return fail("--json needs a file name (or - for standard output)") }
                cmd.json = args[i + 1]
                i += 1
            case "--ipynb", "--from-ipynb":
                guard i + 1 < args.count else { return fail("\(a) needs a notebook file name") }
                if a == "--ipynb" { cmd.ipynb = args[i + 1] } else { cmd.fromIpynb = args[i + 1] }
                i += 1
            case "--version": Output.stdout(versionText()); return .exit(0)
            case "--keep-going": cmd.keepGoing = true
            case "-c":
                guard i + 1 < args.count else { return fail("-c needs an argument") }
                cmd.code = args[i + 1]
                i += 1
            case "--seed":
                guard i + 1 < args.count, let n = Int64(args[i + 1]) else { return fail("--seed needs an integer") }
                cmd.seed = UInt64(bitPattern: n)
                i += 1
            default:
                if a.hasPrefix("-") && a != "-" { return fail("unknown option '\(a)'") }
                guard cmd.file == nil && cmd.code == nil else { return fail("only one script can be given") }
                cmd.file = a
                // What follows the script is the script's own command line (`sys.argv[1:]`), as with python.
                cmd.scriptArguments = Array(args[(i + 1)...])
                i = args.count
            }
            i += 1
        }
        if cmd.file != nil && cmd.code != nil { return fail("give either FILE or -c CODE, not both") }
        return .run(cmd)
    }

    static func versionText() -> String {
        let backend = CPUBackend()
        let (library, environment) = DataFolders.cudaSettings()
        let cuda: String
        switch CUDADriver.probe(library: library, environment: environment) {
        case .unavailable(let why):
            cuda = DataFolders.emulateCUDA ? "CUDA: emulated GPU (DLX_CUDA_EMULATE=1; no driver: \(why))"
                : "CUDA: not available (\(why)); dlx runs on the CPU"
        case .available(let d):
            let gpus = d.devices.map { "\($0.name) (sm_\($0.computeCapability.major)\($0.computeCapability.minor))" }.joined(separator: ", ")
            cuda = "CUDA: driver \(d.versionText) (\(d.library)), \(gpus)"
        }
        return "dlx \(version)\n\(backend.summary)\n\(cuda)\n"
    }

    /// Runs dlx with these arguments; returns the process exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        dlx_tune_allocator()
        if arguments.first == "test" { return DocTestCommand.main(Array(arguments.dropFirst())) }
        if arguments.first == "grade" { return GradeCommand.main(Array(arguments.dropFirst())) }
        if arguments.first == "cuda-selftest" { return CUDASelfTest.main(timing: !arguments.contains("--no-timing")) }
        switch parse(arguments) {
        case .exit(let code): return code
        case .run(let cmd): return cmd.execute()
        }
    }

    func execute() -> Int32 {
        if run.sandboxRoot != nil {
            // The code runs in the sandbox root; the files named on the command line stay where they were named.
            var moved = self
            moved.scriptPath = file.map(RunLimits.absolutePath)
            moved.json = json.map(RunLimits.absolutePath)
            moved.ipynb = ipynb.map(RunLimits.absolutePath)
            moved.fromIpynb = fromIpynb.map(RunLimits.absolutePath)
            if let why = run.enterSandboxRoot() { Output.stderr("dlx: \(why)\n"); return 2 }
            moved.run.sandboxRoot = nil
            return moved.execute()
        }
        let session = DataFolders.session(memoryLimit: run.memoryBytes, seed: seed)
        session.write = { Output.stdout($0) }
        run.apply(to: session)
        let interpreter = Interpreter(session: session)
        if let code {
            return runScript(interpreter, code, name: "<string>")
        }
        if let fromIpynb { return NotebookImport.run(fromIpynb, interpreter: interpreter) }
        if file == "-" || (file == nil && isatty(0) == 0) {
            guard let text = TextFiles.readAll(stdin) else {
                Output.stderr("dlx: standard input is \(TextFiles.failure)\n")
                return 2
            }
            return runScript(interpreter, text, name: "<stdin>")
        }
        if let file {
            guard let text = TextFiles.read(scriptPath ?? file) else {
                Output.stderr("dlx: cannot open '\(file)': \(TextFiles.failure)\n")
                return 2
            }
            session.argv = [file] + scriptArguments
            let path = scriptPath ?? file
            if let slash = path.lastIndex(of: "/") { session.scriptDirectory = String(path[..<slash]).isEmpty ? "/" : String(path[..<slash]) }
            return runScript(interpreter, text, name: file)
        }
        dlx_sigint_install()
        session.interruptRequested = { dlx_sigint_peek() != 0 }
        session.backend.cancellation.interrupt = { dlx_sigint_peek() != 0 }   // inside long engine operations
        session.isTerminal = isatty(1) != 0
        session.progress = { Output.stdout($0); Output.flush() }
        let color = isatty(1) != 0 && getenv("NO_COLOR") == nil && String(cString: getenv("TERM") ?? strdup("dumb")!) != "dumb"
        session.pictureStyle = DLXCommand.pictureStyle(color: color)
        session.measureColumns = { DLXCommand.terminalColumns() }
        let history = getenv("HOME").map { String(cString: $0) + "/.dlx_history" }
        let reader: LineReader = isatty(1) != 0 ? ReadlineReader(historyFile: history) : PlainLineReader(echoPrompt: true)
        Output.stdout("dlx \(DLXCommand.version) — PyTorch-flavoured deep learning at the prompt. Ctrl-D exits.\n\n")
        return REPL(interpreter: interpreter, reader: reader, color: color).run()
    }

    private func runScript(_ interpreter: Interpreter, _ source: String, name: String) -> Int32 {
        let runner = ScriptRunner(interpreter: interpreter, name: name, keepGoing: keepGoing)
        runner.pythonSemantics = name.hasSuffix(".py")
        runner.echo = echo
        runner.maxOutputKB = run.maxOutputKB
        // `--json FILE` is a stream: each cell's record is written whole as the cell ends.
        var jsonFile: RecordFile? = nil
        if let json {
            if json == "-" {
                runner.sink = { _ in }
            } else {
                do { jsonFile = try RecordFile(path: json) } catch {
                    Output.stderr("dlx: OSError: \(error)\n")
                    return 2
                }
            }
            runner.onCell = { [jsonFile] r in
                let line = r.json.text() + "\n"
                if let jsonFile { jsonFile.append(line) } else { Output.stdout(line) }
            }
        }
        interpreter.session.saveNotebook = { [unowned runner] path throws(AtomicFile.Failure) in
            try Notebook.write(runner.results.map(NotebookCell.init), to: path, quota: runner.interpreter.session.diskQuota)
        }
        let start = Trainer.now()
        var status = runner.run(source)
        interpreter.finish()
        if let ipynb {
            do { try Notebook.write(runner.results.map(NotebookCell.init), to: ipynb) } catch {
                Output.stderr("dlx: OSError: \(error)\n")
                return 2
            }
        }
        if json != nil {
            let line = runner.summary(status: status, elapsed: Trainer.now() - start).text() + "\n"
            if let jsonFile {
                jsonFile.append(line)
                // A record that could not be written (a full disk) fails the run, whatever the cells did.
                if let failure = jsonFile.close() {
                    Output.stderr("dlx: OSError: \(failure)\n")
                    status = Swift.max(status, 1)
                }
            } else { Output.stdout(line); Output.flush() }
        }
        return status
    }

    /// Half blocks in 24-bit colour where the terminal says it has it (COLORTERM), 256 colours otherwise,
    /// ASCII without colour.
    static func pictureStyle(color: Bool) -> PictureStyle {
        guard color else { return .ascii }
        let colorterm = getenv("COLORTERM").map { String(cString: $0) } ?? ""
        return colorterm == "truecolor" || colorterm == "24bit" ? .blocksTrueColor : .blocks256
    }

    static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
