import DLXEngine

/// What the drawing calls put on an Axes: `plot`, `scatter`, `bar`, `hist`, `imshow`.
extension Interpreter {
    /// `plot([x], y, [fmt], [x2], y2, [fmt2], ..., label=, color=, marker=, linestyle=)`.
    func plotLines(_ ax: PlotAxes, _ a: inout Arguments) throws(DLXError) -> Value {
        let args = a.rest(from: 0)
        let label = try a.get(nil, "label").map { v throws(DLXError) in try str(v) } ?? ""
        let color = try a.plotKeyword("color", "c").map { v throws(DLXError) in try plotColor(v) }
        let marker = try a.get(nil, "marker").map { v throws(DLXError) in v.isNone ? "" : try toStringValue(v, "marker") }
        let style = try a.plotKeyword("linestyle", "ls").map { v throws(DLXError) in v.isNone ? "None" : try toStringValue(v, "linestyle") }
        _ = try a.get(nil, "markerfacecolor"); _ = try a.get(nil, "mfc")
        try skipAppearance(&a)
        try a.finish()
        guard !args.isEmpty else { return .list(ListBox([])) }
        var handles: [Value] = []
        var k = 0
        while k < args.count {
            var data: [Value], fmt = ""
            if k + 1 < args.count, case .string(let s) = args[k + 1] {
                data = [args[k]]; fmt = s; k += 2
            } else if k + 1 < args.count {
                data = [args[k], args[k + 1]]; k += 2
                if k < args.count, case .string(let s) = args[k] { fmt = s; k += 1 }
            } else {
                data = [args[k]]; k += 1
            }
            if case .string = data[0] { throw .value("plot() takes numbers: x and y arrays, not a string where data belongs") }
            let columns = try plotColumns(data[data.count - 1])
            let xs = data.count == 2 ? try plotNumbers(data[0], "x") : columns.first.map { $0.indices.map(Double.init) } ?? []
            let parsed = try plotFormat(fmt)
            let fmtColor = parsed.0
            var fmtMarker = parsed.1, fmtLine = parsed.2
            if let marker { fmtMarker = !marker.isEmpty && marker != "None" && marker != " " }
            if let style {
                if ["None", "none", " ", ""].contains(style) { fmtLine = nil } else {
                    guard let s = PlotLineStyle(style) else { throw .value("\(Interpreter.quote(style)) is not a valid value for ls; supported values are '-', '--', '-.', ':', 'None', ' ', '', 'solid', 'dashed', 'dashdot', 'dotted'") }
                    fmtLine = s
                }
            }
            for ys in columns {
                guard xs.count == ys.count else { throw .value("x and y must have same first dimension, but have shapes (\(xs.count),) and (\(ys.count),)") }
                let c = color ?? fmtColor ?? ax.nextColor()
                ax.artists.append(.line(xs: xs, ys: ys, label: label, color: c, lines: fmtLine, markers: fmtMarker))
                handles.append(.object(PlotHandle("Line2D", "matplotlib.lines.Line2D")))
            }
        }
        return .list(ListBox(handles))
    }

    /// y as lines: one for a 1-d sequence, one per column of a 2-d tensor or array.
    func plotColumns(_ v: Value) throws(DLXError) -> [[Double]] {
        if let t = plotTensor(v), t.rank == 2 {
            let values = try engine { () throws(TensorError) in try t.contiguous().doubles() }
            let (r, c) = (t.shape[0], t.shape[1])
            return (0..<c).map { j in (0..<r).map { values[$0 * c + j] } }
        }
        return [try plotNumbers(v, "y")]
    }

    /// A format string's colour, whether it asks for markers, and its line ("ro": none, "b--", "k.-").
    func plotFormat(_ fmt: String) throws(DLXError) -> (PlotColor?, Bool, PlotLineStyle?) {
        var color: PlotColor? = nil, marker = false, line: PlotLineStyle? = nil
        var rest = Substring(fmt)
        if fmt.count == 2, fmt.first == "C", let c = PlotColor.named(fmt) { return (c, false, .solid) }
        while let ch = rest.first {
            if rest.hasPrefix("--") || rest.hasPrefix("-.") { line = PlotLineStyle(String(rest.prefix(2))); rest = rest.dropFirst(2); continue }
            rest = rest.dropFirst()
            if "bgrcmykw".contains(ch) { color = PlotColor.named(String(ch)) } else if ".,ov^<>1234sp*hH+xXDd|_".contains(ch) { marker = true } else if "-:".contains(ch) { line = PlotLineStyle(String(ch)) } else {
                throw .value("'\(fmt)' is not a valid format string (unrecognized character '\(ch)')")
            }
        }
        return (color, marker, line ?? (marker ? nil : .solid))
    }

