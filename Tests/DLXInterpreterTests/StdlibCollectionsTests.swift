import Testing
@testable import DLXInterpreter

/// `collections`: OrderedDict, defaultdict and Counter are dicts with CPython 3.11's reprs and behaviour;
/// namedtuple and deque. Expected text from CPython 3.11.7.
@Suite struct StdlibCollectionsTests {
    let h = Harness()

    init() throws {
        try h.run("from collections import OrderedDict, defaultdict, Counter, namedtuple, deque\nPoint = namedtuple('Point', ['x', 'y'])")
    }

    @Test func orderedDictReprsAndReorders() throws {
        let out = try h.run("""
            od = OrderedDict()
            print(od)
            od['a'] = 1
            od['b'] = 2
            print(od, type(od), isinstance(od, dict), len(od), list(od), 'a' in od)
            od.move_to_end('a')
            print(od)
            od.move_to_end('a', last=False)
            print(od)
            print(od.popitem(), od.popitem(last=False), od)
            """)
        #expect(out == """
            OrderedDict()
            OrderedDict([('a', 1), ('b', 2)]) <class 'collections.OrderedDict'> True 2 ['a', 'b'] True
            OrderedDict([('b', 2), ('a', 1)])
            OrderedDict([('a', 1), ('b', 2)])
            ('b', 2) ('a', 1) OrderedDict()

            """)
        h.expectErrors([("OrderedDict().popitem()", "KeyError", "'dictionary is empty'"), ("OrderedDict(a=1).move_to_end('z')", "KeyError", "'z'")])
    }

    @Test func defaultDictCallsItsFactoryForMissingKeys() throws {
        let out = try h.run("""
            d = defaultdict(list)
            d['a'].append(1)
            d['a'].append(2)
            counts = defaultdict(int)
            for w in 'the cat the hat'.split():
                counts[w] += 1
            print(d, d.default_factory, dict(d))
            print(counts, counts.get('dog'), 'dog' in counts, defaultdict(), type(counts))
            """)
        #expect(out == """
            defaultdict(<class 'list'>, {'a': [1, 2]}) <class 'list'> {'a': [1, 2]}
            defaultdict(<class 'int'>, {'the': 2, 'cat': 1, 'hat': 1}) None False defaultdict(None, {}) <class 'collections.defaultdict'>

            """)
        h.expectErrors([("defaultdict()['k']", "KeyError", "'k'"), ("defaultdict(5)", "TypeError", "first argument must be callable or None")])
    }

    @Test func counterCountsAndOrdersByCount() throws {
        try h.expectReprs([
            ("Counter('abracadabra')", "Counter({'a': 5, 'b': 2, 'r': 2, 'c': 1, 'd': 1})"),
            ("Counter('abracadabra')['z'], Counter('abracadabra').most_common(2)", "(0, [('a', 5), ('b', 2)])"),
            ("list(Counter('abracadabra').elements())", "['a', 'a', 'a', 'a', 'a', 'b', 'b', 'r', 'r', 'c', 'd']"),
            ("Counter(), Counter(a=2, b=1), Counter({'x': 3, 'y': 5}), Counter(['a', 'b'], a=5)",
             "(Counter(), Counter({'a': 2, 'b': 1}), Counter({'y': 5, 'x': 3}), Counter({'a': 6, 'b': 1}))"),
            ("Counter('aab') + Counter('bcc'), Counter('aab') - Counter('abb')", "(Counter({'a': 2, 'b': 2, 'c': 2}), Counter({'a': 1}))"),
            ("Counter('aab') | Counter('bcc'), Counter('aab') & Counter('abb')", "(Counter({'a': 2, 'c': 2, 'b': 1}), Counter({'a': 1, 'b': 1}))"),
            ("isinstance(Counter(), dict), dict(Counter('abca')), Counter('abca').total()", "(True, {'a': 2, 'b': 1, 'c': 1}, 4)"),
        ])
        let out = try h.run("""
            c = Counter('abracadabra')
            c.update('zz')
            c.update({'a': -10})
            c.subtract(['b'])
            print(c)
            """)
        #expect(out == "Counter({'r': 2, 'z': 2, 'b': 1, 'c': 1, 'd': 1, 'a': -5})\n")
        h.expectErrors([("Counter('a') + {'a': 1}", "TypeError", "unsupported operand type(s) for +: 'Counter' and 'dict'")])
    }

    @Test func namedTuplesAreTuplesWithFieldNames() throws {
        try h.expectReprs([
            ("Point(1, y=2), Point(1, 2).x, Point(1, 2)[1], Point(1, 2) == (1, 2)", "(Point(x=1, y=2), 1, 2, True)"),
            ("Point(1, 2)._asdict(), Point(1, 2)._replace(x=5), Point._fields", "({'x': 1, 'y': 2}, Point(x=5, y=2), ('x', 'y'))"),
            ("type(Point(1, 2)), len(Point(1, 2)), list(Point(1, 2)), Point(1, 2) + (3,)", "(<class '__main__.Point'>, 2, [1, 2], (1, 2, 3))"),
            ("Point(1, 2) < (1, 3), isinstance(Point(1, 2), tuple), isinstance(Point(1, 2), Point)", "(True, True, True)"),
            ("namedtuple('P2', 'a b, c')._make([4, 5, 6]), namedtuple('D', 'a b', defaults=[9])(1)", "(P2(a=4, b=5, c=6), D(a=1, b=9))"),
            ("namedtuple('A', ['a', 'for', '_b', 'a'], rename=True)._fields", "('a', '_1', '_2', '_3')"),
            ("{Point(1, 2): 'a'}[(1, 2)], Counter([Point(0, 0), Point(0, 0), (0, 0)])", "('a', Counter({Point(x=0, y=0): 3}))"),
        ])
        #expect(try h.run("x, y = Point(3, 4)\nprint(x + y)") == "7\n")
        h.expectErrors([
            ("Point(1)", "TypeError", "Point.__new__() missing 1 required positional argument: 'y'"),
            ("Point(1, 2, 3)", "TypeError", "Point.__new__() takes 3 positional arguments but 4 were given"),
            ("Point(1, 2, z=3)", "TypeError", "Point.__new__() got an unexpected keyword argument 'z'"),
            ("namedtuple('P3', 'x y z')()", "TypeError", "P3.__new__() missing 3 required positional arguments: 'x', 'y', and 'z'"),
            ("p = Point(1, 2)\np.x = 5", "AttributeError", "can't set attribute"),
            ("namedtuple('Bad', ['x', 'x'])", "ValueError", "Encountered duplicate field name: 'x'"),
            ("namedtuple('Bad', ['1x'])", "ValueError", "Type names and field names must be valid identifiers: '1x'"),
            ("namedtuple('for', 'a')", "ValueError", "Type names and field names cannot be a keyword: 'for'"),
        ])
    }

    @Test func dequesDropFromTheFarEndPastMaxlen() throws {
        let out = try h.run("""
            dq = deque([1, 2, 3], maxlen=3)
            dq.append(4)
            print(dq, dq.popleft(), len(dq), dq[0], dq.maxlen)
            dq.appendleft(0)
            dq.extend([7, 8])
            print(dq)
            dq.rotate(1)
            print(dq, deque('ab'), deque())
            """)
        #expect(out == "deque([3, 4], maxlen=3) 2 2 3 3\ndeque([4, 7, 8], maxlen=3)\ndeque([8, 4, 7], maxlen=3) deque(['a', 'b']) deque([])\n")
        h.expectErrors([("deque().pop()", "IndexError", "pop from an empty deque")])
    }

    @Test func plainDictsGainUpdateCopySetdefaultPopitemAndMerge() throws {
        let out = try h.run("""
            d = {'a': 1}
            d.update(b=2)
            d.update([('c', 3)])
            print(d, d.setdefault('d', 0), d.copy(), d.popitem(), d | {'e': 5})
            d.clear()
            print(d, dict([('x', 1)]), dict({'y': 2}, z=3))
            """)
        #expect(out == "{'a': 1, 'b': 2, 'c': 3} 0 {'a': 1, 'b': 2, 'c': 3, 'd': 0} ('d', 0) {'a': 1, 'b': 2, 'c': 3, 'e': 5}\n{} {'x': 1} {'y': 2, 'z': 3}\n")
        h.expectErrors([
            ("{}.popitem()", "KeyError", "'popitem(): dictionary is empty'"),
            ("dict([(1, 2, 3)])", "ValueError", "dictionary update sequence element #0 has length 3; 2 is required"),
            ("dict([1])", "TypeError", "cannot convert dictionary update sequence element #0 to a sequence"),
        ])
    }
}
