import Testing
@testable import DLXInterpreter

/// str methods: positions in code points, slice-style bounds, Python's whitespace and line breaks, its messages. Expected values are what CPython 3.11 prints.
@Suite struct StringMethodTests {
    let h = Harness()

    @Test func splitHonoursMaxsplitAndWhitespaceRuns() throws {
        #expect(try h.repr("'  a b  c  '.split(None, 1)") == "['a', 'b  c  ']")
        #expect(try h.repr("'  a b  c  '.rsplit(None, 1)") == "['  a b', 'c']")
        #expect(try h.repr("'a,b,,c,'.split(',', 2)") == "['a', 'b', ',c,']")
        #expect(try h.repr("'a-b-c'.rsplit('-', 1)") == "['a-b', 'c']")
        #expect(try h.repr("' a  b '.split(' ')") == "['', 'a', '', 'b', '']")
        #expect(try h.repr("'k=v=w'.split('=', maxsplit=1)") == "['k', 'v=w']")
        #expect(try h.repr("''.split()") == "[]")
        #expect(try h.repr("''.split(',')") == "['']")
        #expect(try h.repr("'a\\u3000b\\x1cc'.split()") == "['a', 'b', 'c']")
    }

    @Test func splitlinesKnowsEveryLineBoundary() throws {
        #expect(try h.repr("'a\\r\\nb\\rc\\n\\nd'.splitlines()") == "['a', 'b', 'c', '', 'd']")
        #expect(try h.repr("'a\\r\\nb\\n'.splitlines(True)") == "['a\\r\\n', 'b\\n']")
        #expect(try h.repr("''.splitlines()") == "[]")
        #expect(try h.repr("'x\\x0by\\u2028z'.splitlines()") == "['x', 'y', 'z']")
    }

    @Test func searchingTakesSliceBounds() throws {
        #expect(try h.repr("'hello world'.find('o', 5)") == "7")
        #expect(try h.repr("'hello'.rfind('l', 0, 3)") == "2")
        #expect(try h.repr("'hello'.index('l', -2)") == "3")
        #expect(try h.repr("'hello'.rindex('l')") == "3")
        #expect(try h.repr("'hello'.find('l', -100, 100)") == "2")
        #expect(try h.repr("'abc'.find('', 2, 1)") == "-1")
        #expect(try h.repr("'abc'.find('', 3)") == "3")
        #expect(try h.repr("'abc'.find('', 4)") == "-1")
        #expect(try h.repr("'abc'.rfind('')") == "3")
        #expect(try h.repr("'banana'.count('a', 2)") == "2")
        #expect(try h.repr("'aaaa'.count('aa')") == "2")
        #expect(try h.repr("'abc'.count('', 1)") == "3")
        #expect(try h.repr("'héllo'.find('l')") == "2")
    }

    @Test func replaceWithCountAndEmptyPattern() throws {
        #expect(try h.repr("'banana'.replace('a', 'o', 2)") == "'bonona'")
        #expect(try h.repr("'aaa'.replace('', '-')") == "'-a-a-a-'")
        #expect(try h.repr("'abc'.replace('', '-', 2)") == "'-a-bc'")
        #expect(try h.repr("'abc'.replace('x', 'y')") == "'abc'")
        #expect(try h.repr("'aaa'.replace('a', '', -1)") == "''")
    }

    @Test func prefixesSuffixesTuplesAndBounds() throws {
        #expect(try h.repr("'hello'.endswith(('lo', 'x'))") == "True")
        #expect(try h.repr("'hello'.startswith('lo', 3)") == "True")
        #expect(try h.repr("'hello'.startswith('he', 1)") == "False")
        #expect(try h.repr("'hello'.endswith('ell', 0, 4)") == "True")
        #expect(try h.repr("'abc'.startswith('', 3)") == "True")
        #expect(try h.repr("'abc'.startswith('', 4)") == "False")
        #expect(try h.repr("'abc'.endswith('', 2, 1)") == "False")
        #expect(try h.repr("'www.x.org'.removeprefix('www.')") == "'x.org'")
        #expect(try h.repr("'a.py'.removesuffix('.py')") == "'a'")
        #expect(try h.repr("'abc'.removeprefix('')") == "'abc'")
    }

