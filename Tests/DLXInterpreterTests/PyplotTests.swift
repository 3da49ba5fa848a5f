import Foundation
import Testing
@testable import DLXInterpreter
@testable import DLXEngine

/// matplotlib.pyplot in a session: its state, what it refuses, its help, and the figure as text and pixels.
@Suite struct PyplotTests {
    let h = Harness()

    @Test func importFormsGiveTheSameModule() throws {
        try h.run("import matplotlib.pyplot as plt\nfrom matplotlib import pyplot as p2\nimport matplotlib\nimport matplotlib.pyplot")
        #expect(try h.repr("plt is p2 and p2 is matplotlib.pyplot") == "True")
        #expect(try h.repr("plt") == "<module 'matplotlib.pyplot'>")
        #expect(try h.repr("matplotlib.rcParams is plt.rcParams") == "True")
        try h.run("%matplotlib inline")
    }

    @Test func unknownCallsRaiseNotImplementedErrorNamingTheCall() throws {
        try h.run("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()")
        #expect(h.raised("plt.pie([1, 2])") == "NotImplementedError: matplotlib.pyplot.pie is not provided by dlx")
        #expect(h.raised("plt.colorbar()") == "NotImplementedError: matplotlib.pyplot.colorbar is not provided by dlx")
        #expect(h.raised("ax.pie([1, 2])") == "NotImplementedError: matplotlib Axes.pie is not provided by dlx")
        #expect(h.raised("fig.colorbar(None)") == "NotImplementedError: matplotlib Figure.colorbar is not provided by dlx")
        #expect(h.raised("ax.set(zorder=3)") == "NotImplementedError: matplotlib Axes.set(zorder=...) is not provided by dlx")
        #expect(h.raised("plt.imshow(torch.rand(4, 4), cmap='jet')")?.hasPrefix("NotImplementedError: the colour map 'jet' is not provided by dlx") == true)
        #expect(h.raised("plt.rcParams['axes.facecolor'] = 'red'")?.hasPrefix("NotImplementedError: matplotlib rcParams['axes.facecolor'] is not provided by dlx") == true)
        #expect(h.raised("plt.savefig('figure.pdf')") == "NotImplementedError: savefig writes PNG and SVG in dlx, not 'pdf'")
        #expect(h.raised("plt.bar([1], [2], bottom=[1])") == "NotImplementedError: bar(bottom=...) (stacked bars) is not provided by dlx")
        // A name matplotlib does not have either stays an AttributeError.
        #expect(h.error("plt.no_such_function")?.type == "AttributeError")
        // Keywords that are neither drawn nor appearance are Python's TypeError.
        #expect(h.raised("plt.plot([1, 2], wobble=3)") == "TypeError: plot() got an unexpected keyword argument 'wobble'")
    }

    @Test func appearanceOnlyCallsAreAnAllowList() throws {
        try h.run("""
            import matplotlib
            matplotlib.use('Agg')
            import matplotlib.pyplot as plt
            plt.style.use('ggplot')
            fig, ax = plt.subplots()
            plt.tight_layout()
            fig.tight_layout()
            plt.subplots_adjust(hspace=0.5)
            ax.set_title('t', fontsize=14, fontweight='bold')
            plt.rcParams['font.size'] = 12
            """)
        #expect(try h.repr("len(plt.gcf().axes)") == "1")
    }

    @Test func stateFollowsPyplotsCurrentFigureAndAxes() throws {
        try h.run("import matplotlib.pyplot as plt")
        #expect(try h.repr("plt.get_fignums()") == "[]")
        try h.run("plt.plot([1, 2, 3])")   // makes a figure and axes
        #expect(try h.repr("(plt.get_fignums(), len(plt.gcf().axes))") == "([1], 1)")
        try h.run("plt.figure()\nax = plt.subplot(2, 1, 2)")
        #expect(try h.repr("(plt.get_fignums(), plt.gca() is ax)") == "([1, 2], True)")
        try h.run("plt.clf()")
        #expect(try h.repr("len(plt.gcf().axes)") == "0")
        try h.run("plt.rcParams['figure.figsize'] = [4, 2]\nf = plt.figure()")
        #expect(try h.repr("f") == "<Figure size 400x200 with 0 Axes>")
        try h.run("plt.show()")
        #expect(try h.repr("plt.get_fignums()") == "[]")
    }

