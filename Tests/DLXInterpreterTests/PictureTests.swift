import Testing
@testable import DLXInterpreter
@testable import DLXEngine

/// `show`, `plot` and `confusion`: the text renderers on fixed small inputs.
@Suite struct PictureTests {
    let h = Harness()

    @Test func asciiRenderingAveragesPairsOfRowsAndMagnifiesTinyImages() throws {
        try h.run("x = torch.tensor([[0., 0.25, 0.5, 1.0], [1.0, 0.5, 0.25, 0.]])")
        #expect(try h.run("show(x)") == "   :::+++@@@\n===------===\n@@@+++:::\n")
        // A uint8 image is taken as 0-255; other floats are stretched from their minimum to their maximum.
        let halves = String(repeating: String(repeating: " ", count: 6) + String(repeating: "@", count: 6) + "\n", count: 3)
        #expect(try h.run("show(torch.tensor([[0, 255]], dtype=torch.uint8))") == halves)
        #expect(try h.run("show(torch.tensor([[-5., 5.]]))") == halves)
    }

    @Test func halfBlocksIn24BitAnd256Colours() {
        let r = Raster(width: 1, height: 2, channels: 1, pixels: [255, 0])
        let p = Picture(tiles: [r], captions: [], columns: 1)
        let magnified = String(repeating: "\u{1B}[38;2;255;255;255m\u{1B}[48;2;255;255;255m▀", count: 12) + "\u{1B}[0m"
        let lines = p.text(.blocksTrueColor, width: 80).split(separator: "\n").map(String.init)
        #expect(lines.count == 12)   // 1x2 magnified 12 times: 12 columns, 24 pixel rows, 12 text rows
        #expect(lines[0] == magnified)
        #expect(lines[11].hasPrefix("\u{1B}[38;2;0;0;0m\u{1B}[48;2;0;0;0m▀"))
        let colour = Raster(width: 12, height: 2, channels: 3, pixels: Array(repeating: [255, 0, 0], count: 12).flatMap { $0 } + Array(repeating: [128, 128, 128], count: 12).flatMap { $0 })
        let line = Picture(tiles: [colour], captions: [], columns: 1).text(.blocks256, width: 80)
        #expect(line == String(repeating: "\u{1B}[38;5;196m\u{1B}[48;5;244m▀", count: 12) + "\u{1B}[0m\n")
    }

