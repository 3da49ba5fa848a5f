#if canImport(Glibc)
import Glibc
#endif
import CZlib

/// Bytes read at any offset: a file (read piece by piece with `pread`, so that a storage goes straight into
/// its tensor's memory) or an array (tests, the fuzz driver).
public protocol ByteSource {
    var size: Int { get }
    /// Reads exactly `count` bytes at `offset` into `into`; the caller has checked the range.
    func read(_ count: Int, at offset: Int, into: UnsafeMutableRawPointer) throws(TensorError)
}

extension ByteSource {
    /// `count` bytes at `offset`, or nil when the range is not inside the source.
    public func bytes(_ count: Int, at offset: Int) throws(TensorError) -> [UInt8]? {
        guard count >= 0, offset >= 0, offset <= size, count <= size - offset else { return nil }
        return try filledBytes(count) { p throws(TensorError) in try read(count, at: offset, into: p) }
    }
}

/// `count` bytes filled by `fill`.
func filledBytes(_ count: Int, _ fill: (UnsafeMutableRawPointer) throws(TensorError) -> Void) throws(TensorError) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: Swift.max(count, 1))
    var failure: TensorError? = nil
    out.withUnsafeMutableBytes { b in
        do throws(TensorError) { try fill(b.baseAddress!) } catch { failure = error }
    }
    if let failure { throw failure }
    if count == 0 { out.removeAll() }
    return out
}

/// A file opened for reading; closed when the value goes.
public final class FileSource: ByteSource {
    let fd: Int32
    public let size: Int
    public let path: String

    /// Opens `path`; an OSError in Python's words when it cannot be read.
    public init(path: String) throws(TensorError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw TensorError(.io, AtomicFile.Failure(code: errno, path: path).description) }
        var st = stat()
        if fstat(fd, &st) != 0 || (st.st_mode & S_IFMT) == S_IFDIR {
            let code = (st.st_mode & S_IFMT) == S_IFDIR ? EISDIR : errno
            close(fd)
            throw TensorError(.io, AtomicFile.Failure(code: code, path: path).description)
        }
        size = Int(st.st_size)
    }

    deinit { close(fd) }

    public func read(_ count: Int, at offset: Int, into: UnsafeMutableRawPointer) throws(TensorError) {
        var done = 0
        while done < count {
            let n = pread(fd, into + done, count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                throw TensorError(.io, n < 0 ? AtomicFile.Failure(code: errno, path: path).description : "unexpected end of file: '\(path)'")
            }
            done += n
        }
    }
}

/// Bytes in memory.
public struct MemorySource: ByteSource {
    public let data: [UInt8]
    public init(_ data: [UInt8]) { self.data = data }
    public var size: Int { data.count }
    public func read(_ count: Int, at offset: Int, into: UnsafeMutableRawPointer) throws(TensorError) {
        data.withUnsafeBytes { into.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
    }
}

/// Little-endian fields of a byte array.
struct LittleEndian {
    let bytes: [UInt8]
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
    func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }
}

extension Array where Element == UInt8 {
    mutating func put16(_ v: Int) { append(UInt8(v & 0xff)); append(UInt8(v >> 8 & 0xff)) }
    mutating func put32(_ v: Int) { put16(v & 0xffff); put16(v >> 16 & 0xffff) }
    mutating func put64(_ v: Int) { put32(v & 0xffff_ffff); put32(v >> 32 & 0xffff_ffff) }
}

/// The CRC-32 of zip files (zlib's).
public func crc32(_ bytes: UnsafeRawBufferPointer, _ start: UInt32 = 0) -> UInt32 {
    var crc = UInt(start)
    var p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
    var left = bytes.count
    while left > 0, let q = p {
        let n = Swift.min(left, 1 << 30)
        crc = CZlib.crc32(crc, q, uInt(n))
        p = q + n
        left -= n
    }
    return UInt32(truncatingIfNeeded: crc)
}

