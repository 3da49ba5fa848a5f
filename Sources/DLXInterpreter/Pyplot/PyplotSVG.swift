import DLXEngine

/// A figure as an SVG document: images embedded as base64 PNG `<image>`s, charts as polylines, circles,
/// rectangles and text, in the same layout as the PNG (one user unit per pixel of figsize x dpi).
enum PyplotSVG {
    static func render(_ f: PlotFigure) -> String {
        let W = f.pixelWidth, H = f.pixelHeight
        let size = 10.0 * f.dpi / 72
        func n(_ v: Double) -> String { NumberFormat.format("%.2f", v) }
        func text(_ s: String, _ x: Double, _ y: Double, anchor: String = "middle", rotate: Bool = false, size: Double = size) -> String {
            let transform = rotate ? " transform=\"rotate(-90 \(n(x)) \(n(y)))\"" : ""
            return "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\" font-size=\"\(n(size))\"\(transform)>\(Chart.escape(s))</text>\n"
        }
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"\(W)\" height=\"\(H)\" viewBox=\"0 0 \(W) \(H)\" font-family=\"DejaVu Sans, sans-serif\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        if !f.suptitle.isEmpty { s += text(f.suptitle, Double(W) / 2, 0.02 * Double(H) + size * 1.2, size: size * 1.2) }
        let tick = 3.5 * f.dpi / 72
        for p in PlotPanel.layout(f) {
            let ax = p.ax
            s += "<g class=\"axes\">\n"
            if let img = p.image {
                let png = (try? PNG.encode(img)).map(PNG.base64) ?? ""
                s += "<image x=\"\(n(p.x0))\" y=\"\(n(p.y0))\" width=\"\(n(p.x1 - p.x0))\" height=\"\(n(p.y1 - p.y0))\" preserveAspectRatio=\"none\" "
                    + "style=\"image-rendering:pixelated\" xlink:href=\"data:image/png;base64,\(png)\"/>\n"
            } else {
                if ax.grid {
                    for (v, _) in p.xTicks where PlotPanel.within(v, p.xr) { s += line(p.px(v), p.y0, p.px(v), p.y1, "#b0b0b0") }
                    for (v, _) in p.yTicks where PlotPanel.within(v, p.yr) { s += line(p.x0, p.py(v), p.x1, p.py(v), "#b0b0b0") }
                }
                for artist in ax.artists {
                    switch artist {
                    case .bars(let lefts, let widths, let heights, _, let color):
                        for k in lefts.indices where lefts[k].isFinite && widths[k].isFinite && heights[k].isFinite {
                            let xa = p.px(lefts[k]), xb = p.px(lefts[k] + widths[k]), ya = p.py(heights[k]), yb = p.py(0)
                            s += "<rect x=\"\(n(Swift.min(xa, xb)))\" y=\"\(n(Swift.min(ya, yb)))\" width=\"\(n(Swift.abs(xb - xa)))\" height=\"\(n(Swift.abs(yb - ya)))\" fill=\"\(color.hex)\"/>\n"
                        }
                    case .line(let xs, let ys, _, let color, let lines, let markers):
                        let pts = zip(xs, ys).filter { $0.0.isFinite && $0.1.isFinite }.map { (p.px($0.0), p.py($0.1)) }
                        if let lines {
                            let dashes = lines.pattern.map { n($0 * 1.5 * f.dpi / 72) }.joined(separator: " ")
                            s += "<polyline fill=\"none\" stroke=\"\(color.hex)\" stroke-width=\"\(n(1.5 * f.dpi / 72))\""
                                + (dashes.isEmpty ? "" : " stroke-dasharray=\"\(dashes)\"") + " points=\""
                                + pts.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ") + "\"/>\n"
                        }
                        if markers || lines == nil { for q in pts { s += "<circle cx=\"\(n(q.0))\" cy=\"\(n(q.1))\" r=\"\(n(3 * f.dpi / 72))\" fill=\"\(color.hex)\"/>\n" } }
                    case .points(let xs, let ys, let colors, _):
                        for (k, q) in zip(xs, ys).enumerated() where q.0.isFinite && q.1.isFinite {
                            s += "<circle cx=\"\(n(p.px(q.0)))\" cy=\"\(n(p.py(q.1)))\" r=\"\(n(3 * f.dpi / 72))\" fill=\"\(colors[k % Swift.max(1, colors.count)].hex)\"/>\n"
                        }
                    case .image:
                        break
                    }
                }
            }
            if ax.axisOn {
                s += "<rect x=\"\(n(p.x0))\" y=\"\(n(p.y0))\" width=\"\(n(p.x1 - p.x0))\" height=\"\(n(p.y1 - p.y0))\" fill=\"none\" stroke=\"black\"/>\n"
                for (v, label) in p.xTicks where PlotPanel.within(v, p.xr) {
                    s += line(p.px(v), p.y1, p.px(v), p.y1 + tick, "black")
                    if !label.isEmpty { s += text(label, p.px(v), p.y1 + tick + size * 1.1) }
                }
                for (v, label) in p.yTicks where PlotPanel.within(v, p.yr) {
                    s += line(p.x0 - tick, p.py(v), p.x0, p.py(v), "black")
                    if !label.isEmpty { s += text(label, p.x0 - tick - 3, p.py(v) + size * 0.35, anchor: "end") }
                }
                if !ax.xLabel.isEmpty { s += text(ax.xLabel, (p.x0 + p.x1) / 2, p.y1 + tick + size * 2.4) }
                if !ax.yLabel.isEmpty {
                    let widest = Double(p.yTicks.map(\.1.count).max() ?? 0) * size * 0.6
                    s += text(ax.yLabel, p.x0 - tick - widest - size * 0.8, (p.y0 + p.y1) / 2, rotate: true)
                }
            }
            if !ax.title.isEmpty { s += text(ax.title, (p.x0 + p.x1) / 2, p.y0 - size * 0.6, size: size * 1.2) }
            if ax.legend {
                let entries = PyplotRaster.legendEntries(ax)
                for (k, (label, color)) in entries.enumerated() {
                    let y = p.y0 + size * 1.5 * Double(k + 1)
                    let x = p.x1 - size * (Double(label.count) * 0.6 + 3.5)
                    s += line(x, y - size * 0.35, x + size * 1.6, y - size * 0.35, color.hex)
                    s += text(label, x + size * 2, y, anchor: "start")
                }
            }
            s += "</g>\n"
        }
        return s + "</svg>\n"
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ color: String) -> String {
        let f = { (v: Double) in NumberFormat.format("%.2f", v) }
        return "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(color)\"/>\n"
    }
}
