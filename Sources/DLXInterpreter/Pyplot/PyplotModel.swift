import DLXEngine

/// matplotlib.pyplot's figures and axes as data: what was drawn where, with no notion of the terminal,
/// pixels or SVG. The renderers (PyplotText, PyplotRaster, PyplotSVG) read it.
struct PlotColor: Equatable {
    var r: UInt8, g: UInt8, b: UInt8

    /// matplotlib's default colour cycle ("tab10").
    static let cycle: [PlotColor] = ["1f77b4", "ff7f0e", "2ca02c", "d62728", "9467bd", "8c564b", "e377c2", "7f7f7f", "bcbd22", "17becf"].map { PlotColor(hex: $0)! }

    init(r: UInt8, g: UInt8, b: UInt8) { self.r = r; self.g = g; self.b = b }

    init?(hex: String) {
        var s = Substring(hex)
        if s.first == "#" { s = s.dropFirst() }
        guard s.count == 6, let v = UInt32(s, radix: 16) else { return nil }
        self.init(r: UInt8(v >> 16), g: UInt8(v >> 8 & 0xFF), b: UInt8(v & 0xFF))
    }

    var hex: String { "#" + [r, g, b].map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }

    /// The colours matplotlib names with one letter (`"r"`, `"k"`), the cycle's `C0`..`C9`, a few names, `#rrggbb`.
    static func named(_ s: String) -> PlotColor? {
        let single: [String: String] = ["b": "0000ff", "g": "008000", "r": "ff0000", "c": "00bfbf", "m": "bf00bf", "y": "bfbf00", "k": "000000", "w": "ffffff",
                                        "blue": "0000ff", "green": "008000", "red": "ff0000", "cyan": "00ffff", "magenta": "ff00ff", "yellow": "ffff00",
                                        "black": "000000", "white": "ffffff", "orange": "ffa500", "gray": "808080", "grey": "808080", "purple": "800080",
                                        "brown": "a52a2a", "pink": "ffc0cb"]
        if let h = single[s.lowercased()] { return PlotColor(hex: h) }
        if s.count == 2, s.first == "C", let k = Int(s.dropFirst()) { return cycle[k] }
        if s.hasPrefix("tab:"), let k = ["blue", "orange", "green", "red", "purple", "brown", "pink", "gray", "olive", "cyan"].firstIndex(of: String(s.dropFirst(4))) {
            return cycle[k]
        }
        return s.hasPrefix("#") ? PlotColor(hex: s) : nil
    }
}

/// How a line is drawn: its dash pattern in line widths, as matplotlib's ("-", "--", ":", "-.").
enum PlotLineStyle {
    case solid, dashed, dotted, dashDot

    init?(_ s: String) {
        switch s {
        case "-", "solid": self = .solid
        case "--", "dashed": self = .dashed
        case ":", "dotted": self = .dotted
        case "-.", "dashdot": self = .dashDot
        default: return nil
        }
    }

    /// On and off lengths, in line widths; empty for a solid line.
    var pattern: [Double] {
        switch self {
        case .solid: return []
        case .dashed: return [3.7, 1.6]
        case .dotted: return [1, 1.65]
        case .dashDot: return [6.4, 1.6, 1, 1.6]
        }
    }
}

/// One thing drawn on an Axes.
enum PlotArtist {
    /// `plot`: lines in a style (none: markers alone), with markers when the format asks.
    case line(xs: [Double], ys: [Double], label: String, color: PlotColor, lines: PlotLineStyle?, markers: Bool)
    /// `scatter`: markers, each of its own colour.
    case points(xs: [Double], ys: [Double], colors: [PlotColor], label: String)
    /// `bar` and `hist`: rectangles from `left` to `left + width`, from 0 up to `height`.
    case bars(lefts: [Double], widths: [Double], heights: [Double], label: String, color: PlotColor)
    /// `imshow`: pixels after the colour map.
    case image(Raster)