    @Test func helpCoversEveryFunctionAndMethodAndTheExamplesRun() throws {
        try h.run("import matplotlib.pyplot as plt")
        let ns = try #require(h.interpreter.namespace("matplotlib.pyplot"))
        for (name, value) in ns.members {
            guard case .object(let f as BuiltinFunction) = value, !Interpreter.pyplotNotProvided.contains(name) else { continue }
            #expect(Interpreter.pyplotFunctionTable.contains(name), "plt.\(name) has no help entry")
            #expect(f.helpKey == "matplotlib.pyplot." + name)
        }
        for name in Interpreter.pyplotFunctionTable.names { #expect(ns.members[name] != nil, "plt.\(name) has help but no implementation") }
        #expect(try h.run("help(plt.imshow)").hasPrefix("plt.imshow(X, cmap=None"))
        try h.run("fig, ax = plt.subplots()")
        #expect(try h.run("help(ax.set_title)").hasPrefix("Axes.set_title(label)"))
        #expect(try h.run("help(fig.savefig)").hasPrefix("Figure.savefig(fname"))
        let dir = try scratchDirectory("pyplot-help")
        for table in [Interpreter.pyplotFunctionTable, Interpreter.axesMethodTable, Interpreter.figureMethodTable] {
            for name in table.names {
                try h.run("plt.close('all')\nfig, ax = plt.subplots()\nax.plot([1, 2])")
                // Files go to a scratch folder.
                let example = table.entries[name]!.example.replacingOccurrences(of: "('figure.", with: "('\(dir)/figure.")
                #expect(h.error(example) == nil, "\(table.key(name)): \(example) raised \(h.raised(example) ?? "")")
            }
        }
    }

    @Test func tabCompletesPyplotAndAxesNames() throws {
        try h.run("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()")
        #expect(h.interpreter.completions(for: "plt.subp", line: "") == ["plt.subplot", "plt.subplot2grid", "plt.subplot_mosaic", "plt.subplot_tool", "plt.subplots", "plt.subplots_adjust"])
        #expect(h.interpreter.completions(for: "ax.set_x", line: "") == ["ax.set_xlabel", "ax.set_xlim", "ax.set_xticklabels", "ax.set_xticks"])
        #expect(h.interpreter.completions(for: "fig.sa", line: "") == ["fig.savefig"])
    }

    @Test func imshowNormalisesOneChannelImagesAndKeepsColours() throws {
        let backend = CPUBackend()
        // HW floats in any range: from the minimum (black) to the maximum (white) under "gray".
        let hw = try Tensor.from([0.0, 1, 2, 4], shape: [2, 2], dtype: .float32, on: backend)
        #expect(try PlotImage.raster(hw, cmap: "gray", vmin: nil, vmax: nil).pixels == [0, 0, 0, 64, 64, 64, 128, 128, 128, 255, 255, 255])
        #expect(try PlotImage.raster(hw, cmap: "gray", vmin: 0, vmax: 2).pixels == [0, 0, 0, 128, 128, 128, 255, 255, 255, 255, 255, 255])
        // viridis by default: dark purple to yellow.
        let v = try PlotImage.raster(hw, cmap: "viridis", vmin: nil, vmax: nil)
        #expect(Array(v.pixels[0..<3]) == [0x44, 0x01, 0x54] && Array(v.pixels[9..<12]) == [0xfd, 0xe7, 0x25])
        // HWC uint8 colours as they are; CHW floats in [0, 1] as colours.
        let hwc = try Tensor.from([255.0, 0, 0, 0, 255, 0], shape: [1, 2, 3], dtype: .uint8, on: backend)
        #expect(try PlotImage.raster(hwc, cmap: "viridis", vmin: nil, vmax: nil).pixels == [255, 0, 0, 0, 255, 0])
        let chw = try Tensor.from([1.0, 0, 0, 1, 0, 0], shape: [3, 1, 2], dtype: .float32, on: backend)
        #expect(try PlotImage.raster(chw, cmap: "viridis", vmin: nil, vmax: nil).pixels == [255, 0, 0, 0, 255, 0])
        #expect(throws: DLXError.self) { try PlotImage.raster(try Tensor.from([Double](repeating: 0, count: 50), shape: [2, 5, 5], dtype: .float32, on: backend), cmap: "gray", vmin: nil, vmax: nil) }
        try h.run("import matplotlib.pyplot as plt")
        #expect(h.raised("plt.imshow(torch.zeros(2, 5, 5))") == "TypeError: Invalid shape (2, 5, 5) for image data")
        #expect(try h.repr("plt.imshow(torch.zeros(1, 5, 6))") == "AxesImage(shape=(1, 5, 6))")
    }

    @Test func showDrawsEachSubplotInItsPlaceWithItsTitle() throws {
        try h.run("""
            import matplotlib.pyplot as plt
            fig, axes = plt.subplots(1, 2)
            axes[0].imshow(torch.tensor([[0., 1.], [1., 0.]]), cmap='gray')
            axes[0].set_title('checker')
            axes[1].plot([1, 2, 3], [3, 1, 2])
            axes[1].set_title('line')
            fig.suptitle('both')
            """)
        let text = try h.run("plt.show()")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "both")
        // Each title centred over its subplot: the 12 columns of the image, the chart's width.
        #expect(lines[1].hasPrefix("  checker ") && lines[1].hasSuffix(" line"), "\(lines[1])")
        // The 2x2 checker magnified to 12 columns, two pixel rows a line, beside the chart's first row.
        #expect(lines[2].hasPrefix("      @@@@@@") && lines[2].contains("3 |"), "\(lines[2])")
        #expect(text.contains("+------") && !text.contains("\u{1B}"))
        #expect(try h.repr("plt.get_fignums()") == "[]")
    }

