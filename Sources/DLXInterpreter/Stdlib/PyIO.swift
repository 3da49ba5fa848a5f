#if canImport(Glibc)
import Glibc
#endif
import DLXEngine

/// `open(file, mode='r', encoding=None, newline=None)`: UTF-8 text files, read whole on opening (as
/// TextFiles reads scripts, bounded), written through at each `write`, all inside the session's sandbox.
extension Interpreter {
    func openFunction() -> Value {
        function("open") { a, i throws(DLXError) in
            let path = try i.pathArgument(try a.required(0, "file"), "open")
            let mode = try a.get(1, "mode").map { v throws(DLXError) in try i.toStringValue(v, "open() argument 'mode'") } ?? "r"
            _ = try a.get(2, "buffering")
            if let e = try a.get(3, "encoding"), !e.isNone {
                let name = try i.toStringValue(e, "open() argument 'encoding'").lowercased().replacingAll("_", with: "-")
                guard name == "utf-8" || name == "utf8" else {
                    throw .value("dlx reads and writes text files as UTF-8 (encoding=\(Interpreter.quote(name)) is not supported)")
                }
            }
            _ = try a.get(4, "errors")
            let newline = try a.get(5, "newline").flatMap { v throws(DLXError) -> String? in v.isNone ? nil : try i.toStringValue(v, "newline") }
            return .object(try TextFile(path, mode: mode, translateNewlines: newline == nil, i))
        }
    }
}

final class TextFile: PyObject, ContextManager {
    let name: String
    let mode: String
    /// Reading: the file's text and where the next read starts.
    private var text: [Unicode.Scalar] = []
    private var position = 0
    /// Writing: the open stream.
    private var stream: UnsafeMutablePointer<FILE>? = nil
    private(set) var closed = false
    /// The session's disk quota (--max-disk), charged for each write.
    private var quota: DiskQuota? = nil

    init(_ path: String, mode: String, translateNewlines: Bool, _ interpreter: Interpreter) throws(DLXError) {
        name = path
        self.mode = mode
        let kinds = mode.filter { "rwxa".contains($0) }
        guard mode.allSatisfy({ "rwxabt+".contains($0) }), Set(mode).count == mode.count else { throw .value("invalid mode: \(Interpreter.quote(mode))") }
        guard kinds.count == 1, let kind = kinds.first else { throw .value("must have exactly one of create/read/write/append mode") }
        guard !mode.contains("b") else { throw .value("binary files are not supported in dlx (mode \(Interpreter.quote(mode))): open text files") }
        guard !mode.contains("+") else { throw .value("dlx opens files for reading or for writing, not both (mode \(Interpreter.quote(mode)))") }
        if kind == "r" {
            try interpreter.session.checkRead(path)
            guard let content = TextFiles.read(path) else {
                if errno == EFBIG { throw DLXError("OSError", "\(Interpreter.quote(path)) is \(TextFiles.failure)") }
                throw .os(errno, path)
            }
            var s = content
            if translateNewlines { s = s.replacingAll("\r\n", with: "\n").replacingAll("\r", with: "\n") }
            text = Array(s.unicodeScalars)
        } else {
            try interpreter.session.checkWrite(path)
            var st = stat()
            let old = kind == "w" && stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : 0
            guard let f = fopen(path, kind == "w" ? "w" : kind == "a" ? "a" : "wx") else { throw .os(errno, path) }
            stream = f
            quota = interpreter.session.diskQuota
            _ = quota?.charge(-old)   // the old text is gone
        }
    }

    deinit { if let stream { fclose(stream) } }

    var typeName: String { "TextIOWrapper" }
    var qualifiedName: String { "_io.TextIOWrapper" }
    var attributeNames: [String] { ["close", "closed", "flush", "mode", "name", "read", "readable", "readline", "readlines", "seek", "tell",
                                    "writable", "write", "writelines"] }
    func repr(_ interpreter: Interpreter) -> String {
        "<_io.TextIOWrapper name=\(Interpreter.quote(name)) mode=\(Interpreter.quote(mode)) encoding='UTF-8'>"
    }

    func close() {
        if let stream { fclose(stream) }
        stream = nil
        closed = true
    }

    func enter(_ interpreter: Interpreter) -> Value { .object(self) }
    func exit(_ interpreter: Interpreter) { close() }

