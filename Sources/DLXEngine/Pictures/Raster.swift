/// An 8-bit image, grey (1 channel) or RGB (3), row-major and interleaved: what `show` draws and PNG holds.
public struct Raster: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var channels: Int
    public var pixels: [UInt8]   // (H, W, C)

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        self.width = width; self.height = height; self.channels = channels; self.pixels = pixels
    }

    public init(width: Int, height: Int, channels: Int, fill: UInt8 = 0) {
        self.init(width: width, height: height, channels: channels, pixels: [UInt8](repeating: fill, count: width * height * channels))
    }

    /// The grey level of a pixel (the mean of R, G and B for colour).
    public func luminance(_ x: Int, _ y: Int) -> Int {
        let i = (y * width + x) * channels
        if channels == 1 { return Int(pixels[i]) }
        return (Int(pixels[i]) * 299 + Int(pixels[i + 1]) * 587 + Int(pixels[i + 2]) * 114) / 1000
    }

    /// The pixel as RGB.
    public func rgb(_ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
        let i = (y * width + x) * channels
        return channels == 1 ? (pixels[i], pixels[i], pixels[i]) : (pixels[i], pixels[i + 1], pixels[i + 2])
    }

    /// Nearest-neighbour resampling to a new size (integer upscaling of small filters, fitting wide images).
    public func resized(width w: Int, height h: Int) -> Raster {
        guard w != width || h != height, w > 0, h > 0 else { return self }
        var out = Raster(width: w, height: h, channels: channels)
        for y in 0..<h {
            let sy = Swift.min(height - 1, y * height / h)
            for x in 0..<w {
                let sx = Swift.min(width - 1, x * width / w)
                for c in 0..<channels { out.pixels[(y * w + x) * channels + c] = pixels[(sy * width + sx) * channels + c] }
            }
        }
        return out
    }

    /// Tiles laid out in rows of `columns`, `gap` pixels apart on a `background` grey.
    public static func grid(_ tiles: [Raster], columns: Int, gap: Int = 2, background: UInt8 = 64) -> Raster {
        guard let first = tiles.first else { return Raster(width: 1, height: 1, channels: 1) }
        let channels = tiles.map(\.channels).max() ?? 1
        let cw = tiles.map(\.width).max() ?? first.width, ch = tiles.map(\.height).max() ?? first.height
        let cols = Swift.max(1, Swift.min(columns, tiles.count)), rows = (tiles.count + cols - 1) / cols
        var out = Raster(width: cols * cw + (cols - 1) * gap, height: rows * ch + (rows - 1) * gap, channels: channels, fill: background)
        for (k, t) in tiles.enumerated() {
            let ox = (k % cols) * (cw + gap), oy = (k / cols) * (ch + gap)
            for y in 0..<t.height {
                for x in 0..<t.width {
                    let (r, g, b) = t.rgb(x, y)
                    let i = ((oy + y) * out.width + ox + x) * channels
                    if channels == 1 { out.pixels[i] = r } else { out.pixels[i] = r; out.pixels[i + 1] = g; out.pixels[i + 2] = b }
                }
            }
        }
        return out
    }
}

extension Raster {
    /// An image tensor as pixels: [H, W], [1, H, W] or [3, H, W], uint8 as is, floats in [0, 1] scaled by
    /// 255, other floats (weights, normalised images) stretched from their minimum to their maximum.
    public init(tensor t: Tensor) throws(TensorError) {
        var shape = t.shape
        if shape.count == 3 && shape[0] == 1 { shape.removeFirst() }
        guard shape.count == 2 || (shape.count == 3 && shape[0] == 3) else {
            throw .value("show() draws images of shape [H, W], [1, H, W] or [3, H, W], not \(t.shape)")
        }
        let channels = shape.count == 3 ? 3 : 1
        let h = shape[shape.count - 2], w = shape[shape.count - 1]
        guard h > 0, w > 0 else { throw .value("show() cannot draw an empty image of shape \(t.shape)") }
        guard h * w <= 16_777_216 else { throw .value("show() draws images of up to 16 million pixels, not \(h) x \(w)") }
        let v = try t.contiguous().doubles()   // (C, H, W)
        let finite = v.filter { $0.isFinite }
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        let scale: (Double) -> UInt8
        if t.dtype == .uint8 || t.dtype == .bool {
            scale = { UInt8(Swift.max(0, Swift.min(255, $0 * (t.dtype == .bool ? 255 : 1)))) }
        } else if lo >= 0 && hi <= 1 {
            scale = { $0.isFinite ? UInt8(($0 * 255).rounded()) : 0 }
        } else {
            let span = hi > lo ? hi - lo : 1
            scale = { $0.isFinite ? UInt8(((($0 - lo) / span) * 255).rounded()) : 0 }
        }
        var pixels = [UInt8](repeating: 0, count: w * h * channels)
        for c in 0..<channels {
            for i in 0..<(w * h) { pixels[i * channels + c] = scale(v[c * w * h + i]) }
        }
        self.init(width: w, height: h, channels: channels, pixels: pixels)
    }
}
