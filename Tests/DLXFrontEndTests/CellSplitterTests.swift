import Testing
@testable import DLXFrontEnd

@Suite struct CellSplitterTests {
    @Test func eachTopLevelStatementIsACell() {
        let cells = CellSplitter.split("a = 1\n\nb = 2\nprint(a)\n")
        #expect(cells.map(\.text) == ["a = 1", "b = 2", "print(a)"])
        #expect(cells.map(\.firstLine) == [1, 3, 4])
    }

    @Test func bracketsKeepMultiLineStatementsTogether() {
        let src = "layers = [\n    nn.Flatten(),  # in\n    nn.ReLU()\n]\nlayers\n"
        let cells = CellSplitter.split(src)
        #expect(cells.count == 2)
        #expect(cells[1].firstLine == 5)
    }

    @Test func indentedBodiesAndElseStayWithTheirHeader() {
        let src = "if x:\n    a = 1\nelse:\n    a = 2\nprint(a)\n"
        let cells = CellSplitter.split(src)
        #expect(cells.count == 2)
        #expect(cells[0].text.hasSuffix("a = 2"))
    }

    @Test func bracketsInsideStringsAndCommentsDoNotCount() {
        let cells = CellSplitter.split("s = '('  # [\nt = 2\n")
        #expect(cells.count == 2)
    }

    @Test func continuationIsNeededForOpenBracketsAndBlocks() {
        #expect(CellSplitter.needsContinuation("x = [1,\n"))
        #expect(CellSplitter.needsContinuation("x = 1 + \\\n"))
        #expect(CellSplitter.needsContinuation("for i in range(3):\n"))
        #expect(CellSplitter.needsContinuation("for i in range(3):\n    print(i)\n"))
        #expect(!CellSplitter.needsContinuation("for i in range(3):\n    print(i)\n\n"))
        #expect(!CellSplitter.needsContinuation("x = [1, 2]\n"))
        #expect(!CellSplitter.needsContinuation("x = (1]\n"))
    }
}

@Suite struct CellMagicSplitTests {
    @Test func aCellMagicTakesTheLinesUpToABlankLine() {
        let cells = CellSplitter.split("x = 1\n%%writefile f.txt\nnot python (\nstill body\n\ny = 2\n")
        #expect(cells == [
            CellSplitter.Cell(text: "x = 1", firstLine: 1),
            CellSplitter.Cell(text: "%%writefile f.txt\nnot python (\nstill body", firstLine: 2),
            CellSplitter.Cell(text: "y = 2", firstLine: 6),
        ])
    }

    @Test func aCellMagicAtThePromptEndsWithABlankLine() {
        #expect(CellSplitter.needsContinuation("%%time\n"))
        #expect(CellSplitter.needsContinuation("%%time\nx = (1,\n"))
        #expect(!CellSplitter.needsContinuation("%%time\nx = 1\n\n"))
    }

    /// IPython's auto-indent for the next line of a cell being typed.
    @Test func theNextLineIsIndentedAsIPythonIndentsIt() {
        #expect(CellSplitter.nextIndent("for i in x:") == 4)
        #expect(CellSplitter.nextIndent("def f(x):\n    if x:") == 8)
        #expect(CellSplitter.nextIndent("def f(x):\n    if x:\n        return 1") == 4)
        #expect(CellSplitter.nextIndent("while True:\n    n += 1") == 4)
        #expect(CellSplitter.nextIndent("while True:\n    break  # done") == 0)
        #expect(CellSplitter.nextIndent("x = 1") == 0)
    }
}
