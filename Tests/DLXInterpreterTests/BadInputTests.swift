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
        ("f = lambda x: (yield", "SyntaxError"),
        ("class A(metaclass=type): pass", "NotImplementedError"),
        ("async def f(): pass", "SyntaxError"),
        ("try:\n    pass", "SyntaxError"),
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
        ("import socket", "ModuleNotFoundError"),
        ("torch.zeros(2).item()", "RuntimeError"),
        ("nn.Sequential(1, 2)", "TypeError"),
        ("x, y = 1, 2, 3", "ValueError"),
        ("int('abc')", "ValueError"),
        ("[1] * 10000000000", "MemoryError"),
        ("[0] * 10**8", "MemoryError"),
        ("'ab' * 10**8", "MemoryError"),
        ("torch.arange(0, 10, 0)", "RuntimeError"),
        ("DataLoader(load mnist.test, batch_size=0)", "ValueError"),
        ("nn.Conv2d(1, 8, 3, groups=2)", "NotImplementedError"),
        ("nn.Dropout(2)", "ValueError"),
        ("break", "SyntaxError"),
        ("torch.zeros(2).cuda()", "RuntimeError"),
        // Found by feeding extreme arguments to the builtins (each was a trap before).
        ("f'{1:99999999999999999999}'", "ValueError"),
        ("'{:.99999999999999999999}'.format(1.5)", "ValueError"),
        ("'%99999999999999999999d' % 1", "ValueError"),
        ("list(range(2**62))", "MemoryError"),
        ("torch.zeros(2, 3).argmax(())", "TypeError"),
        ("%run /dev/zero", "OSError"),
        ("torch.utils.data.random_split(torch.utils.data.TensorDataset(torch.ones(10)), [float('nan'), 2**62])", "ValueError"),
        ("torch.utils.data.random_split(torch.utils.data.TensorDataset(torch.ones(10)), [-1, 1e308])", "ValueError"),
        ("load csv('/dev/zero')", "OSError"),
        ("torch.optim.lr_scheduler.CosineAnnealingLR(torch.optim.SGD([torch.ones(1, requires_grad=True)]), 0)", "ValueError"),
    ]

    /// Arguments at the edges of 64-bit integers and of the augmentations' ranges give answers, not traps.
    @Test func extremeArgumentsGiveAnswers() throws {
        let h = Harness()
        #expect(try h.repr("len(range(-2**62, 2**62, 2**61)), range(-2**62, 2**62, 2**61)[3]") == "(4, 2305843009213693952)")
        #expect(try h.repr("list(range(-2**62, 2**62, 2**61))[-1], list(range(5, -5, -3))") == "(2305843009213693952, [5, 2, -1, -4])")
        #expect(try h.repr("torch.ones(2, 3).sum([]), torch.ones(2, 3).mean(dim=()), torch.ones(2, 3).sum((), keepdim=True)")
                == "(tensor(6.), tensor(1.), tensor([[6.]]))")
        #expect(try h.repr("transforms.RandomResizedCrop(3, scale=(-1, -1), ratio=(0, 0))(torch.ones(1, 4, 4)).shape")
                == "torch.Size([1, 3, 3])")
        #expect(try h.repr("torch.arange(6)[2**62::2**62], torch.arange(6)[1::2**62], torch.arange(6)[-2**62:2**62:2**61]")
                == "(tensor([], dtype=torch.int64), tensor([1]), tensor([0]))")
        // A chart as tall as the doubles, and a picture whose label is no class number.
        #expect(try h.run("plot([1e308, -1e308])").contains("-1.00e+308 |"))
        #expect(try h.run("show((torch.ones(1, 4, 4), torch.tensor(float('nan'))))").hasSuffix("label nan\n"))
    }

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