    private func check(reading: Bool) throws(DLXError) {
        guard !closed else { throw .value("I/O operation on closed file.") }
        if reading && stream != nil { throw DLXError("UnsupportedOperation", "not readable") }
        if !reading && stream == nil { throw DLXError("UnsupportedOperation", "not writable") }
    }

    /// The next line (with its newline), or "" at the end.
    private func line(limit: Int = -1) -> String {
        var end = position
        while end < text.count && (limit < 0 || end - position < limit) {
            end += 1
            if text[end - 1] == "\n" { break }
        }
        defer { position = end }
        return String(String.UnicodeScalarView(text[position..<end]))
    }

    private func write(_ v: Value) throws(DLXError) -> Int {
        try check(reading: false)
        guard case .string(let s) = v else { throw .type("write() argument must be str, not \(v.typeName)") }
        let bytes = Array(s.utf8)
        if let code = quota?.charge(bytes.count), code != 0 { throw .os(code, name) }
        guard fwrite(bytes, 1, bytes.count, stream) == bytes.count, fflush(stream) == 0 else { throw .os(errno, name) }
        return s.unicodeScalars.count
    }

    func attribute(_ attr: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        func method(_ body: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Value) -> Value { interpreter.method(attr, body) }
        switch attr {
        case "name": return .string(name)
        case "mode": return .string(mode)
        case "closed": return .bool(closed)
        case "encoding": return .string("UTF-8")
        case "close": return method { [self] _, _ throws(DLXError) in close(); return Value.none }
        case "flush": return method { [self] _, _ throws(DLXError) in
            guard !closed else { throw .value("I/O operation on closed file.") }
            return Value.none
        }
        case "readable", "writable":
            return method { [self] _, _ throws(DLXError) in
                guard !closed else { throw .value("I/O operation on closed file.") }
                return .bool((stream == nil) == (attr == "readable"))
            }
        case "read":
            return method { [self] a, i throws(DLXError) in
                try check(reading: true)
                let n = try a.get(0, "size").flatMap { v throws(DLXError) -> Int? in v.isNone ? nil : try i.indexArgument(v) } ?? -1
                let end = n < 0 ? text.count : min(text.count, position + n)
                defer { position = end }
                return .string(String(String.UnicodeScalarView(text[position..<end])))
            }
        case "readline":
            return method { [self] a, i throws(DLXError) in
                try check(reading: true)
                return .string(line(limit: try a.get(0, "size").flatMap { v throws(DLXError) -> Int? in v.isNone ? nil : try i.indexArgument(v) } ?? -1))
            }
        case "readlines":
            return method { [self] _, _ throws(DLXError) in
                try check(reading: true)
                var lines: [Value] = []
                while position < text.count { lines.append(.string(line())) }
                return .list(ListBox(lines))
            }
        case "write": return method { [self] a, _ throws(DLXError) in .int(try write(try a.required(0, "text"))) }
        case "writelines":
            return method { [self] a, i throws(DLXError) in
                for v in try i.iterateAll(try a.required(0, "lines")) { _ = try write(v) }
                return Value.none
            }
        case "tell":
            return method { [self] _, _ throws(DLXError) in
                try check(reading: true)
                return .int(text[..<position].reduce(0) { $0 + String($1).utf8.count })
            }
        case "seek":
            // Text positions are what tell() gives: 0 (the start) or the end (whence=2), as Python allows.
            return method { [self] a, i throws(DLXError) in
                try check(reading: true)
                let offset = try i.indexArgument(try a.required(0, "cookie"))
                let whence = try a.get(1, "whence").map { v throws(DLXError) in try i.indexArgument(v) } ?? 0
                guard offset == 0 || whence == 0 else { throw DLXError("UnsupportedOperation", "can't do nonzero cur-relative seeks") }
                var bytes = 0, k = 0
                while k < text.count && bytes < offset { bytes += String(text[k]).utf8.count; k += 1 }
                position = whence == 2 ? text.count : k
                return .int(whence == 2 ? text.reduce(0) { $0 + String($1).utf8.count } : bytes)
            }
        default: return nil
        }
    }

    func makeIterator(_ interpreter: Interpreter) throws(DLXError) -> ValueIterator? {
        ValueIterator { [self] () throws(DLXError) -> Value? in
            try check(reading: true)
            return position < text.count ? .string(line()) : nil
        }
    }
}