    @Test func colouredPicturesKeepTheirPlacesAtATerminal() throws {
        h.session.pictureStyle = .blocksTrueColor
        try h.run("import matplotlib.pyplot as plt\nfig, axes = plt.subplots(1, 3)")
        try h.run("for ax in axes:\n    ax.imshow(torch.rand(20, 20))")
        let text = try h.run("plt.show()")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 10 && text.contains("\u{1B}[38;2;"))
        // Three 20-column images in cells of (80 - 4) / 3 = 25 columns, two apart, whatever the escape sequences' length.
        #expect(lines.allSatisfy { PyplotText.visibleWidth($0) == 25 + 2 + 25 + 2 + 20 })
    }

    @Test func chartsAsTextMarkLinesPointsAndBars() throws {
        try h.run("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()")
        let f = try #require(h.interpreter.namespace("matplotlib.pyplot"))
        _ = f
        try h.run("ax.bar([0, 1], [1, 2], label='bars')\nax.scatter([0.5], [1.5], label='dot')\nax.legend()\nax.set_xlabel('x')")
        let text = try h.run("plt.show()")
        #expect(text.contains("#") && text.contains("*") && text.contains("# bars   * dot"), "\(text)")
        #expect(text.contains(" x\n"))
    }

    @Test func savefigSizesFollowFigsizeAndDpi() throws {
        let f = PlotFigure(number: 1)
        #expect(PyplotRaster.render(f).width == 640 && PyplotRaster.render(f).height == 480)
        f.width = 3; f.height = 2; f.dpi = 50
        let r = PyplotRaster.render(f)
        #expect(r.width == 150 && r.height == 100 && r.channels == 3 && r.pixels.allSatisfy { $0 == 255 })
    }
}
