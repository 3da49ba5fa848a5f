import DLXEngine

/// Line charts for `plot`: drawn as text at the terminal (and in pipes) or written as standalone SVG.
public struct Chart {
    public struct Series {
        public var name: String
        public var xs: [Double]
        public var ys: [Double]
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]

    static let markers: [Character] = ["*", "o", "+", "x"]
    static let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]

    var points: [(Double, Double)] { series.flatMap { s in zip(s.xs, s.ys).filter { $0.1.isFinite && $0.0.isFinite } } }

    /// Axis ranges, widened when flat so a single value still has room.
    var ranges: (x: (Double, Double), y: (Double, Double)) {
        let p = points
        var x0 = p.map(\.0).min() ?? 0, x1 = p.map(\.0).max() ?? 1
        var y0 = p.map(\.1).min() ?? 0, y1 = p.map(\.1).max() ?? 1
        if x1 <= x0 { x0 -= 1; x1 += 1 }
        if y1 <= y0 { let d = Swift.max(Swift.abs(y0) * 0.1, 1e-3); y0 -= d; y1 += d }
        return ((x0, x1), (y0, y1))
    }

    /// Where v lies in the range, from 0 to 1: halves first, so that a range as wide as the doubles (1e308
    /// to -1e308) does not overflow to infinity.
    static func fraction(_ v: Double, _ range: (Double, Double)) -> Double {
        let f = (v / 2 - range.0 / 2) / (range.1 / 2 - range.0 / 2)
        return f.isNaN ? 0 : Swift.min(1, Swift.max(0, f))
    }

    /// The value a fraction t of the way through the range (finite for any finite range).
    static func at(_ t: Double, _ range: (Double, Double)) -> Double { range.0 * (1 - t) + range.1 * t }

    /// Which of `n` steps v falls on.
    static func step(_ v: Double, _ range: (Double, Double), _ n: Int) -> Int {
        Int((fraction(v, range) * Double(n - 1)).rounded())
    }

    static func label(_ v: Double) -> String {
        let a = Swift.abs(v)
        if a != 0 && (a < 1e-3 || a >= 1e5) { return NumberFormat.format("%.2e", v) }
        if v == v.rounded() && a < 1e5 { return String(Int(v)) }
        return NumberFormat.format(a < 1 ? "%.4f" : a < 100 ? "%.3f" : "%.1f", v)
    }

    // MARK: - Text

    /// The chart in `width` columns: a framed plot area, y labels on the left, x labels below, a legend.
    public func text(width: Int, height: Int = 12) -> String {
        let (xr, yr) = ranges
        let yTop = Chart.label(yr.1), yBottom = Chart.label(yr.0)
        let margin = Swift.max(yTop.count, yBottom.count) + 1
        let w = Swift.max(10, Swift.min(64, width - margin - 2))
        var grid = [[Character]](repeating: [Character](repeating: " ", count: w), count: height)
        func cell(_ x: Double, _ y: Double) -> (Int, Int) {
            (Chart.step(x, xr, w), height - 1 - Chart.step(y, yr, height))
        }
        for (k, s) in series.enumerated() {
            let pts = zip(s.xs, s.ys).filter { $0.1.isFinite && $0.0.isFinite }
            // Dots along each segment first, markers on top.
            for (a, b) in zip(pts, pts.dropFirst()) {
                let (c0, r0) = cell(a.0, a.1), (c1, r1) = cell(b.0, b.1)
                let steps = Swift.max(Swift.abs(c1 - c0), Swift.abs(r1 - r0))
                for t in stride(from: 1, to: steps, by: 1) {
                    let c = c0 + (c1 - c0) * t / steps, r = r0 + (r1 - r0) * t / steps
                    if grid[r][c] == " " { grid[r][c] = "." }
                }
            }
            for p in pts {
                let (c, r) = cell(p.0, p.1)
                grid[r][c] = Chart.markers[k % Chart.markers.count]
            }
        }
        var out = title.isEmpty ? "" : title + "\n"
        for (r, row) in grid.enumerated() {
            let label = r == 0 ? yTop : r == height - 1 ? yBottom : ""
            out += String(repeating: " ", count: margin - label.count - 1) + label + " |" + TerminalPicture.trimmed(String(row)) + "\n"
        }
        out += String(repeating: " ", count: margin) + "+" + String(repeating: "-", count: w) + "\n"
        let x0 = Chart.label(xr.0), x1 = Chart.label(xr.1)
        out += String(repeating: " ", count: margin + 1) + x0 + String(repeating: " ", count: Swift.max(1, w - x0.count - x1.count)) + x1
            + (xLabel.isEmpty ? "" : "  " + xLabel) + "\n"
        if series.count > 1 || !(series.first?.name.isEmpty ?? true) {
            out += String(repeating: " ", count: margin + 1)
                + series.enumerated().map { "\(Chart.markers[$0.offset % Chart.markers.count]) \($0.element.name)" }.joined(separator: "   ") + "\n"
        }
        return out
    }

    // MARK: - SVG

    /// One panel of an SVG document, `top` pixels down.
    func svgPanel(top: Double, width: Double, height: Double) -> String {
        let (xr, yr) = ranges
        let left = 70.0, right = 20.0, upper = 30.0, lower = 45.0
        let pw = width - left - right, ph = height - upper - lower
        func px(_ x: Double) -> Double { left + Chart.fraction(x, xr) * pw }
        func py(_ y: Double) -> Double { top + upper + ph - Chart.fraction(y, yr) * ph }
        func f(_ v: Double) -> String { NumberFormat.format("%.1f", v) }
        var s = "<g>\n"
        s += "<text x=\"\(f(width / 2))\" y=\"\(f(top + 20))\" text-anchor=\"middle\" font-size=\"15\">\(Chart.escape(title))</text>\n"
        s += "<rect x=\"\(f(left))\" y=\"\(f(top + upper))\" width=\"\(f(pw))\" height=\"\(f(ph))\" fill=\"none\" stroke=\"#444\"/>\n"
        for k in 0...4 {
            let v = Chart.at(Double(k) / 4, yr), y = py(v)
            s += "<line x1=\"\(f(left - 4))\" y1=\"\(f(y))\" x2=\"\(f(left + pw))\" y2=\"\(f(y))\" stroke=\"#ddd\"/>\n"
            s += "<text x=\"\(f(left - 7))\" y=\"\(f(y + 4))\" text-anchor=\"end\" font-size=\"11\">\(Chart.label(v))</text>\n"
        }
        let xs = Array(Set(series.flatMap(\.xs))).sorted()
        let ticks = xs.count <= 12 ? xs : (0...5).map { Chart.at(Double($0) / 5, xr) }
        for v in ticks {
            s += "<line x1=\"\(f(px(v)))\" y1=\"\(f(top + upper + ph))\" x2=\"\(f(px(v)))\" y2=\"\(f(top + upper + ph + 4))\" stroke=\"#444\"/>\n"
            s += "<text x=\"\(f(px(v)))\" y=\"\(f(top + upper + ph + 17))\" text-anchor=\"middle\" font-size=\"11\">\(Chart.label(v))</text>\n"
        }
        s += "<text x=\"\(f(left + pw / 2))\" y=\"\(f(top + height - 8))\" text-anchor=\"middle\" font-size=\"12\">\(Chart.escape(xLabel))</text>\n"
        s += "<text transform=\"translate(16 \(f(top + upper + ph / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">\(Chart.escape(yLabel))</text>\n"
        for (k, series) in series.enumerated() {
            let color = Chart.colors[k % Chart.colors.count]
            let pts = zip(series.xs, series.ys).filter { $0.1.isFinite && $0.0.isFinite }
            s += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"" + pts.map { "\(f(px($0.0))),\(f(py($0.1)))" }.joined(separator: " ") + "\"/>\n"
            for p in pts { s += "<circle cx=\"\(f(px(p.0)))\" cy=\"\(f(py(p.1)))\" r=\"3\" fill=\"\(color)\"/>\n" }
            if !series.name.isEmpty {
                let ly = top + upper + 14 + Double(k) * 16
                s += "<line x1=\"\(f(left + pw - 90))\" y1=\"\(f(ly - 4))\" x2=\"\(f(left + pw - 70))\" y2=\"\(f(ly - 4))\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
                s += "<text x=\"\(f(left + pw - 64))\" y=\"\(f(ly))\" font-size=\"11\">\(Chart.escape(series.name))</text>\n"
            }
        }
        return s + "</g>\n"
    }

    /// A standalone SVG document with the charts stacked.
    public static func svg(_ charts: [Chart]) -> String {
        let width = 640.0, height = 300.0
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height) * charts.count)\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height) * charts.count)\" font-family=\"sans-serif\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        for (k, c) in charts.enumerated() { s += c.svgPanel(top: Double(k) * height, width: width, height: height) }
        return s + "</svg>\n"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