    func plotColor(_ v: Value) throws(DLXError) -> PlotColor {
        if v.isPlotSequence {
            let parts = try plotNumbers(v, "color")
            guard parts.count == 3 || parts.count == 4, parts.allSatisfy({ $0 >= 0 && $0 <= 1 }) else { throw .value("RGB(A) colours are 3 or 4 numbers from 0 to 1") }
            return PlotColor(r: UInt8((parts[0] * 255).rounded()), g: UInt8((parts[1] * 255).rounded()), b: UInt8((parts[2] * 255).rounded()))
        }
        let s = try toStringValue(v, "color")
        if let c = PlotColor.named(s) { return c }
        if let grey = Double(s), grey >= 0, grey <= 1 { let g = UInt8((grey * 255).rounded()); return PlotColor(r: g, g: g, b: g) }
        throw DLXError("NotImplementedError", "the colour \(Interpreter.quote(s)) is not provided by dlx (single letters, C0-C9, tab: names, basic names, '#rrggbb', RGB tuples)")
    }

    /// `scatter(x, y, s=, c=, color=, label=, cmap=, marker=)`: c a colour, or numbers mapped through the colour map.
    func plotScatter(_ ax: PlotAxes, _ a: inout Arguments) throws(DLXError) -> Value {
        let xs = try plotNumbers(try a.required(0, "x"), "x"), ys = try plotNumbers(try a.required(1, "y"), "y")
        _ = try a.get(2, "s")
        let c = try a.get(3, "c"), colorKey = try a.get(nil, "color")
        _ = try a.get(4, "marker")
        let cmap = try a.get(5, "cmap").flatMap { v throws(DLXError) in v.isNone ? nil : try plotColorMap(v) } ?? "viridis"
        let vmin = try a.get(nil, "vmin").flatMap { v throws(DLXError) in v.isNone ? nil : try toDouble(v, "vmin") }
        let vmax = try a.get(nil, "vmax").flatMap { v throws(DLXError) in v.isNone ? nil : try toDouble(v, "vmax") }
        let label = try a.get(nil, "label").map { v throws(DLXError) in try str(v) } ?? ""
        _ = try a.get(nil, "edgecolors")
        try skipAppearance(&a)
        try a.finish()
        guard xs.count == ys.count else { throw .value("x and y must be the same size") }
        var colors: [PlotColor]
        if let c, !c.isNone, case .string = c { colors = [try plotColor(c)] } else if let c, !c.isNone {
            var rgb = plotTensor(c)
            if rgb == nil, c.isPlotSequence, let first = try iterateAll(c).first, first.isPlotSequence {
                // Nested lists of RGB(A) rows, as NumPy would take them.
                var args = Arguments([c])
                if let make = namespace("torch")?.members["tensor"], case .tensor(let made) = try call(make, &args) { rgb = made }
            }
            if let t = rgb, t.rank == 2, t.shape[1] == 3 || t.shape[1] == 4 {
                let v = try engine { () throws(TensorError) in try t.contiguous().doubles() }
                colors = (0..<t.shape[0]).map { k in
                    func u(_ x: Double) -> UInt8 { UInt8((Swift.min(1, Swift.max(0, x.isFinite ? x : 0)) * 255).rounded()) }
                    return PlotColor(r: u(v[k * t.shape[1]]), g: u(v[k * t.shape[1] + 1]), b: u(v[k * t.shape[1] + 2]))
                }
            } else if let items = try? iterateAll(c), items.allSatisfy({ if case .string = $0 { return true } else { return false } }), !items.isEmpty {
                colors = try items.map { v throws(DLXError) in try plotColor(v) }
            } else {
                let values = try plotNumbers(c, "c")
                guard values.count == xs.count || values.count == 1 else {
                    throw .value("'c' argument has \(values.count) elements, which is inconsistent with 'x' and 'y' with size \(xs.count).")
                }
                let finite = values.filter(\.isFinite)
                let lo = vmin ?? finite.min() ?? 0, hi = vmax ?? finite.max() ?? 1
                colors = values.map { PlotImage.color(hi > lo ? ($0 - lo) / (hi - lo) : 0, cmap) }
            }
        } else if let colorKey, !colorKey.isNone {
            colors = [try plotColor(colorKey)]
        } else {
            colors = [ax.nextColor()]
        }
        ax.artists.append(.points(xs: xs, ys: ys, colors: colors, label: label))
        return .object(PlotHandle("PathCollection", "matplotlib.collections.PathCollection"))
    }

