import Foundation
import Testing
@testable import DLXInterpreter

/// The method tables (HelpTexts+Tensor.swift, HelpTexts+Families.swift) and the families' implementations
/// cannot drift: every name a family implements has an entry, every entry is implemented, every example runs.
@Suite struct MethodTableTests {
    /// The variables the examples use, made again before each example (examples may change them in place).
    static let setup = """
        x = torch.randn(2, 3)
        model = seq(flatten(), linear(784, 10))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10)
        loader = DataLoader(train_set, batch_size=64)
        import numpy as np
        a = np.arange(6.0).reshape(2, 3)
        from PIL import Image
        img = Image.new("L", (28, 28), 128)
        from tqdm import tqdm
        bar = tqdm(total=10)
        """

    /// PyTorch's public attribute names of each family (Tests/Fixtures/attribute-names.txt, made by
    /// make-attribute-names.py with the reference PyTorch).
    static let pytorchNames: [String: [String]] = {
        let text = try! String(contentsOfFile: repositoryRoot + "/Tests/Fixtures/attribute-names.txt", encoding: .utf8)
        var out: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            out[String(parts[0]), default: []].append(String(parts[1]))
        }
        return out
    }()

    /// A session with the example variables, and the instances each family is probed on.
    static func session() throws -> (Harness, [(MethodTable, [String])]) {
        let h = Harness()
        try h.run("train_set = load mnist\n" + setup + "\n" + """
            multi = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[2, 4])
            cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10)
            class Net(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc = nn.Linear(4, 2)
            net = Net()
            lin = model[1]
            flat = model[0]
            conv = nn.Conv2d(1, 25, 3)
            drop = nn.Dropout(0.2)
            bn1 = nn.BatchNorm1d(16)
            bn2 = nn.BatchNorm2d(16)
            sm = nn.Softmax(dim=1)
            lsm = nn.LogSoftmax(dim=1)
            ml = nn.ModuleList([nn.ReLU()])
            md = nn.ModuleDict({'a': nn.ReLU()})
            """)
        var families: [(MethodTable, [String])] = [
            (Interpreter.tensorMethods, ["x"]), (Interpreter.moduleMethods, ["model", "net"]), (Interpreter.sequentialMethods, ["model"]),
            (Interpreter.optimizerMethods, ["optimizer"]), (Interpreter.schedulerMethods, ["scheduler", "multi", "cosine"]),
            (Interpreter.datasetMethods, ["train_set"]), (Interpreter.loaderMethods, ["loader"]),
            (Interpreter.ndarrayMethods, ["a"]),
            (Interpreter.pilImageMethods, ["img"]), (Interpreter.tqdmMethods, ["bar"]),
        ]
        let layers = ["Linear": "lin", "Flatten": "flat", "Conv2d": "conv", "Dropout": "drop", "BatchNorm1d": "bn1", "BatchNorm2d": "bn2",
                      "Softmax": "sm", "LogSoftmax": "lsm", "ModuleList": "ml", "ModuleDict": "md"]
        #expect(Set(layers.keys) == Set(Interpreter.layerTables.keys))
        families += layers.sorted { $0.key < $1.key }.map { (Interpreter.layerTables[$0.key]!, [$0.value]) }
        return (h, families)
    }

    static func implements(_ h: Harness, _ variable: String, _ name: String) -> Bool {
        guard let v = h.session.globals[variable] else { return false }
        return (try? onLargeStack { try h.interpreter.getAttribute(v, name) }) != nil
    }

    @Test func everyEntryIsImplemented() throws {
        let (h, families) = try Self.session()
        for (table, variables) in families {
            for name in table.names {
                #expect(variables.contains { Self.implements(h, $0, name) }, "\(table.key(name)) has an entry but no implementation")
            }
        }
    }

    /// Every PyTorch name that dlx implements on the family's instance has an entry (children such as `0` or a ModuleDict's keys aside).
    @Test func everyImplementedNameHasAnEntry() throws {
        let (h, families) = try Self.session()
        for (table, variables) in families where table.prefix != "torch.nn.Sequential" {
            let tables = table.prefix == "torch.nn.Module" ? [table, Interpreter.sequentialMethods]
                : table.prefix.hasPrefix("torch.nn.") ? [table, Interpreter.moduleMethods] : [table]
            let children = variables.flatMap { v -> [String] in
                if case .module(let m)? = h.session.globals[v] { return m.allChildren.map { $0.0 } } else { return [] }
            }
            let candidates = Set((Self.pytorchNames[table.prefix] ?? []) + table.names).filter { Interpreter.isIdentifier($0) && !children.contains($0) }
            for name in candidates.sorted() where variables.contains(where: { Self.implements(h, $0, name) }) {
                #expect(tables.contains { $0.contains(name) }, "\(table.prefix).\(name) is implemented but has no entry")
            }
        }
    }

    @Test func everyExampleRuns() throws {
        let (h, families) = try Self.session()
        for (table, _) in families {
            for name in table.names {
                try h.run(Self.setup)
                let example = table.entries[name]!.example
                #expect(h.error(example) == nil, "\(table.key(name)): \(example) raised \(h.raised(example) ?? "")")
            }
        }
    }

    @Test func entriesHaveSignatureSummaryAndExample() {
        for table in Interpreter.methodTables {
            for (name, e) in table.entries {
                #expect(e.signature.contains(name) && !e.summary.isEmpty && !e.example.isEmpty, "\(table.key(name))")
                #expect(e.summary.hasSuffix("."), "\(table.key(name))'s summary is not a sentence")
            }
        }
    }

    /// `help(x.unsqueeze)` and its kind show the entry, not "a dlx built-in function".
    @Test func boundMethodsFindTheirEntries() throws {
        let (h, _) = try Self.session()
        #expect(try h.run("help(x.unsqueeze)").hasPrefix("Tensor.unsqueeze(dim) -> Tensor\n\nA view"))
        #expect(try h.run("help(model.train)").hasPrefix("Module.train(mode=True)\n"))
        #expect(try h.run("help(optimizer.step)").hasPrefix("Optimizer.step(closure=None)\n"))
        #expect(try h.run("help(scheduler.step)").hasPrefix("LRScheduler.step(epoch=None)\n"))
        #expect(try h.run("help(model.append)").hasPrefix("Sequential.append(module)\n"))
        #expect(try h.run("x.unsqueeze?").hasPrefix("Tensor.unsqueeze(dim)"))
        #expect(try h.run("x.shape?").hasPrefix("Tensor.shape\n\nThe size of each dimension"))
        #expect(try h.run("train_set?").contains("Attributes and methods (help(value.name) for each): classes, data,"))
        #expect(try h.run("help(loader)").hasPrefix("DataLoader("))
        #expect(try h.run("help(optimizer)").hasPrefix("optim.SGD(") || (try h.run("help(optimizer)")).contains("step"))
        #expect(try h.repr("x.unsqueeze.__module__") == "'torch.Tensor'")
        #expect(try h.run("lin.in_features?").hasPrefix("Linear.in_features\n\nThe size of each input sample."))
        #expect(try h.run("help(ml.append)").hasPrefix("ModuleList.append(module)\n"))
        #expect(try h.repr("ml.append").hasPrefix("<bound method ModuleList.append of ModuleList("))
        #expect(try h.repr("model.append").hasPrefix("<bound method Sequential.append of Sequential("))
        #expect(try h.repr("'in_features' in dir(lin) and 'register_buffer' not in dir(lin) and 'register_buffer' in dir(net)") == "True")
    }

    /// Help wraps at spaces to the session's width (80 in scripts); the signature and code lines stay whole.
    @Test func helpWrapsAtWordBoundaries() throws {
        let (h, _) = try Self.session()
        for width in [80, 40] {
            h.session.columns = width
            let lines = try h.run("help(nn.Conv2d)").split(separator: "\n", omittingEmptySubsequences: false)
            for line in lines.dropFirst() where !line.hasPrefix(" ") {
                #expect(line.count <= width || !line.contains(" "), "\(width): \(line)")
            }
        }
        let text = Interpreter.wrap("sig(a, b, c) -> Tensor\n\nThe quick brown fox jumps over\nExample:\n    a_long_line_of_code(1, 2, 3)", width: 20)
        #expect(text == "sig(a, b, c) -> Tensor\n\nThe quick brown fox\njumps over\nExample:\n    a_long_line_of_code(1, 2, 3)")
        #expect(Interpreter.wrap("x\nsupercalifragilisticexpialidocious word", width: 20) == "x\nsupercalifragilisticexpialidocious\nword")
    }
}
