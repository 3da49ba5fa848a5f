#if canImport(Glibc)
import Glibc
#endif
import DLXEngine

/// A PIL image: what torchvision's datasets give without a transform, `Image.open`, `Image.fromarray` and
/// `Image.new` make, and transforms take. Its pixels are a uint8 tensor [H, W] (mode L) or [H, W, C]
/// (LA, RGB, RGBA); `np.array(img)` and what else takes arrays read them through `arrayTensor`.
final class PILImageObject: ObjectProtocols, ArrayLike {
    let pixels: Tensor
    let mode: String
    /// "PNG" or "JPEG" for an image read from a file (Pillow's PngImageFile, JpegImageFile), else nil.
    let format: String?

    init(_ pixels: Tensor, mode: String, format: String? = nil) {
        self.pixels = pixels; self.mode = mode; self.format = format
    }

    /// An image of the channels a picture tensor has.
    convenience init(_ pixels: Tensor) {
        let c = pixels.rank == 2 ? 1 : pixels.shape[2]
        self.init(pixels, mode: ["L", "LA", "RGB", "RGBA"][Swift.max(1, Swift.min(c, 4)) - 1])
    }

    var arrayTensor: Tensor { pixels }
    var width: Int { pixels.shape[1] }
    var height: Int { pixels.shape[0] }

    var typeName: String { format == "PNG" ? "PngImageFile" : format == "JPEG" ? "JpegImageFile" : "Image" }
    var qualifiedName: String {
        format == "PNG" ? "PIL.PngImagePlugin.PngImageFile" : format == "JPEG" ? "PIL.JpegImagePlugin.JpegImageFile" : "PIL.Image.Image"
    }

    /// Pillow's repr; the address in its upper-case hex.
    func repr(_ i: Interpreter) -> String {
        let address = i.session.address(of: self)
        return "<\(qualifiedName) image mode=\(mode) size=\(width)x\(height) at 0x\(address.dropFirst(2).uppercased())>"
    }