    func plotColorMap(_ v: Value) throws(DLXError) -> String {
        let name = try toStringValue(v, "cmap")
        guard PlotImage.colorMaps.contains(name) else {
            throw DLXError("NotImplementedError", "the colour map \(Interpreter.quote(name)) is not provided by dlx (\(PlotImage.colorMaps.joined(separator: ", ")))")
        }
        return name
    }

    /// `bar(x, height, width=0.8, align='center', color=, label=, tick_label=)`: x numbers or category names.
    func plotBars(_ ax: PlotAxes, _ a: inout Arguments) throws(DLXError) -> Value {
        let xv = try a.required(0, "x")
        let heights = try plotNumbers(try a.required(1, "height"), "height")
        let widthValue = try a.get(2, "width")
        if let b = try a.get(3, "bottom"), !b.isNone { throw DLXError("NotImplementedError", "bar(bottom=...) (stacked bars) is not provided by dlx") }
        let edge = try a.get(nil, "align").map { v throws(DLXError) in try toStringValue(v, "align") == "edge" } ?? false
        let color = try a.plotKeyword("color", "c").flatMap { v throws(DLXError) in v.isNone ? nil : try plotColor(v) }
        let label = try a.get(nil, "label").map { v throws(DLXError) in try str(v) } ?? ""
        let tickLabels = try a.get(nil, "tick_label").map { v throws(DLXError) in try iterateAll(v).map { x throws(DLXError) in try str(x) } }
        try skipAppearance(&a)
        try a.finish()
        var xs: [Double]
        let items = xv.isPlotSequence ? try iterateAll(xv) : []
        if !items.isEmpty, items.allSatisfy({ if case .string = $0 { return true } else { return false } }) {
            let names = try items.map { v throws(DLXError) in try str(v) }
            xs = names.indices.map(Double.init)
            ax.xTicks = xs; ax.xTickLabels = names
        } else {
            xs = try plotNumbers(xv, "x")
        }
        if xs.count == 1 && heights.count > 1 { xs = Array(repeating: xs[0], count: heights.count) }
        guard xs.count == heights.count else { throw .value("shape mismatch: objects cannot be broadcast to a single shape: x has \(xs.count) values and height \(heights.count)") }
        var widths = try widthValue.map { v throws(DLXError) in try plotNumbers(v.isPlotSequence || plotTensor(v) != nil ? v : .list(ListBox([v])), "width") } ?? [0.8]
        if widths.count == 1 { widths = Array(repeating: widths[0], count: xs.count) }
        guard widths.count == xs.count else { throw .value("width must be one number or one per bar") }
        let lefts = zip(xs, widths).map { edge ? $0.0 : $0.0 - $0.1 / 2 }
        if let tickLabels { ax.xTicks = xs; ax.xTickLabels = tickLabels }
        ax.artists.append(.bars(lefts: lefts, widths: widths, heights: heights, label: label, color: color ?? ax.nextColor()))
        return .object(PlotHandle("BarContainer", "matplotlib.container.BarContainer", repr: "<BarContainer object of \(xs.count) artists>"))
    }

