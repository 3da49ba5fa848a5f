import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import CTestSupport

/// The interactive shell, driven through a real pseudo-terminal as a learner's terminal would drive it.
final class PseudoTerminal {
    let master: Int32
    let pid: pid_t
    private(set) var transcript = ""
    private var pending = ""

    init(arguments: [String], environment: [String: String], rows: Int32 = 24, columns: Int32 = 80) throws {
        let argv = ([dlxPath] + arguments).map { strdup($0) } + [nil]
        // A sanitizer run's options reach the child too (its leak report and stack settings), whatever else the
        // test keeps out of the terminal's environment.
        var environment = environment
        for key in ["ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS", "DLX_SANITIZER"] where environment[key] == nil {
            if let v = ProcessInfo.processInfo.environment[key] { environment[key] = v }
        }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        var m: Int32 = -1
        let child = dlx_test_spawn_in_pty_sized(dlxPath, argv, envp, &m, rows, columns)
        argv.forEach { free($0) }
        envp.forEach { free($0) }
        guard child > 0 else { throw POSIXError(.ENOEXEC) }
        master = m
        pid = child
    }

    func send(_ text: String) {
        _ = text.withCString { write(master, $0, strlen($0)) }
    }

    /// Reads until `text` has appeared after `from` in the transcript, or the time is up.
    /// Reads until `text` appears in what arrived since the last successful expectation.
    @discardableResult
    func expect(_ text: String, timeout: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let r = pending.range(of: text) {
                pending = String(pending[r.upperBound...])
                return true
            }
            var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&fds, 1, 100) > 0 {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { break }
                let chunk = String(decoding: buffer[0..<n], as: UTF8.self)
                transcript += chunk
                pending += chunk
            }
        }
        return false
    }

    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while Date() < deadline {
            var buffer = [UInt8](repeating: 0, count: 4096)
            var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&fds, 1, 50) > 0 {
                let n = read(master, &buffer, buffer.count)
                if n > 0 { transcript += String(decoding: buffer[0..<n], as: UTF8.self) }
            }
            if waitpid(pid, &status, WNOHANG) == pid { return (status >> 8) & 0xff }
        }
        kill(pid, SIGKILL)
        return nil
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(master)
    }
}

/// dlx at a fresh pseudo-terminal, with its own home folder (for the history file); returns the home too.
func startShell() throws -> (PseudoTerminal, String) {
    let home = scratchFile("-home")
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    let term = try PseudoTerminal(arguments: [], environment: [
        "TERM": "xterm", "NO_COLOR": "1", "HOME": home, "DLX_DATA": repositoryRoot + "/data", "PATH": "/usr/bin:/bin",
    ])
    return (term, home)
}

@Suite(.serialized) struct InteractiveTests {

    @Test func promptsContinuationErrorsAndStateSurvive() throws {
        let (t, home) = try startShell()
        #expect(t.expect("In [1]: "), "transcript: \(t.transcript.debugDescription)")
        t.send("x = 21\r")
        #expect(t.expect("In [2]: "))
        t.send("x * 2\r")
        #expect(t.expect("Out[2]: 42"))
        t.send("y = [1,\r")
        #expect(t.expect("   ...: "))
        t.send("2]\r")
        #expect(t.expect("In [4]: "))
        t.send("y\r")
        #expect(t.expect("Out[4]: [1, 2]"))
        t.send("x + undefined\r")
        #expect(t.expect("NameError: name 'undefined' is not defined"))
        #expect(t.expect("^^^^^^^^^"))
        t.send("x\r")
        #expect(t.expect("Out[6]: 21"))
        t.send("torch.zeros(2, 2)\r")
        #expect(t.expect("Out[7]: \r\ntensor([[0., 0.],"))
        #expect(t.expect("In [8]: "))   // Ctrl-D typed ahead, before the prompt, is a different test
        t.send("\u{04}")
        #expect(t.waitForExit() == 0)
        let history = (try? String(contentsOfFile: home + "/.dlx_history", encoding: .utf8)) ?? ""
        #expect(history.contains("x * 2"))
        #expect(history.contains("y = [1,\n2]") || history.contains("y = [1,"))
    }

    /// An error raised in a function defined in an earlier cell: IPython's traceback, each frame's cell and
    /// line with an arrow; a user class and exit() leave the prompt.
    @Test func errorsInFunctionsShowIPythonsTracebackAndExitLeaves() throws {
        let (t, _) = try startShell()
        #expect(t.expect("In [1]: "))
        t.send("def f(x):\r")
        #expect(t.expect("...: "))
        t.send("    return 1 / x\r\r")
        #expect(t.expect("In [2]: "))
        t.send("f(0)\r")
        #expect(t.expect("Traceback (most recent call last)"), "transcript: \(t.transcript.debugDescription)")
        #expect(t.expect("Cell In[2], line 1"))
        #expect(t.expect("----> 1 f(0)"))
        #expect(t.expect("Cell In[1], line 2, in f()"))
        #expect(t.expect("----> 2"))
        #expect(t.expect("ZeroDivisionError: division by zero"))
        t.send("exit()\r")
        #expect(t.waitForExit() == 0)
    }

