import DLXEngine

/// Where one subplot lies in the figure's pixels (y downwards) and how its data maps there: shared by
/// the PNG and SVG renderers.
struct PlotPanel {
    let ax: PlotAxes
    let x0: Double, y0: Double, x1: Double, y1: Double
    let xr: (Double, Double), yr: (Double, Double)
    /// The image shown (the axes' box shrunk to its aspect, its y axis pointing down), if it is one.
    let image: Raster?
    let xTicks: [(Double, String)], yTicks: [(Double, String)]

    func px(_ x: Double) -> Double { x0 + Chart.fraction(x, xr) * (x1 - x0) }
    func py(_ y: Double) -> Double { image != nil ? y0 + Chart.fraction(y, yr) * (y1 - y0) : y1 - Chart.fraction(y, yr) * (y1 - y0) }

    static func layout(_ f: PlotFigure) -> [PlotPanel] {
        let W = Double(f.pixelWidth), H = Double(f.pixelHeight)
        return f.axes.map { ax in
            let (l, b, w, h) = ax.position
            var x0 = l * W, y0 = (1 - b - h) * H, x1 = (l + w) * W, y1 = (1 - b) * H
            let (xr, yr) = ax.ranges
            var image: Raster? = nil
            if ax.isImage, let r = ax.images.last {
                image = r
                // matplotlib's aspect "equal": the box shrinks to the image's proportions, centred.
                let dx = Swift.abs(xr.1 - xr.0), dy = Swift.abs(yr.1 - yr.0)
                let scale = Swift.min((x1 - x0) / Swift.max(dx, 1e-9), (y1 - y0) / Swift.max(dy, 1e-9))
                let cw = dx * scale, ch = dy * scale
                x0 += ((x1 - x0) - cw) / 2; x1 = x0 + cw
                y0 += ((y1 - y0) - ch) / 2; y1 = y0 + ch
            }
            return PlotPanel(ax: ax, x0: x0, y0: y0, x1: x1, y1: y1, xr: xr, yr: yr, image: image,
                             xTicks: PlotTicks.labelled(xr, set: ax.xTicks, labels: ax.xTickLabels),
                             yTicks: PlotTicks.labelled(yr, set: ax.yTicks, labels: ax.yTickLabels))
        }
    }

    /// Whether a value lies within the range (either way round).
    static func within(_ v: Double, _ r: (Double, Double)) -> Bool { v >= Swift.min(r.0, r.1) - 1e-9 * Swift.abs(r.1 - r.0) && v <= Swift.max(r.0, r.1) + 1e-9 * Swift.abs(r.1 - r.0) }
}

/// A figure as pixels, as matplotlib's Agg backend would lay it out: what `savefig("f.png")` writes and
/// notebooks show.
enum PyplotRaster {
    static let black = PlotColor(r: 0, g: 0, b: 0)
    static let gridGrey = PlotColor(r: 176, g: 176, b: 176)

