import Testing
import Foundation

/// The prompt's screen, as a terminal shows it: dlx in colour at a pseudo-terminal of a given size, its
/// output fed to a terminal emulator (pyte, from the test environment), and the rows compared with what
/// IPython would leave there. Skipped, with the reason, where pyte is not installed.
@Suite(.serialized) struct ScreenTests {
    static let hasEmulator: Bool = (try? runPython("import pyte"))?.status == 0

    /// dlx at a fresh colour terminal of `columns` x `rows`, its own home folder.
    static func shell(columns: Int32 = 80, rows: Int32 = 24, home: String = scratchFile("-home")) throws -> PseudoTerminal {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        return try PseudoTerminal(arguments: [], environment: [
            "TERM": "xterm-256color", "HOME": home, "DLX_DATA": repositoryRoot + "/data", "PATH": "/usr/bin:/bin",
        ], rows: rows, columns: columns)
    }

    /// The coloured `In [n]:` prompt as it arrives from dlx.
    static func prompt(_ n: Int) -> String { "In [\u{1B}[1;32m\(n)\u{1B}[0;32m]:" }

    /// The terminal's rows after everything dlx wrote, trailing empty rows dropped.
    static func screen(_ t: PseudoTerminal, columns: Int = 80, rows: Int = 24) throws -> [String] {
        t.expect("\u{0}", timeout: 0.5)   // collects what is still arriving
        let file = scratchFile("-screen")
        try Data(t.transcript.utf8).write(to: URL(fileURLWithPath: file))
        let r = try runPython("import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')",
                              [repositoryRoot + "/Tests/pty/screen.py", String(columns), String(rows), file])
        var lines = r.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeAll { $0.hasPrefix("cursor ") }
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The rows from the first one that starts with `prefix` on.
    static func rows(_ screen: [String], from prefix: String) -> [String] {
        guard let i = screen.firstIndex(where: { $0.hasPrefix(prefix) }) else { return screen }
        return Array(screen[i...])
    }

    /// Compares the rows from `In [1]` on with `expected`, showing the screen when they differ.
    static func expectScreen(_ t: PseudoTerminal, columns: Int = 80, _ expected: [String],
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        let shown = rows(try screen(t, columns: columns), from: "In [1]")
        #expect(shown == expected, "screen:\n\(shown.joined(separator: "\n"))", sourceLocation: sourceLocation)
    }

    @Test(.enabled(if: hasEmulator, "pyte is not installed in the test environment"))
    func controlCThenACellLeavesNoBlankLinesAndNoEcho() throws {
        let t = try Self.shell()
        #expect(t.expect(Self.prompt(1)))
        t.send("1 + 1\r")
        #expect(t.expect(Self.prompt(2)))
        t.send("half typed")
        #expect(t.expect("typed"))
        t.send("\u{03}")
        Thread.sleep(forTimeInterval: 0.3)
        t.send("2 + 2\r")
        #expect(t.expect(Self.prompt(3)))
        t.send("3 + 3\r")
        #expect(t.expect(Self.prompt(4)))
        try Self.expectScreen(t, [
            "In [1]: 1 + 1", "Out[1]: 2", "", "In [2]: 2 + 2", "Out[2]: 4", "", "In [3]: 3 + 3", "Out[3]: 6", "", "In [4]:",
        ])
    }

    @Test(.enabled(if: hasEmulator, "pyte is not installed in the test environment"))
    func aBracketedPasteIsDrawnOnce() throws {
        let t = try Self.shell()
        #expect(t.expect(Self.prompt(1)))
        t.send("\u{1B}[200~x = 6 * 7\u{1B}[201~")
        Thread.sleep(forTimeInterval: 0.3)
        t.send("\r")
        #expect(t.expect(Self.prompt(2)))
        t.send("x\r")
        #expect(t.expect(Self.prompt(3)))
        try Self.expectScreen(t, ["In [1]: x = 6 * 7", "", "In [2]: x", "Out[2]: 42", "", "In [3]:"])
    }

    @Test(.enabled(if: hasEmulator, "pyte is not installed in the test environment"))
    func upRecallsAWholeMultiLineCell() throws {
        let t = try Self.shell()
        #expect(t.expect(Self.prompt(1)))
        t.send("for i in range(2):\r")
        #expect(t.expect("...:"))
        t.send("print(i * 10)\r")
        Thread.sleep(forTimeInterval: 0.2)
        t.send("\r")
        #expect(t.expect(Self.prompt(2)))
        t.send("\u{1B}[A")
        Thread.sleep(forTimeInterval: 0.3)
        t.send("\r")   // as in IPython, a block runs after a blank line
        Thread.sleep(forTimeInterval: 0.2)
        t.send("\r")
        #expect(t.expect(Self.prompt(3)))
        try Self.expectScreen(t, [
            "In [1]: for i in range(2):", "   ...:     print(i * 10)", "   ...:", "0", "10", "",
            "In [2]: for i in range(2):", "    print(i * 10)", "   ...:", "0", "10", "", "In [3]:",
        ])
    }

    @Test(.enabled(if: hasEmulator, "pyte is not installed in the test environment"))
    func acceptingAReverseSearchLeavesOnlyTheCell() throws {
        let t = try Self.shell()
        #expect(t.expect(Self.prompt(1)))
        t.send("777 * 3\r")
        #expect(t.expect(Self.prompt(2)))
        t.send("\u{12}777")
        #expect(t.expect("reverse-i-search"))
        Thread.sleep(forTimeInterval: 0.2)
        t.send("\u{05}")   // accept the match and keep editing at its end
        Thread.sleep(forTimeInterval: 0.2)
        t.send(" + 1\r")
        #expect(t.expect(Self.prompt(3)))
        try Self.expectScreen(t, [
            "In [1]: 777 * 3", "Out[1]: 2331", "", "In [2]: 777 * 3 + 1", "Out[2]: 2332", "", "In [3]:",
        ])
    }

    @Test(.enabled(if: hasEmulator, "pyte is not installed in the test environment"))
    func homeAndEndEditAWrappedLineAtSixtyColumns() throws {
        let t = try Self.shell(columns: 60)
        #expect(t.expect(Self.prompt(1)))
        t.send("value = 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 12 + 13")
        Thread.sleep(forTimeInterval: 0.2)
        t.send("\u{1B}[H")   // Home
        t.send("the_")
        t.send("\u{1B}[F")   // End
        t.send(" + 14\r")
        #expect(t.expect(Self.prompt(2)))
        t.send("the_value\r")
        #expect(t.expect(Self.prompt(3)))
        try Self.expectScreen(t, columns: 60, [
            "In [1]: the_value = 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 +",
            " 11 + 12 + 13 + 14", "", "In [2]: the_value", "Out[2]: 105", "", "In [3]:",
        ])
    }

    /// IPython's auto-indent: a block's lines start indented, `return` dedents, Tab at the start of a line
    /// indents, Backspace in an indent removes a level, and a blank line ends the cell.
    @Test(.enabled(if: hasEmulator, "pyte is not installed in the test environment"))
    func blocksAreIndentedAsInIPython() throws {
        let t = try Self.shell()
        #expect(t.expect(Self.prompt(1)))
        for line in ["def f(x):\r", "if x:\r", "return 1\r", "return 2\r", "\r"] {
            t.send(line)
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(t.expect(Self.prompt(2)))
        t.send("if True:\r")
        Thread.sleep(forTimeInterval: 0.2)
        t.send("\t\u{7F}y = f(1)\r")   // Tab to 8 columns, Backspace back to 4
        Thread.sleep(forTimeInterval: 0.2)
        t.send("\r")
        #expect(t.expect(Self.prompt(3)))
        t.send("y, f(0)\r")
        #expect(t.expect(Self.prompt(4)))
        try Self.expectScreen(t, [
            "In [1]: def f(x):", "   ...:     if x:", "   ...:         return 1", "   ...:     return 2", "   ...:", "",
            "In [2]: if True:", "   ...:     y = f(1)", "   ...:", "", "In [3]: y, f(0)", "Out[3]: (1, 2)", "", "In [4]:",
        ])
    }

    /// The history keeps whole cells across sessions: Up in a new session recalls the loop, not its last line.
    @Test func aCellFromAnEarlierSessionComesBackWhole() throws {
        let home = scratchFile("-home")
        let first = try Self.shell(home: home)
        #expect(first.expect(Self.prompt(1)))
        first.send("for i in range(2):\r")
        Thread.sleep(forTimeInterval: 0.2)
        first.send("print(i + 100)\r")
        Thread.sleep(forTimeInterval: 0.2)
        first.send("\r")
        #expect(first.expect(Self.prompt(2)))
        first.send("exit\r")
        #expect(first.waitForExit() == 0)
        let second = try Self.shell(home: home)
        #expect(second.expect(Self.prompt(1)))
        second.send("\u{1B}[A\u{1B}[A")   // `exit`, then the loop
        Thread.sleep(forTimeInterval: 0.3)
        second.send("\r")
        Thread.sleep(forTimeInterval: 0.2)
        second.send("\r")
        #expect(second.expect("101"), "transcript: \(second.transcript.debugDescription)")
        second.send("exit\r")
        #expect(second.waitForExit() == 0)
    }

    /// Ctrl-D on an empty continuation line changes nothing (the cell goes on); Ctrl-C there drops the cell.
    @Test(.enabled(if: hasEmulator, "pyte is not installed in the test environment"))
    func controlDAndControlCOnAContinuationLine() throws {
        let t = try Self.shell()
        #expect(t.expect(Self.prompt(1)))
        t.send("x = (1 +\r")
        #expect(t.expect("...:"))
        t.send("\u{04}")
        Thread.sleep(forTimeInterval: 0.2)
        t.send("2)\r")
        #expect(t.expect(Self.prompt(2)))
        t.send("y = [x,\r")
        #expect(t.expect("...:"))
        t.send("\u{03}")
        #expect(t.expect(Self.prompt(2)))
        t.send("x\r")
        #expect(t.expect(Self.prompt(3)))
        try Self.expectScreen(t, ["In [1]: x = (1 +", "   ...: 2)", "", "In [2]: y = [x,", "In [2]: x", "Out[2]: 3", "", "In [3]:"])
    }

    @Test func exitAndQuitWithoutParenthesesLeaveThePrompt() throws {
        for command in ["exit", "quit", "%exit"] {
            let t = try Self.shell()
            #expect(t.expect(Self.prompt(1)))
            t.send(command + "\r")
            #expect(t.waitForExit() == 0, "\(command)")
        }
        let t = try Self.shell()
        #expect(t.expect(Self.prompt(1)))
        t.send("exit = 3\r")
        #expect(t.expect(Self.prompt(2)))
        t.send("exit\r")
        #expect(t.expect("Out[\u{1B}[1;31m2"))
        t.send("\u{04}")
        #expect(t.waitForExit() == 0)
    }
}

/// fit's progress bar at a narrow terminal: each redraw fits the line, and Ctrl-C clears it before
/// KeyboardInterrupt.
@Suite struct ProgressBarScreenTests {
    @Test func theBarFitsSixtyColumnsAndCtrlCClearsIt() throws {
        let t = try ScreenTests.shell(columns: 60)
        #expect(t.expect(ScreenTests.prompt(1)))
        t.send("ds = torch.utils.data.TensorDataset(torch.randn(20000, 1, 28, 28), torch.randint(0, 10, (20000,)))\r")
        #expect(t.expect(ScreenTests.prompt(2)))
        t.send("fit(seq(flatten(), linear(784, 10)), DataLoader(ds, batch_size=10), epochs=50)\r")
        #expect(t.expect("█"), "transcript: \(t.transcript.suffix(400).debugDescription)")
        Thread.sleep(forTimeInterval: 1)
        t.send("\u{03}")
        #expect(t.expect("KeyboardInterrupt"), "transcript: \(t.transcript.suffix(400).debugDescription)")
        #expect(t.expect(ScreenTests.prompt(3)))
        // Every redraw of the bar is shorter than the terminal.
        for segment in t.transcript.split(separator: "\r") where segment.contains("█") || segment.contains("·") {
            let visible = segment.replacingOccurrences(of: "\u{1B}[K", with: "").split(separator: "\n").first ?? ""
            #expect(visible.count <= 59, "\(visible)")   // the bar and the terminal's echo of ^C after it
        }
        guard ScreenTests.hasEmulator else { return }
        let screen = try ScreenTests.screen(t, columns: 60)
        #expect(!screen.contains { $0.contains("█") || $0.contains("·") }, "\(screen.joined(separator: "\n"))")
    }
}

/// At the prompt, the same binary's cell magics, suggestions and pretty displays (their details are
/// tested through standard input and in the interpreter's tests).
@Suite struct PromptFeatureTests {
    @Test func cellMagicsSuggestionsAndDisplaysAtThePrompt() throws {
        let t = try ScreenTests.shell()
        #expect(t.expect(ScreenTests.prompt(1)))
        t.send("%%time\r")
        #expect(t.expect("...:"))
        t.send("model = 6 * 7\r")
        Thread.sleep(forTimeInterval: 0.2)
        t.send("\r")
        #expect(t.expect("Wall time: "), "transcript: \(t.transcript.suffix(300).debugDescription)")
        #expect(t.expect(ScreenTests.prompt(2)))
        t.send("modle\r")
        #expect(t.expect("Did you mean: 'model'?"), "transcript: \(t.transcript.suffix(300).debugDescription)")
        #expect(t.expect(ScreenTests.prompt(3)))
        t.send("type(model), list(range(30))\r")
        #expect(t.expect("(int,"), "transcript: \(t.transcript.suffix(300).debugDescription)")
        #expect(t.expect(" [0,\r\n  1,\r\n  2,"))
        #expect(t.expect(ScreenTests.prompt(4)))
        t.send("exit\r")
        #expect(t.waitForExit() == 0)
    }
}
