import Testing
import Foundation
@testable import DLXShell

/// Issue 22, section 3: the holes a hostile class could use against `dlx grade`: links to the key, rebound
/// built-ins, file names that forge table rows, the key beside a sandboxed run, work folders of killed
/// graders, and sharding for clusters.
@Suite(.serialized) struct GradeHolesTests {
    static func write(_ text: String, _ path: String) throws { try text.write(toFile: path, atomically: true, encoding: .utf8) }

    static func results(_ path: String) throws -> [String: JSON] {
        var out: [String: JSON] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let r = try #require(JSON.parse(String(line)))
            out[try #require(r["id"]?.stringValue)] = r
        }
        return out
    }

    /// `ln -s ../key.dlx subs/x.dlx`: a link to a file outside the submissions folder is never run (the key's
    /// hidden expected output would otherwise appear in the results); a link inside the folder is graded.
    @Test func linksOutOfTheSubmissionsFolderAreRefused() throws {
        let dir = try scratchDirectory("grade-links")
        try FileManager.default.createDirectory(atPath: dir + "/subs", withIntermediateDirectories: true)
        try Self.write("# dlx: visibility=hidden\n>>> answer\n'SECRET ANSWER'\n", dir + "/key.dlx")
        try Self.write("answer = 'SECRET ANSWER'\n", dir + "/elsewhere.dlx")
        try Self.write("answer = 'SECRET ' + 'ANSWER'\n", dir + "/subs/ok.dlx")
        symlink("../key.dlx", dir + "/subs/x.dlx")
        symlink(dir + "/elsewhere.dlx", dir + "/subs/y.dlx")
        symlink("ok.dlx", dir + "/subs/alias.dlx")
        let r = try runDLX(["grade", "--key", "key.dlx", "--json", "r.jsonl", "--gradescope", "gs", "subs", "subs/x.dlx"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let results = try Self.results(dir + "/r.jsonl")
        #expect(results["subs/ok.dlx"]?["score"]?.numberValue == 1)
        #expect(results["subs/alias.dlx"]?["score"]?.numberValue == 1)
        #expect(results["subs/x.dlx"]?["status"]?.stringValue == "error")
        #expect(results["subs/y.dlx"]?["status"]?.stringValue == "error")
        let y = try #require(results["subs/y.dlx"]?["checks"]?.arrayValue?.first?["got"]?.stringValue)
        #expect(y == "(the submission 'y.dlx' is a link to a file outside the submissions folder; not graded)")
        let x = try #require(results["subs/x.dlx"]?["checks"]?.arrayValue?.first?["got"]?.stringValue)
        #expect(x == "(the submission 'x.dlx' is the key; not graded)")
        // Neither link's file ran: nothing of it is in what they got or printed.
        for name in ["x", "y"] {
            #expect(results["subs/\(name).dlx"]?["checks"]?.arrayValue?.allSatisfy { $0["got"]?.stringValue?.contains("SECRET") != true } == true)
            let gs = try #require(JSON.parse(try String(contentsOfFile: dir + "/gs/\(name)/results.json", encoding: .utf8)))
            #expect(gs["output"]?.stringValue?.contains("not graded") == true, "\(gs.text())")
        }
    }

    /// A submission that rebinds built-ins (or torch's functions) cannot forge a score: the key's checks
    /// see Python's, while the submission's own functions keep its definitions.
    @Test func reboundBuiltinsDoNotForgeScores() throws {
        let dir = try scratchDirectory("grade-forge")
        try Self.write("""
        # dlx: name="sum"
        >>> sum(p.numel() for p in model.parameters())
        7850

        # dlx: name="len"
        >>> len(answer)
        3

        # dlx: name="in a comprehension"
        >>> [len(str(i)) for i in range(2)]
        [1, 1]

        # dlx: name="torch"
        >>> torch.allclose(torch.ones(2), model.bias[:2] * 0)
        False

        # dlx: name="print"
        >>> print(len(answer))
        3

        # dlx: name="the submission's function"
        >>> total([1, 2])
        3

        """, dir + "/key.dlx")
        try Self.write("""
        model = nn.Linear(2, 1)
        answer = [1, 2]
        def total(x): return sum(x)
        def sum(x): return 7850
        def len(x): return 3
        def print(*a): pass
        torch.allclose = lambda a, b: False

        """, dir + "/forger.dlx")
        let r = try runDLX(["grade", "--key", "key.dlx", "--json", "-", "forger.dlx"], directory: dir)
        let result = try #require(JSON.parse(r.stdout.trimmingCharacters(in: .newlines)), "\(r.stdout)")
        let checks = try #require(result["checks"]?.arrayValue)
        #expect(checks.map { $0["name"]?.stringValue ?? "" } == ["sum", "len", "in a comprehension", "torch", "print", "the submission's function"])
        // 7850 is not the sum of 3 parameters; answer has 2 items; torch.allclose of ones and zeros is False
        // either way; the submission's total calls its own sum (7850, not 3).
        #expect(checks.map { $0["status"]?.stringValue ?? "" } == ["failed", "failed", "passed", "passed", "failed", "failed"])
        #expect(checks.map { $0["got"]?.stringValue ?? "" } == ["3", "2", "[1, 1]", "False", "2", "7850"])
    }

    /// File names with newlines, carriage returns and escape sequences are printed escaped, so they cannot
    /// forge rows or rewrite the terminal; error messages name the submission relative to its folder.
    @Test func hostileFileNamesAreEscapedAndMessagesUseRelativePaths() throws {
        let dir = try scratchDirectory("grade-names")
        try FileManager.default.createDirectory(atPath: dir + "/subs", withIntermediateDirectories: true)
        try Self.write(">>> 6 * 7\n42\n", dir + "/key.dlx")
        let evil = "evil\ntop.dlx                               100.0  100.0  ok\r\u{1B}[2J\u{202E}x.dlx"
        try Self.write("1 / 0\n", dir + "/subs/" + evil)
        let r = try runDLX(["grade", "--key", "key.dlx", "--gradescope", "gs", dir + "/subs"], directory: dir)
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4, "\(r.stdout.debugDescription)")   // header, one row, summary, ""
        #expect(!r.stdout.contains("\r") && !r.stdout.contains("\u{1B}") && !r.stdout.contains("\u{202E}"))
        #expect(lines[1].contains("\\r\\x1b[2J\\u202ex.dlx"), "\(lines[1])")
        let output = try #require(JSON.parse(try String(contentsOfFile: dir + "/gs/results.json", encoding: .utf8))?["output"]?.stringValue)
        #expect(output.hasPrefix(evil + ":1:1: error: ZeroDivisionError"), "\(output.debugDescription)")
        #expect(!output.contains(dir))
    }

    /// `dlx --sandbox-root DIR` runs the code in DIR: a key in the folder dlx was started from is out of reach.
    @Test func theSandboxRootKeepsTheKeyOutOfReach() throws {
        let dir = try scratchDirectory("sandbox-root")
        try FileManager.default.createDirectory(atPath: dir + "/root", withIntermediateDirectories: true)
        try Self.write("secret\n", dir + "/key.dlx")
        try Self.write("import os\nprint(os.listdir('.'))\nprint(open('../key.dlx').read())\nprint(open('key.dlx').read())\n_ = open('out.txt', 'w').write('x')\n", dir + "/sub.dlx")
        let r = try runDLX(["--sandbox-root", "root", "--keep-going", "--json", "cells.jsonl", "sub.dlx"], directory: dir)
        #expect(r.stdout == "[]\n")
        #expect(r.stderr.contains("sub.dlx:3:7: error: PermissionError: [sandbox] reading '../key.dlx' is not allowed"), "\(r.stderr)")
        #expect(r.stderr.contains("sub.dlx:4:7: error: FileNotFoundError"), "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/root/out.txt"))
        #expect(FileManager.default.fileExists(atPath: dir + "/cells.jsonl"))   // dlx's own files stay where named
        // Without a root, --sandbox-hide names the files the code may never read.
        let h = try runDLX(["--sandbox-hide", "key.dlx", "--keep-going", "sub.dlx"], directory: dir)
        #expect(h.stderr.contains("sub.dlx:4:7: error: PermissionError: [sandbox] reading 'key.dlx' is not allowed"), "\(h.stderr)")
        #expect(try runDLX(["--sandbox-root", "missing", "sub.dlx"], directory: dir).stderr
                == "dlx: cannot use the sandbox root 'missing': No such file or directory\n")
        #expect(try runDLX(["grade", "--key", "key.dlx", "--sandbox-root", "root", "sub.dlx"], directory: dir).status == 2)
    }

