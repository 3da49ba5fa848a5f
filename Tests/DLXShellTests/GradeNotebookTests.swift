import Testing
import Foundation
@testable import DLXShell

/// `dlx grade` takes Jupyter notebooks too: their code cells run as `--from-ipynb` runs them.
struct GradeNotebookTests {
    static let key = """
    # dlx: points=2 name="double"
    >>> double(21)
    42

    # dlx: points=1 name="w"
    >>> w.shape
    torch.Size([2, 3])

    """

    static func notebook(_ cells: [String]) -> String {
        let code: [JSON] = cells.map { source in
            .object([("cell_type", .string("code")), ("metadata", .object([])), ("execution_count", .null), ("outputs", .array([])),
                     ("source", .array(["# a comment\n", source].map { .string($0) }))])
        }
        let markdown = JSON.object([("cell_type", .string("markdown")), ("metadata", .object([])), ("source", .array([.string("# Exercise")]))])
        return JSON.object([("cells", .array([markdown] + code)), ("metadata", .object([])), ("nbformat", .number(4)),
                            ("nbformat_minor", .number(5))]).text()
    }

    @Test func notebookSubmissionsAreGradedByTheirCodeCells() throws {
        let dir = try scratchDirectory("grade-ipynb")
        try GradeNotebookTests.key.write(toFile: dir + "/key.dlx", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir + "/subs", withIntermediateDirectories: true)
        try GradeNotebookTests.notebook(["!pip install torch\ndef double(x):\n    return 2 * x", "w = torch.zeros(2, 3)\nw.shape"])
            .write(toFile: dir + "/subs/ada.ipynb", atomically: true, encoding: .utf8)
        try GradeNotebookTests.notebook(["def double(x):\n    return x"]).write(toFile: dir + "/subs/bob.ipynb", atomically: true, encoding: .utf8)
        try "not a notebook".write(toFile: dir + "/subs/eve.ipynb", atomically: true, encoding: .utf8)
        let r = try runDLX(["grade", "--key", "key.dlx", "--json", "results.jsonl", "subs"], directory: dir)
        let lines = try String(contentsOfFile: dir + "/results.jsonl", encoding: .utf8).split(separator: "\n").map { JSON.parse(String($0)) }
        let scores = lines.compactMap { r in r.flatMap { j in j["id"]?.stringValue.map { ($0, j["score"]?.numberValue ?? -1, j["status"]?.stringValue ?? "") } } }
        #expect(scores.map(\.0) == ["subs/ada.ipynb", "subs/bob.ipynb", "subs/eve.ipynb"], "\(r.stdout)\(r.stderr)")
        #expect(scores.map(\.1) == [3, 0, 0])
        #expect(scores.last?.2 == "error")
        #expect(GradeParent.folderName("subs/ada.ipynb") == "ada")
    }
}
