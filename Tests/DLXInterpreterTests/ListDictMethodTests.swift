import Testing
@testable import DLXInterpreter

/// list and dict methods, dict views, merging and Python's messages. Expected values are what CPython 3.11 prints.
@Suite struct ListDictMethodTests {
    let h = Harness()

    @Test func listIndexAndCountTakeBounds() throws {
        #expect(try h.repr("[1, 2, 3, 2].index(2, 2)") == "3")
        #expect(try h.repr("[1, 2, 3].index(2, -2)") == "1")
        #expect(try h.repr("[0, 0, 1].count(0)") == "2")
        #expect(try h.repr("[1, 1.0, True].count(1)") == "3")
    }

    @Test func listInsertAndPopClampAndCount() throws {
        #expect(try h.repr("(lambda l: (l.insert(-1, 'x'), l.insert(100, 'y'), l.insert(-100, 'z'), l)[3])([1, 2])") == "['z', 1, 'x', 2, 'y']")
        #expect(try h.repr("(lambda l: (l.pop(), l.pop(0), l.pop(-2), l))([1, 2, 3, 4, 5])") == "(5, 1, 3, [2, 4])")
    }

    @Test func listMethodErrorsMatchPython() throws {
        #expect(h.raised("[1, 2, 3].index(2, 0, 1)") == "ValueError: 2 is not in list")
        #expect(h.raised("[].pop()") == "IndexError: pop from empty list")
        #expect(h.raised("[1].pop(3)") == "IndexError: pop index out of range")
        #expect(h.raised("[1].pop('a')") == "TypeError: 'str' object cannot be interpreted as an integer")
        #expect(h.raised("[1].insert('a', 1)") == "TypeError: 'str' object cannot be interpreted as an integer")
        #expect(h.raised("[].sort(1)") == "TypeError: sort() takes no positional arguments")
        #expect(h.raised("[1].remove(5)") == "ValueError: list.remove(x): x not in list")
        #expect(h.raised("[1].index(5)") == "ValueError: 5 is not in list")
        #expect(h.raised("['a'].index('b')") == "ValueError: 'b' is not in list")
    }

    @Test func dictViewsAreLiveAndPrintLikePython() throws {
        #expect(try h.repr("{'a': 1}.keys()") == "dict_keys(['a'])")
        #expect(try h.repr("{'a': 1}.values()") == "dict_values([1])")
        #expect(try h.repr("{'a': 1}.items()") == "dict_items([('a', 1)])")
        #expect(try h.repr("{}.keys()") == "dict_keys([])")
        try h.run("d = {'a': 1}\nks = d.keys()\nd['b'] = 2")
        #expect(try h.repr("ks, len(ks)") == "(dict_keys(['a', 'b']), 2)")
        #expect(try h.repr("type({}.keys()).__name__") == "'dict_keys'")
        #expect(try h.repr("{'a': 1, 'b': 2}.keys() & {'a', 'c'}") == "{'a'}")
        #expect(try h.repr("{'a': 1}.keys() == {'a'}") == "True")
        #expect(try h.repr("('a' in {'a': 1}.keys(), ('a', 1) in {'a': 1}.items(), 1 in {'a': 1}.values(), len({'a': 1, 'b': 2}.items()))") == "(True, True, True, 2)")
        #expect(try h.repr("sorted({'b': 1, 'a': 2}.items())") == "[('a', 2), ('b', 1)]")
        #expect(try h.repr("list(reversed(list({'x': 1, 'y': 2}.values())))") == "[2, 1]")
    }

    @Test func dictMethodsMatchPython() throws {
        #expect(try h.repr("(lambda d: (d.setdefault('c', 3), d.setdefault('a', 100), d))({'a': 1})") == "(3, 1, {'a': 1, 'c': 3})")
        #expect(try h.repr("(lambda d: (d.pop('a'), d.pop('z', 'missing'), d))({'a': 1, 'b': 2})") == "(1, 'missing', {'b': 2})")
        #expect(try h.repr("(lambda d: (d.popitem(), d))({'a': 1, 'b': 2})") == "(('b', 2), {'a': 1})")
        #expect(try h.repr("(lambda d: (d.update({'x': 9}), d.update(y=8), d.update([('z', 7)]), d.update(other=0), d)[4])({})") == "{'x': 9, 'y': 8, 'z': 7, 'other': 0}")
        #expect(try h.repr("dict.fromkeys(['p', 'q'])") == "{'p': None, 'q': None}")
        #expect(try h.repr("dict.fromkeys('ab', 0)") == "{'a': 0, 'b': 0}")
        #expect(try h.repr("{}.fromkeys([1])") == "{1: None}")
        #expect(try h.repr("dict(x=1)") == "{'x': 1}")
        #expect(try h.repr("dict({'a': 1}, b=2)") == "{'a': 1, 'b': 2}")
        #expect(try h.repr("dict([('k', 'v')])") == "{'k': 'v'}")
        #expect(try h.repr("dict(['ab'])") == "{'a': 'b'}")
        #expect(try h.repr("(lambda d: (d.copy() == d, d.copy() is d))({'a': [1]})") == "(True, False)")
        #expect(try h.repr("(lambda d: (d.clear(), d)[1])({'a': 1})") == "{}")
        #expect(try h.repr("{'a': 1} | {'c': 4, 'a': 2}") == "{'a': 2, 'c': 4}")
        #expect(try h.repr("{**{'a': 1}, 'b': 2, **{'a': 3}}") == "{'a': 3, 'b': 2}")
    }

    @Test func dictMethodErrorsMatchPython() throws {
        #expect(h.raised("{}.popitem()") == "KeyError: 'popitem(): dictionary is empty'")
        #expect(h.raised("{}.pop('nope')") == "KeyError: 'nope'")
        #expect(h.raised("dict([(1, 2, 3)])") == "ValueError: dictionary update sequence element #0 has length 3; 2 is required")
        #expect(h.raised("dict([1])") == "TypeError: cannot convert dictionary update sequence element #0 to a sequence")
        #expect(h.raised("{}.update(1)") == "TypeError: 'int' object is not iterable")
        #expect(h.raised("{} | []") == "TypeError: unsupported operand type(s) for |: 'dict' and 'list'")
        #expect(h.raised("{**[1]}") == "TypeError: 'list' object is not a mapping")
        #expect(h.raised("set().pop()") == "KeyError: 'pop from an empty set'")
    }
}
