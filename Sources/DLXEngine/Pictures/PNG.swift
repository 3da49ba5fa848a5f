import CZlib

/// A PNG encoder: signature, IHDR, one zlib-compressed IDAT (filter type 0 on every row), IEND, each chunk
/// with its CRC-32. Enough for `show(x, "digit.png")` and the pictures in exported notebooks.
public enum PNG {
    public static func encode(_ r: Raster) throws(TensorError) -> [UInt8] {
        guard (1...4).contains(r.channels), r.width > 0, r.height > 0 else {
            throw .value("PNG needs a grey, grey+alpha, RGB or RGBA image of positive size")
        }
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header += bigEndian(UInt32(r.width)) + bigEndian(UInt32(r.height))
        // Bit depth 8; grey, grey+alpha, truecolour or truecolour+alpha; deflate; no filter; no interlace.
        header += [8, [0, 4, 2, 6][r.channels - 1], 0, 0, 0]
        chunk("IHDR", header, into: &out)
        let row = r.width * r.channels
        var raw = [UInt8](repeating: 0, count: (row + 1) * r.height)
        for y in 0..<r.height {
            raw[y * (row + 1)] = 0   // filter type: none
            for i in 0..<row { raw[y * (row + 1) + 1 + i] = r.pixels[y * row + i] }
        }
        chunk("IDAT", try deflate(raw), into: &out)
        chunk("IEND", [], into: &out)
        return out
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    static func chunk(_ type: String, _ data: [UInt8], into out: inout [UInt8]) {
        let t = Array(type.utf8)
        out += bigEndian(UInt32(data.count)) + t + data
        var crc = crc32(0, nil, 0)
        crc = (t + data).withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
        out += bigEndian(UInt32(truncatingIfNeeded: crc))
    }

    /// zlib's compress2 at the default level: a zlib stream, as IDAT wants.
    static func deflate(_ data: [UInt8]) throws(TensorError) -> [UInt8] {
        var size = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let rc = out.withUnsafeMutableBufferPointer { o in
            data.withUnsafeBufferPointer { d in compress2(o.baseAddress, &size, d.baseAddress, uLong(d.count), Z_DEFAULT_COMPRESSION) }
        }
        guard rc == Z_OK else { throw TensorError(.runtime, "zlib could not compress the image (error \(rc))") }
        return Array(out.prefix(Int(size)))
    }

    /// Base64, for PNGs embedded in notebooks.
    public static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = Int(bytes[i]), b1 = i + 1 < bytes.count ? Int(bytes[i + 1]) : 0, b2 = i + 2 < bytes.count ? Int(bytes[i + 2]) : 0
            out.append(table[b0 >> 2])
            out.append(table[(b0 & 3) << 4 | b1 >> 4])
            out.append(i + 1 < bytes.count ? table[(b1 & 15) << 2 | b2 >> 6] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? table[b2 & 63] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
