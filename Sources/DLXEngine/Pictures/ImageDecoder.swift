#if canImport(Glibc)
import Glibc
#endif
import CImageCodecs

/// PNG and JPEG files decoded by libpng and libjpeg-turbo (through the small C layer in CImageCodecs, which
/// keeps their longjmp-based error handling away from Swift): `Image.open` for PIL images.
public enum ImageDecoder {
    /// Pillow's limit: past twice its MAX_IMAGE_PIXELS (89,478,485) an image is a DecompressionBombError.
    public static let maxPixels = 178_956_970
    /// A file larger than this is not read (no image that fits the pixel cap needs more).
    public static let maxFileBytes = 1 << 30

    public enum Failure: Error, Equatable {
        /// Neither PNG nor JPEG (Pillow's UnidentifiedImageError).
        case unidentified
        /// The decoder gave up: truncated or corrupt data (Pillow's OSError).
        case broken(String)
        /// More pixels than the cap (Pillow's DecompressionBombError).
        case tooLarge(String)
        case noMemory(String)
        /// The file could not be read (errno's text).
        case unreadable(Int32)
    }

    public struct Decoded {
        /// uint8 [H, W] (grey) or [H, W, C] (C = 2 grey+alpha, 3 RGB, 4 RGBA).
        public let pixels: Tensor
        /// "PNG" or "JPEG".
        public let format: String
    }

    public static func decode(_ bytes: [UInt8], on backend: any Backend, maxPixels: Int = maxPixels) -> Result<Decoded, Failure> {
        var image = dlx_image()
        let rc = bytes.withUnsafeBufferPointer { b in dlx_image_decode(b.baseAddress, b.count, maxPixels, &image) }
        defer { dlx_image_free(&image) }
        let message = withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        switch Int(rc) {
        case DLX_IMAGE_OK: break
        case DLX_IMAGE_UNIDENTIFIED: return .failure(.unidentified)
        case DLX_IMAGE_TOO_LARGE: return .failure(.tooLarge(message))
        case DLX_IMAGE_NO_MEMORY: return .failure(.noMemory(message))
        default: return .failure(.broken(message))
        }
        let h = Int(image.height), w = Int(image.width), c = Int(image.channels)
        let shape = c == 1 ? [h, w] : [h, w, c]
        let t: Tensor
        do { t = try Tensor.empty(shape, dtype: .uint8, on: backend) } catch { return .failure(.noMemory(error.message)) }
        t.storage.pointer.copyMemory(from: image.pixels, byteCount: h * w * c)
        return .success(Decoded(pixels: t, format: Int(image.format) == DLX_IMAGE_JPEG ? "JPEG" : "PNG"))
    }

    /// The file's bytes, up to `maxFileBytes`.
    public static func read(_ path: String) -> Result<[UInt8], Failure> {
        guard let f = fopen(path, "rb") else { return .failure(.unreadable(errno)) }
        defer { fclose(f) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n > 0 { out += chunk[0..<n] }
            if n < chunk.count { break }
            if out.count > maxFileBytes { return .failure(.tooLarge("the file is larger than \(maxFileBytes) bytes")) }
        }
        if ferror(f) != 0 { return .failure(.unreadable(EIO)) }
        return .success(out)
    }
}
