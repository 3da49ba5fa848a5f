import Foundation
import Testing
import TestSupport
@testable import DLXEngine

/// PNG and JPEG decoding against what Pillow decoded from the same files (Tests/Fixtures/images, made by
/// make-images.py, whose output is pillow-pixels.txt), and hostile files failing softly.
struct ImageDecoderTests {
    static let folder = repositoryRoot + "/Tests/Fixtures/images/"

    /// Each file Pillow decoded: its mode, size and pixels (a palette image's as RGB).
    static func pillowPixels() throws -> [(name: String, mode: String, width: Int, height: Int, pixels: [UInt8])] {
        let lines = try String(contentsOfFile: folder + "pillow-pixels.txt", encoding: .utf8).split(separator: "\n").map(String.init)
        var out: [(String, String, Int, Int, [UInt8])] = []
        var k = 0
        while k < lines.count {
            let head = lines[k].split(separator: " ").map(String.init)
            guard head.count >= 5, head[3].hasPrefix("(") else { k += 1; continue }
            var mode = head[2]
            let w = Int(head[3].dropFirst().dropLast())!, h = Int(head[4].dropLast())!
            k += 1
            if lines[k].trimmingCharacters(in: .whitespaces) == "as RGB" { mode = "RGB"; k += 1 }
            let pixels = lines[k].split(separator: " ").map { UInt8($0)! }
            out.append((head[0], mode, w, h, pixels))
            k += 1
        }
        return out
    }

    func decoded(_ name: String) throws -> Result<ImageDecoder.Decoded, ImageDecoder.Failure> {
        guard case .success(let bytes) = ImageDecoder.read(Self.folder + name) else { throw TensorError.runtime("cannot read \(name)") }
        return ImageDecoder.decode(bytes, on: backend)
    }

    @Test func decodesEveryFixtureAsPillowDoes() throws {
        let expected = try Self.pillowPixels()
        #expect(expected.count == 9)
        for e in expected {
            guard case .success(let d) = try decoded(e.name) else { Issue.record("\(e.name) did not decode"); continue }
            let channels = ["L": 1, "LA": 2, "RGB": 3, "RGBA": 4][e.mode]!
            #expect(d.pixels.shape == (channels == 1 ? [e.height, e.width] : [e.height, e.width, channels]), "\(e.name)")
            #expect(try PictureOps.bytes(d.pixels) == e.pixels, "\(e.name)")
            #expect(d.format == (e.name.hasSuffix(".png") ? "PNG" : "JPEG"))
        }
    }

    func failure(_ name: String) throws -> ImageDecoder.Failure? {
        if case .failure(let f) = try decoded(name) { return f }
        return nil
    }

    @Test func hostileFilesFailWithPillowsErrors() throws {
        #expect(try failure("truncated.png") == .broken("image file is truncated"))
        #expect(try failure("bad-crc.png") == .unidentified)
        #expect(try failure("not-an-image.png") == .unidentified)
        #expect(try failure("huge.png") == .tooLarge("Image size (3600000000 pixels) exceeds limit of 178956970 pixels"))
        #expect(try failure("truncated.jpg") == .broken("Truncated File Read"))
        guard case .failure(.unidentified) = ImageDecoder.decode([], on: backend) else { Issue.record("empty"); return }
    }

    /// Every prefix and many single-byte corruptions of each fixture decode or fail, never crash.
    @Test func corruptedBytesNeverCrash() throws {
        for name in ["rgb.png", "palette.png", "baseline.jpg", "progressive.jpg"] {
            guard case .success(let bytes) = ImageDecoder.read(Self.folder + name) else { continue }
            for n in stride(from: 0, to: bytes.count, by: Swift.max(1, bytes.count / 97)) {
                _ = ImageDecoder.decode(Array(bytes.prefix(n)), on: backend)
            }
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            for _ in 0..<200 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                var b = bytes
                b[Int(state >> 33) % b.count] = UInt8(truncatingIfNeeded: state >> 17)
                _ = ImageDecoder.decode(b, on: backend)
            }
        }
    }

    @Test func unreadableFileIsAnErrno() {
        guard case .failure(.unreadable(let code)) = ImageDecoder.read("/nonexistent/x.png") else { Issue.record("read"); return }
        #expect(code == ENOENT)
    }
}
