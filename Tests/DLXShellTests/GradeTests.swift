import Testing
import Foundation
@testable import DLXShell

/// `dlx grade`: keys with points, results as a table, JSON Lines and Gradescope files, parallel jobs,
/// and hostile submissions that must cost only the checks they break.
@Suite(.serialized) struct GradeTests {
    static let key = """
    The key of the lesson-1 exercise.

    # dlx: points=2 name="x_0 has shape [1, 28, 28]"
    >>> x_0.shape
    torch.Size([1, 28, 28])

    # dlx: points=1 name="arithmetic still works" visibility=after_due_date
    >>> 6 * 7
    42

    # dlx: points=2 name="model has 669,706 parameters"
    >>> sum(p.numel() for p in model.parameters())
    669706

    """

    static let full = """
    train_set = torchvision.datasets.MNIST("./data/", train=True, download=True)
    x_0, y_0 = train_set[0]
    x_0 = transforms.ToTensor()(x_0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    summary(model, (1, 28, 28))

    """

    /// Parses JSON with Python's json module when there is a python3 (an independent reader), else with dlx's.
    static func independentlyParsed(_ path: String) throws -> Bool {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return JSON.parse(try String(contentsOfFile: path, encoding: .utf8)) != nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import json, sys\nr = json.load(open(sys.argv[1]))\nassert isinstance(r['tests'], list) and 'score' in r and 'execution_time' in r\nfor t in r['tests']:\n    assert set(t) == {'name', 'score', 'max_score', 'output', 'visibility'}", path]
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    /// Issue 22: results files are replaced atomically; on a full disk the old ones stay and the error says why.
    @Test func resultsThatCannotBeWrittenLeaveTheOldFiles() throws {
        let dir = try scratchDirectory("grade-enospc")
        try "# dlx: points=1\n>>> 6 * 7\n42\n".write(toFile: dir + "/key.dlx", atomically: true, encoding: .utf8)
        try "y = 1\n".write(toFile: dir + "/s.dlx", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/gs", withIntermediateDirectories: true)
        for f in ["results.jsonl", "gs/results.json"] { try "old\n".write(toFile: dir + "/" + f, atomically: true, encoding: .utf8) }
        let full = ["DLX_TEST_WRITE_ERROR": "28"]
        let json = try runDLX(["grade", "--key", "key.dlx", "--json", "results.jsonl", "s.dlx"], environment: full, directory: dir)
        #expect(json.stderr == "dlx grade: OSError: [Errno 28] No space left on device: 'results.jsonl'\n")
        #expect(json.status == 2)
        let gs = try runDLX(["grade", "--key", "key.dlx", "--gradescope", "gs", "s.dlx"], environment: full, directory: dir)
        #expect(gs.stderr == "dlx grade: OSError: [Errno 28] No space left on device: 'gs/results.json'\n")
        #expect(gs.status == 2)
        for f in ["results.jsonl", "gs/results.json"] { #expect(try String(contentsOfFile: dir + "/" + f, encoding: .utf8) == "old\n") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/gs") == ["results.json"])
        let ok = try runDLX(["grade", "--key", "key.dlx", "--json", "results.jsonl", "s.dlx"], directory: dir)
        #expect(ok.status == 0)
        #expect(try String(contentsOfFile: dir + "/results.jsonl", encoding: .utf8).hasPrefix("{\"id\": \"s.dlx\""))
    }

    @Test func gradesWithPointsAndWritesJSONLinesAndGradescope() throws {
        let dir = try scratchDirectory("grade")
        try Self.key.write(toFile: dir + "/key.dlx", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/subs", withIntermediateDirectories: true)
        try Self.full.write(toFile: dir + "/subs/alice.dlx", atomically: true, encoding: .utf8)
        try "x_0 = torch.zeros(28, 28)\nmodel = nn.Linear(784, 10)\n".write(toFile: dir + "/subs/bob.dlx", atomically: true, encoding: .utf8)
        try "x_0 = torch.zeros(1, 28, 28)\n1 / 0\n".write(toFile: dir + "/subs/carol.dlx", atomically: true, encoding: .utf8)
        let r = try runDLX(["grade", "--key", "key.dlx", "--jobs", "2", "--json", "results.jsonl", "--gradescope", "gs", "subs"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let table = r.stdout.split(separator: "\n").map(String.init)
        #expect(table.first == "submission                            score    max  status")
        #expect(table[1] == "subs/alice.dlx                          5.0    5.0  ok")
        #expect(table[2] == "subs/bob.dlx                            1.0    5.0  ok")
        #expect(table[3] == "subs/carol.dlx                          3.0    5.0  ok")
        #expect(table[4].hasPrefix("3 submissions graded in "))
        let lines = try String(contentsOfFile: dir + "/results.jsonl", encoding: .utf8).split(separator: "\n").compactMap { JSON.parse(String($0)) }
        #expect(lines.count == 3)
        #expect(lines.map { $0["score"]?.numberValue ?? -1 } == [5, 1, 3])
        let bob = try #require(lines[1]["checks"]?.arrayValue)
        #expect(bob[0]["status"]?.stringValue == "failed")
        #expect(bob[0]["got"]?.stringValue == "torch.Size([28, 28])")
        #expect(bob[2]["got"]?.stringValue == "7850")
        for name in ["alice", "bob", "carol"] {
            #expect(try Self.independentlyParsed(dir + "/gs/\(name)/results.json"), "gs/\(name)/results.json")
        }
        let carol = try #require(JSON.parse(try String(contentsOfFile: dir + "/gs/carol/results.json", encoding: .utf8)))
        #expect(carol["score"]?.numberValue == 3)
        #expect(carol["output"]?.stringValue?.contains("ZeroDivisionError") == true)
        #expect(carol["tests"]?.arrayValue?[1]["visibility"]?.stringValue == "after_due_date")
        // One submission: results.json straight in the folder.
        let one = try runDLX(["grade", "--key", "key.dlx", "--gradescope", "single", "subs/alice.dlx"], directory: dir)
        #expect(one.status == 0)
        #expect(try Self.independentlyParsed(dir + "/single/results.json"))
    }

    @Test func badCommandLinesAndKeysAreStatusTwo() throws {
        let dir = try scratchDirectory("grade-usage")
        try "no checks here\n".write(toFile: dir + "/empty-key.dlx", atomically: true, encoding: .utf8)
        try "x = 1\n".write(toFile: dir + "/s.dlx", atomically: true, encoding: .utf8)
        #expect(try runDLX(["grade", "s.dlx"], directory: dir).status == 2)
        #expect(try runDLX(["grade", "--key", "missing.dlx", "s.dlx"], directory: dir).status == 2)
        #expect(try runDLX(["grade", "--key", "empty-key.dlx", "s.dlx"], directory: dir).status == 2)
        #expect(try runDLX(["grade", "--key", "s.dlx", "--jobs", "0", "s.dlx"], directory: dir).status == 2)
    }

    /// The corpus in Tests/adversarial plus generated cases: garbage bytes, a 10 MB file, 100,000 nested
    /// parentheses, and a submission that reads the key by its absolute path. Every submission gets a
    /// result, none crashes the grader, each keeps the points its x_0 earns, and nothing escapes.
    @Test func adversarialCorpusIsGradedSafely() throws {
        let dir = try scratchDirectory("adversarial")
        let subs = dir + "/subs"
        try FileManager.default.createDirectory(atPath: subs, withIntermediateDirectories: true)
        for f in try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/Tests/adversarial") where f.hasSuffix(".dlx") {
            try FileManager.default.copyItem(atPath: repositoryRoot + "/Tests/adversarial/" + f, toPath: subs + "/" + f)
        }
        let key = """
        # dlx: points=1 name="x_0 has the right shape"
        >>> x_0.shape
        torch.Size([1, 28, 28])

        # dlx: points=1 name="arithmetic still works"
        >>> 6 * 7
        42

        """
        try key.write(toFile: dir + "/key.dlx", atomically: true, encoding: .utf8)
        let setX = "x_0 = torch.zeros(1, 28, 28)\n"
        var garbage = Data((0..<2048).map { UInt8($0 % 256) })
        garbage.append(("\n" + setX).data(using: .utf8)!)
        try garbage.write(to: URL(fileURLWithPath: subs + "/garbage.dlx"))
        try (setX + String(repeating: "y = 1 + 1\n", count: 1_000_000)).write(toFile: subs + "/ten-megabytes.dlx", atomically: true, encoding: .utf8)
        try (setX + "y = " + String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000) + "\n")
            .write(toFile: subs + "/deep-nesting.dlx", atomically: true, encoding: .utf8)
        try (setX + "%run \(dir)/key.dlx\n%run ../key.dlx\nload csv(\"\(dir)/key.dlx\")\n%save \(dir)/key.dlx\n")
            .write(toFile: subs + "/read-the-key.dlx", atomically: true, encoding: .utf8)
        let start = Date()
        // The grader's work folders go to a temporary folder of this test's own, where none may be left.
        let work = dir + "/tmp"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        // Under a sanitizer dlx runs 5-15 times slower: reading the ten-megabyte submission alone took 26 s under TSan.
        let sanitized = ProcessInfo.processInfo.environment["DLX_SANITIZER"] != nil
        let r = try runDLX(["grade", "--key", "key.dlx", "--jobs", "2", "--timeout", "1", "--total-timeout", sanitized ? "120" : "8",
                            "--max-memory", "1024", "--max-output", "64", "--json", "-", "subs"], environment: ["TMPDIR": work], directory: dir)
        #expect(Date().timeIntervalSince(start) < (sanitized ? 600 : 60))
        #expect(r.status == 0, "\(r.stderr)")
        let results = r.stdout.split(separator: "\n").compactMap { JSON.parse(String($0)) }
        let count = try FileManager.default.contentsOfDirectory(atPath: subs).count
        #expect(results.count == count)
        #expect(count >= 13)
        for result in results {
            let id = result["id"]?.stringValue ?? "?"
            let checks = result["checks"]?.arrayValue ?? []
            #expect(result["status"]?.stringValue != "crashed", "\(id)")
            #expect(checks.count == 2, "\(id)")
            // The key's second check never depends on the submission.
            #expect(checks.last?["status"]?.stringValue == "passed", "\(id): \(checks.last?["got"]?.stringValue ?? "")")
            if !id.hasSuffix("empty.dlx") {
                #expect(checks.first?["status"]?.stringValue == "passed", "\(id): \(checks.first?["got"]?.stringValue ?? "")")
            }
        }
        let statuses = Dictionary(uniqueKeysWithValues: results.map { ($0["id"]?.stringValue ?? "", $0["status"]?.stringValue ?? "") })
        #expect(statuses["subs/infinite-loop.dlx"] == "timeout")
        #expect(statuses["subs/output-flood.dlx"] == "timeout")
        #expect(try String(contentsOfFile: dir + "/key.dlx", encoding: .utf8) == key)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/dlx-adversarial-escape.dlx"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/dlx-adversarial-escape.dlx"))
        // The grader's work folders are gone.
        let left = try FileManager.default.contentsOfDirectory(atPath: work).filter { $0.hasPrefix("dlx-grade-") }
        #expect(left.isEmpty, "\(left)")
    }

    /// A grader that stops `dlx grade` (kill, or Ctrl-C) gets its children stopped and their work folders
    /// removed; the run says it stopped and exits with 130.
    @Test func stoppingTheGraderLeavesNoWorkFolders() throws {
        let dir = try scratchDirectory("grade-stop")
        let subs = dir + "/subs"
        try FileManager.default.createDirectory(atPath: subs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ">>> 6 * 7\n42\n".write(toFile: dir + "/key.dlx", atomically: true, encoding: .utf8)
        for i in 0..<4 { try "while True:\n    x = 1\n".write(toFile: subs + "/loop\(i).dlx", atomically: true, encoding: .utf8) }
        let work = dir + "/tmp"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        func workFolders() throws -> Set<String> {
            Set(try FileManager.default.contentsOfDirectory(atPath: work).filter { $0.hasPrefix("dlx-grade-") })
        }
        let before = try workFolders()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: dlxPath)
        p.arguments = ["grade", "--key", "key.dlx", "--jobs", "2", "--timeout", "60", "subs"]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": work]) { _, new in new }
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        try p.run()
        // Wait until the children are at work (their folders exist), then stop the grader.
        let deadline = Date().addingTimeInterval(20)
        while try workFolders().subtracting(before).count < 2 && Date() < deadline { usleep(20_000) }
        #expect(try workFolders().subtracting(before).count == 2)
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 130)
        #expect(message.contains("dlx grade: stopped; 0 of 4 submissions graded"), "\(message)")
        #expect(try workFolders().subtracting(before).isEmpty)
    }
}
