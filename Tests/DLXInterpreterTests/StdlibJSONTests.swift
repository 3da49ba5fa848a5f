import Testing
@testable import DLXInterpreter

/// `json`: CPython 3.11.7's text, escapes, key conversions and JSONDecodeError positions.
@Suite struct StdlibJSONTests {
    let h = Harness()

    init() throws { try h.run("import json\nfrom collections import namedtuple, Counter\nPoint = namedtuple('Point', 'x y')") }

    @Test func dumpsSpacingIndentAndSeparators() throws {
        try h.expectReprs([
            ("json.dumps({'a': 1, 'b': [1, 2.5, None, True, False], 'c': 'x\"y\\n'})", #"'{"a": 1, "b": [1, 2.5, null, true, false], "c": "x\\"y\\n"}'"#),
            ("json.dumps({'a': 1, 'b': [1, 2]}, indent=2)", #"'{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ]\n}'"#),
            ("json.dumps({'a': 1, 'b': [1, 2]}, indent=0)", #"'{\n"a": 1,\n"b": [\n1,\n2\n]\n}'"#),
            ("json.dumps([[], {}], indent='\\t'), json.dumps({}, indent=2)", #"('[\n\t[],\n\t{}\n]', '{}')"#),
            ("json.dumps({'b': 1, 'a': 2}, sort_keys=True), json.dumps({'a': 1, 'b': [1, 2]}, separators=(',', ':'))", #"('{"a": 2, "b": 1}', '{"a":1,"b":[1,2]}')"#),
            ("json.dumps({1: 'a', 2.5: 'b', True: 'c', None: 'd'})", #"'{"1": "c", "2.5": "b", "null": "d"}'"#),
            ("json.dumps([float('nan'), float('inf'), 1e100, 3.0, -0.0])", #"'[NaN, Infinity, 1e+100, 3.0, -0.0]'"#),
            ("json.dumps('héllo ☃ 😀'), json.dumps('héllo', ensure_ascii=False)", #"('"h\\u00e9llo \\u2603 \\ud83d\\ude00"', '"héllo"')"#),
            ("json.dumps('\\x00\\x1f\\x7f')", #"'"\\u0000\\u001f\\u007f"'"#),
            ("json.dumps((1, 2)), json.dumps(Point(1, 2)), json.dumps(Counter('aab')), json.dumps(torch.Size([2, 3]))", #"('[1, 2]', '[1, 2]', '{"a": 2, "b": 1}', '[2, 3]')"#),
            ("json.dumps({(1, 2): 3}, skipkeys=True), json.dumps(torch.tensor(1), default=str)", #"('{}', '"tensor(1)"')"#),
        ])
        h.expectErrors([
            ("json.dumps({(1, 2): 3})", "TypeError", "keys must be str, int, float, bool or None, not tuple"),
            ("json.dumps({'a': torch.tensor([1])})", "TypeError", "Object of type Tensor is not JSON serializable"),
            ("json.dumps(float('nan'), allow_nan=False)", "ValueError", "Out of range float values are not JSON compliant"),
            ("json.dumps({'b': 1, 1: 2}, sort_keys=True)", "TypeError", "'<' not supported between instances of 'int' and 'str'"),
            ("l = []\nl.append(l)\njson.dumps(l)", "ValueError", "Circular reference detected"),
        ])
    }

    @Test func loadsTheFullGrammar() throws {
        try h.expectReprs([
            ("json.loads('{\"a\": [1, 2.5, null, true, false, \"x\"]}')", "{'a': [1, 2.5, None, True, False, 'x']}"),
            ("json.loads('  [1, {\"b\": -0.5e3}]  '), json.loads('1E+2'), json.loads('-0')", "([1, {'b': -500.0}], 100.0, 0)"),
            ("json.loads('\"\\\\u00e9\\\\ud83d\\\\ude00\\\\n\\\\/\"')", "'é😀\\n/'"),
            ("json.loads('[NaN, Infinity, -Infinity]'), json.loads('{\"a\": 1, \"a\": 2}')", "([nan, inf, -inf], {'a': 2})"),
        ])
        let errors: [(String, String)] = [
            ("''", "Expecting value: line 1 column 1 (char 0)"),
            ("'{'", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
            ("'{\"a\" 1}'", "Expecting ':' delimiter: line 1 column 6 (char 5)"),
            ("'{\"a\": 1,}'", "Expecting property name enclosed in double quotes: line 1 column 9 (char 8)"),
            ("'[1, 2'", "Expecting ',' delimiter: line 1 column 6 (char 5)"),
            ("'[1,]'", "Expecting value: line 1 column 4 (char 3)"),
            ("'[1] x'", "Extra data: line 1 column 5 (char 4)"),
            ("'01'", "Extra data: line 1 column 2 (char 1)"),
            ("'\"abc'", "Unterminated string starting at: line 1 column 1 (char 0)"),
            ("'\"a\\\\qb\"'", "Invalid \\escape: line 1 column 3 (char 2)"),
            ("'\"a\\\\u12\"'", "Invalid \\uXXXX escape: line 1 column 4 (char 3)"),
            ("'\"a\\tb\"'", "Invalid control character at: line 1 column 3 (char 2)"),
            ("'\\n\\n  [1,\\n  x]'", "Expecting value: line 4 column 3 (char 10)"),
        ]
        h.expectErrors(errors.map { ("json.loads(\($0.0))", "JSONDecodeError", $0.1) })
        h.expectErrors([("json.loads(5)", "TypeError", "the JSON object must be str, bytes or bytearray, not int")])
    }

    @Test func deepNestingIsARecursionErrorNotACrash() throws {
        try h.run("deep = []\nfor _ in range(5000):\n    deep = [deep]\nok = []\nfor _ in range(985):\n    ok = [ok]")
        h.expectErrors([
            ("json.dumps(deep)", "RecursionError", "maximum recursion depth exceeded while encoding a JSON object"),
            ("json.loads('[' * 5000)", "RecursionError", "maximum recursion depth exceeded while decoding a JSON array from a unicode string"),
        ])
        #expect(try h.repr("len(json.dumps(ok)), json.loads(json.dumps(ok)) == ok") == "(1972, True)")
    }
}