    @Test func controlCClearsTheLineAndKeepsTheSession() throws {
        let (t, _) = try startShell()
        #expect(t.expect("In [1]: "), "transcript: \(t.transcript.debugDescription)")
        t.send("z = 5\r")
        #expect(t.expect("In [2]: "))
        // As in IPython, Ctrl-C clears what was typed and the prompt stays; a second one changes nothing.
        t.send("half typed")
        #expect(t.expect("half typed"))
        t.send("\u{03}")
        Thread.sleep(forTimeInterval: 0.2)
        t.send("\u{03}")
        Thread.sleep(forTimeInterval: 0.2)
        t.send("z\r")
        #expect(t.expect("Out[2]: 5"))
        #expect(t.expect("In [3]: "))
        t.send("\u{04}")
        #expect(t.waitForExit() == 0)
    }
}

@Suite struct CellHistoryTests {
    @Test func outputsAreKeptAsUnderscoresAndOutIn() throws {
        let (t, _) = try startShell()
        #expect(t.expect("In [1]: "))
        t.send("x = 5\r")
        #expect(t.expect("In [2]: "))
        t.send("x * 2\r")
        #expect(t.expect("Out[2]: 10"))
        t.send("_ + 1\r")
        #expect(t.expect("Out[3]: 11"))
        t.send("_2, __, Out[3], In[1]\r")
        #expect(t.expect("Out[4]: (10, 10, 11, 'x = 5')"))
        t.send("x + 1;\r")                // a trailing ; hides the value
        #expect(t.expect("In [6]: "))
        #expect(!t.transcript.contains("Out[5]"))
        t.send("%who\r")
        #expect(t.expect("x"))
        #expect(t.expect("In [7]: "))
        t.send("x.bit_len\t")            // no such attribute on int in dlx: nothing to complete
        Thread.sleep(forTimeInterval: 0.2)
        t.send("\u{03}")
        Thread.sleep(forTimeInterval: 0.2)
        t.send("torch.ara\t")            // one candidate: completed in place
        #expect(t.expect("torch.ara"))
        #expect(t.expect("nge"), "transcript: \(t.transcript.suffix(300).debugDescription)")
        t.send("(2).sh\t")
        t.send("\r")
        #expect(t.expect("AttributeError"))
        #expect(t.expect("In [8]: "))
        t.send("\u{04}")
        #expect(t.waitForExit() == 0)
    }
}

@Suite struct InterruptTests {
    @Test func controlCStopsARunningCellAndKeepsTheVariables() throws {
        let (t, _) = try startShell()
        #expect(t.expect("In [1]: "), "transcript: \(t.transcript.debugDescription)")
        t.send("n = 0\r")
        #expect(t.expect("In [2]: "))
        t.send("while True:\r")
        #expect(t.expect("...: "))
        t.send("    n += 1\r")
        #expect(t.expect("...: "))
        t.send("\r")
        Thread.sleep(forTimeInterval: 0.5)
        t.send("\u{03}")
        #expect(t.expect("KeyboardInterrupt"), "transcript: \(t.transcript.debugDescription)")
        #expect(t.expect("In [3]: "))
        t.send("n > 0\r")
        #expect(t.expect("Out[3]: True"))
        #expect(t.expect("In [4]: "))
        t.send("\u{03}")   // a second Ctrl-C, at the prompt, does not end the shell either
        Thread.sleep(forTimeInterval: 0.2)
        t.send("n > 0\r")
        #expect(t.expect("Out[4]: True"))
        #expect(t.expect("In [5]: "))
        t.send("\u{04}")
        #expect(t.waitForExit() == 0)
    }

    /// Readline's reverse search finds an earlier cell; Enter runs it again.
    @Test func controlRSearchesTheHistory() throws {
        let (t, _) = try startShell()
        #expect(t.expect("In [1]: "), "transcript: \(t.transcript.debugDescription)")
        t.send("777 * 3\r")
        #expect(t.expect("Out[1]: 2331"))
        t.send("1 + 1\r")
        #expect(t.expect("In [3]: "))
        t.send("\u{12}777")
        #expect(t.expect("reverse-i-search"), "transcript: \(t.transcript.debugDescription)")
        t.send("\r")
        #expect(t.expect("Out[3]: 2331"), "transcript: \(t.transcript.debugDescription)")
        #expect(t.expect("In [4]: "))
        t.send("\u{04}")
        #expect(t.waitForExit() == 0)
    }

    /// A multi-line block pasted into the terminal (bracketed paste) runs as one cell, blank lines and
    /// all, and stays one entry in the history.
    @Test func bracketedPasteRunsABlockAsOneCell() throws {
        let (t, home) = try startShell()
        #expect(t.expect("In [1]: "), "transcript: \(t.transcript.debugDescription)")
        let block = "total = 0\nfor i in range(4):\n    total += i\n\n    total += 10\nprint('total', total)"
        t.send("\u{1B}[200~" + block + "\u{1B}[201~")
        t.send("\r")
        #expect(t.expect("total 46"), "transcript: \(t.transcript.debugDescription)")
        #expect(t.expect("In [2]: "))
        t.send("total\r")
        #expect(t.expect("Out[2]: 46"))
        #expect(t.expect("In [3]: "))
        t.send("\u{04}")
        #expect(t.waitForExit() == 0)
        let history = (try? String(contentsOfFile: home + "/.dlx_history", encoding: .utf8)) ?? ""
        #expect(history.contains("for i in range(4):\\n    total += i"), "\(history.debugDescription)")   // one line, escaped
    }

