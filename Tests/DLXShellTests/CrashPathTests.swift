import Testing
import Foundation

/// Issue 22: ways a submission killed the dlx process, each now Python's error and the run goes on.
@Suite struct CrashPathTests {
    /// Strings and lists count towards `--max-memory` as tensors do: a build that does not fit beside the
    /// tensors in use is a MemoryError (the grader's, so not catchable), not an abort at the address-space limit.
    @Test func bigBuildsCountTowardsTheMemoryLimit() throws {
        let lines = [
            "x = torch.zeros(10_000_000)",   // 40 MB of the 60
            "s = 'x' * 30_000_000",
            "a = [0] * 5_000_000",
            "t = 'ab' * 5_000_000",
            "print(len(t))",
        ]
        let r = try runDLX(["--max-memory", "60", "--keep-going", "-"], stdin: lines.joined(separator: "\n") + "\n")
        #expect(r.stdout == "10000000\n", "\(r.stderr)")
        let errors = r.stderr.split(separator: "\n").map(String.init)
        #expect(errors.count == 2, "\(r.stderr)")
        #expect(errors.first?.hasPrefix("<stdin>:2:5: error: MemoryError: can't allocate memory: you tried to allocate 30000000 bytes, and the limit is 62914560 bytes") == true)
        #expect(errors.last?.hasPrefix("<stdin>:3:5: error: MemoryError: can't allocate memory") == true)
        #expect(r.status == 1)
    }

    /// `%run` of the script that is running: Python's RecursionError (it was a SIGSEGV).
    @Test func aScriptThatRunsItselfIsARecursionError() throws {
        let dir = try scratchDirectory("run-itself")
        try "x = 1\n%run self.dlx\n".write(toFile: dir + "/self.dlx", atomically: true, encoding: .utf8)
        let r = try runDLX(["self.dlx"], directory: dir)
        #expect(r.stderr == "self.dlx:2:1: error: RecursionError: maximum recursion depth exceeded\n")
        #expect(r.status == 1)
    }
}
