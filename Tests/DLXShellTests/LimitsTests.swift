import Testing
import Foundation

/// `--timeout`, `--total-timeout`, `--max-memory`, `--max-output` and `--sandbox` on a plain run.
@Suite struct LimitsTests {
    @Test func aCellPastItsTimeIsATimeoutErrorWithStatus124() throws {
        let r = try runDLX(["--timeout", "0.5", "-"], stdin: "print(1)\nwhile True:\n    pass\nprint(2)\n")
        #expect(r.stdout == "1\n")
        #expect(r.stderr == "<stdin>:2:1: error: TimeoutError: the cell ran for more than 0.5 s (--timeout)\n")
        #expect(r.status == 124)
        // Going on after it: the next cell runs, and the status is an ordinary failure.
        let k = try runDLX(["--timeout", "0.5", "--keep-going", "-"], stdin: "while True:\n    pass\nprint(2)\n")
        #expect(k.stdout == "2\n")
        #expect(k.status == 1)
    }

    @Test func theTotalTimeEndsTheRunEvenWhenGoingOn() throws {
        let r = try runDLX(["--total-timeout", "0.5", "--keep-going", "-"], stdin: "i = 0\nwhile True:\n    i += 1\nprint('never')\n")
        #expect(r.stdout == "")
        #expect(r.stderr.contains("TimeoutError: the run took more than 0.5 s in all (--total-timeout)"))
        #expect(r.status == 124)
    }

    @Test func tensorsPastTheMemoryLimitAreAMemoryError() throws {
        let r = try runDLX(["--max-memory", "100", "--keep-going", "-"],
                           stdin: "x = torch.zeros(1000, 1000, 100)\nprint('alive')\ny = 'x' * (10 ** 12)\nprint('still')\n")
        #expect(r.stdout == "alive\nstill\n")
        #expect(r.stderr.contains("1:5: error: MemoryError: can't allocate memory: you tried to allocate 400000000 bytes, and the limit is 104857600 bytes"))
        #expect(r.stderr.contains("3:5: error: MemoryError"))
        #expect(r.status == 1)
    }

    /// Issue 22: sizes that overflow, and host arrays past the limit, were traps (SIGILL) or aborts.
    @Test func hugeSizesAreErrorsNotCrashes() throws {
        let lines = [
            "torch.zeros(1).expand(2**40, 2**40).sum()", "torch.zeros(1).expand(2**40, 2**40).numel()",
            "torch.zeros(0, 2**62, 4)", "torch.zeros(1).expand(-2, 1)", "nn.Conv2d(1, 1, 2**32)",
            "torch.cat([torch.tensor(1.), torch.tensor(2.)])", "torch.arange(0, 1e30, 1e-30)",
            "torch.zeros(1).expand(2**20, 2**20).tolist()",
            "x = torch.zeros(30_000_000)", "x.argmax()", "x.view(100, -1).max(dim=1)[0].shape", "x.sum()", "print('alive')",
        ]
        let r = try runDLX(["--max-memory", "150", "--keep-going", "-"], stdin: lines.joined(separator: "\n") + "\n")
        #expect(r.stdout == "tensor(0)\ntorch.Size([100])\ntensor(0.)\nalive\n")
        let errors = r.stderr.split(separator: "\n").map(String.init)
        #expect(errors == [
            "<stdin>:1:1: error: RuntimeError: numel: integer multiplication overflow",
            "<stdin>:2:1: error: RuntimeError: numel: integer multiplication overflow",
            "<stdin>:3:1: error: RuntimeError: Stride calculation overflowed",
            "<stdin>:4:1: error: RuntimeError: The expanded size of the tensor (-2) isn't allowed in a leading, non-existing dimension 0",
            "<stdin>:5:1: error: RuntimeError: Storage size calculation overflowed with sizes=[1, 1, 4294967296, 4294967296]",
            "<stdin>:6:1: error: RuntimeError: zero-dimensional tensor (at position 0) cannot be concatenated",
            "<stdin>:7:1: error: RuntimeError: invalid size, possible overflow?",
            "<stdin>:8:1: error: MemoryError: the result would hold 1099512676352 items, more than dlx allows (10000000)",
        ])
        #expect(r.status == 1)
    }

    @Test func outputPastTheLimitIsCutWithAMarker() throws {
        let r = try runDLX(["--max-output", "1", "-"], stdin: "for i in range(1000):\n    print('line', i)\n")
        #expect(r.stdout.utf8.count < 1200)
        #expect(r.stdout.hasSuffix("[dlx: output cut here: more than 1 KB (--max-output)]\n"))
        #expect(r.status == 0)
    }

    @Test func theSandboxRefusesFilesOutsideAndSystemAccess() throws {
        let dir = try scratchDirectory("sandbox")
        try "print('inside')\n".write(toFile: dir + "/mine.dlx", atomically: true, encoding: .utf8)
        let script = """
        %run mine.dlx
        %run /etc/passwd
        load csv("/etc/passwd")
        %save ../escape.dlx
        %save kept.dlx
        %cd /
        %env HOME
        x = load mnist
        """
        let r = try runDLX(["--sandbox", "--keep-going", "-"], stdin: script, directory: dir)
        #expect(r.stdout.hasPrefix("inside\n"))
        let errors = r.stderr.split(separator: "\n").map(String.init)
        #expect(errors == [
            "<stdin>:2:1: error: PermissionError: [sandbox] reading '/etc/passwd' is not allowed: only files under the working directory and the data folders",
            "<stdin>:3:1: error: PermissionError: [sandbox] reading '/etc/passwd' is not allowed: only files under the working directory and the data folders",
            "<stdin>:4:1: error: PermissionError: [sandbox] writing '../escape.dlx' is not allowed: only files under the working directory",
            "<stdin>:6:1: error: PermissionError: [sandbox] %cd is not allowed",
            "<stdin>:7:1: error: PermissionError: [sandbox] %env (reading or setting the environment) is not allowed",
        ])
        #expect(FileManager.default.fileExists(atPath: dir + "/kept.dlx"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/../escape.dlx"))
        // A symbolic link out of the directory does not get around it.
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: "/etc")
        let l = try runDLX(["--sandbox", "-"], stdin: "%run link/passwd\n", directory: dir)
        #expect(l.stderr.contains("PermissionError: [sandbox] reading 'link/passwd' is not allowed"))
    }
}