    var label: String {
        switch self {
        case .line(_, _, let l, _, _, _), .bars(_, _, _, let l, _), .points(_, _, _, let l): return l
        case .image: return ""
        }
    }
}

/// One subplot: its place in a grid of `rows` x `columns` (`index` from 0, row by row) and what it shows.
final class PlotAxes {
    let rows: Int, columns: Int, index: Int
    weak var figure: PlotFigure?
    /// The Python object standing for this axes, so that `plt.gca() is ax`.
    weak var handle: AnyObject?
    var title = "", xLabel = "", yLabel = ""
    var artists: [PlotArtist] = []
    var axisOn = true, grid = false, legend = false
    var xTicks: [Double]? = nil, yTicks: [Double]? = nil
    var xTickLabels: [String]? = nil, yTickLabels: [String]? = nil
    var xLimits: (Double, Double)? = nil, yLimits: (Double, Double)? = nil
    private var colorIndex = 0

    init(rows: Int, columns: Int, index: Int, figure: PlotFigure) {
        self.rows = rows; self.columns = columns; self.index = index; self.figure = figure
    }

    /// `cla()`: everything drawn and set goes.
    func clear() {
        title = ""; xLabel = ""; yLabel = ""; artists = []; axisOn = true; grid = false; legend = false
        xTicks = nil; yTicks = nil; xTickLabels = nil; yTickLabels = nil; xLimits = nil; yLimits = nil
        colorIndex = 0
    }

    func nextColor() -> PlotColor {
        defer { colorIndex += 1 }
        return PlotColor.cycle[colorIndex % PlotColor.cycle.count]
    }

    var images: [Raster] { artists.compactMap { if case .image(let r) = $0 { return r } else { return nil } } }
    var isImage: Bool { !images.isEmpty && artists.allSatisfy { if case .image = $0 { return true } else { return false } } }

    /// matplotlib's subplot parameters (left .125, right .9, bottom .11, top .88, wspace and hspace .2):
    /// the axes' box as fractions of the figure, (left, bottom, width, height).
    var position: (Double, Double, Double, Double) {
        let w = 0.775 / (Double(columns) + 0.2 * Double(columns - 1)), h = 0.77 / (Double(rows) + 0.2 * Double(rows - 1))
        let r = index / columns, c = index % columns
        return (0.125 + Double(c) * w * 1.2, 0.88 - h - Double(r) * h * 1.2, w, h)
    }

    /// The data ranges shown: the limits set, else the data's with matplotlib's 5% margins (bars from 0).
    var ranges: (x: (Double, Double), y: (Double, Double)) { ranges(margins: true) }

    /// The ranges with or without matplotlib's margins (text charts label the data's own extremes).
    func ranges(margins: Bool) -> (x: (Double, Double), y: (Double, Double)) {
        var xs: [Double] = [], ys: [Double] = []
        var sticky = false
        for a in artists {
            switch a {
            case .line(let x, let y, _, _, _, _), .points(let x, let y, _, _):
                for (p, q) in zip(x, y) where p.isFinite && q.isFinite { xs.append(p); ys.append(q) }
            case .bars(let l, let w, let h, _, _):
                for k in l.indices where l[k].isFinite && w[k].isFinite && h[k].isFinite { xs += [l[k], l[k] + w[k]]; ys += [0, h[k]] }
                sticky = true
            case .image(let r):
                xs += [-0.5, Double(r.width) - 0.5]; ys += [-0.5, Double(r.height) - 0.5]
            }
        }
        func widen(_ v: [Double], margin: Bool, keepZero: Bool) -> (Double, Double) {
            guard var lo = v.min(), var hi = v.max() else { return (0, 1) }
            if hi <= lo { let d = lo == 0 ? 0.055 : Swift.abs(lo) * 0.055; return (lo - d, hi + d) }
            if margin {
                let d = (hi - lo) * 0.05
                lo = keepZero && lo == 0 ? 0 : lo - d
                hi += d
            }
            return (lo, hi)
        }
        let margin = margins && !isImage
        return (xLimits ?? widen(xs, margin: margin, keepZero: false), yLimits ?? widen(ys, margin: margin, keepZero: sticky))
    }
}

