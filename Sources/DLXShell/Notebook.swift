import DLXInterpreter
import DLXEngine

/// A cell as a notebook keeps it: source, what it showed, its error, its number.
public struct NotebookCell {
    public var source: String
    public var events: [OutputEvent]
    public var error: DLXError?
    public var executionCount: Int

    init(_ r: CellResult) {
        source = r.source; events = r.events; error = r.error; executionCount = r.index
    }

    init(source: String, events: [OutputEvent], error: DLXError?, executionCount: Int) {
        self.source = source; self.events = events; self.error = error; self.executionCount = executionCount
    }
}

/// Writes Jupyter notebooks (nbformat 4.5): one code cell per dlx cell, with its printed text as a
/// stream, its value as an execute_result, its pictures as PNG display_data, and its error.
public enum Notebook {
    public static func document(_ cells: [NotebookCell]) -> JSON {
        .object([
            ("cells", .array(cells.enumerated().map { cell($0.element, number: $0.offset + 1) })),
            ("metadata", .object([
                ("kernelspec", .object([("display_name", .string("Python 3 (ipykernel)")), ("language", .string("python")),
                                        ("name", .string("python3"))])),
                ("language_info", .object([("name", .string("python"))])),
                ("dlx", .object([("version", .string(DLXCommand.version))])),
            ])),
            ("nbformat", .number(4)),
            ("nbformat_minor", .number(5)),
        ])
    }

    static func cell(_ c: NotebookCell, number: Int) -> JSON {
        var outputs: [JSON] = []
        var stream = ""
        func flush() {
            if !stream.isEmpty { outputs.append(.object([("output_type", .string("stream")), ("name", .string("stdout")), ("text", lines(stream))])) }
            stream = ""
        }
        var values: [String] = []
        for e in c.events {
            switch e {
            case .text(let s): stream += s
            case .value(let v): values.append(v)
            case .picture(let p):
                flush()
                outputs.append(picture(p))
            }
        }
        flush()
        if !values.isEmpty {
            outputs.append(.object([("output_type", .string("execute_result")), ("execution_count", .number(Double(c.executionCount))),
                                    ("data", .object([("text/plain", lines(values.joined(separator: "\n")))])), ("metadata", .object([]))]))
        }
        if let e = c.error {
            outputs.append(.object([("output_type", .string("error")), ("ename", .string(e.type)), ("evalue", .string(e.message)),
                                    ("traceback", .array([.string(e.description)]))]))
        }
        return .object([("cell_type", .string("code")), ("execution_count", .number(Double(c.executionCount))),
                        ("id", .string("dlx-cell-\(number)")), ("metadata", .object([])), ("outputs", .array(outputs)),
                        ("source", lines(c.source))])
    }

    static func picture(_ p: Picture) -> JSON {
        let (png, text) = pictureData(p)
        return .object([("output_type", .string("display_data")),
                        ("data", .object([("image/png", .string(png)), ("text/plain", .array([.string(text)]))])),
                        ("metadata", .object([]))])
    }

    /// A picture as base64 PNG, magnified so a 28x28 digit is not a speck in the notebook, and its
    /// text stand-in.
    public static func pictureData(_ p: Picture) -> (png: String, text: String) {
        var r = p.raster
        let factor = Swift.max(1, Swift.min(8, 112 / Swift.max(1, r.height)))
        if factor > 1 { r = r.resized(width: r.width * factor, height: r.height * factor) }
        let png = (try? PNG.encode(r)).map(PNG.base64) ?? ""
        let caption = p.captions.isEmpty ? "" : " " + p.captions.joined(separator: ", ")
        return (png, "<image \(r.width)x\(r.height)\(caption)>")
    }

    /// Text as nbformat's list of lines, each but the last ending in a newline.
    static func lines(_ text: String) -> JSON {
        var out: [JSON] = []
        var line = ""
        for ch in text {
            line.append(ch)
            if ch == "\n" { out.append(.string(line)); line = "" }
        }
        if !line.isEmpty { out.append(.string(line)) }
        return .array(out)
    }

    public static func write(_ cells: [NotebookCell], to path: String, quota: DiskQuota? = nil) throws(AtomicFile.Failure) {
        try AtomicFile.write(document(cells).text(indent: 1) + "\n", to: path, quota: quota)
    }
}
