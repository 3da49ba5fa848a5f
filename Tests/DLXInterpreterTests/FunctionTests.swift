import Testing
@testable import DLXInterpreter

/// Functions as Python has them: parameters of every kind, closures, decorators, lambdas, generators,
/// and comprehension scopes.
@Suite struct FunctionTests {
    @Test func parametersOfEveryKindBindAsPythonBindsThem() throws {
        let h = Harness()
        try h.run("def f(a, b=2, *rest, c, d=4, **extra):\n    return a, b, rest, c, d, extra")
        #expect(try h.repr("f(1, c=3)") == "(1, 2, (), 3, 4, {})")
        #expect(try h.repr("f(1, 5, 6, 7, c=3, z=9)") == "(1, 5, (6, 7), 3, 4, {'z': 9})")
        #expect(h.error("f(1)")?.message == "f() missing 1 required keyword-only argument: 'c'")
        #expect(h.error("f()")?.message == "f() missing 1 required positional argument: 'a'")
    }

    @Test func closuresSeeTheirEnclosingScopeAndNonlocalWritesIt() throws {
        let h = Harness()
        try h.run("""
        def counter():
            n = 0
            def inc():
                nonlocal n
                n += 1
                return n
            return inc
        c = counter()
        c(); c()
        fs = [lambda: i for i in range(3)]
        """)
        #expect(try h.repr("c(), [f() for f in fs]") == "(3, [2, 2, 2])")
    }

    @Test func decoratorsWrapFunctions() throws {
        let h = Harness()
        try h.run("""
        def twice(f):
            def wrapper(*args, **kwargs):
                return f(*args, **kwargs) * 2
            return wrapper
        @twice
        def add(a, b=1):
            return a + b
        """)
        #expect(try h.repr("add(3), add(3, b=4)") == "(8, 14)")
    }

    @Test func generatorsAreLazyAndEndlessOnesStopWhereAsked() throws {
        let h = Harness()
        let out = try h.run("""
        def naturals():
            n = 0
            while True:
                print("make", n)
                yield n
                n += 1
        g = naturals()
        print(next(g), next(g))
        for x in naturals():
            if x == 1:
                break
        def inner():
            yield 1
            yield 2
        def outer():
            yield 0
            yield from inner()
        print(list(outer()), sum(x * x for x in range(4)))
        """)
        #expect(out == "make 0\nmake 1\n0 1\nmake 0\nmake 1\n[0, 1, 2] 14\n")
    }

    @Test func comprehensionVariablesDoNotLeak() throws {
        let h = Harness()
        try h.run("x = 'outer'\nys = [x for x in range(3)]\nzs = {x: x for x in 'ab'}")
        #expect(try h.repr("x, ys, zs") == "('outer', [0, 1, 2], {'a': 'a', 'b': 'b'})")
    }

    /// A generator's return value is its StopIteration's value (and `yield from`'s); one that yields again when
    /// closed ignored the GeneratorExit, which close() reports.
    @Test func generatorsReturnValuesAndReportAnIgnoredExit() throws {
        let h = Harness()
        let out = try h.run("""
        def echo():
            received = yield
            return received * 2
        g = echo()
        next(g)
        try:
            g.send(21)
        except StopIteration as e:
            print("value", e.value)
        def stubborn():
            try:
                yield 1
            finally:
                yield 2
        s = stubborn()
        next(s)
        try:
            s.close()
        except RuntimeError as e:
            print(e)
        """)
        #expect(out == "value 42\n1\ngenerator ignored GeneratorExit\n")
    }
}