    /// `hist(x, bins=10, range=, density=)`: counts and bin edges as NumPy computes them, drawn as bars.
    func plotHistogram(_ ax: PlotAxes, _ a: inout Arguments) throws(DLXError) -> Value {
        let values = try plotNumbers(try a.required(0, "x"), "x")
        let binsValue = try a.get(1, "bins")
        let rangeValue = try a.get(2, "range")
        let density = try a.get(3, "density").map { v throws(DLXError) in try truthy(v) } ?? false
        if let w = try a.get(4, "weights"), !w.isNone { throw DLXError("NotImplementedError", "hist(weights=...) is not provided by dlx") }
        if let c = try a.get(6, "cumulative"), try truthy(c) { throw DLXError("NotImplementedError", "hist(cumulative=True) is not provided by dlx") }
        let color = try a.plotKeyword("color", "c").flatMap { v throws(DLXError) in v.isNone ? nil : try plotColor(v) }
        let label = try a.get(nil, "label").map { v throws(DLXError) in try str(v) } ?? ""
        try skipAppearance(&a)
        try a.finish()
        let finite = values.filter(\.isFinite)
        var edges: [Double]
        if let binsValue, binsValue.isPlotSequence || plotTensor(binsValue) != nil {
            edges = try plotNumbers(binsValue, "bins")
            guard edges.count >= 2, zip(edges, edges.dropFirst()).allSatisfy({ $0 <= $1 }) else { throw .value("`bins` must increase monotonically, when an array") }
        } else {
            let n = try binsValue.map { v throws(DLXError) in try toInt(v, "bins") } ?? 10
            guard n >= 1, n <= 100_000 else { throw .value("`bins` must be positive, when an integer (at most 100000 in dlx)") }
            var (lo, hi) = (finite.min() ?? 0, finite.max() ?? 1)
            if let rangeValue, !rangeValue.isNone {
                let r = try plotNumbers(rangeValue, "range")
                guard r.count == 2, r[0] <= r[1] else { throw .value("max must be larger than min in range parameter.") }
                (lo, hi) = (r[0], r[1])
            }
            if lo == hi { lo -= 0.5; hi += 0.5 }
            edges = (0...n).map { lo + (hi - lo) * Double($0) / Double(n) }
            edges[n] = hi
        }
        let bins = edges.count - 1
        var counts = [Double](repeating: 0, count: bins)
        for v in finite where v >= edges[0] && v <= edges[bins] {
            // The bin whose half-open interval holds v; the last bin includes its right edge.
            var lo = 0, hi = bins
            while hi - lo > 1 { let mid = (lo + hi) / 2; if v >= edges[mid] { lo = mid } else { hi = mid } }
            counts[lo] += 1
        }
        if density {
            let total = counts.reduce(0, +)
            for k in 0..<bins { counts[k] = total > 0 && edges[k + 1] > edges[k] ? counts[k] / total / (edges[k + 1] - edges[k]) : 0 }
        }
        let widths = (0..<bins).map { edges[$0 + 1] - edges[$0] }
        ax.artists.append(.bars(lefts: Array(edges.dropLast()), widths: widths, heights: counts, label: label, color: color ?? ax.nextColor()))
        let n = try NDArrayObject.make(try engine { () throws(TensorError) in try Tensor.from(counts, shape: [bins], dtype: .float64, on: session.backend) })
        let e = try NDArrayObject.make(try engine { () throws(TensorError) in try Tensor.from(edges, shape: [edges.count], dtype: .float64, on: session.backend) })
        return .tuple([n, e, .object(PlotHandle("BarContainer", "matplotlib.container.BarContainer", repr: "<BarContainer object of \(bins) artists>"))])
    }

    /// `imshow(X, cmap=None, vmin=, vmax=)`: a tensor, NumPy array or PIL image; HW, HWC, or CHW.
    func plotImage(_ ax: PlotAxes, _ a: inout Arguments) throws(DLXError) -> Value {
        let x = try a.required(0, "X")
        let cmap = try a.get(1, "cmap").flatMap { v throws(DLXError) in v.isNone ? nil : try plotColorMap(v) } ?? ax.figure?.colorMap ?? "viridis"
        let vmin = try a.get(nil, "vmin").flatMap { v throws(DLXError) in v.isNone ? nil : try toDouble(v, "vmin") }
        let vmax = try a.get(nil, "vmax").flatMap { v throws(DLXError) in v.isNone ? nil : try toDouble(v, "vmax") }
        try skipAppearance(&a)
        try a.finish()
        let t: Tensor
        if let tensor = plotTensor(x) { t = tensor } else if x.isPlotSequence {
            // Nested lists of numbers, as NumPy would take them.
            var args = Arguments([x])
            guard let make = namespace("torch")?.members["tensor"], case .tensor(let made) = try call(make, &args) else { throw .type("imshow() needs an array") }
            t = made
        } else {
            throw .type("Image data of dtype object cannot be converted to float (imshow() takes a tensor, NumPy array, PIL image or nested lists, not \(x.typeName))")
        }
        let raster = try PlotImage.raster(t.detached(), cmap: cmap, vmin: vmin, vmax: vmax)
        ax.artists.append(.image(raster))
        return .object(PlotHandle("AxesImage", "matplotlib.image.AxesImage", repr: "AxesImage(shape=\(PlotImage.tupleText(t.shape)))"))
    }
}

extension Arguments {
    /// A keyword given under either of two names (`color=` or `c=`).
    mutating func plotKeyword(_ name: String, _ short: String) throws(DLXError) -> Value? {
        if let v = try get(nil, name) { return v }
        return try get(nil, short)
    }
}
