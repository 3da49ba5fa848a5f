import Testing
import Foundation

/// matplotlib.pyplot through the real binary: savefig's PNG read back by Python's zlib and struct, its SVG
/// by an XML parser, `plt.show()` at a pipe, and a notebook's figure as one PNG.
@Suite struct PyplotFileTests {
    /// The PNG's width and height, then the RGB of each (x, y) asked for: decoded by FileFormatTests' reader
    /// (Python's zlib and struct).
    static func pixels(_ path: String, _ points: [(Int, Int)]) throws -> String {
        let r = try runPython(FileFormatTests.pngReader, [path])
        let v = r.output.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
        guard v.count >= 4, v[2] == 8, v[3] == 2 else { return r.output }
        let w = v[0]
        return "\(v[0]) \(v[1])" + points.map { x, y in
            let i = 4 + (y * w + x) * 3
            return i + 2 < v.count ? " (\(v[i]), \(v[i + 1]), \(v[i + 2]))" : " ?"
        }.joined()
    }

    @Test func savefigPNGHasTheFigureSizeAndEachImageInItsSubplot() throws {
        guard testPython != nil else { return }
        let dir = try scratchDirectory("pyplot-png")
        let script = """
            import torch
            import matplotlib.pyplot as plt
            fig, axes = plt.subplots(1, 2)
            axes[0].imshow(torch.zeros(10, 10, 3))
            red = torch.zeros(3, 10, 10)
            red[0] = 1.0
            axes[1].imshow(red)
            axes[1].set_title('red')
            plt.savefig('default.png')
            fig.savefig('small.png', dpi=50)
            plt.close(fig)
            plt.figure(figsize=(3, 2))
            plt.plot([1, 2, 3])
            plt.savefig('sized.png')
            """
        try script.write(toFile: dir + "/figure.py", atomically: true, encoding: .utf8)
        let r = try runDLX(["figure.py"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "")
        // matplotlib's layout: in a 1x2 grid the axes' centres lie at x = 193 and 463, y = 242 of 640x480.
        #expect(try Self.pixels(dir + "/default.png", [(193, 242), (463, 242), (328, 242), (5, 5)])
                == "640 480 (0, 0, 0) (255, 0, 0) (255, 255, 255) (255, 255, 255)")
        #expect(try Self.pixels(dir + "/small.png", [(96, 121), (231, 121)]) == "320 240 (0, 0, 0) (255, 0, 0)")
        #expect(try Self.pixels(dir + "/sized.png", []) == "300 200")
    }

    @Test func savefigSVGHasImagesLinesBarsAndText() throws {
        guard testPython != nil else { return }
        let dir = try scratchDirectory("pyplot-svg")
        let script = """
            import torch
            import matplotlib.pyplot as plt
            fig, axes = plt.subplots(2, 2, figsize=(8, 6))
            axes[0, 0].imshow(torch.rand(28, 28), cmap='gray')
            axes[0, 0].set_title('digit & noise')
            axes[0, 1].plot([0, 1, 2], [1, 0, 1], label='v')
            axes[0, 1].legend()
            axes[1, 0].bar(['a', 'b', 'c'], [3, 1, 2])
            axes[1, 1].scatter([1, 2], [2, 1])
            fig.savefig('figure.svg')
            """
        let r = try runDLX(["-c", script], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let check = try runPython("""
        import base64, sys, xml.etree.ElementTree as ET
        s = '{http://www.w3.org/2000/svg}'
        root = ET.parse(sys.argv[1]).getroot()
        images = list(root.iter(s + 'image'))
        href = images[0].get('{http://www.w3.org/1999/xlink}href')
        png = base64.b64decode(href.split(',', 1)[1])
        texts = [t.text for t in root.iter(s + 'text')]
        bars = [r for r in root.iter(s + 'rect') if r.get('fill') not in ('none', 'white')]
        print(root.get('width'), root.get('height'), len(images), png[:4] == b'\\x89PNG', len(list(root.iter(s + 'polyline'))),
              len(bars), len(list(root.iter(s + 'circle'))), 'digit & noise' in texts, 'v' in texts, 'b' in texts)
        """, [dir + "/figure.svg"])
        #expect(check.output == "800 600 1 True 1 3 2 True True True\n", "\(check.output)")
    }

    @Test func showAtAPipePrintsTheFigureAsASCIIAndClosesIt() throws {
        let dir = try scratchDirectory("pyplot-show")
        let script = """
            import torch
            import matplotlib.pyplot as plt
            fig, axes = plt.subplots(2, 2)
            for k, ax in enumerate(axes.flat):
                ax.imshow(torch.arange(64.).reshape(8, 8) * (k + 1), cmap='gray')
                ax.set_title('image %d' % k)
            plt.show()
            print(plt.get_fignums())
            """
        let r = try runDLX(["-c", script], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].hasPrefix("    image 0  ") && lines[0].hasSuffix("image 1"), "\(r.stdout)")
        #expect(lines.contains { $0.hasPrefix("    image 2  ") && $0.hasSuffix("image 3") }, "\(r.stdout)")
        #expect(r.stdout.contains("@") && !r.stdout.contains("\u{1B}"))
        #expect(r.stdout.hasSuffix("[]\n"))
    }

    @Test func notebooksRecordTheShownFigureAsOnePNG() throws {
        guard testPython != nil else { return }
        let dir = try scratchDirectory("pyplot-ipynb")
        let script = "import matplotlib.pyplot as plt\nfig, axes = plt.subplots(1, 3)\nfor ax in axes:\n    ax.plot([1, 2, 3])\nplt.show()\n"
        try script.write(toFile: dir + "/s.py", atomically: true, encoding: .utf8)
        let r = try runDLX(["--ipynb", "out.ipynb", "s.py"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let check = try runPython("""
        import base64, json, struct, sys
        nb = json.load(open(sys.argv[1]))
        outputs = [o for c in nb['cells'] for o in c['outputs'] if o['output_type'] == 'display_data']
        png = base64.b64decode(outputs[0]['data']['image/png'])
        print(len(outputs), png[:4] == b'\\x89PNG', struct.unpack('>II', png[16:24]))
        """, [dir + "/out.ipynb"])
        #expect(check.output == "1 True (640, 480)\n", "\(check.output)")
    }
}
