import Testing
import Foundation
@testable import DLXShell

/// `--echo` and `--json`: what graders read.
@Suite struct OutputModeTests {
    @Test func echoShowsEachCellBeforeItsOutput() throws {
        let r = try runDLX(["--echo", "-"], stdin: "x = 2\nfor i in range(2):\n    print(i)\nx * 21\n")
        #expect(r.stdout == "In [1]: x = 2\n\nIn [2]: for i in range(2):\n   ...:     print(i)\n0\n1\n\nIn [3]: x * 21\n42\n\n")
    }

    @Test func jsonLinesHaveAStableKeyOrderAndASummary() throws {
        let r = try runDLX(["--json", "-", "--keep-going", "-"], stdin: "print('hi')\n2 + 3\nundefined\n")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        let records = lines.map { JSON.parse($0) }
        #expect(records.allSatisfy { $0 != nil })
        let keys: (JSON?) -> [String] = { j in
            if case .object(let pairs)? = j { return pairs.map(\.0) }
            return []
        }
        #expect(keys(records[0]) == ["type", "index", "first_line", "last_line", "source", "stdout", "value", "error", "elapsed"])
        #expect(records[0]?["stdout"]?.stringValue == "hi\n")
        #expect(records[1]?["value"]?.stringValue == "5")
        #expect(records[2]?["error"]?["type"]?.stringValue == "NameError")
        #expect(records[2]?["error"]?["line"]?.numberValue == 3)
        #expect(keys(records[3]) == ["type", "cells", "errors", "timed_out", "output_cut", "exit_status", "elapsed"])
        #expect(records[3]?["exit_status"]?.numberValue == 1)
        #expect(r.status == 1)
    }

    @Test func jsonToAFileLeavesStandardOutputAsUsual() throws {
        let dir = try scratchDirectory("json")
        let r = try runDLX(["--json", "cells.jsonl", "-c", "print(1)"], directory: dir)
        #expect(r.stdout == "1\n")
        let text = try String(contentsOfFile: dir + "/cells.jsonl", encoding: .utf8)
        #expect(text.split(separator: "\n").count == 2)
    }

    /// Seeded randomness, stable addresses and no timings: the same input gives the same bytes.
    @Test func outputIsByteIdenticalFromRunToRun() throws {
        let script = "from torch.utils.data import TensorDataset\nx = torch.randn(3, 4)\nx\nmodel = nn.Linear(4, 2)\nmodel.weight\nprint(model)\nlist(DataLoader(TensorDataset(x, torch.arange(3)), batch_size=2, shuffle=True))\n"
        let a = try runDLX(["--echo", "-"], stdin: script), b = try runDLX(["--echo", "-"], stdin: script)
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout.contains("tensor("))
    }

    @Test func jsonEscapesAndParsesBack() {
        let j = JSON.object([("s", .string("a\"b\\\n\u{1}é")), ("n", .number(1.5)), ("a", .array([.null, .bool(true), .number(3)]))])
        #expect(j.text() == "{\"s\": \"a\\\"b\\\\\\n\\u0001é\", \"n\": 1.5, \"a\": [null, true, 3]}")
        #expect(JSON.parse(j.text()) == j)
        #expect(JSON.parse("{\"a\": [1, 2") == nil)
        #expect(JSON.parse("\"\\ud83d\\ude00\"")?.stringValue == "😀")
    }

    /// Progress bars (fit, evaluate, load, confusion) are for terminals: a pipe never sees one.
    @Test func progressNeverAppearsInPipes() throws {
        let script = """
        from torch.utils.data import TensorDataset
        x = torch.randn(64, 1, 4, 4)
        y = torch.randint(0, 3, (64,))
        loader = DataLoader(TensorDataset(x, y), batch_size=8)
        model = seq(flatten(), linear(16, 3))
        h = fit(model, loader, loader, epochs=2)
        evaluate(model, loader)
        confusion(model, loader, 0)
        train_set = load mnist
        """
        let r = try runDLX(["-"], stdin: script)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("\r") && !r.stdout.contains("\u{1B}") && !r.stdout.contains("█"))
        #expect(r.stdout.contains("Epoch 2/2: train loss "))
    }
}