    var bands: [String] { ["L": ["L"], "LA": ["L", "A"], "RGB": ["R", "G", "B"], "RGBA": ["R", "G", "B", "A"]][mode] ?? [mode] }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "size": return .tuple([.int(width), .int(height)])
        case "width": return .int(width)
        case "height": return .int(height)
        case "mode": return .string(mode)
        case "format": return format.map(Value.string) ?? Value.none
        case "info": return .dict(DictBox())
        case "getbands": return i.method(name) { _, _ throws(DLXError) in .tuple(self.bands.map(Value.string)) }
        case "copy": return i.method(name) { _, _ throws(DLXError) in .object(PILImageObject(self.pixels, mode: self.mode)) }
        case "convert":
            return i.method(name) { a, i throws(DLXError) in
                let to = try a.get(0, "mode").flatMap { v throws(DLXError) in v.isNone ? nil : try i.toStringValue(v, "mode") } ?? self.mode
                try a.finish()
                guard PictureOps.channels(of: to) != nil else {
                    throw .value(["1", "P", "I", "F", "CMYK", "YCbCr", "LAB", "HSV", "I;16"].contains(to)
                                 ? "conversion from \(self.mode) to \(to) is not supported in dlx (it has L, LA, RGB, RGBA)" : "conversion from \(self.mode) to \(to) not supported")
                }
                return .object(PILImageObject(try i.engine { () throws(TensorError) in try PictureOps.convert(self.pixels, from: self.mode, to: to) }, mode: to))
            }
        case "resize":
            return i.method(name) { a, i throws(DLXError) in
                let size = try i.pilPair(try a.required(0, "size"), "size")
                let filter = try i.pilFilter(try a.get(1, "resample"), default: .bicubic)
                if let box = try a.get(2, "box"), !box.isNone { throw DLXError("NotImplementedError", "resize(box=...) is not supported in dlx") }
                _ = try a.get(3, "reducing_gap")
                try a.finish()
                guard size.0 >= 0, size.1 >= 0 else { throw .value("height and width must be > 0") }
                return .object(PILImageObject(try i.engine { () throws(TensorError) in
                    try PictureOps.resize(self.pixels, width: size.0, height: size.1, filter: filter)
                }, mode: self.mode))
            }
        case "crop":
            return i.method(name) { a, i throws(DLXError) in
                let box = try a.get(0, "box")
                try a.finish()
                var b = [0, 0, self.width, self.height]
                if let box, !box.isNone {
                    b = try i.iterateAll(box).map { v throws(DLXError) in
                        let d = try i.toDouble(v, "box").rounded()
                        guard Swift.abs(d) < 1e15 else { throw DLXError("OverflowError", "Python int too large to convert to C int") }
                        return Int(d)
                    }
                    guard b.count == 4 else { throw .value("box must be a 4-tuple") }
                }
                guard b[2] >= b[0] else { throw .value("Coordinate 'right' is less than 'left'") }
                guard b[3] >= b[1] else { throw .value("Coordinate 'lower' is less than 'upper'") }
                return .object(PILImageObject(try i.engine { () throws(TensorError) in
                    try PictureOps.crop(self.pixels, left: b[0], top: b[1], right: b[2], bottom: b[3])
                }, mode: self.mode))
            }
        case "getpixel":
            return i.method(name) { a, i throws(DLXError) in
                let xy = try a.required(0, "xy")
                try a.finish()
                let items = try i.iterateAll(xy)
                guard items.count == 2 else { throw .type("argument must be sequence of length 2") }
                var x = try i.toInt(items[0], "x"), y = try i.toInt(items[1], "y")
                if x < 0 { x += self.width }
                if y < 0 { y += self.height }
                guard x >= 0, x < self.width, y >= 0, y < self.height else { throw DLXError("IndexError", "image index out of range") }
                let c = self.bands.count
                let values = try i.engine { () throws(TensorError) in
                    try (self.pixels.rank == 2 ? self.pixels.select(0, y).select(0, x) : self.pixels.select(0, y).select(0, x)).contiguous().int64s()
                }
                return c == 1 ? .int(Int(values[0])) : .tuple(values.map { .int(Int($0)) })
            }
        case "transpose":
            return i.method(name) { a, i throws(DLXError) in
                let method = try i.toInt(try a.required(0, "method"), "method")
                try a.finish()
                guard method == 0 || method == 1 else { throw DLXError("NotImplementedError", "transpose supports FLIP_LEFT_RIGHT and FLIP_TOP_BOTTOM in dlx") }
                return .object(PILImageObject(try i.engine { () throws(TensorError) in
                    try PictureOps.flip(self.pixels, horizontal: method == 0)
                }, mode: self.mode))
            }
        case "save":
            return i.method(name) { a, i throws(DLXError) in
                let path = try i.toStringValue(try a.required(0, "fp"), "fp")
                let format = try a.get(1, "format").flatMap { v throws(DLXError) in v.isNone ? nil : try i.toStringValue(v, "format") }
                try i.savePNG(self, path, format: format)
                return .none
            }
        case "show":
            return i.method(name) { a, i throws(DLXError) in
                _ = try a.get(0, "title")
                try a.finish()
                i.draw(try i.picture(.object(self), nil))
                return .none
            }
        default: return nil
        }
    }

    var attributeNames: [String] { Interpreter.pilImageMethods.names }

    /// The image as `show` draws it: grey or RGB (alpha dropped).
    func raster() throws(TensorError) -> Raster {
        let rgbOrGrey = mode == "L" || mode == "RGB" ? pixels : try PictureOps.convert(pixels, from: mode, to: mode == "LA" ? "L" : "RGB")
        let c = rgbOrGrey.rank == 2 ? 1 : 3
        return Raster(width: width, height: height, channels: c, pixels: try PictureOps.bytes(rgbOrGrey))
    }
}

extension Interpreter {
    /// `from PIL import Image`: the `PIL` package.
    func pilMembers() -> [String: Value] {
        ["Image": .object(namespace("PIL.Image")!), "UnidentifiedImageError": .object(exceptionClass("UnidentifiedImageError")),
         "__version__": .string("13.0.0")]
    }

