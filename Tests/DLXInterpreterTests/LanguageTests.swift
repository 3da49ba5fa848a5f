import Testing
@testable import DLXInterpreter

@Suite struct LanguageTests {
    let h = Harness()

    @Test func pythonArithmeticSemantics() throws {
        #expect(try h.repr("7 // -2") == "-4")
        #expect(try h.repr("-7 % 3") == "2")
        #expect(try h.repr("7 / 2") == "3.5")
        #expect(try h.repr("2 ** -1") == "0.5")
        #expect(try h.repr("2 ** 10") == "1024")
        #expect(try h.repr("1e-3") == "0.001")
        #expect(try h.repr("0.1 + 0.2") == "0.30000000000000004")
        #expect(try h.repr("True + True") == "2")
        #expect(try h.repr("1 * 28 * 28") == "784")
    }

    @Test func comparisonsChainAndBooleansShortCircuit() throws {
        #expect(try h.repr("1 < 2 < 3") == "True")
        #expect(try h.repr("1 < 3 < 2") == "False")
        #expect(try h.repr("0 or 'x'") == "'x'")
        #expect(try h.repr("[] and 1") == "[]")
        #expect(try h.repr("not None") == "True")
        #expect(try h.repr("3 in [1, 2, 3]") == "True")
        #expect(try h.repr("None is None") == "True")
        #expect(try h.repr("1 if False else 2") == "2")
    }

    @Test func containersAndIndexing() throws {
        #expect(try h.repr("[1, 2, 3][-1]") == "3")
        #expect(try h.repr("[1, 2, 3, 4][::2]") == "[1, 3]")
        #expect(try h.repr("(1,)") == "(1,)")
        #expect(try h.repr("{'a': 1, 'b': [2]}") == "{'a': 1, 'b': [2]}")
        #expect(try h.repr("'abc'[1:]") == "'bc'")
        #expect(try h.repr("len({'a': 1})") == "1")
        #expect(try h.repr("[x * 2 for x in range(4) if x != 2]") == "[0, 2, 6]")
        #expect(try h.repr("sum(x for x in range(5))") == "10")
    }

    @Test func assignmentForms() throws {
        try h.run("a, b = 1, 2\na, b = b, a\nxs = [1, 2]\nxs += [3]\nxs[0] = 9\nd = {}\nd['k'] = 5\nfirst, *rest = [1, 2, 3]")
        #expect(try h.repr("(a, b, xs, d, rest)") == "(2, 1, [9, 2, 3], {'k': 5}, [2, 3])")
    }

    @Test func stringsFormatLikePython() throws {
        #expect(try h.repr("'{:.4f}'.format(3.14159)") == "'3.1416'")
        #expect(try h.repr("'{:,}'.format(669706)") == "'669,706'")
        #expect(try h.repr("'{:>8}|'.format('ab')") == "'      ab|'")
        #expect(try h.repr("'{:%}'.format(0.5)") == "'50.000000%'")
        #expect(try h.repr("f'{1 + 1} and {\"x\"!r} {3.5:.1f}'") == "\"2 and 'x' 3.5\"")
        #expect(try h.repr("'%0.2f' % 2.555") == "'2.56'")
        #expect(try h.repr("'It\\'s'") == "\"It's\"")
        // Python's padding: the odd extra space goes left when the width is odd; a fill character.
        #expect(try h.repr("'ab'.center(5), 'abc'.center(6), 'ab'.center(6, '*'), 'a'.ljust(3, '.'), 'a'.rjust(3)")
                == "('  ab ', ' abc  ', '**ab**', 'a..', '  a')")
        #expect(h.error("'ab'.center(2**62)")?.type == "MemoryError")
        #expect(h.error("'ab'.center(5, 'xy')")?.type == "TypeError")
    }

    /// round() as Python's: halves to even, negative ndigits to multiples of ten (ints stay ints).
    @Test func roundFollowsPython() throws {
        #expect(try h.repr("round(2.5), round(3.5), round(-2.5), round(0.98765, 3)") == "(2, 4, -2, 0.988)")
        #expect(try h.repr("round(1234.5, -2), round(1250.0, -2), round(1234, -2), round(1250, -2), round(1350, -2), round(-1350, -2)")
                == "(1200.0, 1200.0, 1200, 1200, 1400, -1400)")
        #expect(try h.repr("round(7, -30), round(1e300, -400), round(2**62 + 2**61, -18)") == "(0, 0.0, 7000000000000000000)")
        #expect(h.error("round(1e308)")?.type == "OverflowError")
    }

    @Test func printUsesStrAndSeparators() throws {
        #expect(try h.run("print('a', 1, 2.5, None, sep='-', end='!\\n')") == "a-1-2.5-None!\n")
        #expect(try h.run("print(torch.tensor([1, 2]))") == "tensor([1, 2])\n")
    }

    @Test func blocksAndFunctions() throws {
        try h.run("""
        def area(w, h=2):
            return w * h
        total = 0
        for i in range(4):
            if i == 2:
                continue
            total += area(i)
        n = 0
        while n < 3:
            n += 1
        """)
        #expect(try h.repr("(total, n, area(3, h=5))") == "(8, 3, 15)")
    }

    @Test func runawayRecursionIsAnError() throws {
        try h.run("def f(n):\n    return f(n + 1)\n")
        #expect(h.error("f(0)")?.type == "RecursionError")
    }

    @Test func typeAndIsinstance() throws {
        #expect(try h.repr("type(5)") == "<class 'int'>")
        #expect(try h.repr("type(torch.zeros(1))") == "<class 'torch.Tensor'>")
        #expect(try h.repr("isinstance(True, int)") == "True")
        #expect(try h.repr("isinstance(nn.ReLU(), nn.Module)") == "True")
    }

    @Test func importsBindTheUsualNames() throws {
        try h.run("import torch.nn as nn2\nfrom torch.utils.data import DataLoader as DL\nimport torchvision.transforms.v2 as T")
        #expect(try h.repr("nn2.ReLU()") == "ReLU()")
        #expect(try h.repr("T.ToTensor()") == "ToTensor()")
        #expect(h.error("import pandas")?.type == "ModuleNotFoundError")
        #expect(h.error("from torch import nothing")?.type == "ImportError")
    }

    @Test func aStatementLevelExpressionDisplaysItsRepr() throws {
        #expect(try h.run("x = 3\nx\nNone\n'text'") == "3\n'text'\n")
    }
}