    /// Work folders of a grader killed with SIGKILL (its process gone) are removed by the next `dlx grade`;
    /// those of a grader still running are left alone.
    @Test func workFoldersOfKilledGradersAreRemovedByTheNextRun() throws {
        let dir = try scratchDirectory("grade-stale")
        try Self.write(">>> 6 * 7\n42\n", dir + "/key.dlx")
        try Self.write("x = 1\n", dir + "/s.dlx")
        // A process id that is surely gone: a child that has exited and been reaped.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let stale = "/tmp/dlx-grade-\(gone.processIdentifier)-abcdef", live = "/tmp/dlx-grade-\(getpid())-abcdef"
        for d in [stale, live] {
            try FileManager.default.createDirectory(atPath: d + "/sub", withIntermediateDirectories: true)
            try Self.write("half", d + "/sub/f.txt")
        }
        defer { try? FileManager.default.removeItem(atPath: live); try? FileManager.default.removeItem(atPath: stale) }
        let r = try runDLX(["grade", "--key", "key.dlx", "s.dlx"], directory: dir)
        #expect(r.status == 0)
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: live + "/sub/f.txt"))
    }

    /// `--shard K/N` splits the submissions into N deterministic shards; the GNU parallel recipe of
    /// docs/grading.md, run here with 4 shards, gives the same results as one run, submission by submission.
    @Test func shardsMergedByGNUParallelEqualOneRun() throws {
        guard let parallel = ["/usr/bin/parallel", "/usr/local/bin/parallel"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("skipped: GNU parallel is not installed (Debian package 'parallel', in scripts/lib/packages.sh)")
            return
        }
        let dir = try scratchDirectory("grade-shards")
        try FileManager.default.createDirectory(atPath: dir + "/submissions", withIntermediateDirectories: true)
        try Self.write("# dlx: points=2 name=\"answer\"\n>>> answer\n42\n\n# dlx: name=\"double\"\n>>> answer * 2\n84\n", dir + "/key.dlx")
        for i in 0..<11 { try Self.write("answer = \(i % 3 == 0 ? 42 : i)\n", dir + "/submissions/s\(i).dlx") }
        // The shards cover every submission once.
        let all = Submission.expand([dir + "/submissions"]).map(\.path)
        let shards = (0..<4).map { k in Submission.shard(Submission.expand([dir + "/submissions"]), index: k, count: 4).map(\.path) }
        #expect(shards.flatMap { $0 }.sorted() == all.sorted())
        #expect(shards.map(\.count) == [3, 3, 3, 2])
        let single = try runDLX(["grade", "--key", "key.dlx", "--json", "single.jsonl", "submissions/"], directory: dir)
        #expect(single.status == 0)
        // The recipe, as documented (with this build's dlx first in PATH).
        let recipe = "parallel 'dlx grade --key key.dlx --shard {}/4 --json results.{}.jsonl submissions/ > /dev/null' ::: 0 1 2 3 && cat results.*.jsonl > results.jsonl"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", recipe]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = (dlxPath as NSString).deletingLastPathComponent + ":" + (parallel as NSString).deletingLastPathComponent + ":/usr/bin:/bin"
        env["HOME"] = dir   // parallel keeps its notes in ~/.parallel
        env["DLX_DATA"] = repositoryRoot + "/data"
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        func comparable(_ r: JSON) -> String {
            guard case .object(let pairs) = r else { return r.text() }
            return JSON.object(pairs.filter { $0.0 != "elapsed" }).text()
        }
        let one = try Self.results(dir + "/single.jsonl"), merged = try Self.results(dir + "/results.jsonl")
        #expect(one.count == 11 && merged.count == 11)
        #expect(try String(contentsOfFile: dir + "/results.jsonl", encoding: .utf8).split(separator: "\n").count == 11)
        for (id, r) in one { #expect(merged[id].map(comparable) == comparable(r), "\(id)") }
        #expect(try runDLX(["grade", "--key", "key.dlx", "--shard", "4/4", "submissions"], directory: dir).status == 2)
    }
}