    static func render(_ f: PlotFigure) -> Raster {
        var canvas = PlotCanvas(width: f.pixelWidth, height: f.pixelHeight)
        let scale = Swift.max(1, Int((f.dpi / 100).rounded()))
        let thick = Swift.max(1, Int((1.5 * f.dpi / 100).rounded()))
        let glyph = PlotFont.height * scale, tick = Swift.max(2, Int((3.5 * f.dpi / 72).rounded()))
        if !f.suptitle.isEmpty { canvas.text(f.suptitle, x: f.pixelWidth / 2, y: Int(0.02 * Double(f.pixelHeight)), anchor: .center, scale: scale) }
        for p in PlotPanel.layout(f) {
            let ax = p.ax
            let (bx0, by0, bx1, by1) = (Int(p.x0.rounded()), Int(p.y0.rounded()), Int(p.x1.rounded()), Int(p.y1.rounded()))
            if let img = p.image {
                canvas.image(img, x: bx0, y: by0, w: bx1 - bx0, h: by1 - by0)
            } else {
                if ax.grid {
                    for (v, _) in p.xTicks where PlotPanel.within(v, p.xr) { let x = Int(p.px(v).rounded()); canvas.line(x, by0, x, by1, gridGrey) }
                    for (v, _) in p.yTicks where PlotPanel.within(v, p.yr) { let y = Int(p.py(v).rounded()); canvas.line(bx0, y, bx1, y, gridGrey) }
                }
                for artist in ax.artists {
                    switch artist {
                    case .bars(let lefts, let widths, let heights, _, let color):
                        for k in lefts.indices where lefts[k].isFinite && widths[k].isFinite && heights[k].isFinite {
                            canvas.fill(Int(p.px(lefts[k]).rounded()), Int(p.py(0).rounded()),
                                        Int(p.px(lefts[k] + widths[k]).rounded()) - 1, Int(p.py(heights[k]).rounded()), color)
                        }
                    case .line(let xs, let ys, _, let color, let lines, let markers):
                        let pts = zip(xs, ys).filter { $0.0.isFinite && $0.1.isFinite }.map { (Int(p.px($0.0).rounded()), Int(p.py($0.1).rounded())) }
                        if let lines {
                            let dashes = lines.pattern.map { $0 * 1.5 * f.dpi / 72 }
                            var phase = 0.0
                            for (a, b) in zip(pts, pts.dropFirst()) { canvas.line(a.0, a.1, b.0, b.1, color, thickness: thick, dashes: dashes, phase: &phase) }
                        }
                        if markers || lines == nil { for q in pts { canvas.disc(q.0, q.1, radius: 3 * scale, color) } }
                    case .points(let xs, let ys, let colors, _):
                        for (k, q) in zip(xs, ys).enumerated() where q.0.isFinite && q.1.isFinite {
                            canvas.disc(Int(p.px(q.0).rounded()), Int(p.py(q.1).rounded()), radius: 3 * scale, colors[k % Swift.max(1, colors.count)])
                        }
                    case .image:
                        break
                    }
                }
            }
            if ax.axisOn {
                canvas.line(bx0, by0, bx1, by0, black); canvas.line(bx0, by1, bx1, by1, black)
                canvas.line(bx0, by0, bx0, by1, black); canvas.line(bx1, by0, bx1, by1, black)
                var widest = 0
                for (v, label) in p.xTicks where PlotPanel.within(v, p.xr) {
                    let x = Int(p.px(v).rounded())
                    canvas.line(x, by1, x, by1 + tick, black)
                    canvas.text(label, x: x, y: by1 + tick + 2 * scale, anchor: .center, scale: scale)
                }
                for (v, label) in p.yTicks where PlotPanel.within(v, p.yr) {
                    let y = Int(p.py(v).rounded())
                    canvas.line(bx0 - tick, y, bx0, y, black)
                    canvas.text(label, x: bx0 - tick - 2 * scale, y: y - glyph / 2, anchor: .right, scale: scale)
                    widest = Swift.max(widest, PlotFont.textWidth(label, scale: scale))
                }
                let hasXTicks = p.xTicks.contains { PlotPanel.within($0.0, p.xr) && !$0.1.isEmpty }
                if !ax.xLabel.isEmpty {
                    canvas.text(ax.xLabel, x: (bx0 + bx1) / 2, y: by1 + tick + (hasXTicks ? glyph + 5 * scale : 2 * scale), anchor: .center, scale: scale)
                }
                if !ax.yLabel.isEmpty {
                    canvas.text(ax.yLabel, x: bx0 - tick - widest - 4 * scale - glyph, y: (by0 + by1) / 2, anchor: .center, scale: scale, vertical: true)
                }
            }
            if !ax.title.isEmpty { canvas.text(ax.title, x: (bx0 + bx1) / 2, y: by0 - glyph - 5 * scale, anchor: .center, scale: scale) }
            if ax.legend { legend(ax, into: &canvas, right: bx1, top: by0, scale: scale) }
        }
        return canvas.raster
    }

    /// The labelled artists, a swatch of colour and the label each, in a framed box at the upper right.
    static func legend(_ ax: PlotAxes, into canvas: inout PlotCanvas, right: Int, top: Int, scale: Int) {
        let entries = legendEntries(ax)
        guard !entries.isEmpty else { return }
        let line = (PlotFont.height + 4) * scale
        let w = (entries.map { PlotFont.textWidth($0.0, scale: scale) }.max() ?? 0) + 30 * scale
        let x0 = right - w - 6 * scale, y0 = top + 6 * scale
        canvas.fill(x0, y0, x0 + w, y0 + line * entries.count + 4 * scale, PlotColor(r: 255, g: 255, b: 255))
        let grey = PlotColor(r: 204, g: 204, b: 204)
        canvas.line(x0, y0, x0 + w, y0, grey); canvas.line(x0, y0 + line * entries.count + 4 * scale, x0 + w, y0 + line * entries.count + 4 * scale, grey)
        canvas.line(x0, y0, x0, y0 + line * entries.count + 4 * scale, grey); canvas.line(x0 + w, y0, x0 + w, y0 + line * entries.count + 4 * scale, grey)
        for (k, (label, color)) in entries.enumerated() {
            let y = y0 + 4 * scale + k * line
            canvas.fill(x0 + 5 * scale, y + 3 * scale, x0 + 20 * scale, y + 5 * scale, color)
            canvas.text(label, x: x0 + 24 * scale, y: y, scale: scale)
        }
    }

    static func legendEntries(_ ax: PlotAxes) -> [(String, PlotColor)] {
        ax.artists.compactMap { a in
            switch a {
            case .line(_, _, let l, let c, _, _) where !l.isEmpty && !l.hasPrefix("_"): return (l, c)
            case .bars(_, _, _, let l, let c) where !l.isEmpty && !l.hasPrefix("_"): return (l, c)
            case .points(_, _, let cs, let l) where !l.isEmpty && !l.hasPrefix("_"): return (l, cs.first ?? PlotColor.cycle[0])
            default: return nil
            }
        }
    }
}