    /// `PIL.Image`: open, fromarray, new, the resampling filters.
    func pilImageMembers() -> [String: Value] {
        var m: [String: Value] = [
            "open": function("open") { a, i throws(DLXError) in
                let path = try i.toStringValue(try a.required(0, "fp"), "fp")
                if let mode = try a.get(1, "mode"), try i.toStringValue(mode, "mode") != "r" { throw .value("bad mode '\(try i.str(mode))'") }
                _ = try a.get(2, "formats")
                try a.finish()
                return .object(try i.openImage(path))
            },
            "fromarray": function("fromarray") { a, i throws(DLXError) in
                let obj = try a.required(0, "obj")
                let mode = try a.get(1, "mode").flatMap { v throws(DLXError) in v.isNone ? nil : try i.toStringValue(v, "mode") }
                try a.finish()
                guard case .object(let array as ArrayLike) = obj else {
                    throw DLXError("AttributeError", "'\(obj.typeName)' object has no attribute '__array_interface__'")
                }
                let t = array.arrayTensor
                let shapeText = "(1, 1" + (t.rank == 3 ? ", \(t.shape[2])" : "") + ")"
                guard t.dtype == .uint8, t.rank == 2 || (t.rank == 3 && (2...4).contains(t.shape[2])) else {
                    throw .type("Cannot handle this data type: \(shapeText), \(t.dtype == .uint8 ? "|u1" : t.dtype.name) (dlx makes images of uint8 [H, W], [H, W, 2], [H, W, 3] or [H, W, 4] arrays)")
                }
                let image = PILImageObject(try i.engine { () throws(TensorError) in try t.contiguous().clone() })
                if let mode, mode != image.mode { throw .value("mode \(mode) does not match the array's \(image.mode) in dlx") }
                return .object(image)
            },
            "new": function("new") { a, i throws(DLXError) in
                let mode = try i.toStringValue(try a.required(0, "mode"), "mode")
                let size = try i.pilPair(try a.required(1, "size"), "size")
                let color = try a.get(2, "color") ?? .int(0)
                try a.finish()
                guard let c = PictureOps.channels(of: mode) else { throw .value("unrecognized image mode") }
                guard size.0 >= 0, size.1 >= 0 else { throw .value("Width and height must be >= 0") }
                var fill = [Int](repeating: 0, count: c)
                if i.scalar(color) != nil { fill[0] = try i.toInt(color, "color") }
                else if !color.isNone {
                    let v = try i.iterateAll(color).map { x throws(DLXError) in try i.toInt(x, "color") }
                    for k in 0..<Swift.min(c, v.count) { fill[k] = v[k] }
                }
                let pixel = fill.map { UInt8(truncatingIfNeeded: $0) }
                let backend = i.session.backend
                let count = Interpreter.product(size.0, size.1)
                try i.checkMemory(adding: Interpreter.product(count, c))
                return .object(PILImageObject(try i.engine { () throws(TensorError) in
                    _ = try Tensor.checkedCount([size.1, size.0, c])
                    var bytes = [UInt8](); bytes.reserveCapacity(count * c)
                    for _ in 0..<count { bytes += pixel }
                    return try PictureOps.make(bytes, height: size.1, width: size.0, channels: c, on: backend)
                }, mode: mode))
            },
            "Image": .object(TypeObject("Image", qualified: "PIL.Image.Image")),
            "UnidentifiedImageError": .object(exceptionClass("UnidentifiedImageError")),
            "DecompressionBombError": .object(exceptionClass("DecompressionBombError")),
            "FLIP_LEFT_RIGHT": .int(0), "FLIP_TOP_BOTTOM": .int(1),
        ]
        let filters = [("NEAREST", 0), ("LANCZOS", 1), ("BILINEAR", 2), ("BICUBIC", 3), ("BOX", 4), ("HAMMING", 5)]
        for (name, n) in filters { m[name] = .int(n) }
        m["Resampling"] = .object(Namespace("PIL.Image.Resampling", Dictionary(uniqueKeysWithValues: filters.map { ($0.0, Value.int($0.1)) })))
        m["Transpose"] = .object(Namespace("PIL.Image.Transpose", ["FLIP_LEFT_RIGHT": .int(0), "FLIP_TOP_BOTTOM": .int(1)]))
        return m
    }