    @Test func stripsWithCharacterSets() throws {
        #expect(try h.repr("'xxhixx'.strip('x')") == "'hi'")
        #expect(try h.repr("'<<a>>'.lstrip('<')") == "'a>>'")
        #expect(try h.repr("'a\\t\\n '.rstrip()") == "'a'")
        #expect(try h.repr("'abcba'.strip('ab')") == "'c'")
        #expect(try h.repr("' a '.strip(None)") == "'a'")
        #expect(try h.repr("'\\xa0a\\u2003'.strip()") == "'a'")
    }

    @Test func caseMethodsFollowUnicode() throws {
        #expect(try h.repr("\"they're bill's friends\".title()") == "\"They'Re Bill'S Friends\"")
        #expect(try h.repr("'hELLO wORLD'.capitalize()") == "'Hello world'")
        #expect(try h.repr("'AbC'.swapcase()") == "'aBc'")
        #expect(try h.repr("'ß'.upper()") == "'SS'")
        #expect(try h.repr("'Straße'.casefold()") == "'strasse'")
        #expect(try h.repr("'hello world2x'.title()") == "'Hello World2X'")
        #expect(try h.repr("'ǆ'.capitalize()") == "'ǅ'")
    }

    @Test func predicatesMatchPython() throws {
        #expect(try h.repr("('123'.isdigit(), '½'.isdigit(), '²'.isdigit(), '²'.isdecimal(), '½'.isnumeric(), 'Ⅻ'.isnumeric(), ''.isdigit())") == "(True, False, True, False, True, True, False)")
        #expect(try h.repr("('abc'.isalpha(), 'ab1'.isalpha(), 'a1'.isalnum(), 'é'.isalpha(), ' \\t\\n'.isspace(), ''.isspace())") == "(True, False, True, True, True, False)")
        #expect(try h.repr("('HI 1'.isupper(), 'Hi'.isupper(), 'hi!'.islower(), '1'.islower(), 'A Title'.istitle(), 'Not a Title'.istitle(), 'ǅemal'.istitle())") == "(True, False, True, False, True, False, True)")
        #expect(try h.repr("('x1'.isidentifier(), '1x'.isidentifier(), 'a\\n'.isprintable(), 'é'.isascii(), ''.isascii())") == "(True, False, False, False, True)")
    }

    @Test func paddingAndTabs() throws {
        #expect(try h.repr("'42'.zfill(5)") == "'00042'")
        #expect(try h.repr("'-42'.zfill(5)") == "'-0042'")
        #expect(try h.repr("'+4'.zfill(4)") == "'+004'")
        #expect(try h.repr("'abc'.zfill(2)") == "'abc'")
        #expect(try h.repr("''.zfill(3)") == "'000'")
        #expect(try h.repr("'a\\tbc\\tdef\\n\\tx'.expandtabs()") == "'a       bc      def\\n        x'")
        #expect(try h.repr("'a\\tb'.expandtabs(4)") == "'a   b'")
        #expect(try h.repr("'a\\tb'.expandtabs(0)") == "'ab'")
    }

    @Test func partitionSplitsAtTheFirstOrLastSeparator() throws {
        #expect(try h.repr("'Python'.partition('th')") == "('Py', 'th', 'on')")
        #expect(try h.repr("'no'.partition('x')") == "('no', '', '')")
        #expect(try h.repr("'a.b.c'.rpartition('.')") == "('a.b', '.', 'c')")
        #expect(try h.repr("'abc'.rpartition('x')") == "('', '', 'abc')")
    }

