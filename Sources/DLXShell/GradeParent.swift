#if canImport(Glibc)
import Glibc
#endif
import DLXInterpreter
import DLXEngine
import CSupport

/// Runs the submissions in child processes, `jobs` at a time, each in a fresh temporary working
/// directory that is removed afterwards; a child that overruns its time is killed, and a child that
/// dies without a result scores zero on every check. Then reports.
struct GradeParent {
    let options: GradeCommand.Options
    let checks: [DocCheck]
    let submissions: [Submission]

    struct Running {
        var index: Int
        var pid: pid_t
        var fd: Int32
        var data: [UInt8] = []
        /// The child wrote more than `resultLimit`: the rest was read and dropped.
        var overflowed = false
        var deadline: Double
        var workdir: String
    }

    func run() -> Int32 {
        let start = Trainer.now()
        var results = [JSON?](repeating: nil, count: submissions.count)
        var running: [Running] = []
        var next = 0
        let exe = DataFolders.executablePath() ?? "dlx"
        // Past its own limits (the submission's, then the checks') plus room, a child is killed.
        let budget = 2 * (options.limits.totalSeconds ?? 600) + 10
        signal(SIGPIPE, SIG_IGN)
        // Stopped by Ctrl-C or kill: the children are stopped too and their work folders removed.
        dlx_sigint_install()
        dlx_sigterm_install()
        // Work folders that a killed grader left behind go first.
        GradeWorkFolders.removeStale()
        while next < submissions.count || !running.isEmpty {
            if dlx_sigint_peek() != 0 {
                for r in running {
                    kill(r.pid, SIGKILL)
                    _ = reap(r)
                }
                Output.stderr("dlx grade: stopped; \(results.compactMap { $0 }.count) of \(submissions.count) submissions graded, no results written\n")
                return 130
            }
            while running.count < options.jobs && next < submissions.count {
                let i = next
                next += 1
                if let why = submissions[i].refusal(key: options.key!) { results[i] = failed(i, "error", why) }
                else if let r = spawn(exe, i, deadline: Trainer.now() + budget) { running.append(r) }
                else { results[i] = failed(i, "error", "dlx grade could not start a process for it") }
            }
            var fds = running.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let wait = running.map { $0.deadline }.min().map { Swift.max(0, $0 - Trainer.now()) } ?? 0
            _ = poll(&fds, nfds_t(fds.count), Int32(Swift.min(wait, 1) * 1000) + 1)
            var finished: [Int] = []
            for k in running.indices {
                if fds[k].revents != 0 {
                    var buffer = [UInt8](repeating: 0, count: 65536)
                    let n = read(running[k].fd, &buffer, buffer.count)
                    if n > 0 {
                        if running[k].data.count + n <= resultLimit { running[k].data += buffer[0..<n] } else { running[k].overflowed = true }
                        continue
                    }
                    finished.append(k)
                } else if Trainer.now() > running[k].deadline {
                    kill(running[k].pid, SIGKILL)
                    finished.append(k)
                }
            }
            for k in finished.sorted(by: >) {
                let r = running.remove(at: k)
                let status = reap(r)
                let text = String(decoding: r.data, as: UTF8.self)
                if r.overflowed {
                    results[r.index] = failed(r.index, "error", "its process wrote more than \(resultLimit >> 20) MB of results")
                } else if let line = text.split(separator: "\n").last, case .object(var pairs)? = JSON.parse(String(line)),
                   pairs.contains(where: { $0.0 == "checks" }) {
                    // The submission as the grader named it, not the child's absolute path.
                    if let k = pairs.firstIndex(where: { $0.0 == "id" }) { pairs[k].1 = .string(submissions[r.index].path) }
                    results[r.index] = .object(pairs)
                } else if Trainer.now() > r.deadline {
                    results[r.index] = failed(r.index, "timeout", "killed after \(Int(budget)) s")
                } else {
                    let signal = status & 0x7f
                    results[r.index] = failed(r.index, "crashed", signal != 0 ? "the process died of signal \(signal)" : "the process exited with status \((status >> 8) & 0xff) and no result")
                }
            }
        }
        let all = results.map { $0 ?? .null }
        return report(all, seconds: Trainer.now() - start)
    }

    /// The most a child's result may take (its output is cut at --max-output, each check's at 64 KB, and
    /// JSON escapes can make six bytes of one): past it, the grader's memory stays bounded and the
    /// submission is an error.
    var resultLimit: Int {
        let output = (options.limits.maxOutputKB ?? 256) << 10
        let key = checks.reduce(0) { $0 + $1.source.utf8.count + $1.expected.reduce(0) { $0 + $1.utf8.count + 1 } }
        return (16 << 20) + 6 * Swift.min(output, 1 << 40) + 6 * key + checks.count * (6 * 65_536 + 4096)
    }

    /// Closes a finished (or killed) child's pipe, waits for it and removes its work folder; returns its wait status.
    func reap(_ r: Running) -> Int32 {
        close(r.fd)
        var status: Int32 = 0
        waitpid(r.pid, &status, 0)
        GradeParent.removeTree(r.workdir)
        return status
    }

    /// A result where every check failed, for a submission whose process gave none.
    func failed(_ i: Int, _ status: String, _ why: String) -> JSON {
        let max = checks.filter { !$0.options.skip }.reduce(0) { $0 + ($1.options.points ?? 1) }
        let tests = checks.filter { !$0.options.skip }.map { GradeChild.record($0, key: options.key!, status: status, scored: 0, got: "(\(why))") }
        return .object([("id", .string(submissions[i].path)), ("score", .number(0)), ("max", .number(max)), ("status", .string(status)),
                        ("elapsed", .null), ("output", .string(why)), ("checks", .array(tests))])
    }

