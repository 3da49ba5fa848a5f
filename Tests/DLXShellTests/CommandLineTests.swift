import Testing
import Foundation

@Suite struct CommandLineTests {
    @Test func codeStringRunsAndPrintsValues() throws {
        let r = try runDLX(["-c", "x = 2\nx * 21\nprint('done')"])
        #expect(r.stdout == "42\ndone\n")
        #expect(r.status == 0)
    }

    @Test func firstErrorStopsWithStatusOneAndAPosition() throws {
        let r = try runDLX(["-c", "print(1)\ny = undefined + 1\nprint(2)"])
        #expect(r.stdout == "1\n")
        #expect(r.stderr == "<string>:2:5: error: NameError: name 'undefined' is not defined\n")
        #expect(r.status == 1)
    }

    @Test func keepGoingContinuesButStillFails() throws {
        let r = try runDLX(["--keep-going", "-c", "print(1)\n1/0\nprint(2)\nx = (\nprint(3)\n"])
        #expect(r.stdout == "1\n2\n3\n")
        #expect(r.stderr.contains("<string>:2:1: error: ZeroDivisionError: division by zero"))
        #expect(r.stderr.contains("<string>:4:5: error: SyntaxError: '(' was never closed"))
        #expect(r.status == 1)
    }

    /// Issue 22: a long autograd chain dropped, or left alive until exit, crashed dlx (recursive deinit).
    @Test func longAutogradGraphsAreFreedWithoutCrashing() throws {
        let code = """
        x = torch.ones(3, requires_grad=True)
        y = x
        for _ in range(300_000):
            y = y * 1.0
        y = None
        print("dropped")
        kept = x
        for _ in range(300_000):
            kept = kept + 0.0
        print("kept until exit")
        """
        let r = try runDLX(["-"], stdin: code + "\n")
        #expect(r.stdout == "dropped\nkept until exit\n")
        #expect(r.stderr == "")
        #expect(r.status == 0)
    }

    /// Without OpenBLAS the reference kernels run, many times slower: said once, on standard error, at the
    /// first matrix product (DLX_BLAS_LIBRARY=none forces that path on any machine).
    @Test func aMissingBLASIsSaidOnceAtTheFirstProduct() throws {
        let code = "print('before')\na = torch.ones(3, 3)\nprint((a @ a).sum())\nprint((a @ a.t()).sum())\n"
        let r = try runDLX(["-"], stdin: code, environment: ["DLX_BLAS_LIBRARY": "none"])
        #expect(r.stdout == "before\ntensor(27.)\ntensor(27.)\n")
        #expect(r.rawStderr == "dlx: OpenBLAS not found (install libopenblas0): using slow reference kernels\n")
        #expect(r.status == 0)
        let quiet = try runDLX(["-"], stdin: "print(1)\n", environment: ["DLX_BLAS_LIBRARY": "none"])
        #expect(quiet.rawStderr == "")   // no product, no notice
    }

    @Test func wrongCommandLineIsStatusTwo() throws {
        #expect(try runDLX(["--no-such-option"]).status == 2)
        #expect(try runDLX(["-c"]).status == 2)
        #expect(try runDLX(["/nonexistent/script.dlx"]).status == 2)
        #expect(try runDLX(["a.dlx", "b.dlx"]).status == 2)
        // Limits whose byte counts would overflow are refused, not trapped on.
        #expect(try runDLX(["--max-memory", "99999999999999", "-c", "1"]).status == 2)
        #expect(try runDLX(["--max-output", "9999999999999999", "-c", "1"]).status == 2)
    }

    /// A "script" that never ends (a device, `yes | dlx`) is refused after 64 MiB instead of filling memory.
    @Test func endlessInputIsRefusedNotRead() throws {
        let r = try runDLX(["/dev/zero"])
        #expect(r.status == 2)
        #expect(r.stderr == "dlx: cannot open '/dev/zero': larger than 64 MiB\n")
    }

    @Test func versionNamesBLASAndCUDA() throws {
        let r = try runDLX(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("dlx "))
        #expect(r.stdout.contains("BLAS: "))
        #expect(r.stdout.contains("CUDA: "))
    }

    @Test func pipedInputHasNoPromptsOrColours() throws {
        let r = try runDLX([], stdin: "1 + 1\n", environment: ["TERM": "xterm-256color"])
        #expect(r.stdout == "2\n")
    }

    @Test func dataIsFoundFromAnyWorkingDirectoryWithoutDLXDATA() throws {
        // runDLX runs in the temporary directory; the installation's data/ folder must still be found.
        let r = try runDLX(["-c", "len(load mnist.test)"], environment: ["DLX_DATA": "/nonexistent"])
        #expect(r.stdout == "10000\n")
    }
}
