import DLXEngine

/// A small bitmap font for the labels of saved figures: printable ASCII in 6x9 cells, rasterised from
/// DejaVu Sans Mono by scripts/make-pyplot-font.py (one hex byte per pixel row, bit 5 the leftmost).
enum PlotFont {
    static let width = 6, height = 9

    static let glyphs: [String] = [
        "000000000000000000",  // ' '
        "0c0c0c0c04000c0000",  // '!'
        "0c0c0c000000000000",  // '"'
        "0a0a1f083f14140000",  // '#'
        "001e101c06021e0000",  // '$'
        "18281a0c1605060000",  // '%'
        "0c10181d27321f0000",  // '&'
        "000000000000000000",  // "'"
        "040808080808040400",  // '('
        "080404040404080800",  // ')'
        "120c0c120000000000",  // '*'
        "0000003f0000000000",  // '+'
        "0000000000000c0c08",  // ','
        "000000000c00000000",  // '-'
        "0000000000000c0000",  // '.'
        "020204040808101000",  // '/'
        "0c12121e12120c0000",  // '0'
        "1c04040404041e0000",  // '1'
        "1c12020408101e0000",  // '2'
        "1c12020c02021e0000",  // '3'
        "060e02123f02020000",  // '4'
        "1e101c0202021c0000",  // '5'
        "0e10101e12120e0000",  // '6'
        "1e0206040408080000",  // '7'
        "1e12121e12121e0000",  // '8'
        "1c12121e02021c0000",  // '9'
        "00000c0000000c0000",  // ':'
        "00000c0000000c0c08",  // ';'
        "00030c300c03000000",  // '<'
        "00003f003f00000000",  // '='
        "00300c030c30000000",  // '>'
        "1e0206040800080000",  // '?'
        "0e112729292927100e",  // '@'
        "0c0c0c121e12210000",  // 'A'
        "1e12121e12131e0000",  // 'B'
        "0e10101010100e0000",  // 'C'
        "1c12121212121c0000",  // 'D'
        "1e10101e10101e0000",  // 'E'
        "1f10101e1010100000",  // 'F'
        "0e10103612120e0000",  // 'G'
        "1212121e1212120000",  // 'H'
        "1e0c0c0c0c0c1e0000",  // 'I'
        "0e02020202061c0000",  // 'J'
        "12141c1c1412130000",  // 'K'
        "1010101010101f0000",  // 'L'
        "33332d2d2121210000",  // 'M'
        "121a1a121616120000",  // 'N'
        "0c12121212120c0000",  // 'O'
        "1e13131e1010100000",  // 'P'
        "0c12121312120e0200",  // 'Q'
        "1e12121c1212110000",  // 'R'
        "1c12100c02121e0000",  // 'S'
        "3f0c0c0c0c0c0c0000",  // 'T'
        "1212121212121e0000",  // 'U'
        "311212120c0c0c0000",  // 'V'
        "21212d2d1e12120000",  // 'W'
        "13120c0c0c12310000",  // 'X'
        "33120c0c0c0c0c0000",  // 'Y'
        "1f02040408101f0000",  // 'Z'
        "080808080808080c00",  // '['
        "101008080404020200",  // '\\'
        "040404040404040c00",  // ']'
        "0c1e12000000000000",  // '^'
        "00000000000000003f",  // '_'
        "080000000000000000",  // '`'
        "00001e021e121e0000",  // 'a'
        "10101e1212121e0000",  // 'b'
        "00000e1010100e0000",  // 'c'
        "02021e1212121e0000",  // 'd'
        "00000e121e100e0000",  // 'e'
        "0c081e080808080000",  // 'f'
        "00001e1212121e021c",  // 'g'
        "10101e121212120000",  // 'h'
        "00001c0404041e0000",  // 'i'
        "00001c040404040418",  // 'j'
        "101012141c12130000",  // 'k'
        "080808080808060000",  // 'l'
        "00003e3d2525250000",  // 'm'
        "00001e121212120000",  // 'n'
        "00001e1212121e0000",  // 'o'
        "00001e1212121e1010",  // 'p'
        "00001e1212121e0202",  // 'q'
        "00000f080808080000",  // 'r'
        "00001e100c021e0000",  // 's'
        "08081e0808080e0000",  // 't'
        "0000121212121e0000",  // 'u'
        "00001212120c0c0000",  // 'v'
        "000021211e1e120000",  // 'w'
        "0000120c0c0c120000",  // 'x'
        "000012120a0c0c0818",  // 'y'
        "00001e0000001e0000",  // 'z'
        "040408180804040600",  // '{'
        "000000000000000000",  // '|'
        "08080406040c081800",  // '}'
        "000000180600000000",  // '~'
    ]

    /// The glyph's rows as bits, blank for characters outside printable ASCII.
    static func rows(_ ch: Character) -> [UInt8] {
        guard let a = ch.asciiValue, a >= 32, a < 127 else { return [UInt8](repeating: 0, count: height) }
        let hex = Array(glyphs[Int(a) - 32].utf8)
        return (0..<height).map { k in UInt8(String(decoding: hex[2 * k..<2 * k + 2], as: UTF8.self), radix: 16) ?? 0 }
    }

