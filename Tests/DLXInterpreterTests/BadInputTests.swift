import Testing
@testable import DLXInterpreter

/// Malformed and hostile lines: each is an error with a message, never a crash, and the session
/// (its variables) survives every one of them.
@Suite struct BadInputTests {
    static let corpus: [(String, String)] = [
        ("x = (1, 2", "SyntaxError"),
        ("x = [1, 2)", "SyntaxError"),
        ("x = ]", "SyntaxError"),
        ("print('unterminated)", "SyntaxError"),
        ("f = lambda x: x", "SyntaxError"),
        ("class A: pass", "SyntaxError"),
        ("x = $", "SyntaxError"),
        ("1 = x", "SyntaxError"),
        ("undefined_name + 1", "NameError"),
        ("torch.nonexistent", "AttributeError"),
        ("keep.shape.foo", "AttributeError"),
        ("len(1, 2)", "TypeError"),
        ("len()", "TypeError"),
        ("nn.Linear(1)", "TypeError"),
        ("torch.zeros(2, 3).size(1, 2, 3)", "TypeError"),
        ("nn.Flatten(foo=1)", "TypeError"),
        ("torch.zeros(2, 3) @ torch.zeros(4, 5)", "RuntimeError"),
        ("torch.zeros(3) + torch.zeros(4)", "RuntimeError"),
        ("torch.zeros(6).view(4, -1)", "RuntimeError"),
        ("torch.zeros(100000, 100000, 100000)", "MemoryError"),
        ("torch.zeros(100000, 100000, 1000)", "MemoryError"),
        ("torch.zeros(-1)", "RuntimeError"),
        ("torch.zeros(3)[5]", "IndexError"),
        ("torch.zeros(3)[::-1]", "ValueError"),
        ("torch.zeros(3)[1, 2]", "IndexError"),
        ("torch.zeros(3)['a']", "IndexError"),
        ("[1, 2][5]", "IndexError"),
        ("{'a': 1}['b']", "KeyError"),
        ("1 / 0", "ZeroDivisionError"),
        ("10 ** 100", "OverflowError"),
        ("torch.tensor([[1, 2], [3]])", "ValueError"),
        ("torch.tensor('abc')", "TypeError"),
        ("keep(1)", "TypeError"),
        ("nn.Linear(784, 10)(torch.zeros(1, 20))", "RuntimeError"),
        ("load nothing", "NameError"),
        ("load idx('/nonexistent/a.gz', '/nonexistent/b.gz')", "OSError"),
        ("import os", "ModuleNotFoundError"),
        ("torch.zeros(2).item()", "RuntimeError"),
        ("nn.Sequential(1, 2)", "TypeError"),
        ("x, y = 1, 2, 3", "ValueError"),
        ("int('abc')", "ValueError"),
        ("[1] * 10000000000", "MemoryError"),
        ("torch.arange(0, 10, 0)", "RuntimeError"),
        ("DataLoader(load mnist.test, batch_size=0)", "ValueError"),
        ("nn.Conv2d(1, 8, 3, groups=2)", "NotImplementedError"),
        ("nn.Dropout(2)", "ValueError"),
        ("break", "SyntaxError"),
        ("torch.zeros(2).cuda()", "RuntimeError"),
    ]

    @Test func everyMalformedLineIsAnErrorAndTheSessionSurvives() throws {
        let h = Harness()
        try h.run("keep = torch.arange(4)")
        for (line, type) in Self.corpus {
            let e = h.error(line)
            #expect(e != nil, "no error for: \(line)")
            #expect(e?.type == type, "\(line): got \(e?.description ?? "nothing")")
            #expect(e?.message.isEmpty == false || e?.type == "KeyError", "empty message for: \(line)")
            #expect(e?.span != nil, "no position for: \(line)")
        }
        #expect(try h.repr("keep") == "tensor([0, 1, 2, 3])")
    }

    @Test func errorsPointAtTheOffendingExpression() throws {
        let h = Harness()
        let e = h.error("x = 1 + undefined_name")
        #expect(e?.span?.start.column == 9)
        #expect(e?.span?.end.column == 23)
    }
}
