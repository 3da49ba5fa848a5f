import CCrypto

/// Jupyter's message signatures: HMAC-SHA256 (OpenSSL's) over the header, parent header, metadata and
/// content frames, as lowercase hex. The key comes from the connection file; an empty key turns
/// signing off, as Jupyter does.
struct Signer: Sendable {
    let key: [UInt8]

    init(key: String) { self.key = Array(key.utf8) }

    var enabled: Bool { !key.isEmpty }

    /// The signature of these frames ("" when signing is off).
    func sign(_ frames: [[UInt8]]) -> String {
        guard enabled else { return "" }
        var data: [UInt8] = []
        data.reserveCapacity(frames.reduce(0) { $0 + $1.count })
        for f in frames { data += f }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in
                HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), d.bindMemory(to: UInt8.self).baseAddress, d.count,
                     &digest, &length) != nil
            }
        }
        guard ok else { return "" }
        return Signer.hex(digest.prefix(Int(length)))
    }

    /// Whether `signature` is these frames' signature, compared in constant time.
    func verify(_ signature: [UInt8], _ frames: [[UInt8]]) -> Bool {
        guard enabled else { return true }
        let expected = Array(sign(frames).utf8)
        guard !expected.isEmpty, signature.count == expected.count else { return false }
        return expected.withUnsafeBytes { e in
            signature.withUnsafeBytes { s in CRYPTO_memcmp(e.baseAddress, s.baseAddress, e.count) == 0 }
        }
    }

    static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// A random version-4 UUID from OpenSSL's generator, for message and session ids.
    static func uuid() -> String {
        var b = [UInt8](repeating: 0, count: 16)
        if RAND_bytes(&b, 16) != 1 {
            for k in b.indices { b[k] = UInt8.random(in: 0...255) }
        }
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        let h = hex(b)
        let parts = [h.prefix(8), h.dropFirst(8).prefix(4), h.dropFirst(12).prefix(4), h.dropFirst(16).prefix(4), h.dropFirst(20)]
        return parts.map(String.init).joined(separator: "-")
    }
}
