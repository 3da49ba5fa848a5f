import Testing
import Foundation

/// The files dlx writes, read back by independent readers: PNG through Python's zlib and struct, SVG
/// through an XML parser, notebooks through Jupyter's nbformat validator.
@Suite struct FileFormatTests {
    static let pngReader = """
    import struct, sys, zlib
    data = open(sys.argv[1], 'rb').read()
    assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'signature'
    at, chunks = 8, []
    while at < len(data):
        n, = struct.unpack('>I', data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + n]
        crc, = struct.unpack('>I', data[at + 8 + n:at + 12 + n])
        assert zlib.crc32(kind + body) & 0xffffffff == crc, 'crc of ' + kind.decode()
        chunks.append((kind, body))
        at += 12 + n
    assert chunks[0][0] == b'IHDR' and chunks[-1][0] == b'IEND'
    w, h, depth, colour = struct.unpack('>IIBB', chunks[0][1][:10])
    raw = zlib.decompress(b''.join(b for k, b in chunks if k == b'IDAT'))
    channels = 3 if colour == 2 else 1
    stride = w * channels + 1
    assert all(raw[y * stride] == 0 for y in range(h)), 'filter bytes'
    print(w, h, depth, colour, *[raw[y * stride + 1 + i] for y in range(h) for i in range(w * channels)])
    """

