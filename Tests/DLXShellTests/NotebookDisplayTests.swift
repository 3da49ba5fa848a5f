import Testing
import Foundation

/// What a cell shows for its value: `Tests/display/NAME.py` run through standard input (a notebook's
/// displays) prints what IPython 8's pretty printer printed for each expression (`NAME.out`, made by
/// `Tests/display/make-expected` with IPython and PyTorch).
@Suite struct NotebookDisplayTests {
    static let directory = repositoryRoot + "/Tests/display"

    static let scripts: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".py") }.sorted()
    }()

    @Test func thereAreDisplayScripts() { #expect(!Self.scripts.isEmpty) }

    @Test(arguments: scripts)
    func cellsShowWhatIPythonShows(_ name: String) throws {
        let source = try String(contentsOfFile: Self.directory + "/" + name, encoding: .utf8)
        let expected = try String(contentsOfFile: Self.directory + "/" + name.dropLast(3) + ".out", encoding: .utf8)
        let r = try runDLX([], stdin: source)
        #expect(r.stdout == expected, "\(name): stderr:\n\(r.stderr)")
        #expect(r.status == 0)
    }

    /// `print` and `repr` keep Python's text: the pretty layout is only for displayed values.
    @Test func printAndReprKeepPythonsText() throws {
        let r = try runDLX([], stdin: "print(type(3), nn.Linear)\nprint(list(range(30)))\nrepr(int)\n")
        #expect(r.stdout == """
            <class 'int'> <class 'torch.nn.modules.linear.Linear'>
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29]
            "<class 'int'>"

            """)
    }

    /// A module's methods print as the bound methods they are in PyTorch.
    @Test func moduleMethodsPrintAsBoundMethods() throws {
        let r = try runDLX([], stdin: "l = nn.Linear(2, 3)\nl.forward\nprint(l.train)\ntype(l.forward)\n")
        #expect(r.stdout == """
            <bound method Linear.forward of Linear(in_features=2, out_features=3, bias=True)>
            <bound method Module.train of Linear(in_features=2, out_features=3, bias=True)>
            method

            """)
    }
}
