import DLXEngine

/// A pyplot figure as terminal text: each subplot in its place in the grid with its title above it,
/// images as dlx's pictures (ASCII in pipes, coloured blocks at a terminal), charts as dlx's text charts.
enum PyplotText {
    static let barCharacters: [Character] = ["#", "=", "%", "&"]

    static func figure(_ f: PlotFigure, style: PictureStyle, width: Int) -> String {
        var out = f.suptitle.isEmpty ? "" : f.suptitle + "\n"
        guard let first = f.axes.first else { return out }
        // Subplots of one grid keep their places; axes of mixed grids are drawn one under another.
        let sameGrid = f.axes.allSatisfy { $0.rows == first.rows && $0.columns == first.columns }
        let columns = sameGrid ? first.columns : 1
        let rows = sameGrid ? first.rows : f.axes.count
        let cell = Swift.max(8, (width - 2 * (columns - 1)) / columns)
        let chartHeight = rows == 1 ? 12 : rows == 2 ? 9 : 7
        for r in 0..<rows {
            var panels: [[String]] = Array(repeating: [], count: columns)
            var any = false
            for (k, ax) in f.axes.enumerated() {
                let place = sameGrid ? ax.index : k
                guard place / columns == r else { continue }
                panels[place % columns] = panel(ax, style: style, width: cell, chartHeight: chartHeight)
                any = any || !panels[place % columns].isEmpty
            }
            guard any else { continue }
            if r > 0 { out += "\n" }
            let height = panels.map(\.count).max() ?? 0
            for y in 0..<height {
                var line = ""
                for (c, p) in panels.enumerated() {
                    if c > 0 { line += "  " }
                    let s = y < p.count ? p[y] : ""
                    line += s + String(repeating: " ", count: Swift.max(0, cell - visibleWidth(s)))
                }
                out += TerminalPicture.trimmed(line) + "\n"
            }
        }
        return out
    }

    /// One subplot's lines: its title, then its image or chart.
    static func panel(_ ax: PlotAxes, style: PictureStyle, width: Int, chartHeight: Int) -> [String] {
        var lines: [String] = []
        var shown = 0
        if ax.isImage, let image = ax.images.last {
            // The width Picture gives the image: small ones magnified to 12 columns, wide ones fitted.
            let magnified = image.width < 12 ? image.width * ((12 + image.width - 1) / image.width) : image.width
            shown = magnified > width ? Swift.max(4, width) : magnified
            let text = Picture(tiles: [image], captions: [], columns: 1).text(style, width: width)
            lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        } else if !ax.artists.isEmpty {
            lines = chart(ax, width: width, height: chartHeight)
        }
        guard !ax.title.isEmpty else { return lines }
        // The title centred over what the subplot shows, as matplotlib places it.
        let title = String(ax.title.prefix(width))
        shown = Swift.max(shown, lines.map(visibleWidth).max() ?? 0)
        return [String(repeating: " ", count: Swift.max(0, (shown - title.count) / 2)) + title] + lines
    }

    /// Columns a line takes at the terminal: escape sequences (colours) take none.
    static func visibleWidth(_ s: String) -> Int {
        var n = 0, escape = false
        for ch in s.unicodeScalars {
            if escape { if ch == "m" { escape = false }; continue }
            if ch == "\u{1B}" { escape = true; continue }
            n += 1
        }
        return n
    }

