import Testing
import Foundation
@testable import DLXInterpreter

@Suite struct MagicTests {
    let h = Harness()

    @Test func whoAndWhosListTheSession() throws {
        try h.run("x = torch.zeros(3, 4)\nm = seq(linear(4, 2))\nn = 5")
        #expect(try h.run("%who") == "m\tn\tx\n")
        let table = try h.run("%whos")
        #expect(table.contains("x          Tensor       torch.Size([3, 4]), torch.float32, cpu"))
        #expect(table.contains("m          Sequential   10 parameters"))
    }

    @Test func timeRunsTheStatementAndTimeitRepeatsIt() throws {
        let t = try h.run("%time y = 6 * 7")
        #expect(t.hasPrefix("CPU times: user ") && t.contains(", sys: ") && t.contains(", total: ") && t.contains("\nWall time: "))
        #expect(try h.repr("y") == "42")
        let ti = try h.run("%timeit 1 + 1")
        #expect(ti.contains(" per loop (mean ± std. dev. of 7 runs, "))
    }

    @Test func resetClearsAndUnknownMagicsAreUsageErrors() throws {
        try h.run("a = 1\n%reset -f")
        #expect(h.error("a")?.type == "NameError")
        #expect(h.error("%reset")?.type == "ValueError")
        let e = h.error("%frobnicate")
        #expect(e?.type == "UsageError")
        #expect(e?.message == "Line magic function `%frobnicate` not found.")
        #expect(e?.span?.start.line == 1)
        #expect(try h.run("%lsmagic").contains("%timeit"))
    }

    /// Checked against IPython 8.39's `_format_time`.
    @Test func durationsUseIPythonsUnits() {
        let cases: [(Double, String)] = [
            (1.5, "1.5 s"), (0.0123, "12.3 ms"), (4.38e-6, "4.38 \u{3BC}s"), (648e-9, "648 ns"), (0, "0 ns"),
            (0.9999, "1e+03 ms"), (65.3, "1min 5s"), (3700.2, "1h 1min 40s"), (5e-10, "0.5 ns"), (100, "1min 40s"), (0.5, "500 ms"),
        ]
        for (t, text) in cases { #expect(Interpreter.duration(t) == text, "\(t)") }
    }
}

@Suite struct HelpAndHistoryMagicTests {
    let h = Harness()

    @Test func questionMarkHelpsWithoutCallingAndLeavesCodeAlone() throws {
        try h.run("x = torch.zeros(2, 3)")
        let summary = "Tensor of shape torch.Size([2, 3]), dtype torch.float32, on cpu: min 0.0000, max 0.0000, mean 0.0000.\n"
        #expect(try h.run("x?") == summary)
        #expect(try h.run("?x") == summary)
        #expect(try h.run("y = 1  # really?\ns = 'why?'\nprint(s)") == "why?\n")
        #expect(h.error("nope?")?.span?.start.line == 1)
        #expect(try h.run("?").contains("dlx quick reference"))
    }

    @Test func historySaveAndRun() throws {
        try h.run("In = ['', 'a = 1', 'b = a + 1', '%history']")
        #expect(try h.run("%history -n") == "   1: a = 1\n   2: b = a + 1\n")
        #expect(try h.run("%history 2") == "b = a + 1\n")
        let file = scratchFile(".dlx")
        #expect(try h.run("%save \(file) 1-2").hasSuffix("a = 1\nb = a + 1\n"))
        try h.run("a = 10")
        try h.run("%run \(file)")
        #expect(try h.repr("b") == "2")
        #expect(h.error("%run /nonexistent/x.dlx")?.type == "OSError")
    }

    @Test func pwdCdEnvLoadAndNotebook() throws {
        let dir = scratchFile("-magic")
        try h.run("%save \(dir).dlx")   // makes sure nothing odd happens with an empty history
        #expect(mkdir(dir, 0o755) == 0)
        let start = try h.run("%pwd")
        #expect(try h.run("%cd \(dir)") == dir + "\n")
        #expect(try h.run("%pwd") == "'\(dir)'\n")
        #expect(h.error("%cd /no/such/folder")?.type == "OSError")
        try h.run("%env DLX_MAGIC_TEST=yes")
        #expect(try h.run("%env DLX_MAGIC_TEST") == "'yes'\n")
        // In a script, %load runs the file's cells in place (at the prompt it fills the next input).
        try h.run("%save loaded.dlx")
        #expect(FileManager.default.createFile(atPath: dir + "/part.dlx", contents: "a = 6\na * 7\n".data(using: .utf8)))
        #expect(try h.run("%load part.dlx") == "42\n")
        #expect(h.error("%load missing.dlx")?.type == "OSError")
        #expect(h.error("%notebook x.ipynb")?.type == "UsageError")
        #expect(try h.run("%lsmagic").contains("%load  %lsmagic  %matplotlib  %notebook"))
        #expect(try h.run("%quickref").contains("show(x)"))
        _ = try h.run("%cd \(String(start.dropFirst().dropLast(2)))")
    }
}

/// IPython's cell magics: `%%name` on a cell's first line, the rest of the cell its body.
@Suite struct CellMagicTests {
    let h = Harness()

    @Test func timeRunsTheBodyAndShowsItsValueAfterTheTimes() throws {
        let out = try h.run("x = 1\n%%time\ny = x + 1\ny * 10\n")
        #expect(out.hasPrefix("CPU times: user "), "\(out)")
        #expect(out.hasSuffix("\n20\n"), "\(out)")
        #expect(try h.repr("y") == "2")
    }

    @Test func writefileWritesTheBodyVerbatimAndAppends() throws {
        let file = scratchFile("-writefile.txt")
        #expect(try h.run("%%writefile \(file)\nhello = 'unbalanced \"quote\nline two\n") == "Writing \(file)\n")
        #expect(try h.run("%%writefile -a \(file)\nthird\n") == "Appending to \(file)\n")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "hello = 'unbalanced \"quote\nline two\nthird\n")
        #expect(try h.run("%%writefile \(file)\nnew\n") == "Overwriting \(file)\n")
    }

    @Test func captureKeepsPrintsAndValues() throws {
        #expect(try h.run("%%capture cap\nprint('captured')\n42\n") == "")
        #expect(try h.repr("cap.stdout, cap.outputs") == "('captured\\n', [42])")
        #expect(try h.run("cap.show()") == "captured\n42\n")
    }

    @Test func timeitTakesASetupLine() throws {
        let out = try h.run("%%timeit n = 3\nn * n\n")
        #expect(out.contains(" per loop (mean ± std. dev. of 7 runs, "), "\(out)")
    }

    @Test func anUnknownCellMagicIsIPythonsUsageError() {
        #expect(h.raised("%%nothing\nx = 1\n") == "UsageError: Cell magic `%%nothing` not found.")
    }
}
