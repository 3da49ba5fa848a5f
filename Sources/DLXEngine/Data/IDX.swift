#if canImport(Glibc)
import Glibc
#endif
import CZlib

/// Reads IDX files (the MNIST format), gzipped or not: a big-endian header (two zero bytes, a type
/// code, the number of dimensions, then each size as a uint32) followed by the raw values.
public enum IDX {
    /// Loads a gzipped IDX file through a decompressed copy in `cache`: inflating MNIST's 47 MB takes
    /// some 150 ms, reading the copy a tenth of that, which matters when a grader starts dlx hundreds
    /// of times. The copy is named by the source's content (its size and the CRC-32 that gzip stores in
    /// its last eight bytes), so every checkout of the same data shares one copy, and a new copy
    /// replaces older ones of the same file. It is written under a temporary name then renamed, so
    /// concurrent processes never see half a file. Any failure falls back to `path`.
    public static func load(_ path: String, cache: String?, on backend: any Backend,
                            progress: (Int, Int) -> Void = { _, _ in }) throws(TensorError) -> Tensor {
        guard let cache, path.hasSuffix(".gz"), let fingerprint = gzipFingerprint(path) else {
            return try load(path, on: backend, progress: progress)
        }
        let base = String(String(path.split(separator: "/").last ?? "idx").dropLast(3))
        let copy = "\(cache)/\(base)-\(fingerprint).idx"
        // Copies half written by processes that were killed (this version's and earlier ones') go first.
        AtomicFile.removeStaleTemporaries(of: nil, in: cache, legacy: true)
        if let t = mapped(copy, on: backend) { return t }
        let t = try load(path, on: backend, progress: progress)
        write(t, to: copy, in: cache)
        removeStaleCopies(of: "\(base)-\(fingerprint.prefix { $0 != "-" })-", keeping: copy, in: cache)
        return t
    }