    /// A chart in dlx's text style (as `plot` draws): a framed area, y labels on the left, x labels below,
    /// markers `*`, `o`, `+`, `x` for lines and scatters (dots between a line's points), `#`, `=` for bars.
    static func chart(_ ax: PlotAxes, width: Int, height: Int) -> [String] {
        let (xr, yr) = ax.ranges(margins: false)
        let yTop = Chart.label(yr.1), yBottom = Chart.label(yr.0)
        let margin = ax.axisOn ? Swift.max(yTop.count, yBottom.count) + 1 : 0
        let w = Swift.max(6, Swift.min(64, width - margin - 2))
        var grid = [[Character]](repeating: [Character](repeating: " ", count: w), count: height)
        func column(_ x: Double) -> Int { Chart.step(x, xr, w) }
        func row(_ y: Double) -> Int { height - 1 - Chart.step(y, yr, height) }
        func inside(_ x: Double, _ y: Double) -> Bool {
            x.isFinite && y.isFinite && x >= Swift.min(xr.0, xr.1) && x <= Swift.max(xr.0, xr.1) && y >= Swift.min(yr.0, yr.1) && y <= Swift.max(yr.0, yr.1)
        }
        var legend: [String] = []
        var lineCount = 0, barCount = 0
        for artist in ax.artists {
            switch artist {
            case .line(let xs, let ys, let label, _, let lines, _):
                let mark = Chart.markers[lineCount % Chart.markers.count]
                lineCount += 1
                let pts = zip(xs, ys).filter { inside($0.0, $0.1) }
                if lines != nil {
                    for (a, b) in zip(pts, pts.dropFirst()) {
                        let (c0, r0) = (column(a.0), row(a.1)), (c1, r1) = (column(b.0), row(b.1))
                        let steps = Swift.max(Swift.abs(c1 - c0), Swift.abs(r1 - r0))
                        for t in stride(from: 1, to: steps, by: 1) {
                            let c = c0 + (c1 - c0) * t / steps, r = r0 + (r1 - r0) * t / steps
                            if grid[r][c] == " " { grid[r][c] = "." }
                        }
                    }
                }
                // A line without markers still marks its points, so a short line can be read.
                for p in pts { grid[row(p.1)][column(p.0)] = mark }
                if !label.isEmpty { legend.append("\(mark) \(label)") }
            case .points(let xs, let ys, _, let label):
                let mark = Chart.markers[lineCount % Chart.markers.count]
                lineCount += 1
                for p in zip(xs, ys) where inside(p.0, p.1) { grid[row(p.1)][column(p.0)] = mark }
                if !label.isEmpty { legend.append("\(mark) \(label)") }
            case .bars(let lefts, let widths, let heights, let label, _):
                let mark = barCharacters[barCount % barCharacters.count]
                barCount += 1
                let base = row(Swift.min(Swift.max(0, Swift.min(yr.0, yr.1)), Swift.max(yr.0, yr.1)))
                for k in lefts.indices where lefts[k].isFinite && widths[k].isFinite && heights[k].isFinite {
                    let c0 = column(lefts[k]), c1 = Swift.max(c0, column(lefts[k] + widths[k]) - 1)
                    let top = row(Swift.min(Swift.max(heights[k], Swift.min(yr.0, yr.1)), Swift.max(yr.0, yr.1)))
                    for c in c0...c1 { for r in Swift.min(top, base)...Swift.max(top, base) { grid[r][c] = mark } }
                }
                if !label.isEmpty { legend.append("\(mark) \(label)") }
            case .image:
                break
            }
        }
        var out: [String] = []
        if ax.axisOn && !ax.yLabel.isEmpty { out.append(String(ax.yLabel.prefix(width))) }
        for (r, line) in grid.enumerated() {
            guard ax.axisOn else { out.append(TerminalPicture.trimmed(String(line))); continue }
            let label = r == 0 ? yTop : r == height - 1 ? yBottom : ""
            out.append(String(repeating: " ", count: margin - label.count - 1) + label + " |" + TerminalPicture.trimmed(String(line)))
        }
        if ax.axisOn {
            out.append(String(repeating: " ", count: margin) + "+" + String(repeating: "-", count: w))
            let x0 = Chart.label(xr.0), x1 = Chart.label(xr.1)
            let labels = String(repeating: " ", count: margin + 1) + x0 + String(repeating: " ", count: Swift.max(1, w - x0.count - x1.count)) + x1
            out.append(labels)
            if !ax.xLabel.isEmpty {
                let pad = Swift.max(0, margin + 1 + (w - ax.xLabel.count) / 2)
                out.append(String(String(repeating: " ", count: pad) + ax.xLabel).prefix(width).description)
            }
        }
        if ax.legend && !legend.isEmpty { out.append(String((String(repeating: " ", count: margin + 1) + legend.joined(separator: "   ")).prefix(width))) }
        return out
    }
}

/// Tick positions as matplotlib's default locator picks them: steps of 1, 2, 2.5 or 5 times a power of
/// ten, at most `most` intervals, inside the range.
enum PlotTicks {
    static func ticks(_ range: (Double, Double), most: Int = 8) -> [Double] {
        let lo = Swift.min(range.0, range.1), hi = Swift.max(range.0, range.1)
        guard lo.isFinite, hi.isFinite, hi > lo else { return lo.isFinite ? [lo] : [] }
        let raw = (hi - lo) / Double(Swift.max(1, most))
        let power = pow10(floor(log10(raw)))
        var step = power * 10
        for m in [1.0, 2, 2.5, 5, 10] where power * m >= raw { step = power * m; break }
        var out: [Double] = []
        var k = (lo / step).rounded(.up)
        while k * step <= hi + step * 1e-9 && out.count < 50 {
            let v = k * step
            out.append(Swift.abs(v) < step * 1e-9 ? 0 : v)
            k += 1
        }
        return out
    }

    static func pow10(_ e: Double) -> Double {
        var v = 1.0
        if e >= 0 { for _ in 0..<Int(Swift.min(e, 308)) { v *= 10 } } else { for _ in 0..<Int(Swift.min(-e, 308)) { v /= 10 } }
        return v
    }

    static func floor(_ x: Double) -> Double { x.rounded(.down) }

    static func log10(_ x: Double) -> Double {
        // Enough precision for choosing a power of ten.
        var e = 0.0, v = x
        guard v > 0, v.isFinite else { return 0 }
        while v >= 10 { v /= 10; e += 1 }
        while v < 1 { v *= 10; e -= 1 }
        return e
    }

    /// A tick's label as matplotlib's default formatter writes it for the step: 0, 0.5, 2.5, 1e-05.
    static func label(_ v: Double, step: Double) -> String {
        if v == 0 { return "0" }
        let a = Swift.abs(v)
        if a >= 1e5 || a < 1e-4 { return NumberFormat.format("%.1e", v) }
        var decimals = 0
        while decimals < 6 {
            let scaled = step * pow10(Double(decimals))
            if Swift.abs(scaled - scaled.rounded()) < 1e-6 * Swift.max(1, scaled) { break }
            decimals += 1
        }
        if v == v.rounded() && decimals == 0 { return String(Int(v)) }
        return NumberFormat.format("%.\(decimals)f", v)
    }

    /// The ticks and their labels for one axis of an Axes: the ones set, else the locator's.
    static func labelled(_ range: (Double, Double), set: [Double]?, labels: [String]?) -> [(Double, String)] {
        if let set {
            let step = zip(set, set.dropFirst()).map { Swift.abs($1 - $0) }.filter { $0 > 0 }.min() ?? 1
            return set.enumerated().map { k, v in (v, labels.map { k < $0.count ? $0[k] : "" } ?? label(v, step: step)) }
        }
        let t = ticks(range)
        let step = t.count > 1 ? t[1] - t[0] : 1
        return t.map { ($0, label($0, step: step)) }
    }
}
