import DLXEngine

/// How pictures are drawn as text: plain ASCII (pipes, scripts, NO_COLOR) or Unicode upper half blocks
/// with 256-colour or 24-bit colours (two pixel rows per character cell).
public enum PictureStyle: Sendable {
    case ascii
    case blocks256
    case blocksTrueColor
}

/// One or more images with optional captions, as `show` hands them to the session.
public struct Picture {
    public var tiles: [Raster]
    public var captions: [String]
    public var columns: Int

    /// All the tiles as one raster (for PNG files and notebooks).
    public var raster: Raster { tiles.count == 1 ? tiles[0] : Raster.grid(tiles, columns: columns) }

    /// The picture as text lines, fitted into `width` columns.
    public func text(_ style: PictureStyle, width: Int) -> String {
        guard let first = tiles.first else { return "" }
        // Tiny images (3x3 filters) are magnified; wide ones shrink to the terminal.
        let tw = tiles.map(\.width).max() ?? first.width
        let magnify = tw < 12 ? (12 + tw - 1) / tw : 1
        var cellWidth = tw * magnify
        var cols = Swift.max(1, Swift.min(columns, tiles.count))
        while cols > 1 && cols * (cellWidth + 2) - 2 > width { cols -= 1 }
        if cellWidth > width { cellWidth = Swift.max(4, width) }
        let scaled = tiles.map { t -> Raster in
            let w = t.width * magnify > cellWidth ? cellWidth : t.width * magnify
            let h = Swift.max(1, t.height * magnify * w / Swift.max(1, t.width * magnify))
            return t.resized(width: w, height: h)
        }
        var out = ""
        var start = 0
        while start < scaled.count {
            let row = Array(scaled[start..<Swift.min(scaled.count, start + cols)])
            let rendered = row.map { TerminalPicture.lines($0, style) }
            let height = rendered.map(\.count).max() ?? 0
            for y in 0..<height {
                var line = ""
                for (k, r) in rendered.enumerated() {
                    if k > 0 { line += "  " }
                    line += y < r.count ? r[y] : String(repeating: " ", count: row[k].width)
                }
                out += TerminalPicture.trimmed(line) + "\n"
            }
            if !captions.isEmpty {
                var line = ""
                for (k, t) in row.enumerated() {
                    let c = start + k < captions.count ? captions[start + k] : ""
                    let text = String(c.prefix(Swift.max(t.width, 1)))
                    if k > 0 { line += "  " }
                    line += text + String(repeating: " ", count: Swift.max(0, t.width - text.count))
                }
                out += TerminalPicture.trimmed(line) + "\n"
            }
            start += cols
        }
        return out
    }
}

enum TerminalPicture {
    static let ramp = Array(" .:-=+*#%@")

    /// One text line per two pixel rows.
    static func lines(_ r: Raster, _ style: PictureStyle) -> [String] {
        var lines: [String] = []
        var y = 0
        while y < r.height {
            var line = ""
            for x in 0..<r.width {
                let top = r.rgb(x, y), bottom = y + 1 < r.height ? r.rgb(x, y + 1) : (0, 0, 0)
                switch style {
                case .ascii:
                    let a = r.luminance(x, y), b = y + 1 < r.height ? r.luminance(x, y + 1) : a
                    line.append(ramp[Swift.min(ramp.count - 1, (a + b) / 2 * ramp.count / 256)])
                case .blocksTrueColor:
                    line += "\u{1B}[38;2;\(top.0);\(top.1);\(top.2)m\u{1B}[48;2;\(bottom.0);\(bottom.1);\(bottom.2)m▀"
                case .blocks256:
                    line += "\u{1B}[38;5;\(color256(top))m\u{1B}[48;5;\(color256(bottom))m▀"
                }
            }
            if style != .ascii { line += "\u{1B}[0m" }
            lines.append(line)
            y += 2
        }
        return lines
    }

    /// The nearest xterm-256 colour: the 24-step grey ramp for greys, the 6x6x6 cube otherwise.
    static func color256(_ c: (UInt8, UInt8, UInt8)) -> Int {
        let (r, g, b) = (Int(c.0), Int(c.1), Int(c.2))
        if r == g && g == b {
            if r < 4 { return 16 }
            if r > 246 { return 231 }
            return 232 + Swift.min(23, (r - 8 + 5) / 10)
        }
        func level(_ v: Int) -> Int { v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40 }
        return 16 + 36 * level(r) + 6 * level(g) + level(b)
    }

    static func trimmed(_ s: String) -> String {
        var t = Substring(s)
        while t.last == " " { t = t.dropLast() }
        return String(t)
    }
}
