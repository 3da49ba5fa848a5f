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
}
