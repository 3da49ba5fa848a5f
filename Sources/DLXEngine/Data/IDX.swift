import CZlib

/// Reads IDX files (the MNIST format), gzipped or not: a big-endian header (two zero bytes, a type
/// code, the number of dimensions, then each size as a uint32) followed by the raw values.
public enum IDX {
    /// Loads an IDX file of unsigned bytes into a uint8 tensor.
    public static func load(_ path: String, on backend: any Backend) throws(TensorError) -> Tensor {
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
        let got = try readInto(file, t.storage.pointer, expected, path)
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

    private static func readInto(_ file: gzFile, _ p: UnsafeMutableRawPointer, _ count: Int, _ path: String) throws(TensorError) -> Int {
        var done = 0
        while done < count {
            let chunk = Swift.min(count - done, 1 << 30)
            let n = gzread(file, p + done, UInt32(chunk))
            if n < 0 { throw bad(path, "corrupt gzip data") }
            if n == 0 { break }
            done += Int(n)
        }
        return done
    }
}
