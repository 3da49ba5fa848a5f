import Testing
import Foundation

/// `.py` files run as Python runs them: no display of bare expressions, `__name__`, `sys.argv` from the
/// command line, `import helper` of files beside the script, `exit(n)` as the exit status, tracebacks.
@Suite struct PythonScriptTests {
    @Test func aPyFileImportsItsNeighboursAndEndsWithItsExitStatus() throws {
        let dir = try scratchDirectory("py-imports")
        try "SCALE = 3\ndef helper(x):\n    return scale(x) + 1\ndef scale(x):\n    return x * SCALE\nprint('loading', __name__)\n"
            .write(toFile: dir + "/utils.py", atomically: true, encoding: .utf8)
        try "import utils\nfrom utils import helper as h\nimport utils\n1 + 1\nprint(utils.helper(2), h(3), utils.SCALE)\nif __name__ == '__main__':\n    exit(3)\nprint('not reached')\n"
            .write(toFile: dir + "/main.py", atomically: true, encoding: .utf8)
        let r = try runDLX([dir + "/main.py", "--epochs", "1"])
        #expect(r.stdout == "loading utils\n7 10 3\n")
        #expect(r.status == 3)
        #expect(r.stderr.isEmpty)
    }

    @Test func anErrorInAFunctionPrintsPythonsTraceback() throws {
        let dir = try scratchDirectory("py-traceback")
        try "def f(x):\n    return g(x)\n\ndef g(y):\n    return y / 0\n\nf(1)\n".write(toFile: dir + "/t.py", atomically: true, encoding: .utf8)
        let r = try runDLX(["t.py"], directory: dir)
        #expect(r.status == 1)
        #expect(r.stderr == """
        Traceback (most recent call last):
          File "t.py", line 7, in <module>
            f(1)
          File "t.py", line 2, in f
            return g(x)
          File "t.py", line 5, in g
            return y / 0
        t.py:5:12: error: ZeroDivisionError: division by zero

        """)
    }

    @Test func exitWithAMessagePrintsItAndGivesOne() throws {
        let r = try runDLX(["-c", "print('a')\nexit('bad input')\nprint('b')"])
        #expect(r.stdout == "a\n")
        #expect(r.stderr == "bad input\n")
        #expect(r.status == 1)
    }

    /// The grader's time limit is caught by no handler of the submission's, `except Exception` or bare.
    @Test func timeLimitsPassThroughEveryExceptClause() throws {
        let code = "def spin():\n    while True:\n        pass\ntry:\n    spin()\nexcept Exception:\n    print('swallowed')\nexcept:\n    print('bare')\nprint('after')\n"
        let r = try runDLX(["--timeout", "1", "-c", code])
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("TimeoutError: the cell ran for more than 1 s (--timeout)"))
        #expect(r.status == 124)
    }

    @Test func codeAsStringsIsAClearError() throws {
        let r = try runDLX(["-c", "eval('1 + 1')"])
        #expect(r.stderr.contains("NotImplementedError: eval() of code given as a string is not supported in dlx"))
        #expect(r.status == 1)
    }

    /// A generator that never ends, consumed without end, stops at the time limit (its thread included).
    @Test func anEndlessGeneratorStopsAtTheTimeLimit() throws {
        let code = "def naturals():\n    n = 0\n    while True:\n        yield n\n        n += 1\ntotal = 0\nfor k in naturals():\n    total += k\n"
        let start = Date()
        let r = try runDLX(["--timeout", "1", "-c", code])
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(r.stderr.contains("TimeoutError"))
        #expect(r.status == 124)
    }

    /// Self-containing lists and dicts print as Python prints them and equal themselves; nesting too deep for
    /// the stack is a RecursionError, not a crash.
    @Test func recursiveDataPrintsAsPythonsAndDeepDataIsARecursionError() throws {
        let code = "a = [1]\na.append(a)\nprint(a, a == a)\nd = {'k': 1}\nd['self'] = d\nprint(d)\nx = []\nfor _ in range(100000):\n    x = [x]\ntry:\n    str(x)\nexcept RecursionError:\n    print('RecursionError')\n"
        let r = try runDLX(["-c", code])
        #expect(r.stdout == "[1, [...]] True\n{'k': 1, 'self': {...}}\nRecursionError\n")
        #expect(r.status == 0)
    }
}
