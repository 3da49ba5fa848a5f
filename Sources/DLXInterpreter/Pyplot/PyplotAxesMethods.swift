import DLXEngine

/// The methods of Axes (`ax.plot`, `ax.imshow`, `ax.set_title`, ...) and of Figure, which pyplot's
/// functions of the same names call on the current axes or figure.
extension Interpreter {
    static var axesMethods: [String] { axesMethodTable.names }

    /// Keywords that only change how text or lines look: accepted, and drawn in dlx's one style.
    static let appearanceKeywords = ["alpha", "edgecolor", "ec", "fontsize", "fontweight", "linewidth", "lw", "linestyle", "ls", "pad", "loc",
                                     "rotation", "ha", "va", "interpolation", "aspect", "markersize", "ms", "frameon", "framealpha",
                                     "which", "zorder", "rwidth", "histtype", "align"]

    /// Takes whatever appearance keywords the call has, so that `finish` reports only real mistakes.
    func skipAppearance(_ a: inout Arguments) throws(DLXError) {
        for (k, _) in a.keywords where Interpreter.appearanceKeywords.contains(k) { _ = try a.get(nil, k) }
    }

    func axesMethod(_ name: String, _ ax: PlotAxes, _ a: inout Arguments) throws(DLXError) -> Value {
        switch name {
        case "plot": return try plotLines(ax, &a)
        case "scatter": return try plotScatter(ax, &a)
        case "bar": return try plotBars(ax, &a)
        case "hist": return try plotHistogram(ax, &a)
        case "imshow": return try plotImage(ax, &a)
        case "set_title", "set_xlabel", "set_ylabel":
            let text = try str(try a.required(0, "label"))
            try skipAppearance(&a)
            _ = try a.get(nil, "color")
            try a.finish()
            switch name {
            case "set_title": ax.title = text; return .object(PlotHandle("Text", "matplotlib.text.Text", repr: "Text(0.5, 1.0, \(Interpreter.quote(text)))"))
            case "set_xlabel": ax.xLabel = text; return .object(PlotHandle("Text", "matplotlib.text.Text", repr: "Text(0.5, 0, \(Interpreter.quote(text)))"))
            default: ax.yLabel = text; return .object(PlotHandle("Text", "matplotlib.text.Text", repr: "Text(0, 0.5, \(Interpreter.quote(text)))"))
            }
        case "legend":
            if let labels = try a.get(0, "labels") {
                let texts = try iterateAll(labels).map { v throws(DLXError) in try str(v) }
                for (k, t) in texts.enumerated() where k < ax.artists.count { ax.artists[k] = PlotArtist.relabel(ax.artists[k], t) }
            }
            try skipAppearance(&a)
            try a.finish()
            ax.legend = true
            return .object(PlotHandle("Legend", "matplotlib.legend.Legend"))
        case "grid":
            let visible = try a.get(0, "visible")
            _ = try a.get(nil, "color")
            try skipAppearance(&a)
            try a.finish()
            ax.grid = try visible.map { v throws(DLXError) in v.isNone ? !ax.grid : try truthy(v) } ?? !ax.grid
            return .none
        case "axis":
            let arg = try a.get(0, "arg")
            try a.finish()
            switch arg {
            case .string(let s)?:
                switch s {
                case "off": ax.axisOn = false
                case "on": ax.axisOn = true
                case "equal", "scaled", "tight", "image", "auto": break   // proportions: dlx keeps its own
                default: throw .value("Unrecognized string '\(s)' to axis; try 'on' or 'off'")
                }
            case .bool(let b)?: ax.axisOn = b
            case nil, .none?: break
            case let v?:
                let limits = try plotNumbers(v, "axis")
                guard limits.count == 4 else { throw .type("The first argument to axis() must be an iterable of the form [xmin, xmax, ymin, ymax]") }
                ax.xLimits = (limits[0], limits[1]); ax.yLimits = (limits[2], limits[3])
            }
            let (x, y) = ax.shownRanges
            return .tuple([.float(x.0), .float(x.1), .float(y.0), .float(y.1)])
        case "set_xticks", "set_yticks":
            let ticks = try plotNumbers(try a.required(0, "ticks"), "ticks")
            let labels = try a.get(1, "labels").map { v throws(DLXError) in try iterateAll(v).map { x throws(DLXError) in try str(x) } }
            try skipAppearance(&a)
            _ = try a.get(nil, "minor")
            try a.finish()
            if name == "set_xticks" { ax.xTicks = ticks; ax.xTickLabels = labels } else { ax.yTicks = ticks; ax.yTickLabels = labels }
            return .list(ListBox([]))
        case "set_xticklabels", "set_yticklabels":
            let labels = try iterateAll(try a.required(0, "labels")).map { x throws(DLXError) in try str(x) }
            try skipAppearance(&a)
            try a.finish()
            if name == "set_xticklabels" {
                if ax.xTicks == nil { ax.xTicks = labels.indices.map(Double.init) }
                ax.xTickLabels = labels
            } else {
                if ax.yTicks == nil { ax.yTicks = labels.indices.map(Double.init) }
                ax.yTickLabels = labels
            }
            return .list(ListBox([]))
        case "set_xlim", "set_ylim":
            let limits = try plotLimits(&a, name == "set_xlim" ? ("left", "right") : ("bottom", "top"), current: name == "set_xlim" ? ax.shownRanges.x : ax.shownRanges.y)
            if name == "set_xlim" { ax.xLimits = limits } else { ax.yLimits = limits }
            return .tuple([.float(limits.0), .float(limits.1)])
        case "get_xlim", "get_ylim":
            try a.finish()
            let r = name == "get_xlim" ? ax.shownRanges.x : ax.shownRanges.y
            return .tuple([.float(r.0), .float(r.1)])
        case "cla":
            try a.finish()
            ax.clear()
            return .none
        case "set":
            // ax.set(title=, xlabel=, ylabel=, xlim=, ylim=, xticks=, yticks=)
            let keys = a.keywords
            guard a.positional.isEmpty else { throw .type("set() takes keyword arguments only") }
            for (k, v) in keys {
                _ = try a.get(nil, k)
                let method = "set_" + k
                guard Interpreter.axesMethods.contains(method) else {
                    throw DLXError("NotImplementedError", "matplotlib Axes.set(\(k)=...) is not provided by dlx")
                }
                var inner = Arguments([v])
                inner.function = method
                _ = try axesMethod(method, ax, &inner)
            }
            return .none
        default:
            throw DLXError("NotImplementedError", "matplotlib Axes.\(name) is not provided by dlx")
        }
    }

