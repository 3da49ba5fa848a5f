import Testing
@testable import DLXInterpreter

/// try/except/else/finally, raise, the built-in hierarchy, and engine errors caught under their Python type.
@Suite struct ExceptionTests {
    @Test func handlersMatchByClassHierarchyAndRunElseAndFinallyInOrder() throws {
        let h = Harness()
        let out = try h.run("""
        log = []
        for value in [0, "x", 2]:
            try:
                r = 10 // value
            except ArithmeticError as e:
                log.append("arith:" + str(e))
            except (TypeError, ValueError):
                log.append("type")
            else:
                log.append("ok:" + str(r))
            finally:
                log.append("fin")
        print(log)
        """)
        #expect(out == "['arith:integer division or modulo by zero', 'fin', 'type', 'fin', 'ok:5', 'fin']\n")
    }

    @Test func userExceptionsCarryArgsCauseAndReraise() throws {
        let h = Harness()
        let out = try h.run("""
        class DataError(ValueError):
            pass
        def load():
            try:
                {}["k"]
            except KeyError as e:
                raise DataError("bad", 3) from e
        try:
            try:
                load()
            except DataError:
                raise
        except Exception as e:
            print(type(e).__name__, e.args, repr(e.__cause__), isinstance(e, ValueError))
        """)
        #expect(out == "DataError ('bad', 3) KeyError('k') True\n")
    }

    @Test func engineErrorsAreCaughtUnderTheTypeTheyPrintAs() throws {
        let h = Harness()
        let out = try h.run("""
        try:
            torch.zeros(2, 3) @ torch.zeros(2, 3)
        except RuntimeError as e:
            print("caught:", e)
        """)
        #expect(out.hasPrefix("caught: mat1 and mat2 shapes cannot be multiplied"))
    }

    @Test func limitsAndInterruptsAreNeverSwallowed() throws {
        let h = Harness()
        var stop = false
        h.session.interruptRequested = { stop }
        try h.run("def spin():\n    while True:\n        pass")
        stop = true
        let e = h.error("try:\n    spin()\nexcept Exception:\n    print('swallowed')")
        #expect(e?.type == "KeyboardInterrupt")
        #expect(h.output.isEmpty)
    }

    @Test func errorsInFinallyReplaceTheUnwindingOneAndNameItAsContext() throws {
        let h = Harness()
        let out = try h.run("""
        try:
            try:
                raise TypeError("lost")
            finally:
                raise ValueError("from finally")
        except Exception as e:
            print(repr(e), repr(e.__context__))
        """)
        #expect(out == "ValueError('from finally') TypeError('lost')\n")
    }

    @Test func uncaughtErrorsInFunctionsKeepEachFramesPlace() throws {
        let h = Harness()
        try h.run("def f(x):\n    return g(x)\ndef g(y):\n    return y / 0")
        let e = h.error("f(1)")
        #expect(e?.type == "ZeroDivisionError")
        #expect(e?.traceback.map { $0.function } == ["g", "f"])
        #expect(e?.traceback.map { $0.span?.start.line } == [4, 2])
    }
}