    /// Pixels a text takes across at `scale`.
    static func textWidth(_ s: String, scale: Int) -> Int { s.count * width * scale }
}

/// Drawing on an RGB raster: what the figure renderer needs (rectangles, lines, discs, text, images).
struct PlotCanvas {
    var raster: Raster

    init(width: Int, height: Int) {
        raster = Raster(width: width, height: height, channels: 3, fill: 255)
    }

    mutating func set(_ x: Int, _ y: Int, _ c: PlotColor) {
        guard x >= 0, y >= 0, x < raster.width, y < raster.height else { return }
        let i = (y * raster.width + x) * 3
        raster.pixels[i] = c.r; raster.pixels[i + 1] = c.g; raster.pixels[i + 2] = c.b
    }

    mutating func fill(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ c: PlotColor) {
        let xa = Swift.max(0, Swift.min(x0, x1)), xb = Swift.min(raster.width - 1, Swift.max(x0, x1))
        let ya = Swift.max(0, Swift.min(y0, y1)), yb = Swift.min(raster.height - 1, Swift.max(y0, y1))
        guard xa <= xb, ya <= yb else { return }
        for y in ya...yb { for x in xa...xb { set(x, y, c) } }
    }

    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ c: PlotColor, thickness: Int = 1) {
        var phase = 0.0
        line(x0, y0, x1, y1, c, thickness: thickness, dashes: [], phase: &phase)
    }

    /// A line `thickness` pixels wide (steps with a square pen), dashed when `dashes` gives on and off
    /// lengths in pixels; `phase` carries the pattern from one segment of a polyline to the next.
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ c: PlotColor, thickness: Int, dashes: [Double], phase: inout Double) {
        let steps = Swift.max(Swift.abs(x1 - x0), Swift.abs(y1 - y0))
        guard steps < 100_000 else { return }
        let half = (thickness - 1) / 2
        let period = dashes.reduce(0, +)
        let dx = Double(x1 - x0), dy = Double(y1 - y0)
        let stepLength = steps == 0 ? 0 : (dx * dx + dy * dy).squareRoot() / Double(steps)
        for t in 0...steps {
            if period > 0 {
                // Which part of the pattern this pixel falls in: even parts are drawn.
                var at = (phase + Double(t) * stepLength).truncatingRemainder(dividingBy: period), k = 0
                while k < dashes.count - 1 && at >= dashes[k] { at -= dashes[k]; k += 1 }
                if k % 2 == 1 { continue }
            }
            let x = steps == 0 ? x0 : x0 + (x1 - x0) * t / steps, y = steps == 0 ? y0 : y0 + (y1 - y0) * t / steps
            if thickness <= 1 { set(x, y, c) } else { fill(x - half, y - half, x - half + thickness - 1, y - half + thickness - 1, c) }
        }
        phase += Double(steps) * stepLength
    }

    mutating func disc(_ cx: Int, _ cy: Int, radius: Int, _ c: PlotColor) {
        guard radius > 0 else { set(cx, cy, c); return }
        for dy in -radius...radius { for dx in -radius...radius where dx * dx + dy * dy <= radius * radius { set(cx + dx, cy + dy, c) } }
    }

    enum Anchor { case left, center, right }

    /// Text with its top at `y`; `vertical` turns it a quarter anticlockwise (reading upwards), with
    /// `x` then its left edge and `y` its vertical centre.
    mutating func text(_ s: String, x: Int, y: Int, anchor: Anchor = .left, scale: Int = 1, vertical: Bool = false, color: PlotColor = PlotColor(r: 0, g: 0, b: 0)) {
        let length = PlotFont.textWidth(s, scale: scale)
        let start = anchor == .left ? 0 : anchor == .center ? -length / 2 : -length
        for (k, ch) in s.enumerated() {
            let rows = PlotFont.rows(ch)
            for (gy, bits) in rows.enumerated() {
                for gx in 0..<PlotFont.width where bits >> (PlotFont.width - 1 - gx) & 1 == 1 {
                    for sy in 0..<scale {
                        for sx in 0..<scale {
                            let u = start + (k * PlotFont.width + gx) * scale + sx, v = gy * scale + sy
                            if vertical { set(x + v, y - u, color) } else { set(x + u, y + v, color) }
                        }
                    }
                }
            }
        }
    }

    /// An image scaled (nearest neighbour) into the rectangle from (x, y), w by h pixels.
    mutating func image(_ r: Raster, x: Int, y: Int, w: Int, h: Int) {
        guard w > 0, h > 0 else { return }
        for dy in 0..<h {
            let sy = Swift.min(r.height - 1, dy * r.height / h)
            for dx in 0..<w {
                let sx = Swift.min(r.width - 1, dx * r.width / w)
                let (cr, cg, cb) = r.rgb(sx, sy)
                set(x + dx, y + dy, PlotColor(r: cr, g: cg, b: cb))
            }
        }
    }
}