    @Test func pngFilesDecodeWithAnIndependentReader() throws {
        guard testPython != nil else { return }
        let dir = try scratchDirectory("png")
        let r = try runDLX(["-c", "show(torch.tensor([[0., 0.5, 1.], [1., 0.25, 0.]]), 'grey.png')\nshow(torch.tensor([[[1.]], [[0.]], [[0.5]]]), 'rgb.png')"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "")
        let grey = try runPython(Self.pngReader, [dir + "/grey.png"])
        #expect(grey.status == 0, "\(grey.output)")
        #expect(grey.output == "3 2 8 0 0 128 255 255 64 0\n")
        let rgb = try runPython(Self.pngReader, [dir + "/rgb.png"])
        #expect(rgb.output == "1 1 8 2 255 0 128\n")
    }

    @Test func svgChartsParseAsXML() throws {
        guard testPython != nil else { return }
        let dir = try scratchDirectory("svg")
        let r = try runDLX(["-c", "plot([1, 2, 3], [0.5, 0.25, 0.2], 'values.svg', title='loss & more')"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let check = try runPython("""
        import sys, xml.etree.ElementTree as ET
        ns = {'s': 'http://www.w3.org/2000/svg'}
        root = ET.parse(sys.argv[1]).getroot()
        assert root.tag == '{http://www.w3.org/2000/svg}svg'
        texts = [t.text for t in root.iter('{http://www.w3.org/2000/svg}text')]
        lines = root.findall('.//s:polyline', ns)
        print(len(lines), len(lines[0].get('points').split()), 'loss & more' in texts, '0.5000' in texts)
        """, [dir + "/values.svg"])
        #expect(check.output == "1 3 True True\n", "\(check.output)")
    }

    /// `--ipynb`: a notebook with text, values, errors and a picture, valid for Jupyter's nbformat
    /// (installed by scripts/test; a JSON check without it).
    @Test func notebooksValidateWithNbformat() throws {
        guard testPython != nil else { return }
        let dir = try scratchDirectory("ipynb")
        let script = "x = torch.ones(2, 2)\nprint('hello')\nx.sum()\nshow(torch.eye(4))\nundefined_name\n"
        try script.write(toFile: dir + "/s.dlx", atomically: true, encoding: .utf8)
        let r = try runDLX(["--keep-going", "--ipynb", "out.ipynb", "s.dlx"], directory: dir)
        #expect(r.status == 1)
        let check = try runPython("""
        import base64, json, sys, zlib
        path = sys.argv[1]
        try:
            import nbformat
            nb = nbformat.read(path, as_version=4)
            nbformat.validate(nb)
            validated = 'nbformat'
        except ImportError:
            if sys.argv[2] == 'required':
                raise
            nb = json.load(open(path))
            validated = 'json'
        cells = nb['cells']
        kinds = [[o['output_type'] for o in c['outputs']] for c in cells]
        png = base64.b64decode(cells[3]['outputs'][0]['data']['image/png'])
        print(nb['nbformat'], nb['nbformat_minor'], len(cells), kinds, png[:4] == b'\\x89PNG', cells[4]['outputs'][0]['ename'], validated)
        """, [dir + "/out.ipynb", ProcessInfo.processInfo.environment["DLX_TEST_PYTHON"] == nil ? "optional" : "required"])
        #expect(check.output.hasPrefix("4 5 5 [[], ['stream'], ['execute_result'], ['display_data'], ['error']] True NameError "), "\(check.output)")
    }

    @Test func percentNotebookWritesTheCellsSoFar() throws {
        let dir = try scratchDirectory("percent-notebook")
        let r = try runDLX(["-c", "a = 1\nprint(a)\n%notebook so-far.ipynb"], directory: dir)
        #expect(r.stdout == "1\nWrote so-far.ipynb\n")
        let text = try String(contentsOfFile: dir + "/so-far.ipynb", encoding: .utf8)
        #expect(text.contains("\"nbformat_minor\": 5"))
        #expect(text.contains("\"a = 1\""))
    }

    /// `--from-ipynb`: a learner's notebook runs cell by cell, with a report of what dlx could not do.
    @Test func fromIpynbRunsCodeCellsAndReportsEach() throws {
        let dir = try scratchDirectory("from-ipynb")
        let nb = """
        {"cells": [
          {"cell_type": "markdown", "metadata": {}, "source": ["# A lesson"]},
          {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [], "source": ["!pip install torch\\n", "x = torch.arange(6).reshape(2, 3)\\n", "x.shape"]},
          {"cell_type": "code", "metadata": {}, "execution_count": 2, "outputs": [], "source": ["import pandas as pd"]},
          {"cell_type": "code", "metadata": {}, "execution_count": 3, "outputs": [], "source": "%matplotlib inline\\ny = x.sum()\\nprint(int(y))"},
          {"cell_type": "code", "metadata": {}, "execution_count": 4, "outputs": [], "source": ["z = undefined + 1"]}
        ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        """
        try nb.write(toFile: dir + "/lesson.ipynb", atomically: true, encoding: .utf8)
        let r = try runDLX(["--from-ipynb", "lesson.ipynb"], directory: dir)
        #expect(r.status == 1)
        #expect(r.stdout.contains("torch.Size([2, 3])\n"))
        #expect(r.stdout.contains("\n15\n"))
        #expect(r.stdout.contains("   1  not supported  ran, but skipped: !pip install torch\n"), "\(r.stdout)")
        #expect(r.stdout.contains("   2  not supported  line 1: ModuleNotFoundError: No module named 'pandas'"), "\(r.stdout)")
        #expect(r.stdout.contains("   3  ran\n"))
        #expect(r.stdout.contains("   4  error          line 1: NameError: name 'undefined' is not defined\n"))
        #expect(r.stdout.hasSuffix("4 code cells: 1 ran, 2 not supported, 1 failed\n"))
        #expect(try runDLX(["--from-ipynb", "missing.ipynb"], directory: dir).status == 2)
    }
}

/// Issue 22: every file dlx writes replaces its target atomically. A full disk (injected: DLX_TEST_WRITE_ERROR)
/// leaves each old file whole and says why in Python's words; a kill -9 leaves the old or the new file.
@Suite struct AtomicWriteTests {
    static func names(_ dir: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() }

    @Test func aFullDiskLeavesEveryOldFileWhole() throws {
        let dir = try scratchDirectory("enospc")
        let targets = ["saved.py", "pic.png", "chart.svg", "nb.ipynb", "run.ipynb"]
        for t in targets { try "old \(t)\n".write(toFile: dir + "/" + t, atomically: false, encoding: .utf8) }
        let script = "x = 1\n%save saved.py 1\nshow(torch.zeros(2, 2), 'pic.png')\nplot([1, 2], [3, 4], 'chart.svg')\n%notebook nb.ipynb\nprint('on')\n"
        let r = try runDLX(["--keep-going", "--ipynb", "run.ipynb", "-"], stdin: script, environment: ["DLX_TEST_WRITE_ERROR": "28"], directory: dir)
        #expect(r.stdout.hasSuffix("on\n"))
        #expect(r.stderr.split(separator: "\n").map(String.init) == [
            "<stdin>:2:1: error: OSError: [Errno 28] No space left on device: 'saved.py'",
            "<stdin>:3:1: error: OSError: [Errno 28] No space left on device: 'pic.png'",
            "<stdin>:4:1: error: OSError: [Errno 28] No space left on device: 'chart.svg'",
            "<stdin>:5:1: error: OSError: [Errno 28] No space left on device: 'nb.ipynb'",
            "dlx: OSError: [Errno 28] No space left on device: 'run.ipynb'",
        ])
        #expect(r.status == 2)
        for t in targets { #expect(try String(contentsOfFile: dir + "/" + t, encoding: .utf8) == "old \(t)\n") }
        #expect(Self.names(dir) == targets.sorted())   // no temporary files left
    }

    @Test func aJSONStreamThatCannotBeWrittenFailsTheRunWithoutATornLine() throws {
        let dir = try scratchDirectory("json-enospc")
        let r = try runDLX(["--json", "cells.jsonl", "-"], stdin: "print(1)\nprint(2)\nprint(3)\n",
                           environment: ["DLX_TEST_WRITE_ERROR": "28:3"], directory: dir)
        #expect(r.stdout == "1\n2\n3\n")
        #expect(r.stderr == "dlx: OSError: [Errno 28] No space left on device: 'cells.jsonl'\n")
        #expect(r.status == 1)
        let lines = try String(contentsOfFile: dir + "/cells.jsonl", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty)   // two whole records, nothing of the third
        #expect(lines.dropLast().allSatisfy { $0.hasPrefix("{\"type\": \"cell\"") && $0.hasSuffix("}") })
    }

    /// strace sees every open: no writer opens its target with O_TRUNC (only the --json stream, which is
    /// written record by record, does). Skipped where strace is not installed or cannot trace.
    @Test func noWriterTruncatesItsTarget() throws {
        let strace = ["/usr/bin/strace", "/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let strace else { return }
        let dir = try scratchDirectory("strace")
        let targets = ["saved.py", "pic.png", "chart.svg", "nb.ipynb", "run.ipynb"]
        for t in targets { try "old\n".write(toFile: dir + "/" + t, atomically: false, encoding: .utf8) }
        try "x = 1\n%save saved.py 1\nshow(torch.zeros(2, 2), 'pic.png')\nplot([1, 2], [3, 4], 'chart.svg')\n%notebook nb.ipynb\n"
            .write(toFile: dir + "/w.dlx", atomically: false, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: strace)
        p.arguments = ["-f", "-qq", "-e", "trace=open,openat,creat,rename,renameat,renameat2", "-o", dir + "/trace",
                       dlxPath, "--ipynb", "run.ipynb", "--json", "cells.jsonl", "w.dlx"]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard let trace = try? String(contentsOfFile: dir + "/trace", encoding: .utf8), p.terminationStatus == 0 else { return }
        let calls = trace.split(separator: "\n").map(String.init)
        let truncating = calls.filter { $0.contains("O_TRUNC") || $0.contains("creat(") }
        #expect(truncating.count == 1 && truncating[0].contains("\"cells.jsonl\""), "\(truncating)")
        for t in targets {
            // Each target is written as a temporary file renamed over it, and opened for writing by nothing else.
            #expect(calls.contains { $0.contains("rename(\"./.\(t).") && $0.hasSuffix(", \"\(t)\") = 0") }, "\(t)")
            #expect(!calls.contains { $0.contains("\"\(t)\"") && $0.contains("O_WRONLY") }, "\(t)")
            #expect(FileManager.default.contents(atPath: dir + "/" + t) != Data("old\n".utf8), "\(t)")
        }
    }

    /// dlx rewrites a picture again and again and is killed with SIGKILL at random moments: the file is
    /// always a whole PNG (the old one or the new one), and temporaries of killed writers do not pile up.
    @Test func killedWritersLeaveWholeFiles() throws {
        let dir = try scratchDirectory("kill9")
        let script = "i = 0\nwhile True:\n    show(torch.rand(64, 64), 'p.png')\n    i += 1\n"
        var generator = SystemRandomNumberGenerator()
        for round in 0..<12 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: dlxPath)
            p.arguments = ["-c", script]
            p.currentDirectoryURL = URL(fileURLWithPath: dir)
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 150_000...450_000, using: &generator))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            guard let data = FileManager.default.contents(atPath: dir + "/p.png") else { continue }
            let bytes = [UInt8](data)
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "round \(round): no PNG signature")
            #expect(bytes.suffix(8) == [0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82], "round \(round): no IEND at the end (\(bytes.count) bytes)")
            // At most the temporary of the writer just killed; earlier ones are removed by the next writer.
            #expect(Self.names(dir).filter { $0.hasSuffix(".dlx-tmp") }.count <= 1, "round \(round): \(Self.names(dir))")
        }
        #expect(FileManager.default.fileExists(atPath: dir + "/p.png"))
    }
}