    @Test func formatMapAndJoin() throws {
        #expect(try h.repr("'{a}-{b}'.format_map({'a': 1, 'b': 2})") == "'1-2'")
        #expect(try h.repr("'-'.join(['a', 'b'])") == "'a-b'")
        #expect(try h.repr("''.join(reversed('abc'))") == "'cba'")
        #expect(try h.repr("', '.join(str(i) for i in range(3))") == "'0, 1, 2'")
    }

    @Test func bytesFromEncodeAndLiterals() throws {
        #expect(try h.repr("'é'.encode('utf-8')") == "b'\\xc3\\xa9'")
        #expect(try h.repr("'é'.encode('latin-1')") == "b'\\xe9'")
        #expect(try h.repr("b'ab'.decode()") == "'ab'")
        #expect(try h.repr("b\"it's\"") == "b\"it's\"")
        #expect(try h.repr("b'a\\x00\\xff'") == "b'a\\x00\\xff'")
        #expect(try h.repr("len('héllo'.encode())") == "6")
        #expect(try h.repr("list(b'ab')") == "[97, 98]")
        #expect(try h.repr("b'ab' + b'c'") == "b'abc'")
        #expect(try h.repr("b'abc'[1:]") == "b'bc'")
        #expect(try h.repr("b'\\xc3\\xa9'.decode('utf-8')") == "'é'")
        #expect(try h.repr("b'ab'.hex()") == "'6162'")
        #expect(h.error("b'a' 'b'")?.type == "SyntaxError")
        // \u is an escape in str literals only.
        #expect(try h.repr("'\\u00e9', len(b'\\u00e9')") == "('é', 6)")
    }

    @Test func unboundStrMethodsTakeTheReceiverFirst() throws {
        #expect(try h.repr("str.lower('ABC')") == "'abc'")
        #expect(try h.repr("sorted(['b', 'A', 'c'], key=str.lower)") == "['A', 'b', 'c']")
        #expect(try h.repr("list(map(str.strip, [' a ', 'b ']))") == "['a', 'b']")
        #expect(try h.repr("str.split('a b')") == "['a', 'b']")
    }

    @Test func stringMethodErrorsMatchPython() throws {
        #expect(h.raised("'abc'.index('z')") == "ValueError: substring not found")
        #expect(h.raised("'abc'.rindex('z')") == "ValueError: substring not found")
        #expect(h.raised("'abc'.find(1)") == "TypeError: must be str, not int")
        #expect(h.raised("'abc'.startswith(1)") == "TypeError: startswith first arg must be str or a tuple of str, not int")
        #expect(h.raised("'abc'.startswith((1,))") == "TypeError: tuple for startswith must only contain str, not int")
        #expect(h.raised("'-'.join([1])") == "TypeError: sequence item 0: expected str instance, int found")
        #expect(h.raised("'-'.join(5)") == "TypeError: can only join an iterable")
        #expect(h.raised("'abc'.split('')") == "ValueError: empty separator")
        #expect(h.raised("'abc'.partition('')") == "ValueError: empty separator")
        #expect(h.raised("'abc'.strip(1)") == "TypeError: strip arg must be None or str")
        #expect(h.raised("'abc'.zfill('a')") == "TypeError: 'str' object cannot be interpreted as an integer")
        #expect(h.raised("'é'.encode('ascii')") == "UnicodeEncodeError: 'ascii' codec can't encode character '\\xe9' in position 0: ordinal not in range(128)")
        #expect(h.raised("str.lower(5)") == "TypeError: descriptor 'lower' for 'str' objects doesn't apply to a 'int' object")
        #expect(h.raised("'abc'.find('a', 'x')") == "TypeError: slice indices must be integers or None or have an __index__ method")
    }

    @Test func completionListsEveryStringListAndDictMethod() throws {
        for name in Interpreter.stringMethodNames { #expect(h.interpreter.stringMethod("", name) != nil, "\(name)") }
        #expect(Interpreter.stringMethodNames.contains("splitlines"))
        #expect(h.interpreter.attributeNames(of: .list(ListBox([]))) == Interpreter.listMethodNames)
        #expect(Interpreter.dictMethodNames.contains("popitem"))
    }
}