    /// "SIZE-CRC" of a gzip file: its size and the CRC-32 of the data it holds (the trailer's first word).
    static func gzipFingerprint(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var trailer = [UInt8](repeating: 0, count: 8)
        guard fseek(f, -8, SEEK_END) == 0, fread(&trailer, 1, 8, f) == 8 else { return nil }
        let size = ftell(f)
        let crc = trailer[0..<4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return "\(size)-" + String(crc, radix: 16)
    }

    /// Deletes the other cached copies whose names start with `prefix` (the file's name and size: the
    /// size-and-time names of earlier versions, one per checkout); a process that still maps one keeps
    /// its pages. Other data of the same name (Fashion-MNIST's files are named as MNIST's) differs in size.
    static func removeStaleCopies(of prefix: String, keeping copy: String, in folder: String) {
        for name in Directory.names(in: folder) ?? [] {
            let path = "\(folder)/\(name)"
            if name.hasPrefix(prefix), name.hasSuffix(".idx"), path != copy { unlink(path) }
        }
    }

    /// An uncompressed IDX file of unsigned bytes mapped copy-on-write as a tensor's storage (CPU only):
    /// pages are read when touched, and a grader's processes share them.
    static func mapped(_ path: String, on backend: any Backend) -> Tensor? {
        guard backend.device == .cpu else { return nil }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size >= 8 else { return nil }
        let size = Int(st.st_size)
        guard let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { return nil }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let rank = Int(bytes[3])
        var shape: [Int] = []
        if bytes[0] == 0, bytes[1] == 0, bytes[2] == 0x08, (1...4).contains(rank), size >= 4 + 4 * rank {
            for d in 0..<rank { shape.append((0..<4).reduce(0) { $0 << 8 | Int(bytes[4 + 4 * d + $1]) }) }
        }
        let header = 4 + 4 * rank
        guard !shape.isEmpty, (try? Tensor.checkedCount(shape)) == size - header,
              let strides = try? Tensor.contiguousStrides(shape) else { munmap(base, size); return nil }
        let storage = Storage(backend: backend, adopting: base, byteCount: size) { p, n in munmap(p, n) }
        return Tensor(storage: storage, shape: shape, strides: strides, offset: header, dtype: .uint8)
    }

    /// Writes `t` as an uncompressed IDX file of unsigned bytes; best effort.
    static func write(_ t: Tensor, to path: String, in folder: String) {
        var p = ""
        for part in folder.split(separator: "/", omittingEmptySubsequences: false) {
            p += (p.isEmpty && part.isEmpty ? "" : "/") + part
            if !p.isEmpty { mkdir(p, 0o755) }
        }
        var header: [UInt8] = [0, 0, 0x08, UInt8(t.rank)]
        for d in t.shape { header += [UInt8(d >> 24 & 0xFF), UInt8(d >> 16 & 0xFF), UInt8(d >> 8 & 0xFF), UInt8(d & 0xFF)] }
        header.withUnsafeBytes { h in
            _ = AtomicFile.write([h, UnsafeRawBufferPointer(start: t.storage.pointer + t.offset, count: t.count)], to: path)
        }
    }

    /// Loads an IDX file of unsigned bytes into a uint8 tensor; `progress(done, total)` counts bytes.
    public static func load(_ path: String, on backend: any Backend, progress: (Int, Int) -> Void = { _, _ in }) throws(TensorError) -> Tensor {
        guard let file = gzopen(path, "rb") else {
            throw TensorError(.io, "[Errno 2] No such file or directory: '\(path)'")
        }
        defer { gzclose(file) }
        var header = [UInt8](repeating: 0, count: 4)
        guard try read(file, &header, path) == 4 else { throw bad(path, "too short for an IDX header") }
        guard header[0] == 0, header[1] == 0 else {
            let magic = header.reduce(0) { $0 << 8 | UInt32($1) }
            throw bad(path, "wrong magic number 0x\(hex(magic)) (an IDX file starts with 0x0000)")
        }
        guard header[2] == 0x08 else {
            throw bad(path, "unsupported IDX data type 0x\(hex(UInt32(header[2]))) (dlx reads unsigned bytes, 0x08)")
        }
        let rank = Int(header[3])
        guard rank >= 1 && rank <= 4 else { throw bad(path, "unsupported number of dimensions \(rank)") }
        var sizeBytes = [UInt8](repeating: 0, count: 4 * rank)
        guard try read(file, &sizeBytes, path) == sizeBytes.count else { throw bad(path, "truncated header") }
        var shape: [Int] = []
        for d in 0..<rank {
            shape.append(Int(sizeBytes[(4 * d)..<(4 * d + 4)].reduce(0) { $0 << 8 | UInt32($1) }))
        }
        let t = try Tensor.empty(shape, dtype: .uint8, on: backend)
        let expected = t.count
        let got = try readInto(file, t.storage.pointer, expected, path, progress)
        guard got == expected else {
            throw bad(path, "truncated: the header promises \(expected) bytes of data (shape \(shape)), the file has \(got)")
        }
        var extra: UInt8 = 0
        if gzread(file, &extra, 1) == 1 {
            throw bad(path, "\(expected) bytes of data expected, but the file is longer")
        }
        return t
    }

    private static func bad(_ path: String, _ why: String) -> TensorError {
        TensorError(.value, "\(path): not a valid IDX file: \(why)")
    }

    private static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: Swift.max(0, 8 - s.count)) + s
    }

    private static func read(_ file: gzFile, _ buffer: inout [UInt8], _ path: String) throws(TensorError) -> Int {
        let count = buffer.count
        let n = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32(count)) }
        if n < 0 { throw bad(path, "corrupt gzip data") }
        return Int(n)
    }

    private static func readInto(_ file: gzFile, _ p: UnsafeMutableRawPointer, _ count: Int, _ path: String,
                                 _ progress: (Int, Int) -> Void) throws(TensorError) -> Int {
        var done = 0
        while done < count {
            progress(done, count)
            let chunk = Swift.min(count - done, 4 << 20)
            let n = gzread(file, p + done, UInt32(chunk))
            if n < 0 { throw bad(path, "corrupt gzip data") }
            if n == 0 { break }
            done += Int(n)
        }
        return done
    }
}
