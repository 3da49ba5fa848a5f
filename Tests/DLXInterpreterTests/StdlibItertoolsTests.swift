import Testing
@testable import DLXInterpreter

/// `itertools`, `functools` and `operator`: CPython 3.11.7's results, orders and errors.
@Suite struct StdlibItertoolsTests {
    let h = Harness()

    init() throws {
        try h.run("""
            from itertools import count, cycle, repeat, chain, islice, product, permutations, combinations, combinations_with_replacement, zip_longest, accumulate, groupby, starmap, takewhile, dropwhile, filterfalse, compress, pairwise, tee
            import functools, operator
            def odd(x):
                return x % 2 == 1
            def small(x):
                return x < 3
            def f(a, b, c=3):
                return a + b + c
            """)
    }

    @Test func infiniteIteratorsAreLazy() throws {
        try h.expectReprs([
            ("list(islice(count(10, 2), 3)), list(islice(count(0.5, 0.25), 3))", "([10, 12, 14], [0.5, 0.75, 1.0])"),
            ("list(islice(cycle('ab'), 5)), list(repeat('x', 3)), next(count(3))", "(['a', 'b', 'a', 'b', 'a'], ['x', 'x', 'x'], 3)"),
            ("list(islice('abcdefg', 2, 4)), list(islice('abcdefg', 0, None, 2)), list(islice(count(), 2, 10, 3))",
             "(['c', 'd'], ['a', 'c', 'e', 'g'], [2, 5, 8])"),
        ])
        #expect(try h.run("for i in count():\n    if i == 3:\n        break\nprint(i)") == "3\n")
    }

    @Test func combinatoricsComeInCPythonsOrder() throws {
        try h.expectReprs([
            ("list(product('ab', [1, 2]))", "[('a', 1), ('a', 2), ('b', 1), ('b', 2)]"),
            ("list(product([0, 1], repeat=2)), list(product()), list(product([1, 2]))", "([(0, 0), (0, 1), (1, 0), (1, 1)], [()], [(1,), (2,)])"),
            ("list(permutations('abc', 2))", "[('a', 'b'), ('a', 'c'), ('b', 'a'), ('b', 'c'), ('c', 'a'), ('c', 'b')]"),
            ("list(permutations(range(4)))[-3:], list(permutations('ab', 3))", "([(3, 1, 2, 0), (3, 2, 0, 1), (3, 2, 1, 0)], [])"),
            ("list(combinations(range(4), 3))", "[(0, 1, 2), (0, 1, 3), (0, 2, 3), (1, 2, 3)]"),
            ("list(combinations_with_replacement('abc', 2))", "[('a', 'a'), ('a', 'b'), ('a', 'c'), ('b', 'b'), ('b', 'c'), ('c', 'c')]"),
        ])
        h.expectErrors([
            ("product('ab', repeat=-1)", "ValueError", "repeat argument cannot be negative"),
            ("combinations('abc', -1)", "ValueError", "r must be non-negative"),
            ("islice('abc', -1)", "ValueError", "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize."),
            ("islice('abc', 1, 2, 0)", "ValueError", "Step for islice() must be a positive integer or None."),
        ])
    }

    @Test func filteringAndGroupingIterators() throws {
        try h.expectReprs([
            ("list(chain([1, 2], (3,), 'ab')), list(chain.from_iterable([[1], [2, 3]]))", "([1, 2, 3, 'a', 'b'], [1, 2, 3])"),
            ("list(zip_longest('abc', [1])), list(zip_longest('ab', [1], fillvalue=0))", "([('a', 1), ('b', None), ('c', None)], [('a', 1), ('b', 0)])"),
            ("list(accumulate([1, 2, 3, 4], initial=100)), list(accumulate([3, 1, 4], max)), list(accumulate('abc'))",
             "([100, 101, 103, 106, 110], [3, 3, 4], ['a', 'ab', 'abc'])"),
            ("[(k, list(g)) for k, g in groupby('aaabbcaa')]", "[('a', ['a', 'a', 'a']), ('b', ['b', 'b']), ('c', ['c']), ('a', ['a', 'a'])]"),
            ("[(k, list(g)) for k, g in groupby([1, 3, 2, 4, 5], key=odd)]", "[(True, [1, 3]), (False, [2, 4]), (True, [5])]"),
            ("list(takewhile(small, [1, 2, 5, 1])), list(dropwhile(small, [1, 2, 5, 1])), list(filterfalse(small, [1, 2, 5, 1]))",
             "([1, 2], [5, 1], [5])"),
            ("list(compress('abcdef', [1, 0, 1, 0, 1, 1])), list(pairwise('abc')), list(starmap(f, [(1, 2), (3, 4)]))",
             "(['a', 'c', 'e', 'f'], [('a', 'b'), ('b', 'c')], [6, 10])"),
            ("list(zip(*tee([1, 2, 3], 3)))", "[(1, 1, 1), (2, 2, 2), (3, 3, 3)]"),
        ])
    }

    @Test func functoolsPartialReduceAndCache() throws {
        try h.run("p = functools.partial(f, 1, c=5)\npp = functools.partial(p, 10)")
        try h.expectReprs([
            ("p(2), p.args, p.keywords, type(p)", "(8, (1,), {'c': 5}, <class 'functools.partial'>)"),
            ("pp.args, pp.func is f, pp()", "((1, 10), True, 16)"),
            ("functools.partial(max, 1)", "functools.partial(<built-in function max>, 1)"),
            ("functools.reduce(operator.add, [1, 2, 3]), functools.reduce(operator.mul, [], 1), functools.reduce(f, [1, 2], 10)", "(6, 1, 19)"),
            ("operator.itemgetter(0, 1)('ab'), operator.itemgetter(1), operator.mul(2, 3), operator.truediv(1, 2)",
             "(('a', 'b'), operator.itemgetter(1), 6, 0.5)"),
        ])
        #expect(try h.repr("p").hasPrefix("functools.partial(<function f at 0x"))
        let out = try h.run("""
            def fib(n):
                return n if n < 2 else fib(n - 1) + fib(n - 2)
            fib = functools.lru_cache(maxsize=None)(fib)
            print(fib(60), fib.cache_info())
            def sq(x):
                return x * x
            c = functools.lru_cache(maxsize=2)(sq)
            print(c(1), c(2), c(1), c(3), c(2), c.cache_info())
            """)
        #expect(out == "1548008755920 CacheInfo(hits=58, misses=61, maxsize=None, currsize=61)\n1 4 1 9 4 CacheInfo(hits=1, misses=4, maxsize=2, currsize=2)\n")
        h.expectErrors([
            ("functools.reduce(operator.add, [])", "TypeError", "reduce() of empty iterable with no initial value"),
            ("functools.partial()", "TypeError", "type 'partial' takes at least one argument"),
            ("functools.partial(1)", "TypeError", "the first argument must be callable"),
        ])
    }
}
