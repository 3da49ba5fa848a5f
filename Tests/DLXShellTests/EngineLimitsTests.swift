import Testing
import Foundation

/// Issue 22: `--timeout` and Ctrl-C reach into single long engine operations (a large product, a large
/// convolution, a reduction over a huge view), which stop within half a second of the limit and leave the
/// tensors and the session as they were.
@Suite(.serialized) struct EngineLimitsTests {
    /// Runs `op` as one cell under --timeout (1 s) and reports how long it took, then checks the session.
    func timed(_ setup: String, _ op: String, after check: String, limit: String = "1") throws -> (seconds: Double, result: RunResult) {
        let script = "import time\n\(setup)\nt = time.time()\n\(op)\nprint(round(time.time() - t, 2))\n\(check)\n"
        let r = try runDLX(["--timeout", limit, "--keep-going", "-"], stdin: script)
        let seconds = r.stdout.split(separator: "\n").first.flatMap { Double($0) } ?? 99
        return (seconds, r)
    }

    @Test func aLargeMatrixProductStopsAtTheCellLimit() throws {
        let (seconds, r) = try timed("a = torch.ones(6000, 6000)", "c = a @ a", after: "print(a.shape, a[0, :2], 'c' in globals())")
        #expect(r.stderr.contains(":4:5: error: TimeoutError: the cell ran for more than 1 s (--timeout)"), "\(r.stderr)")
        #expect(seconds < 1.5, "took \(seconds) s")
        #expect(r.stdout.hasSuffix("torch.Size([6000, 6000]) tensor([1., 1.]) False\n"), "\(r.stdout)")
    }

    @Test func aLargeConvolutionStopsAtTheCellLimit() throws {
        // Both the implicit gemm (5x5) and Winograd (3x3) paths.
        for k in [5, 3] {
            // About 8e10 multiply-adds: a second or more on two quiet cores (Winograd's 3x3 is the quickest), so
            // the limit is a quarter of a second.
            let (seconds, r) = try timed("x = torch.ones(64, 64, 128, 128)\nconv = nn.Conv2d(64, 128, \(k))", "y = conv(x)",
                                         after: "print(conv(x[:1, :, :8, :8]).shape)", limit: "0.25")
            #expect(r.stderr.contains("error: TimeoutError: the cell ran for more than 0.25 s (--timeout)"), "\(r.stderr)")
            // Under a sanitizer each chunk between checks runs several times slower.
            #expect(seconds < (ProcessInfo.processInfo.environment["DLX_SANITIZER"] == nil ? 0.75 : 4), "kernel \(k): took \(seconds) s")
            #expect(r.stdout.hasSuffix("torch.Size([1, 128, \(9 - k), \(9 - k)])\n"), "\(r.stdout)")
        }
    }

    @Test func aReductionOverAHugeViewStopsAtTheCellLimit() throws {
        let (seconds, r) = try timed("x = torch.zeros(1).expand(10**6, 10**5)", "x.max(dim=1)", after: "print(x[:2, :2].sum())")
        #expect(r.stderr.contains("error: TimeoutError: the cell ran for more than 1 s (--timeout)"), "\(r.stderr)")
        #expect(seconds < 1.5, "took \(seconds) s")
        #expect(r.stdout.hasSuffix("tensor(0.)\n"), "\(r.stdout)")
    }

    /// The total limit stops an operation too, and the run ends with status 124.
    @Test func theTotalLimitStopsAProductAndEndsTheRun() throws {
        let start = Date()
        let r = try runDLX(["--total-timeout", "1.5", "-"], stdin: "a = torch.ones(6000, 6000)\nfor i in range(100):\n    a = a @ a\nprint('never')\n")
        #expect(r.status == 124)
        #expect(r.stderr.contains("TimeoutError: the run took more than 1.5 s in all (--total-timeout)"), "\(r.stderr)")
        #expect(Date().timeIntervalSince(start) < 3.5)
    }
}

/// Ctrl-C at the prompt stops a long product in the middle, and the session goes on with its variables.
@Suite struct EngineInterruptTests {
    @Test func controlCStopsALargeProduct() throws {
        let (t, _) = try startShell()
        #expect(t.expect("In [1]: "), "transcript: \(t.transcript.debugDescription)")
        t.send("a = torch.ones(8000, 8000)\r")
        #expect(t.expect("In [2]: "))
        t.send("for i in range(1000): c = a @ a\r")
        Thread.sleep(forTimeInterval: 1)
        let sent = Date()
        t.send("\u{03}")
        #expect(t.expect("KeyboardInterrupt", timeout: 5), "transcript: \(t.transcript.debugDescription)")
        #expect(Date().timeIntervalSince(sent) < 1.5)
        #expect(t.expect("In [3]: "))
        t.send("a[0, :2], 'c' in globals()\r")
        #expect(t.expect("Out[3]: (tensor([1., 1.]), False)"), "transcript: \(t.transcript.debugDescription)")
        t.send("\u{04}")
        #expect(t.waitForExit() == 0)
    }
}