    /// `set_xlim(left, right)`, `set_xlim((left, right))`, `set_xlim(right=5)`.
    func plotLimits(_ a: inout Arguments, _ names: (String, String), current: (Double, Double)) throws(DLXError) -> (Double, Double) {
        var first = try a.get(0, names.0), second = try a.get(1, names.1)
        _ = try a.get(nil, "auto"); _ = try a.get(nil, "emit")
        try a.finish()
        if let f = first, second == nil, f.isPlotSequence {
            let pair = try iterateAll(f)
            guard pair.count == 2 else { throw .value("limits must be a pair (low, high)") }
            first = pair[0]; second = pair[1]
        }
        let lo = try first.flatMap { v throws(DLXError) in v.isNone ? nil : try toDouble(v, names.0) } ?? current.0
        let hi = try second.flatMap { v throws(DLXError) in v.isNone ? nil : try toDouble(v, names.1) } ?? current.1
        return (lo, hi)
    }

    /// Numbers from a list, tuple, range, tensor or NumPy array (flattened).
    func plotNumbers(_ v: Value, _ what: String) throws(DLXError) -> [Double] {
        if let t = plotTensor(v) { return try engine { () throws(TensorError) in try t.contiguous().doubles() } }
        return try iterateAll(v).map { x throws(DLXError) in
            if let t = plotTensor(x), t.count == 1 { return try engine { () throws(TensorError) in try t.doubles()[0] } }
            return try toDouble(x, what)
        }
    }

    /// The tensor behind a tensor or an array-like object (NumPy array, PIL image).
    func plotTensor(_ v: Value) -> Tensor? {
        switch v {
        case .tensor(let t): return t
        case .object(let o as ArrayLike): return o.arrayTensor
        default: return nil
        }
    }

    func figureMethod(_ name: String, _ f: PlotFigure, _ state: PyplotState, _ a: inout Arguments) throws(DLXError) -> Value {
        switch name {
        case "add_subplot":
            let ax = try subplotPlace(f, &a)
            state.current = f
            return .object(AxesObject.wrap(ax, state))
        case "clf":
            try a.finish()
            f.axes = []; f.current = nil; f.suptitle = ""
            return .none
        case "gca":
            try a.finish()
            return .object(AxesObject.wrap(f.currentAxes(), state))
        case "savefig":
            try savefig(f, &a)
            return .none
        case "set_size_inches":
            var w = try a.required(0, "w")
            var h = try a.get(1, "h")
            _ = try a.get(nil, "forward")
            try a.finish()
            if h == nil, w.isPlotSequence { let pair = try iterateAll(w); guard pair.count == 2 else { throw .value("size must be (w, h)") }; w = pair[0]; h = pair[1] }
            guard let h else { throw .type("set_size_inches() needs a width and a height") }
            let (width, height) = try plotSize(w, h)
            try Interpreter.checkFigurePixels(width, height, f.dpi)
            (f.width, f.height) = (width, height)
            return .none
        case "suptitle":
            f.suptitle = try str(try a.required(0, "t"))
            try skipAppearance(&a)
            _ = try a.get(nil, "y")
            try a.finish()
            return .object(PlotHandle("Text", "matplotlib.text.Text", repr: "Text(0.5, 0.98, \(Interpreter.quote(f.suptitle)))"))
        case "tight_layout", "subplots_adjust":
            // Allow-listed: dlx lays subplots out its own way, whatever the spacing asked for.
            _ = a.rest(from: 0)
            for (k, _) in a.keywords { _ = try a.get(nil, k) }
            return .none
        default:
            throw DLXError("NotImplementedError", "matplotlib Figure.\(name) is not provided by dlx")
        }
    }

