import Foundation
import Testing

/// Tab completion and help through the real binary at a pseudo-terminal.
@Suite(.serialized) struct CompletionPtyTests {
    @Test func tabCompletesKeywordArgumentsAndHelpDescribesMethods() throws {
        let (t, _) = try startShell()
        #expect(t.expect("In [1]: "), "transcript: \(t.transcript.debugDescription)")
        t.send("conv = nn.Conv2d(1, 25, kern\t")      // one candidate: completed in place
        #expect(t.expect("el_size="), "transcript: \(t.transcript.suffix(300).debugDescription)")
        t.send("3)\r")
        #expect(t.expect("In [2]: "))
        t.send("conv.kernel_size\r")
        #expect(t.expect("Out[2]: (3, 3)"), "transcript: \(t.transcript.suffix(300).debugDescription)")
        t.send("help(conv.train)\r")
        #expect(t.expect("Module.train(mode=True)"), "transcript: \(t.transcript.suffix(300).debugDescription)")
        #expect(t.expect("In [4]: "))
        t.send("\u{04}")
        #expect(t.waitForExit() == 0)
    }

    /// At the prompt, help wraps to the terminal's columns at spaces; the signature and code stay whole.
    @Test func helpWrapsToTheTerminalWidth() throws {
        let home = scratchFile("-home-narrow")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let t = try PseudoTerminal(arguments: [], environment: [
            "TERM": "xterm", "NO_COLOR": "1", "HOME": home, "DLX_DATA": repositoryRoot + "/data", "PATH": "/usr/bin:/bin",
        ], columns: 50)
        #expect(t.expect("In [1]: "), "transcript: \(t.transcript.debugDescription)")
        t.send("x = torch.zeros(2)\r")
        #expect(t.expect("In [2]: "))
        t.send("help(x.backward)\r")
        #expect(t.expect("In [3]: "), "transcript: \(t.transcript.debugDescription)")
        let text = t.transcript.components(separatedBy: "help(x.backward)").last ?? ""
        let lines = text.replacingOccurrences(of: "\r", with: "").split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast().filter { !$0.isEmpty }
        #expect(lines.first?.hasSuffix("Tensor.backward(gradient=None, retain_graph=None, create_graph=False, inputs=None)") == true, "\(lines)")   // after the bracketed-paste reset
        #expect(lines.contains("Computes the gradient of this tensor with respect"), "\(lines)")
        for line in lines.dropFirst() where !line.hasPrefix(" ") { #expect(line.count <= 50, "\(line)") }
        t.send("\u{04}")
        #expect(t.waitForExit() == 0)
    }
}