extension PlotAxes {
    /// The limits as matplotlib reports them: an image's y axis runs downwards, (bottom, top) = (h - 0.5, -0.5).
    var shownRanges: (x: (Double, Double), y: (Double, Double)) {
        let r = ranges
        return isImage && yLimits == nil ? (r.x, (r.y.1, r.y.0)) : r
    }
}

/// One figure: its size in inches and dots per inch, its subplots and which of them is current.
final class PlotFigure {
    let number: Int
    var width: Double, height: Double, dpi: Double
    var suptitle = ""
    /// `imshow`'s colour map when none is given (rcParams["image.cmap"] when the figure was made).
    var colorMap = "viridis"
    var axes: [PlotAxes] = []
    var current: PlotAxes? = nil
    /// The Python object standing for this figure.
    weak var handle: AnyObject?

    init(number: Int, width: Double = 6.4, height: Double = 4.8, dpi: Double = 100) {
        self.number = number; self.width = width; self.height = height; self.dpi = dpi
    }

    var pixelWidth: Int { Swift.max(1, Int((width * dpi).rounded())) }
    var pixelHeight: Int { Swift.max(1, Int((height * dpi).rounded())) }

    /// `plt.subplot(r, c, i)`: the axes already at that place, else a new one (which, as in matplotlib,
    /// removes an axes it overlaps in another grid).
    func subplot(rows: Int, columns: Int, index: Int) -> PlotAxes {
        if let a = axes.first(where: { $0.rows == rows && $0.columns == columns && $0.index == index }) { current = a; return a }
        let a = PlotAxes(rows: rows, columns: columns, index: index, figure: self)
        axes.append(a)
        current = a
        return a
    }

    /// The current axes, made (1x1) when there is none: `plt.gca()`.
    func currentAxes() -> PlotAxes { current ?? subplot(rows: 1, columns: 1, index: 0) }
}

/// pyplot's state machine, one per session: the open figures and the current one.
final class PyplotState {
    var figures: [PlotFigure] = []
    var current: PlotFigure? = nil
    /// `rcParams`: the defaults of new figures.
    var settings: DictBox? = nil

    func newFigure(number: Int? = nil) -> PlotFigure {
        let n = number ?? ((figures.map(\.number).max() ?? 0) + 1)
        if let f = figures.first(where: { $0.number == n }) { current = f; return f }
        let f = PlotFigure(number: n)
        figures.append(f)
        current = f
        return f
    }

    func currentFigure() -> PlotFigure { current ?? newFigure() }

    func close(_ f: PlotFigure) {
        figures.removeAll { $0 === f }
        if current === f { current = figures.last }
    }

    func closeAll() { figures = []; current = nil }
}

/// Colour maps for one-channel images and the conversion of `imshow`'s arrays to pixels.
enum PlotImage {
    /// viridis at 17 evenly spaced points, interpolated between.
    static let viridis: [PlotColor] = ["440154", "48186a", "472d7b", "424086", "3b528b", "33638d", "2c728e", "26828e", "21918c",
                                       "1fa088", "28ae80", "3fbc73", "5ec962", "84d44b", "addc30", "d8e219", "fde725"].map { PlotColor(hex: $0)! }
    static let colorMaps = ["gray", "grey", "gray_r", "grey_r", "Greys", "Greys_r", "binary", "binary_r", "viridis"]