    func plotSize(_ w: Value, _ h: Value) throws(DLXError) -> (Double, Double) {
        let width = try toDouble(w, "width"), height = try toDouble(h, "height")
        guard width > 0, height > 0, width * height <= 2500 else { throw .value("figure size must be positive and at most 2500 square inches, not \(NumberFormat.pythonRepr(width)) x \(NumberFormat.pythonRepr(height))") }
        return (width, height)
    }

    /// A figure's pixels (figsize x dpi) are at most 50 million, so that rendering it stays within memory.
    static func checkFigurePixels(_ width: Double, _ height: Double, _ dpi: Double) throws(DLXError) {
        guard width * dpi * height * dpi <= 50_000_000 else {
            throw .value("a figure of \(NumberFormat.pythonRepr(width)) x \(NumberFormat.pythonRepr(height)) inches at \(NumberFormat.pythonRepr(dpi)) dpi is too large for dlx (at most 50 million pixels)")
        }
    }

    /// `subplot(r, c, i)`, `subplot(221)`: the axes at that place of the figure.
    func subplotPlace(_ f: PlotFigure, _ a: inout Arguments) throws(DLXError) -> PlotAxes {
        let args = a.rest(from: 0)
        try skipAppearance(&a)
        try a.finish()
        var (r, c, k) = (1, 1, 1)
        switch args.count {
        case 0: break
        case 1:
            let n = try toInt(args[0], "subplot")
            guard n >= 111, n <= 999 else { throw .value("Integer subplot specification must be a three-digit number, not \(n)") }
            (r, c, k) = (n / 100, n / 10 % 10, n % 10)
        case 3: (r, c, k) = (try toInt(args[0], "nrows"), try toInt(args[1], "ncols"), try toInt(args[2], "index"))
        default: throw .type("subplot() takes 1 or 3 positional arguments but \(args.count) were given")
        }
        guard r >= 1, c >= 1, r * c <= 400 else { throw .value("Number of rows and columns must be positive integers (at most 400 subplots), not \(r) and \(c)") }
        guard k >= 1, k <= r * c else { throw .value("num must be an integer with 1 <= num <= \(r * c), not \(k)") }
        return f.subplot(rows: r, columns: c, index: k - 1)
    }

    /// `savefig(fname, dpi=)`: PNG (the figure's pixels) or SVG, by the name's extension or `format=`.
    func savefig(_ f: PlotFigure, _ a: inout Arguments) throws(DLXError) {
        let file = try toStringValue(try a.required(0, "fname"), "fname")
        let dpi = try a.get(nil, "dpi").flatMap { v throws(DLXError) in v.isNone || v.isString("figure") ? nil : try toDouble(v, "dpi") }
        var format = try a.get(nil, "format").flatMap { v throws(DLXError) in v.isNone ? nil : try toStringValue(v, "format") }
        _ = try a.get(nil, "bbox_inches"); _ = try a.get(nil, "pad_inches"); _ = try a.get(nil, "facecolor"); _ = try a.get(nil, "transparent")
        try a.finish()
        if format == nil, let dot = file.lastIndex(of: ".") { format = String(file[file.index(after: dot)...]).lowercased() }
        let saved = f.dpi
        if let dpi {
            guard dpi > 0 else { throw .value("dpi must be positive, not \(NumberFormat.pythonRepr(dpi))") }
            try Interpreter.checkFigurePixels(f.width, f.height, dpi)
            f.dpi = dpi
        }
        defer { f.dpi = saved }
        switch format {
        case "png", nil:
            try writePNG(PyplotRaster.render(f), to: format == nil ? file + ".png" : file)
        case "svg":
            try writeFile(Array(PyplotSVG.render(f).utf8), to: file)
        case let other?:
            throw DLXError("NotImplementedError", "savefig writes PNG and SVG in dlx, not '\(other)'")
        }
    }
}

extension Value {
    var isPlotSequence: Bool {
        switch self {
        case .tuple, .list: return true
        default: return false
        }
    }
}

extension PlotArtist {
    static func relabel(_ a: PlotArtist, _ label: String) -> PlotArtist {
        switch a {
        case .line(let x, let y, _, let c, let l, let m): return .line(xs: x, ys: y, label: label, color: c, lines: l, markers: m)
        case .points(let x, let y, let c, _): return .points(xs: x, ys: y, colors: c, label: label)
        case .bars(let l, let w, let h, _, let c): return .bars(lefts: l, widths: w, heights: h, label: label, color: c)
        case .image: return a
        }
    }
}
