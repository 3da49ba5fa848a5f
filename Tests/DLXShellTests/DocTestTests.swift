import Testing
import Foundation
@testable import DLXShell

/// The checked-transcript format and its matching rules (`dlx test`, and `dlx grade`'s keys).
@Suite struct DocTestTests {
    @Test func parsesInputContinuationsExpectedOutputAndBlankLines() throws {
        let text = """
        Prose is ignored.

        >>> for i in range(2):
        ...     print(i)
        ...
        0
        1
        >>> print("a\\n\\nb")
        a
        <BLANKLINE>
        b

        >>> x = 1
        """
        let checks = try DocTestFile.parse(text, file: "t")
        #expect(checks.count == 3)
        #expect(checks[0].line == 3)
        #expect(checks[0].source == "for i in range(2):\n    print(i)\n")
        #expect(checks[0].expected == ["0", "1"])
        #expect(checks[1].expected == ["a", "", "b"])
        #expect(checks[2].expected.isEmpty)
    }

    @Test func directivesApplyToTheFileOrToOneCheck() throws {
        let text = """
        # dlx: +ELLIPSIS
        >>> a
        1
        # dlx: points=2 name="the b check" hidden
        >>> b  # dlx: tolerance=1e-3 +NORMALIZE_WHITESPACE
        2
        >>> c
        3
        # dlx: skip
        >>> d
        """
        let checks = try DocTestFile.parse(text, file: "t")
        #expect(checks.map(\.options.ellipsis) == [true, true, true, true])
        #expect(checks[1].options.points == 2 && checks[1].options.name == "the b check" && checks[1].options.visibility == "hidden")
        #expect(checks[1].options.tolerance == 1e-3 && checks[1].options.normalizeWhitespace)
        #expect(checks[2].options.points == nil && checks[2].options.tolerance == nil)
        #expect(checks[3].options.skip)
        #expect(throws: DocTestError.self) { try DocTestFile.parse("# dlx: +NO_SUCH_FLAG\n", file: "t") }
    }

    @Test func matchingRules() {
        var o = CheckOptions()
        #expect(OutputMatch.matches(expected: ["a  ", "b", ""], got: ["a", "b"], o))
        #expect(!OutputMatch.matches(expected: ["a"], got: ["b"], o))
        #expect(OutputMatch.matches(expected: ["error: NameError: name 'y'"], got: ["error: NameError: name 'y' is not defined"], o))
        #expect(OutputMatch.matches(expected: ["error: name 'y' is not"], got: ["error: NameError: name 'y' is not defined"], o))
        #expect(!OutputMatch.matches(expected: ["error: TypeError"], got: ["error: NameError: name 'y' is not defined"], o))
        #expect(!OutputMatch.matches(expected: ["error: NameError"], got: ["NameError"], o))
        o.ellipsis = true
        #expect(OutputMatch.matches(expected: ["[0, 1, ..., 19]"], got: ["[0, 1, 2, 3, 17, 18, 19]"], o))
        #expect(OutputMatch.matches(expected: ["Epoch ...", "...done"], got: ["Epoch 1: 0.5", "more", "all done"], o))
        #expect(!OutputMatch.matches(expected: ["...x"], got: ["abc"], o))
        o = CheckOptions()
        o.normalizeWhitespace = true
        #expect(OutputMatch.matches(expected: ["a b", "c"], got: ["a   b c"], o))
        o = CheckOptions()
        o.tolerance = 1e-4
        #expect(OutputMatch.matches(expected: ["tensor([0.1235, 3.])"], got: ["tensor([0.12351, 3.0000])"], o))
        #expect(!OutputMatch.matches(expected: ["tensor([0.1235, 3.])"], got: ["tensor([0.1240, 3.0000])"], o))
        #expect(!OutputMatch.matches(expected: ["loss 0.5"], got: ["lost 0.5"], o))
        #expect(OutputMatch.matches(expected: ["-1e-05, x2"], got: ["-1.00001e-05, x2"], o))
    }

    @Test func diffMarksExpectedAndGotLines() {
        #expect(OutputMatch.diff(expected: ["a", "b", "c"], got: ["a", "x", "c"]) == ["  a", "+ x", "- b", "  c"])
    }

    /// Through the real command: a failure names the file and line, shows the diff, and sets status 1.
    @Test func failingCheckReportsADiffAndStatusOne() throws {
        let dir = try scratchDirectory("doctest")
        try ">>> 1 + 1\n2\n\n>>> x = torch.ones(2)\n>>> x * 2\ntensor([2., 3.])\n>>> undefined_name\nerror: NameError\n"
            .write(toFile: dir + "/t.dlxt", atomically: true, encoding: .utf8)
        let r = try runDLX(["test", "t.dlxt"], directory: dir)
        #expect(r.status == 1)
        #expect(r.stdout == """
        t.dlxt:5: failed
            >>> x * 2
            expected (-), got (+):
            + tensor([2., 2.])
            - tensor([2., 3.])
        3 passed, 1 failed

        """)
        #expect(try runDLX(["test", "missing.dlxt"], directory: dir).status == 2)
        #expect(try runDLX(["test"], directory: dir).status == 2)
    }
}