    /// A (width, height) pair.
    func pilPair(_ v: Value, _ what: String) throws(DLXError) -> (Int, Int) {
        let items = try iterateAll(v)
        guard items.count == 2 else { throw .type("\(what) must be a (width, height) tuple") }
        return (try toInt(items[0], what), try toInt(items[1], what))
    }

    /// A `resample=` filter: PIL's numbers (Image.NEAREST 0, BILINEAR 2, BICUBIC 3).
    func pilFilter(_ v: Value?, default d: PictureOps.Filter) throws(DLXError) -> PictureOps.Filter {
        guard let v, !v.isNone else { return d }
        switch try toInt(v, "resample") {
        case 0: return .nearest
        case 2: return .bilinear
        case 3: return .bicubic
        case 1, 4, 5: throw DLXError("NotImplementedError", "dlx resizes with NEAREST, BILINEAR or BICUBIC (LANCZOS, BOX and HAMMING are not supported)")
        default: throw .value("Unknown resampling filter (\(try repr(v))). Use Image.Resampling.NEAREST (0), Image.Resampling.LANCZOS (1), Image.Resampling.BILINEAR (2), Image.Resampling.BICUBIC (3), Image.Resampling.BOX (4) or Image.Resampling.HAMMING (5)")
        }
    }

    /// `Image.open(path)`: the file read and decoded at once (Pillow decodes on first use; the errors are its).
    func openImage(_ path: String) throws(DLXError) -> PILImageObject {
        try session.checkRead(path)
        let backend = session.backend
        let bytes: [UInt8]
        switch ImageDecoder.read(path) {
        case .success(let b): bytes = b
        case .failure(.unreadable(let code)):
            throw fileError(TensorError(.io, "[Errno \(code)] \(String(cString: strerror(code))): '\(path)'"), path)
        case .failure(let f): throw imageError(f, path)
        }
        switch ImageDecoder.decode(bytes, on: backend) {
        case .success(let d):
            let c = d.pixels.rank == 2 ? 1 : d.pixels.shape[2]
            return PILImageObject(d.pixels, mode: ["L", "LA", "RGB", "RGBA"][c - 1], format: d.format)
        case .failure(let f): throw imageError(f, path)
        }
    }

    func imageError(_ f: ImageDecoder.Failure, _ path: String) -> DLXError {
        switch f {
        case .unidentified: return DLXError("UnidentifiedImageError", "cannot identify image file \(Interpreter.quote(path))")
        case .tooLarge(let m): return DLXError("DecompressionBombError", m + ", could be decompression bomb DOS attack.")
        case .noMemory(let m): return DLXError("MemoryError", m)
        case .broken(let m): return DLXError("OSError", m.isEmpty ? "broken data stream when reading image file" : m)
        case .unreadable(let code): return DLXError("OSError", "[Errno \(code)] \(String(cString: strerror(code))): '\(path)'")
        }
    }

    /// `img.save(path)`: PNG, written as every file dlx writes.
    func savePNG(_ image: PILImageObject, _ path: String, format: String?) throws(DLXError) {
        let ext = path.split(separator: "/").last.flatMap { $0.contains(".") ? $0.split(separator: ".").last.map { "." + $0.lowercased() } : nil }
        let f = format?.uppercased() ?? (ext == ".png" ? "PNG" : ext == ".jpg" || ext == ".jpeg" ? "JPEG" : nil)
        guard let f else {
            if let ext { throw .value("unknown file extension: \(ext)") }
            throw .value("unknown file extension: ")
        }
        guard f == "PNG" else { throw DLXError("NotImplementedError", "dlx saves images as PNG only (not \(f))") }
        let c = image.bands.count
        let raster = Raster(width: image.width, height: image.height, channels: c,
                            pixels: try engine { () throws(TensorError) in try PictureOps.bytes(image.pixels) })
        try writePNG(raster, to: path)
    }
}

extension Interpreter {
    /// A value that Jupyter shows as a picture (a PIL image, through its `_repr_png_`): its PNG at its own
    /// size, base64, for an execute_result's image/png. Nil for other values.
    public func pngForDisplay(_ v: Value) -> String? {
        guard case .object(let p as PILImageObject) = v, p.width > 0, p.height > 0,
              let raster = try? p.raster(), let png = try? PNG.encode(raster) else { return nil }
        return PNG.base64(png)
    }
}