    func spawn(_ exe: String, _ i: Int, deadline: Double) -> Running? {
        guard let workdir = GradeWorkFolders.make() else { return nil }
        let sub = GradeChild.absolute(submissions[i].path) ?? submissions[i].path
        var args = ["dlx", "grade", "--one", "--key", GradeChild.absolute(options.key!) ?? options.key!, "--workdir", workdir,
                    "--name", submissions[i].name, "--seed", "\(options.seed)"] + options.limits.arguments
        if !options.limits.sandbox { args.append("--no-sandbox") }
        for r in options.allowRead { args += ["--allow-read", GradeChild.absolute(r) ?? r] }
        args.append(sub)
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { GradeParent.removeTree(workdir); return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var pid: pid_t = 0
        let cArgs = args.map { strdup($0) } + [nil]
        defer { for a in cArgs { free(a) } }
        let rc = posix_spawn(&pid, exe, &actions, nil, cArgs, environ)
        close(pipeFDs[1])
        guard rc == 0 else { close(pipeFDs[0]); GradeParent.removeTree(workdir); return nil }
        return Running(index: i, pid: pid, fd: pipeFDs[0], deadline: deadline, workdir: workdir)
    }

    /// Removes a directory and everything in it, without following symbolic links.
    static func removeTree(_ path: String) {
        _ = dlx_remove_tree(path)
    }

    // MARK: - Reports

    func report(_ results: [JSON], seconds: Double) -> Int32 {
        var table = "submission" .padding(36) + "  score    max  status\n"
        var total = 0.0, maxTotal = 0.0
        for r in results {
            let score = r["score"]?.numberValue ?? 0, max = r["max"]?.numberValue ?? 0
            total += score; maxTotal += max
            let id = Submission.escaped(r["id"]?.stringValue ?? "?")
            table += (id.count > 36 ? "…" + String(id.suffix(35)) : id.padding(36)) + "  "
                + NumberFormat.fixed(score, 1).leftPadding(5) + "  " + NumberFormat.fixed(max, 1).leftPadding(5) + "  "
                + (r["status"]?.stringValue ?? "?") + "\n"
        }
        let n = results.count
        table += "\(n) submission\(n == 1 ? "" : "s") graded in \(NumberFormat.fixed(seconds, 2)) s ("
            + NumberFormat.fixed(Double(n) / Swift.max(seconds, 1e-9), 1) + " per second); mean score "
            + NumberFormat.fixed(total / Double(Swift.max(n, 1)), 2) + " of " + NumberFormat.fixed(maxTotal / Double(Swift.max(n, 1)), 2) + "\n"
        if options.json != "-" { Output.stdout(table) }
        if let json = options.json {
            let lines = results.map { r -> String in
                // The per-submission output goes to Gradescope only; the JSON Lines stay short.
                guard case .object(let pairs) = r else { return r.text() }
                return JSON.object(pairs.filter { $0.0 != "output" }).text()
            }.joined(separator: "\n") + "\n"
            if json == "-" { Output.stdout(lines) }
            else {
                do { try AtomicFile.write(lines, to: json) } catch { Output.stderr("dlx grade: OSError: \(error)\n"); return 2 }
            }
        }
        if let dir = options.gradescope {
            mkdir(dir, 0o755)
            for r in results {
                var target = dir
                if results.count > 1 || options.shard != nil {   // shards: the same layout whatever each holds
                    target = dir + "/" + GradeParent.folderName(r["id"]?.stringValue ?? "submission")
                    mkdir(target, 0o755)
                }
                do { try AtomicFile.write(GradeParent.gradescope(r).text(indent: 2) + "\n", to: target + "/results.json") } catch {
                    Output.stderr("dlx grade: OSError: \(error)\n")
                    return 2
                }
            }
        }
        Output.flush()
        return 0
    }

    /// A submission's own folder under --gradescope: its file name without .dlx (or .ipynb), letters, digits, `-`, `_`
    /// and `.` only, never `.` or `..`.
    static func folderName(_ id: String) -> String {
        var name = id.split(separator: "/").last.map(String.init) ?? id
        if name.hasSuffix(".dlx") { name.removeLast(4) } else if name.hasSuffix(".ipynb") { name.removeLast(6) }
        name = String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" })
        while name.hasPrefix(".") { name.removeFirst() }
        return name.isEmpty ? "submission" : name
    }

    /// Gradescope's results.json for one submission.
    static func gradescope(_ r: JSON) -> JSON {
        let tests: [JSON] = (r["checks"]?.arrayValue ?? []).map { c in
            let passed = c["status"]?.stringValue == "passed"
            let text = passed ? "" : "expected:\n\(c["expected"]?.stringValue ?? "")\ngot:\n\(c["got"]?.stringValue ?? "")"
            return .object([("name", c["name"] ?? .string("")), ("score", c["points"] ?? .number(0)),
                            ("max_score", c["max_points"] ?? .number(0)), ("output", .string(text)),
                            ("visibility", c["visibility"] ?? .string("visible"))])
        }
        return .object([("score", r["score"] ?? .number(0)), ("execution_time", r["elapsed"] ?? .null),
                        ("output", r["output"] ?? .string("")), ("tests", .array(tests))])
    }
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
    func leftPadding(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
