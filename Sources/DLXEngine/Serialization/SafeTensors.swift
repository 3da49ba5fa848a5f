#if canImport(Glibc)
import Glibc
#endif

/// The safetensors format (Hugging Face's `safetensors` 0.8): an 8-byte little-endian header length, a
/// JSON header (each tensor's dtype, shape and data offsets, and an optional `__metadata__` map of
/// strings), then the tensors' bytes one after another. dlx writes what the library writes, byte for
/// byte: tensors ordered by dtype (widest first, in the library's dtype order) then by name, the header
/// padded with spaces to a multiple of 8. Reading trusts nothing in a file: the header's length and every
/// offset are checked against the file before anything is allocated, so a hostile file is an error that
/// names its problem, never a crash and never an allocation beyond the file's size.
public enum SafeTensors {
    /// What is wrong with a file's header (the library's words, without its prefix).
    public struct Problem: Error, Sendable {
        public let message: String
        init(_ message: String) { self.message = message }
    }

    /// An error for the caller: `type` is the Python exception class the library raises
    /// (`SafetensorError`, `RuntimeError`, `ValueError`, an `OSError`), `errno` set for the file system's.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let type: String
        public let message: String
        public let errno: Int32?
        public init(_ type: String, _ message: String, errno: Int32? = nil) { self.type = type; self.message = message; self.errno = errno }
        public var description: String { "\(type): \(message)" }
        static func format(_ p: Problem, file: Bool) -> Failure {
            Failure("SafetensorError", "Error while deserializing\(file ? " header" : ""): \(p.message)")
        }
    }

    /// The library refuses headers past 100 MB.
    static let maxHeaderSize = 100_000_000

    /// The format's name for a dlx dtype, and back.
    public static func formatName(_ d: DType) -> String {
        switch d {
        case .float32: return "F32"
        case .float64: return "F64"
        case .int64: return "I64"
        case .int32: return "I32"
        case .uint8: return "U8"
        case .bool: return "BOOL"
        }
    }

    static func dtype(_ formatName: String) -> DType? { DType.allCases.first { self.formatName($0) == formatName } }

    // MARK: - Writing

    /// The header (length and padded JSON) of `tensors` in the order the library writes them, and the
    /// tensors' data on the host, contiguous, in that order.
    public static func prepare(_ tensors: [(String, Tensor)], metadata: [(String, String)]?) throws(Failure) -> (header: [UInt8], data: [Tensor]) {
        try checkShared(tensors)
        for (name, t) in tensors where !t.isContiguous {
            throw Failure("ValueError", "You are trying to save a non contiguous tensor: `\(name)` which is not allowed. It either means you are "
                + "trying to save tensors which are reference of each other in which case it's recommended to save only the full tensors, "
                + "and reslice at load time, or simply call `.contiguous()` on your tensor to pack it before saving.")
        }
        // The library sorts by dtype, widest (latest in its order) first, then by name (as bytes).
        let rank = Dictionary(uniqueKeysWithValues: SafeTensorsHeader.dtypeBits.enumerated().map { ($1.0, $0) })
        var seen = Set<String>()
        let unique = tensors.reversed().filter { seen.insert($0.0).inserted }.reversed()
        let ordered = unique.sorted { a, b in
            let ra = rank[formatName(a.1.dtype)]!, rb = rank[formatName(b.1.dtype)]!
            return ra != rb ? ra > rb : Array(a.0.utf8).lexicographicallyPrecedes(Array(b.0.utf8))
        }
        var json = "{"
        var parts: [String] = []
        if let metadata {
            parts.append("\"__metadata__\":{" + metadata.map { quote($0.0) + ":" + quote($0.1) }.joined(separator: ",") + "}")
        }
        var offset = 0
        var data: [Tensor] = []
        for (name, t) in ordered {
            let bytes = t.count * t.dtype.itemSize
            parts.append(quote(name) + ":{\"dtype\":\"\(formatName(t.dtype))\",\"shape\":[" + t.shape.map(String.init).joined(separator: ",")
                         + "],\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
            do { data.append(try t.onHost()) } catch { throw Failure(error.kind.rawValue, error.message) }
        }
        json += parts.joined(separator: ",") + "}"
        var body = Array(json.utf8)
        body += Array(repeating: UInt8(ascii: " "), count: (8 - body.count % 8) % 8)
        var header = withUnsafeBytes(of: UInt64(body.count).littleEndian) { Array($0) }
        header += body
        return (header, data)
    }

    /// PyTorch's `save_file` refuses tensors that share memory (they would be saved twice and come back
    /// apart): tensors with elements on one storage, listed as the library lists them.
    static func checkShared(_ tensors: [(String, Tensor)]) throws(Failure) {
        var groups: [ObjectIdentifier: [String]] = [:]
        var order: [ObjectIdentifier] = []
        for (name, t) in tensors where t.count > 0 {
            let id = ObjectIdentifier(t.storage)
            if groups[id] == nil { order.append(id) }
            groups[id, default: []].append(name)
        }
        let failing = order.compactMap { groups[$0] }.filter { $0.count > 1 }
        guard !failing.isEmpty else { return }
        let sets = failing.map { "{" + $0.map { "'" + $0 + "'" }.joined(separator: ", ") + "}" }.joined(separator: ", ")
        throw Failure("RuntimeError", "\n            Some tensors share memory, this will lead to duplicate memory on disk and potential differences when loading "
            + "them again: [\(sets)].\n            A potential way to correctly save your model is to use `save_model`.\n"
            + "            More information at https://huggingface.co/docs/safetensors/torch_shared_tensors\n            ")
    }

    /// The header's JSON string, escaped as serde_json escapes.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where u.value < 0x20:
                let h = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// `save(tensors, metadata)`: the file's bytes.
    public static func serialize(_ tensors: [(String, Tensor)], metadata: [(String, String)]?) throws(Failure) -> [UInt8] {
        let (header, data) = try prepare(tensors, metadata: metadata)
        var out = header
        for t in data { out += UnsafeRawBufferPointer(start: t.storage.pointer + t.offset * t.dtype.itemSize, count: t.count * t.dtype.itemSize) }
        withExtendedLifetime(data) {}
        return out
    }

    /// `save_file(tensors, path, metadata)`, through `AtomicFile` (a temporary file renamed over the target),
    /// the tensors' bytes written from where they lie.
    public static func write(_ tensors: [(String, Tensor)], metadata: [(String, String)]?, to path: String,
                             quota: DiskQuota? = nil) throws(Failure) {
        let (header, data) = try prepare(tensors, metadata: metadata)
        let code = header.withUnsafeBytes { h in
            let parts = [h] + data.map { t in
                UnsafeRawBufferPointer(start: t.storage.pointer + t.offset * t.dtype.itemSize, count: t.count * t.dtype.itemSize)
            }
            return AtomicFile.write(parts, to: path, quota: quota)
        }
        withExtendedLifetime(data) {}
        if code != 0 { throw Failure(code == ENOENT ? "FileNotFoundError" : "OSError", AtomicFile.Failure(code: code, path: path).description, errno: code) }
    }
}

