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

    /// What a red-team pass found crashing or hanging, each now Python's behaviour or a clear error.
    @Test func hostileProgramsFromTheRedTeamAreErrorsOrWork() throws {
        let code = """
        def gen():
            try:
                yield 1
            except ValueError:
                pass
        g = gen()
        next(g)
        g = None
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(2, 2)
        n = Net()
        n.me = n
        print(len(list(n.parameters())), len(list(n.modules())), len(n.state_dict()))
        from torch.utils.data import Dataset, DataLoader
        class Huge(Dataset):
            def __len__(self):
                return 10**12
            def __getitem__(self, i):
                return i
        print(next(iter(DataLoader(Huge(), batch_size=2))))
        for bad in ["torch.randperm(10**12)", "torch.randperm(2**62)", "torch.zeros(1).repeat(10**12)"]:
            try:
                eval_like = {"torch.randperm(10**12)": lambda: torch.randperm(10**12), "torch.randperm(2**62)": lambda: torch.randperm(2**62), "torch.zeros(1).repeat(10**12)": lambda: torch.zeros(1).repeat(10**12)}[bad]
                eval_like()
            except (MemoryError, RuntimeError) as e:
                print(type(e).__name__)
        class Endless:
            def __iter__(self):
                return self
            def __next__(self):
                return 1
        try:
            a, b = Endless()
        except ValueError as e:
            print(e)
        class A: pass
        class B(A): pass
        class C(A): pass
        class D(B, C): pass
        print([k.__name__ for k in D.__mro__])
        print("end")
        """
        let dir = try scratchDirectory("red-team")
        try ("import torch\nimport torch.nn as nn\n" + code).write(toFile: dir + "/hostile.py", atomically: true, encoding: .utf8)
        let r = try runDLX(["hostile.py"], directory: dir)
        #expect(r.stdout == "2 2 2\ntensor([0, 1])\nMemoryError\nRuntimeError\nMemoryError\ntoo many values to unpack (expected 2)\n['D', 'B', 'C', 'A', 'object']\nend\n", "\(r.stderr)")
        #expect(r.status == 0)
        let deep = try runDLX(["-c", "x = a" + String(repeating: ".b", count: 20_000)])
        #expect(deep.stderr.contains("SyntaxError: expression too long"))
        #expect(deep.status == 1)
    }

    @Test func sleepingForeverIsAnOverflowErrorAsInCPython() throws {
        let r = try runDLX(["-c", "import time\ntry:\n    time.sleep(float('inf'))\nexcept OverflowError as e:\n    print(e)\n"])
        #expect(r.stdout == "timestamp out of range for platform time_t\n")
    }
}
