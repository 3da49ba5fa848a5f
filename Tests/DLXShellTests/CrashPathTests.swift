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

    /// Found by feeding extreme arguments to dlx (issue 22's search): each line killed the process (an overflow
    /// trap, Int(NaN), an allocation the size of the argument) and is now Python's error.
    @Test func extremeArgumentsFoundByTheSearchAreErrors() throws {
        let lines = [
            "nn.MaxPool2d(3, padding=2**62)",
            "o = torch.optim.Adam([torch.ones(1, requires_grad=True)]); sd = o.state_dict()",
            "sd['state'] = {0: {'step': float('nan'), 'exp_avg': torch.zeros(1), 'exp_avg_sq': torch.zeros(1)}}; o.load_state_dict(sd)",
            "transforms.RandomResizedCrop(2**62)(torch.ones(1, 4, 4))",
            "import itertools, random, torchvision.transforms.functional as TF",
            "TF.resize(torch.ones(1, 4, 0), 3)",
            "TF.resize(torch.ones(1, 1, 4), 2**61)",
            "list(itertools.combinations(range(3), 2**62))",
            "list(itertools.permutations(range(3), 2**62))",
            "list(itertools.combinations_with_replacement(range(3), 2**62))",
            "list(itertools.product(range(3), repeat=2**40))",
            "random.choices([1], k=2**62)",
            "print('alive')",
        ]
        let r = try runDLX(["--max-memory", "200", "--keep-going", "-"], stdin: lines.joined(separator: "\n") + "\n")
        #expect(r.stdout == "alive\n")
        let errors = r.stderr.split(separator: "\n").map { $0.split(separator: ":").dropFirst(4).first.map(String.init) ?? "" }
        #expect(errors == [" RuntimeError", " ValueError", " RuntimeError", " RuntimeError", " MemoryError",
                           " MemoryError", " MemoryError", " MemoryError", " MemoryError", " MemoryError"], "\(r.stderr)")
    }

    /// What sizes alone do not bound (ten million lists of a thousand items) stops at the heap check: a
    /// MemoryError, not an abort at the address-space limit.
    @Test func nestedGrowthStopsAtTheMemoryLimit() throws {
        let r = try runDLX(["--max-memory", "100", "-"], stdin: "a = []\nwhile True:\n    a.append([0] * 1000)\n")
        #expect(r.stderr.hasPrefix("<stdin>:3:5: error: MemoryError: can't allocate memory: the session's values and tensors take"), "\(r.stderr)")
        #expect(r.status == 1)
    }
}
