#if canImport(Glibc)
import Glibc
#endif
import DLXInterpreter

/// `dlx grade --key KEY SUBMISSION...`: each submission runs in its own `dlx` process (so a crash or a
/// runaway touches nothing else), in a fresh working directory, sandboxed and time-limited, and then the
/// key's checks run in the same session. Results go to a table, JSON Lines and Gradescope's format.
enum GradeCommand {
    static let usage = """
    usage: dlx grade --key KEY.dlx [options] SUBMISSION...

    Runs each submission (a .dlx file or a .ipynb notebook's code cells, or a directory of them), then the key's checks in the same
    session. The key is a checked transcript (see dlx test) whose checks carry points and names:
        # dlx: points=2 name="model has 669,706 parameters"
        >>> sum(p.numel() for p in model.parameters())
        669706

    options:
      --key FILE          the key (required); submissions can never read it
      --jobs N            grade N submissions at once, each in its own process (default: 1)
      --json FILE         one JSON line per submission (- for standard output)
      --gradescope DIR    write Gradescope's results.json (DIR/results.json for one submission,
                          DIR/<submission>/results.json for several)
      --allow-read DIR    let submissions read files under DIR (data the exercise provides)
      --no-sandbox        run submissions without the file sandbox
      --timeout S         per cell (default 30)      --total-timeout S   per submission (default 120)
      --max-memory MB     default 4096               --max-output KB     default 256
      --seed N            seed each session (default 0)
      --shard K/N         grade only the K-th (0 to N-1) of N shards: every N-th submission in the
                          order of their paths, so that N runs grade each submission once
      --max-disk MB       bytes a submission may write, default 100

    """

    struct Options {
        var key: String? = nil
        var jobs = 1
        var json: String? = nil
        var gradescope: String? = nil
        var allowRead: [String] = []
        var limits = RunLimits(cellSeconds: 30, totalSeconds: 120, memoryMB: 4096, maxOutputKB: 256, maxDiskMB: 100, sandbox: true)
        var seed: UInt64 = 0
        var one = false
        var workdir: String? = nil
        /// What the submission's error messages call it (its path relative to the submissions folder).
        var name: String? = nil
        var shard: (index: Int, count: Int)? = nil
        var submissions: [String] = []
    }

    struct UsageError: Error { let message: String }

    static func parse(_ args: [String]) -> Result<Options, UsageError> {
        var o = Options()
        var i = 0
        while i < args.count {
            switch o.limits.parse(args, &i) {
            case .taken: i += 1; continue
            case .bad(let m): return .failure(UsageError(message: m))
            case .notMine: break
            }
            let a = args[i]
            func value() -> String? { i + 1 < args.count ? args[i + 1] : nil }
            switch a {
            case "-h", "--help": return .failure(UsageError(message: ""))
            case "--one": o.one = true; i += 1; continue
            case "--no-sandbox": o.limits.sandbox = false; i += 1; continue
            case "--key", "--json", "--gradescope", "--allow-read", "--jobs", "--seed", "--workdir", "--name", "--shard":
                guard let v = value() else { return .failure(UsageError(message: "\(a) needs a value")) }
                switch a {
                case "--key": o.key = v
                case "--json": o.json = v
                case "--gradescope": o.gradescope = v
                case "--allow-read": o.allowRead.append(v)
                case "--workdir": o.workdir = v
                case "--name": o.name = v
                case "--shard":
                    let parts = v.split(separator: "/", omittingEmptySubsequences: false)
                    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 0, k < n else {
                        return .failure(UsageError(message: "--shard needs K/N with 0 <= K < N (such as 0/4)"))
                    }
                    o.shard = (k, n)
                case "--jobs":
                    guard let n = Int(v), n >= 1, n <= 256 else { return .failure(UsageError(message: "--jobs needs a number from 1 to 256")) }
                    o.jobs = n
                default:
                    guard let n = Int64(v) else { return .failure(UsageError(message: "--seed needs an integer")) }
                    o.seed = UInt64(bitPattern: n)
                }
                i += 2
                continue
            default:
                if a.hasPrefix("-") { return .failure(UsageError(message: "unknown option '\(a)'")) }
                o.submissions.append(a)
            }
            i += 1
        }
        guard o.limits.sandboxRoot == nil else {
            return .failure(UsageError(message: "--sandbox-root is for dlx and dlx test: dlx grade runs each submission in a fresh folder of its own"))
        }
        guard o.key != nil else { return .failure(UsageError(message: "--key is required")) }
        guard !o.submissions.isEmpty else { return .failure(UsageError(message: "no submissions given")) }
        return .success(o)
    }

    static func main(_ args: [String]) -> Int32 {
        let options: Options
        switch parse(args) {
        case .success(let o): options = o
        case .failure(let e):
            let m = e.message
            if m.isEmpty { Output.stdout(usage); return 0 }
            Output.stderr("dlx grade: \(m)\n" + usage)
            return 2
        }
        guard let keyText = TextFiles.read(options.key!) else {
            Output.stderr("dlx grade: cannot open key '\(options.key!)': \(TextFiles.failure)\n")
            return 2
        }
        let checks: [DocCheck]
        do { checks = try DocTestFile.parse(keyText, file: options.key!) } catch {
            Output.stderr(error.description + "\n")
            return 2
        }
        if options.one { return GradeChild.run(options, checks: checks) }
        guard !checks.isEmpty else { Output.stderr("dlx grade: the key '\(options.key!)' has no checks (>>> lines)\n"); return 2 }
        var submissions = Submission.expand(options.submissions)
        guard !submissions.isEmpty else { Output.stderr("dlx grade: no .dlx or .ipynb files among the submissions\n"); return 2 }
        if let shard = options.shard { submissions = Submission.shard(submissions, index: shard.index, count: shard.count) }
        return GradeParent(options: options, checks: checks, submissions: submissions).run()
    }
}