/// A safetensors file (or its bytes) opened for reading: the checked header, and each tensor read on
/// demand straight into its own storage (`safe_open`'s `get_tensor`).
public final class SafeTensorsFile {
    public struct Entry: Sendable {
        public let name: String
        /// The format's dtype name ("F32").
        public let dtype: String
        public let shape: [Int]
        /// Byte range in the data section.
        public let begin: Int, end: Int
    }

    /// In the order of their data (the library's `offset_keys`).
    public let entries: [Entry]
    public let metadata: [(String, String)]?
    private var fd: Int32 = -1
    private let bytes: [UInt8]
    /// Where the data section starts.
    private let dataStart: Int
    private let fromFile: Bool

    /// Opens `path`: reads and checks its header (nothing else yet).
    public init(path: String) throws(SafeTensors.Failure) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            throw SafeTensors.Failure(code == ENOENT ? "FileNotFoundError" : "OSError", "\(String(cString: strerror(code))): \(path)", errno: code)
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else { let code = errno; Glibc.close(fd); throw SafeTensors.Failure("OSError", String(cString: strerror(code)), errno: code) }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            Glibc.close(fd)
            throw SafeTensors.Failure("IsADirectoryError", "Is a directory (os error 21): \(path)", errno: EISDIR)
        }
        fromFile = true
        bytes = []
        let fileSize = Int(st.st_size)
        do {
            let (n, header) = try SafeTensorsFile.readHeader(fileSize: fileSize) { [fd] buffer, at throws(SafeTensors.Problem) in
                try SafeTensorsFile.readFully(fd, buffer, at: at)
            }
            let (entries, metadata) = try SafeTensorsFile.check(header, dataSize: fileSize - 8 - n)
            self.entries = entries; self.metadata = metadata; dataStart = 8 + n
        } catch {
            Glibc.close(fd)
            fd = -1
            throw SafeTensors.Failure.format(error, file: true)
        }
    }

    /// The file's bytes held in memory (`safetensors.torch.load(data)`).
    public init(bytes: [UInt8]) throws(SafeTensors.Failure) {
        self.bytes = bytes
        fromFile = false
        do {
            let (n, header) = try SafeTensorsFile.readHeader(fileSize: bytes.count) { buffer, at throws(SafeTensors.Problem) in
                bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[at..<at + buffer.count])) }
            }
            let (entries, metadata) = try SafeTensorsFile.check(header, dataSize: bytes.count - 8 - n)
            self.entries = entries; self.metadata = metadata; dataStart = 8 + n
        } catch {
            throw SafeTensors.Failure.format(error, file: false)
        }
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// Closes the file (leaving `with safe_open(...)`); the tensors read stay.
    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    public var isClosed: Bool { fromFile && fd < 0 }

    /// The header's length and its bytes, checked against the file's size before they are read.
    private static func readHeader(fileSize: Int, _ read: (UnsafeMutableRawBufferPointer, Int) throws(SafeTensors.Problem) -> Void) throws(SafeTensors.Problem) -> (Int, [UInt8]) {
        guard fileSize >= 8 else { throw SafeTensors.Problem("header too small") }
        var length: UInt64 = 0
        try withUnsafeMutableBytes(of: &length) { b throws(SafeTensors.Problem) in try read(b, 0) }
        let n = UInt64(littleEndian: length)
        guard n <= UInt64(SafeTensors.maxHeaderSize) else { throw SafeTensors.Problem("header too large") }
        guard 8 + Int(n) <= fileSize else { throw SafeTensors.Problem("invalid header length") }
        var header = [UInt8](repeating: 0, count: Int(n))
        var failure: SafeTensors.Problem? = nil
        header.withUnsafeMutableBytes { b in
            do throws(SafeTensors.Problem) { try read(b, 8) } catch { failure = error }
        }
        if let failure { throw failure }
        return (Int(n), header)
    }

    private static func check(_ header: [UInt8], dataSize: Int) throws(SafeTensors.Problem) -> ([Entry], [(String, String)]?) {
        let h = try SafeTensorsHeader(header[...])
        let covered = h.tensors.last?.end ?? 0
        guard covered == dataSize else { throw SafeTensors.Problem("incomplete metadata, file not fully covered") }
        return (h.tensors.map { Entry(name: $0.name, dtype: $0.dtype, shape: $0.shape, begin: $0.begin, end: $0.end) }, h.metadata)
    }

    private static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(SafeTensors.Problem) {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw SafeTensors.Problem(n < 0 ? String(cString: strerror(errno)) : "the file is shorter than its header says (it changed while open?)") }
            done += n
        }
    }

    /// The names in the library's `keys()` order (sorted).
    public var sortedNames: [String] { entries.map(\.name).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) } }

    /// The tensor called `name`, read into new memory on `backend` (the host backend it is read on).
    public func tensor(_ name: String, on backend: any Backend) throws(SafeTensors.Failure) -> Tensor {
        guard let e = entries.first(where: { $0.name == name }) else {
            throw SafeTensors.Failure("SafetensorError", "File does not contain tensor \(name)")
        }
        return try tensor(e, on: backend)
    }

    public func tensor(_ e: Entry, on backend: any Backend) throws(SafeTensors.Failure) -> Tensor {
        guard let dtype = SafeTensors.dtype(e.dtype) else {
            throw SafeTensors.Failure("TypeError", "tensor `\(e.name)` has dtype \(e.dtype), which dlx does not have "
                + "(dlx reads \(DType.allCases.map(SafeTensors.formatName).joined(separator: ", ")))")
        }
        if isClosed { throw SafeTensors.Failure("SafetensorError", "File is closed") }
        let t: Tensor
        do {
            try backend.hostBackend.checkHostMemory(byteCount: e.end - e.begin)
            t = try Tensor.empty(e.shape, dtype: dtype, on: backend.hostBackend)
        } catch { throw SafeTensors.Failure(error.kind.rawValue, error.message) }
        let buffer = UnsafeMutableRawBufferPointer(start: t.storage.pointer, count: e.end - e.begin)
        if fromFile {
            do { try SafeTensorsFile.readFully(fd, buffer, at: dataStart + e.begin) } catch {
                throw SafeTensors.Failure("SafetensorError", "Error while reading tensor \(e.name): \(error.message)")
            }
        } else {
            bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[dataStart + e.begin..<dataStart + e.end])) }
        }
        if dtype == .bool {   // any nonzero byte is true; dlx keeps booleans as 0 and 1
            for k in 0..<buffer.count where buffer[k] > 1 { buffer[k] = 1 }
        }
        do { return try t.transferred(to: backend) } catch { throw SafeTensors.Failure(error.kind.rawValue, error.message) }
    }
}