    /// The colour of t in [0, 1] under a colour map.
    static func color(_ t: Double, _ map: String) -> PlotColor {
        let t = t.isFinite ? Swift.min(1, Swift.max(0, t)) : 0
        switch map {
        case "gray", "grey", "Greys_r", "binary_r":
            let v = UInt8((t * 255).rounded()); return PlotColor(r: v, g: v, b: v)
        case "gray_r", "grey_r", "Greys", "binary":
            let v = UInt8(((1 - t) * 255).rounded()); return PlotColor(r: v, g: v, b: v)
        default:
            let x = t * Double(viridis.count - 1), k = Swift.min(viridis.count - 2, Int(x)), f = x - Double(k)
            let a = viridis[k], b = viridis[k + 1]
            func mix(_ p: UInt8, _ q: UInt8) -> UInt8 { UInt8((Double(p) * (1 - f) + Double(q) * f).rounded()) }
            return PlotColor(r: mix(a.r, b.r), g: mix(a.g, b.g), b: mix(a.b, b.b))
        }
    }

    /// An image tensor as RGB pixels, as `imshow` shows it: HW (or CHW with C = 1, or HWC with C = 1)
    /// through the colour map, normalised from vmin to vmax (the image's minimum and maximum unless
    /// given); HWC with C = 3 or 4 (or CHW with C = 3) as colours, floats clipped to [0, 1], integers 0..255.
    static func raster(_ t: Tensor, cmap: String, vmin: Double?, vmax: Double?) throws(DLXError) -> Raster {
        var shape = t.shape
        var channelsLast = true
        if shape.count == 3 {
            if [1, 3, 4].contains(shape[2]) { channelsLast = true } else if [1, 3].contains(shape[0]) { channelsLast = false } else {
                throw .type("Invalid shape \(PlotImage.tupleText(shape)) for image data")
            }
        } else if shape.count != 2 {
            throw .type("Invalid shape \(PlotImage.tupleText(shape)) for image data")
        }
        let channels = shape.count == 2 ? 1 : channelsLast ? shape[2] : shape[0]
        if shape.count == 3 { shape = channelsLast ? [shape[0], shape[1]] : [shape[1], shape[2]] }
        let h = shape[0], w = shape[1]
        guard h > 0, w > 0 else { throw .type("Invalid shape \(PlotImage.tupleText(t.shape)) for image data") }
        guard h * w <= 16_777_216 else { throw .value("imshow() draws images of up to 16 million pixels, not \(h) x \(w)") }
        let v: [Double]
        do { v = try t.contiguous().doubles() } catch { throw DLXError(error) }
        func at(_ y: Int, _ x: Int, _ c: Int) -> Double { channelsLast ? v[(y * w + x) * channels + c] : v[(c * h + y) * w + x] }
        var out = Raster(width: w, height: h, channels: 3)
        if channels == 1 {
            let finite = v.filter(\.isFinite)
            let lo = vmin ?? finite.min() ?? 0, hi = vmax ?? finite.max() ?? 1
            for y in 0..<h {
                for x in 0..<w {
                    let s = at(y, x, 0)
                    let c = color(hi > lo ? (s - lo) / (hi - lo) : 0, cmap)
                    let i = (y * w + x) * 3
                    out.pixels[i] = c.r; out.pixels[i + 1] = c.g; out.pixels[i + 2] = c.b
                }
            }
            return out
        }
        let integer = t.dtype == .uint8 || t.dtype == .int32 || t.dtype == .int64
        for y in 0..<h {
            for x in 0..<w {
                let alpha = channels == 4 ? Swift.min(1, Swift.max(0, integer ? at(y, x, 3) / 255 : at(y, x, 3))) : 1
                for c in 0..<3 {
                    let s = at(y, x, c), unit = integer ? s / 255 : s
                    let blended = (unit.isFinite ? Swift.min(1, Swift.max(0, unit)) : 0) * alpha + (1 - alpha)
                    out.pixels[(y * w + x) * 3 + c] = UInt8((blended * 255).rounded())
                }
            }
        }
        return out
    }

    static func tupleText(_ s: [Int]) -> String { s.count == 1 ? "(\(s[0]),)" : "(" + s.map(String.init).joined(separator: ", ") + ")" }
}