/// The records of a zip archive as PyTorch's stream reader sees them: stored (uncompressed) entries found
/// through the central directory, each checked against the file's size before anything is read.
public final class ZipReader {
    public struct Entry {
        public let name: String
        public let size: Int
        let crc: UInt32
        let headerOffset: Int
    }

    let source: ByteSource
    public private(set) var entries: [Entry] = []
    private var byName: [String: Int] = [:]

    /// PyTorch's words for a damaged archive, after `what`.
    static func corrupt(_ what: String) -> TensorError {
        .runtime("PytorchStreamReader failed \(what). This is an internal miniz error. If you are seeing this error, there is a high "
                 + "likelihood that your checkpoint file is corrupted. This can happen if the checkpoint was not saved properly, "
                 + "was transferred incorrectly, or the file was modified after saving.")
    }
    static let noDirectory = corrupt("reading zip archive: failed finding central directory")

    /// True when the source starts as a zip archive does (a local header or an empty archive's end record).
    public static func looksLikeZip(_ source: ByteSource) throws(TensorError) -> Bool {
        guard let head = try source.bytes(4, at: 0) else { return false }
        return head == [0x50, 0x4b, 0x03, 0x04] || head == [0x50, 0x4b, 0x05, 0x06]
    }

    public init(_ source: ByteSource) throws(TensorError) {
        self.source = source
        // The end record: within the last 64 KiB + 22 bytes (its comment is at most 65535 bytes).
        let tailLength = Swift.min(source.size, 65535 + 22)
        guard let tail = try source.bytes(tailLength, at: source.size - tailLength), tail.count >= 22 else { throw ZipReader.noDirectory }
        var end = -1
        var k = tail.count - 22
        while k >= 0 {
            if tail[k] == 0x50 && tail[k + 1] == 0x4b && tail[k + 2] == 5 && tail[k + 3] == 6 { end = k; break }
            k -= 1
        }
        guard end >= 0 else { throw ZipReader.noDirectory }
        let e = LittleEndian(bytes: tail)
        var count = e.u16(end + 10), directorySize = e.u32(end + 12), directoryOffset = e.u32(end + 16)
        let endOffset = source.size - tailLength + end
        // Zip64: the locator just before the end record points at the zip64 end record.
        if endOffset >= 20, let locator = try source.bytes(20, at: endOffset - 20),
           locator[0] == 0x50, locator[1] == 0x4b, locator[2] == 6, locator[3] == 7 {
            let at = LittleEndian(bytes: locator).u64(8)
            guard at < UInt64(source.size), let record = try source.bytes(56, at: Int(at)),
                  record[0] == 0x50, record[1] == 0x4b, record[2] == 6, record[3] == 6 else { throw ZipReader.noDirectory }
            let r = LittleEndian(bytes: record)
            guard r.u64(32) < UInt64(Int32.max), r.u64(40) < UInt64(source.size), r.u64(48) < UInt64(source.size) else {
                throw ZipReader.noDirectory
            }
            count = Int(r.u64(32)); directorySize = Int(r.u64(40)); directoryOffset = Int(r.u64(48))
        }
        // Each directory entry takes at least 46 bytes: a count the directory cannot hold is a lie.
        guard directoryOffset <= source.size, directorySize <= source.size - directoryOffset, count <= directorySize / 46,
              let directory = try source.bytes(directorySize, at: directoryOffset) else { throw ZipReader.noDirectory }
        let d = LittleEndian(bytes: directory)
        var at = 0
        for _ in 0..<count {
            guard at + 46 <= directory.count, d.u32(at) == 0x0201_4b50 else {
                throw ZipReader.corrupt("reading zip archive: invalid header or archive is corrupted")
            }
            let method = d.u16(at + 10), crc = UInt32(d.u32(at + 16))
            var compressed = d.u32(at + 20), size = d.u32(at + 24)
            let nameLength = d.u16(at + 28), extraLength = d.u16(at + 30), commentLength = d.u16(at + 32)
            var offset = d.u32(at + 42)
            let next = at + 46 + nameLength + extraLength + commentLength
            guard next <= directory.count else { throw ZipReader.corrupt("reading zip archive: invalid header or archive is corrupted") }
            let name = String(decoding: directory[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            // Zip64 sizes and offset, in that order, for the fields that are all ones.
            var x = at + 46 + nameLength
            let extraEnd = x + extraLength
            while x + 4 <= extraEnd {
                let id = d.u16(x), length = d.u16(x + 2)
                guard x + 4 + length <= extraEnd else { break }
                if id == 1 {
                    var f = x + 4
                    func field(_ v: inout Int) {
                        guard v == 0xffff_ffff, f + 8 <= x + 4 + length else { return }
                        v = Int(truncatingIfNeeded: Swift.min(d.u64(f), UInt64(Int.max))); f += 8
                    }
                    field(&size); field(&compressed); field(&offset)
                }
                x += 4 + length
            }
            guard method == 0, compressed == size else {
                throw ZipReader.corrupt("reading file \(name): compressed records are not supported (PyTorch stores them uncompressed)")
            }
            guard offset < source.size, size <= source.size else { throw ZipReader.corrupt("reading file \(name): invalid header or archive is corrupted") }
            if byName[name] == nil { byName[name] = entries.count }
            entries.append(Entry(name: name, size: size, crc: crc, headerOffset: offset))
            at = next
        }
    }

    public func entry(_ name: String) -> Entry? { byName[name].map { entries[$0] } }

    /// Where the entry's data begins, checked to lie with its whole size inside the file.
    func dataOffset(_ e: Entry) throws(TensorError) -> Int {
        guard let header = try source.bytes(30, at: e.headerOffset), LittleEndian(bytes: header).u32(0) == 0x0403_4b50 else {
            throw ZipReader.corrupt("reading file \(e.name): invalid header or archive is corrupted")
        }
        let h = LittleEndian(bytes: header)
        let start = e.headerOffset + 30 + h.u16(26) + h.u16(28)
        guard start <= source.size, e.size <= source.size - start else {
            throw ZipReader.corrupt("reading file \(e.name): invalid header or archive is corrupted")
        }
        return start
    }

    /// Reads the entry `name` into `into` (which holds `e.size` bytes), checking its CRC-32.
    public func read(_ e: Entry, into: UnsafeMutableRawPointer) throws(TensorError) {
        let start = try dataOffset(e)
        if e.size > 0 { try source.read(e.size, at: start, into: into) }
        guard crc32(UnsafeRawBufferPointer(start: into, count: e.size)) == e.crc else {
            throw ZipReader.corrupt("reading file \(e.name): the CRC-32 of its data does not match the archive's")
        }
    }

    /// The bytes of a small record (the pickle, the version): read whole.
    public func bytes(_ name: String) throws(TensorError) -> [UInt8] {
        guard let e = entry(name) else { throw ZipReader.corrupt("locating file \(name.split(separator: "/", maxSplits: 1).last.map(String.init) ?? name): file not found") }
        return try filledBytes(e.size) { p throws(TensorError) in try read(e, into: p) }
    }
}

/// A zip archive as PyTorch's stream writer (miniz) lays it out: stored entries, each local header padded
/// with an `FB` extra field so that the data starts on a 64-byte boundary, a data descriptor after each
/// non-empty record, times and dates zero, then the central directory, a zip64 end record and locator and
/// the end record. The data is not copied: the parts point at the caller's buffers, which must stay alive
/// until the archive is written.
public struct ZipWriter {
    public static let alignment = 64
    /// Headers (a range of `headers`) and data (borrowed), in file order.
    enum Part { case owned(Range<Int>), borrowed(UnsafeRawBufferPointer) }
    private var parts: [Part] = []
    private var headers: [UInt8] = []
    private var offset = 0
    private var directory: [UInt8] = []
    private var count = 0

    public init() {}

    private mutating func own(_ bytes: [UInt8]) {
        parts.append(.owned(headers.count..<(headers.count + bytes.count)))
        headers += bytes
        offset += bytes.count
    }

    /// Adds a small record, copied into the archive's own memory.
    public mutating func add(_ name: String, bytes: [UInt8]) throws(TensorError) {
        let copy = bytes
        var failure: TensorError? = nil
        copy.withUnsafeBytes { p in
            do throws(TensorError) { try add(name, p, copy: true) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Adds a record whose bytes stay where they are (a storage) until the archive is written.
    public mutating func add(_ name: String, _ data: UnsafeRawBufferPointer, copy: Bool = false) throws(TensorError) {
        let nameBytes = Array(name.utf8)
        guard offset + data.count + 256 < 0xffff_ffff else {
            throw TensorError(.notImplemented, "dlx writes archives below 4 GiB; this one would be larger")
        }
        let crc = crc32(data)
        let flags = data.count > 0 ? 0x0808 : 0x0800
        let start = offset + 30 + nameBytes.count + 4
        let padding = (ZipWriter.alignment - start % ZipWriter.alignment) % ZipWriter.alignment
        var header: [UInt8] = [0x50, 0x4b, 3, 4]
        header.put16(0); header.put16(flags); header.put16(0); header.put16(0); header.put16(0)
        header.put32(0); header.put32(0); header.put32(0)
        header.put16(nameBytes.count); header.put16(padding + 4)
        header += nameBytes
        header += [0x46, 0x42]; header.put16(padding)
        header += [UInt8](repeating: 0x5a, count: padding)
        var entry: [UInt8] = [0x50, 0x4b, 1, 2]
        entry.put16(0); entry.put16(0); entry.put16(flags); entry.put16(0); entry.put16(0); entry.put16(0)
        entry.put32(data.count > 0 ? Int(crc) : 0); entry.put32(data.count); entry.put32(data.count)
        entry.put16(nameBytes.count); entry.put16(0); entry.put16(0); entry.put16(0); entry.put16(0); entry.put32(0)
        entry.put32(offset)
        entry += nameBytes
        directory += entry
        count += 1
        own(header)
        if data.count > 0 {
            if copy { own(Array(data)) } else { parts.append(.borrowed(data)); offset += data.count }
            var descriptor: [UInt8] = [0x50, 0x4b, 7, 8]
            descriptor.put32(Int(crc)); descriptor.put32(data.count); descriptor.put32(data.count)
            own(descriptor)
        }
    }

    /// The central directory and the end records; the archive is complete after this.
    public mutating func finish() {
        let directoryOffset = offset
        var tail = directory
        let zip64End = directoryOffset + directory.count
        tail += [0x50, 0x4b, 6, 6]; tail.put64(44); tail.put16(0x031e); tail.put16(0x2d); tail.put32(0); tail.put32(0)
        tail.put64(count); tail.put64(count); tail.put64(directory.count); tail.put64(directoryOffset)
        tail += [0x50, 0x4b, 6, 7]; tail.put32(0); tail.put64(zip64End); tail.put32(1)
        tail += [0x50, 0x4b, 5, 6]; tail.put16(0); tail.put16(0); tail.put16(count); tail.put16(count)
        tail.put32(directory.count); tail.put32(directoryOffset); tail.put16(0)
        own(tail)
    }

    /// Calls `body` with the archive's parts in file order.
    private func withBuffers<R>(_ body: ([UnsafeRawBufferPointer]) -> R) -> R {
        headers.withUnsafeBytes { h in
            body(parts.map { part in
                switch part {
                case .owned(let r): return UnsafeRawBufferPointer(rebasing: h[r])
                case .borrowed(let b): return b
                }
            })
        }
    }

    /// Writes the archive to `path` atomically (see AtomicFile).
    public func write(to path: String, quota: DiskQuota? = nil) throws(AtomicFile.Failure) {
        let code = withBuffers { AtomicFile.write($0, to: path, quota: quota) }
        if code != 0 { throw AtomicFile.Failure(code: code, path: path) }
    }

    /// The archive's bytes in memory (tests, the fuzz driver).
    public var bytes: [UInt8] { withBuffers { $0.reduce(into: [UInt8]()) { $0 += $1 } } }
}