    /// %load puts the file in the next input, where Enter runs it.
    @Test func percentLoadFillsTheNextInput() throws {
        let (t, home) = try startShell()
        try "a = 6\nprint('loaded', a * 7)\n".write(toFile: home + "/part.dlx", atomically: true, encoding: .utf8)
        #expect(t.expect("In [1]: "), "transcript: \(t.transcript.debugDescription)")
        t.send("%load \(home)/part.dlx\r")
        #expect(t.expect("In [2]: # %load"), "transcript: \(t.transcript.debugDescription)")
        t.send("\r")
        #expect(t.expect("loaded 42"), "transcript: \(t.transcript.debugDescription)")
        #expect(t.expect("In [3]: "))
        t.send("\u{04}")
        #expect(t.waitForExit() == 0)
    }

    /// On a colour terminal, pictures are half blocks in colour; COLORTERM=truecolor gives 24-bit.
    @Test func picturesAtAColourTerminal() throws {
        for (colorterm, escape) in [("", "\u{1B}[38;5;231m\u{1B}[48;5;231m▀"), ("truecolor", "\u{1B}[38;2;255;255;255m")] {
            let home = scratchFile("-home")
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            let t = try PseudoTerminal(arguments: [], environment: [
                "TERM": "xterm-256color", "COLORTERM": colorterm, "HOME": home, "DLX_DATA": repositoryRoot + "/data", "PATH": "/usr/bin:/bin",
            ])
            #expect(t.expect("]:\u{1B}[0m "), "transcript: \(t.transcript.debugDescription)")
            t.send("show(torch.ones(2, 2))\r")
            #expect(t.expect(escape), "transcript: \(t.transcript.debugDescription)")
            #expect(t.expect("]:\u{1B}[0m "))
            t.send("\u{04}")
            #expect(t.waitForExit() == 0)
        }
    }

    /// The lesson-1 training loop (its functions, blank lines and all) pasted in one go runs as one cell.
    @Test func pastingTheLessonsTrainingLoopRunsIt() throws {
        let (t, _) = try startShell()
        let lesson = try String(contentsOfFile: repositoryRoot + "/lessons/01-mnist.dlx", encoding: .utf8)
        let start = try #require(lesson.range(of: "# Training:")), end = try #require(lesson.range(of: "# The trained model"))
        let loop = String(lesson[start.lowerBound..<end.lowerBound]).replacingOccurrences(of: "epochs = 5", with: "epochs = 1")
        let setup = [
            "from torch.utils.data import Subset",
            "from torch.optim import Adam",
            "device = torch.device('cpu')",
            "train_set = torchvision.datasets.MNIST('./data/', train=True, transform=transforms.ToTensor())",
            "train_loader = DataLoader(Subset(train_set, range(640)), batch_size=32, shuffle=True)",
            "valid_loader = DataLoader(Subset(train_set, range(640, 960)), batch_size=32)",
            "model = nn.Sequential(nn.Flatten(), nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))",
        ]
        #expect(t.expect("In [1]: "), "transcript: \(t.transcript.debugDescription)")
        for (k, line) in setup.enumerated() {
            t.send(line + "\r")
            #expect(t.expect("In [\(k + 2)]: "), "transcript: \(t.transcript.suffix(400).debugDescription)")
        }
        t.send("\u{1B}[200~" + loop.trimmingCharacters(in: .whitespacesAndNewlines) + "\u{1B}[201~\r")
        // A block that ends indented waits for one more Enter, as IPython does.
        t.send("\r")
        #expect(t.expect("Epoch: 0"), "transcript: \(t.transcript.suffix(600).debugDescription)")
        #expect(t.expect("Train - Loss: "))
        #expect(t.expect("Valid - Loss: "))
        #expect(t.expect("In [9]: "), "transcript: \(t.transcript.suffix(600).debugDescription)")
        t.send("\u{04}")
        #expect(t.waitForExit() == 0)
    }

    /// Ctrl-D typed while a cell runs ends the session once the cell is done (it is not lost).
    @Test func controlDTypedAheadEndsTheSession() throws {
        let (t, _) = try startShell()
        #expect(t.expect("In [1]: "), "transcript: \(t.transcript.debugDescription)")
        t.send("import time\r")
        #expect(t.expect("In [2]: "))
        t.send("time.sleep(1); print('slept')\r")
        Thread.sleep(forTimeInterval: 0.3)
        t.send("\u{04}")
        #expect(t.expect("slept"))
        #expect(t.waitForExit() == 0, "transcript: \(t.transcript.suffix(300).debugDescription)")
    }
}