    @Test func gridsHaveCaptionsAndFitTheWidth() throws {
        try h.run("x = torch.tensor([[0., 1.], [1., 0.]])")
        let out = try h.run("show(torch.stack([x, x, x]), torch.tensor([3, 7, 1]))")
        #expect(out.split(separator: "\n").last == "3             7             1")
        let tiles = (0..<10).map { _ in Raster(width: 28, height: 28, channels: 1, fill: 255) }
        let narrow = Picture(tiles: tiles, captions: [], columns: 10).text(.ascii, width: 62)
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 62 })
        #expect(narrow.split(separator: "\n").count == 14 * 5)   // two per row
    }

    @Test func datasetSamplesAreLabelledWithTheirClassNames() throws {
        try h.run("train_set = torchvision.datasets.MNIST('./data/', train=True, transform=transforms.ToTensor())")
        let one = try h.run("show(train_set[0])").split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(one.count == 15)
        #expect(one.last == "5 - five")
        h.session.columns = 120
        let grid = try h.run("show(train_set, 3)").split(separator: "\n")
        #expect(grid.last == "5 - five                      0 - zero                      4 - four")
        let filters = try h.run("show(nn.Conv2d(1, 4, 3))").split(separator: "\n")
        #expect(filters.count == 6)
        #expect(h.error("show(torch.zeros(2, 3, 4, 5, 6))")?.type == "ValueError")
        #expect(h.error("show(3)")?.type == "TypeError")
        #expect(h.error("show(torch.zeros(3, 3), torch.tensor([1, 2]))")?.type == "TypeError")
    }

    @Test func chartsAsText() throws {
        let out = try h.run("plot([1, 3, 2], title='values')")
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "values")
        #expect(lines[1] == "3 |                                *......")
        #expect(lines[12] == "1 |*..")
        #expect(lines[13] == "  +----------------------------------------------------------------")
        #expect(lines[14] == "   0                                                              2")
        #expect(h.error("plot([1, 2], [1])")?.type == "ValueError")
        #expect(h.error("plot([1, 2], 'chart.png')")?.type == "ValueError")
    }

    @Test func historyChartsHaveLossAndAccuracyWithALegend() {
        let history = HistoryObject()
        history.epochs = [Trainer.EpochResult(epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, validLoss: 0.4, validAccuracy: 0.85, seconds: 1, imagesPerSecond: 1),
                          Trainer.EpochResult(epoch: 2, trainLoss: 0.3, trainAccuracy: 0.9, validLoss: 0.35, validAccuracy: 0.88, seconds: 1, imagesPerSecond: 1)]
        let charts = Interpreter.historyCharts(history)
        #expect(charts.map(\.title) == ["loss", "accuracy"])
        let text = charts[0].text(width: 80)
        #expect(text.contains("* train   o valid"))
        #expect(text.contains("0.5000 |*"))
        let svg = Chart.svg(charts)
        #expect(svg.components(separatedBy: "<polyline").count == 5)
        #expect(svg.contains(">epoch</text>") && svg.contains(">valid</text>"))
    }

    /// A model that predicts class 0 always: every sample of class 1 is confused with 0.
    @Test func confusionCountsTrueAgainstPredicted() throws {
        try h.run("""
        from torch.utils.data import TensorDataset
        model = seq(flatten(), linear(4, 2))
        with torch.no_grad():
            model[1].weight *= 0
            model[1].bias *= 0
            model[1].bias += torch.tensor([1., 0.])
        x = torch.arange(20.).reshape(5, 1, 2, 2)
        loader = DataLoader(TensorDataset(x, torch.tensor([0, 0, 1, 1, 1])), batch_size=2)
        """)
        let out = try h.run("confusion(model, loader)")
        #expect(out.hasPrefix("Confusion matrix (rows: true label, columns: predicted)\n        0   1\n   0    2   0\n   1    3   0\n"))
        #expect(out.contains("accuracy 0.4000 (2 of 5)\nMost confused (true -> predicted, count):\n"))
        #expect(out.hasSuffix("1->0 3\n"))
    }

    /// Every callable dlx defines has help with a signature and an example.
    @Test func everyNameHasHelpWithASignatureAndAnExample() throws {
        var missing: [String] = []
        for name in Interpreter.builtinNames + ["seq", "flatten", "linear", "relu", "sigmoid", "tanh", "softmax", "DataLoader"] {
            if Interpreter.helpText(key: name) == nil { missing.append(name) }
        }
        try h.run("import time\nimport torchsummary")
        for path in ["torch", "torch.nn", "torch.nn.functional", "torch.optim", "torch.utils.data", "torch.cuda", "torchvision.datasets",
                     "torchvision.transforms", "time", "torchsummary", "torch.accelerator", "torchvision.transforms.functional",
                     "torch.onnx", "safetensors", "safetensors.torch", "numpy", "numpy.random", "PIL.Image", "tqdm"] {
            let ns = try #require(h.interpreter.namespace(path))
            for (key, value) in ns.members {
                var helpKey: String? = nil
                if case .object(let f as BuiltinFunction) = value { helpKey = f.helpKey }
                if case .object(let t as TypeObject) = value { helpKey = t.helpKey }
                guard let helpKey else { continue }
                if Interpreter.helpText(key: helpKey)?.contains("\n\nExample:\n    ") != true { missing.append(path + "." + key) }
            }
        }
        #expect(missing.isEmpty, "no help for \(missing.sorted())")
        #expect(try h.run("help(nn.Conv2d)").hasPrefix("nn.Conv2d(in_channels, out_channels, kernel_size"))
        try h.run("x = torch.tensor([1., 3.])")
        #expect(try h.run("x?") == "Tensor of shape torch.Size([2]), dtype torch.float32, on cpu: min 1.0000, max 3.0000, mean 2.0000.\n")
    }
}
