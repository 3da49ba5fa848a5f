import DLXEngine

/// `import matplotlib.pyplot as plt`: pyplot's state machine (the current figure and axes, kept in the
/// session's `matplotlib.pyplot` namespace) and its functions, which act on the current axes. `plt.show()`
/// draws the open figures with dlx's pictures and charts (one PNG per figure where a notebook records
/// them) and closes them; `savefig` writes PNG or SVG.
extension Interpreter {
    /// pyplot's functions that act on the current axes under another name (`title` is `set_title`).
    static let pyplotAxesFunctions: [String: String] = [
        "plot": "plot", "scatter": "scatter", "bar": "bar", "hist": "hist", "imshow": "imshow", "title": "set_title",
        "xlabel": "set_xlabel", "ylabel": "set_ylabel", "legend": "legend", "grid": "grid", "axis": "axis", "cla": "cla",
    ]

    /// The `rcParams` keys dlx takes: the figure's size and resolution and the default colour map are
    /// used; the font and line sizes change only appearance and are kept but not used.
    static let rcParamsKeys = ["figure.figsize", "figure.dpi", "image.cmap", "font.size", "font.family", "axes.titlesize", "axes.labelsize",
                               "lines.linewidth", "lines.markersize", "xtick.labelsize", "ytick.labelsize", "legend.fontsize"]

    func matplotlibMembers() -> [String: Value] {
        let pyplot = namespace("matplotlib.pyplot")!
        return ["pyplot": .object(pyplot), "rcParams": pyplot.members["rcParams"] ?? .none, "__version__": .string("3.11.2"),
                "style": pyplot.members["style"] ?? .none,
                // Allow-listed: dlx has one backend, its own.
                "use": function("use") { a, _ throws(DLXError) in _ = try a.required(0, "backend"); _ = try a.get(1, "force"); try a.finish(); return .none }]
    }

    func pyplotMembers() -> [String: Value] {
        let state = PyplotState()
        let rc = DictBox()
        try? rc.set(.string("figure.figsize"), .list(ListBox([.float(6.4), .float(4.8)])))
        try? rc.set(.string("figure.dpi"), .float(100))
        try? rc.set(.string("image.cmap"), .string("viridis"))
        // (Weakly: the dict lives in the session's module cache, and a strong interpreter here was a cycle that kept
        // every session that imported pyplot.)
        rc.onSet = { [weak self] key, _ throws(DLXError) in
            guard case .string(let k) = key, Interpreter.rcParamsKeys.contains(k) else {
                throw DLXError("NotImplementedError", "matplotlib rcParams[\((try? self?.repr(key)) ?? "?")] is not provided by dlx (it takes \(Interpreter.rcParamsKeys.joined(separator: ", ")))")
            }
        }
        state.settings = rc
        var m: [String: Value] = [:]
        for (name, method) in Interpreter.pyplotAxesFunctions {
            m[name] = function(name) { a, i throws(DLXError) in
                a.function = name
                return try i.axesMethod(method, i.pyplotCurrentAxes(state), &a)
            }
        }
        for name in ["xticks", "yticks"] {
            m[name] = function(name) { a, i throws(DLXError) in
                a.function = name
                let ax = try i.pyplotCurrentAxes(state)
                let ticks = try a.get(0, "ticks"), labels = try a.get(1, "labels")
                try i.skipAppearance(&a)
                try a.finish()
                if let ticks, !ticks.isNone {
                    var inner = Arguments([ticks] + (labels.map { [$0] } ?? []))
                    _ = try i.axesMethod(name == "xticks" ? "set_xticks" : "set_yticks", ax, &inner)
                }
                let set = name == "xticks" ? ax.xTicks : ax.yTicks
                return .tuple([.list(ListBox((set ?? []).map { .float($0) })), .list(ListBox([]))])
            }
        }
        for name in ["xlim", "ylim"] {
            m[name] = function(name) { a, i throws(DLXError) in
                a.function = name
                let ax = try i.pyplotCurrentAxes(state)
                if a.count == 0 { let r = name == "xlim" ? ax.shownRanges.x : ax.shownRanges.y; return .tuple([.float(r.0), .float(r.1)]) }
                return try i.axesMethod("set_" + name, ax, &a)
            }
        }
        m["figure"] = function("figure") { a, i throws(DLXError) in
            a.function = "figure"
            let num = try a.get(0, "num")
            let size = try a.get(1, "figsize"), dpi = try a.get(2, "dpi")
            _ = try a.get(3, "facecolor"); _ = try a.get(4, "edgecolor")
            try a.finish()
            let f: PlotFigure
            if case .int(let n)? = num, let open = state.figures.first(where: { $0.number == n }) { state.current = open; return .object(FigureObject.wrap(open, state)) }
            if case .int(let n)? = num { f = state.newFigure(number: n) } else if case .object(let fo as FigureObject)? = num { f = fo.figure; state.current = f } else {
                f = state.newFigure()
            }
            do throws(DLXError) { try i.pyplotSizeFigure(f, state, size: size, dpi: dpi) } catch { state.close(f); throw error }
            return .object(FigureObject.wrap(f, state))
        }
        m["subplots"] = function("subplots") { a, i throws(DLXError) in
            a.function = "subplots"
            let rows = try a.get(0, "nrows").map { v throws(DLXError) in try i.toInt(v, "nrows") } ?? 1
            let columns = try a.get(1, "ncols").map { v throws(DLXError) in try i.toInt(v, "ncols") } ?? 1
            _ = try a.get(2, "sharex"); _ = try a.get(3, "sharey")
            let squeeze = try a.get(4, "squeeze").map { v throws(DLXError) in try i.truthy(v) } ?? true
            let size = try a.get(nil, "figsize"), dpi = try a.get(nil, "dpi")
            _ = try a.get(nil, "constrained_layout"); _ = try a.get(nil, "layout"); _ = try a.get(nil, "facecolor")
            try a.finish()
            guard rows >= 1, columns >= 1 else { throw .value("Number of rows must be a positive integer, not \(Swift.min(rows, columns))") }
            guard rows * columns <= 400 else { throw .value("dlx draws at most 400 subplots, not \(rows) x \(columns)") }
            let f = state.newFigure()
            do throws(DLXError) { try i.pyplotSizeFigure(f, state, size: size, dpi: dpi) } catch { state.close(f); throw error }
            let axes: [Value] = (0..<(rows * columns)).map { .object(AxesObject.wrap(f.subplot(rows: rows, columns: columns, index: $0), state)) }
            f.current = f.axes.last
            let grid: Value
            if squeeze && rows == 1 && columns == 1 { grid = axes[0] } else if squeeze && (rows == 1 || columns == 1) {
                grid = .object(AxesArray(axes, shape: [rows * columns]))
            } else {
                grid = .object(AxesArray(axes, shape: [rows, columns]))
            }
            return .tuple([.object(FigureObject.wrap(f, state)), grid])
        }
        m["subplot"] = function("subplot") { a, i throws(DLXError) in
            a.function = "subplot"
            return .object(AxesObject.wrap(try i.subplotPlace(try i.pyplotCurrentFigure(state), &a), state))
        }
        m["gca"] = function("gca") { a, i throws(DLXError) in
            try a.finish()
            return .object(AxesObject.wrap(try i.pyplotCurrentAxes(state), state))
        }
        m["gcf"] = function("gcf") { a, i throws(DLXError) in
            try a.finish()
            return .object(FigureObject.wrap(try i.pyplotCurrentFigure(state), state))
        }
        m["get_fignums"] = function("get_fignums") { a, _ throws(DLXError) in
            try a.finish()
            return .list(ListBox(state.figures.map(\.number).sorted().map { .int($0) }))
        }
        for name in ["savefig", "suptitle", "tight_layout", "subplots_adjust", "clf"] {
            m[name] = function(name) { a, i throws(DLXError) in
                a.function = name
                return try i.figureMethod(name, try i.pyplotCurrentFigure(state), state, &a)
            }
        }
        m["close"] = function("close") { a, i throws(DLXError) in
            a.function = "close"
            let which = try a.get(0, "fig")
            try a.finish()
            switch which {
            case nil, .none?: if let f = state.current { state.close(f) }
            case .string("all")?: state.closeAll()
            case .object(let fo as FigureObject)?: state.close(fo.figure)
            case .int(let n)?: if let f = state.figures.first(where: { $0.number == n }) { state.close(f) }
            case let v?: throw .type("close() argument must be a Figure, an int, a string, or None, not \(v.typeName)")
            }
            return .none
        }
        m["show"] = function("show") { a, i throws(DLXError) in
            a.function = "show"
            _ = try a.get(0, "block")
            try a.finish()
            for f in state.figures { i.drawFigure(f) }
            state.closeAll()
            return .none
        }
        m["style"] = .object(Namespace("matplotlib.style", [
            // Allow-listed: styles change only appearance; dlx draws in its one style.
            "use": function("use") { a, _ throws(DLXError) in _ = try a.required(0, "style"); try a.finish(); return .none },
            "available": .list(ListBox(["default", "classic", "ggplot", "seaborn-v0_8", "dark_background"].map { .string($0) })),
        ]))
        m["rcParams"] = .dict(rc)
        for name in Interpreter.pyplotNotProvided where m[name] == nil {
            m[name] = function(name) { _, _ throws(DLXError) in
                throw DLXError("NotImplementedError", "matplotlib.pyplot.\(name) is not provided by dlx")
            }
        }
        return m
    }

    /// The current figure's current axes (made when there is none), as pyplot's functions use it.
    func pyplotCurrentAxes(_ state: PyplotState) throws(DLXError) -> PlotAxes {
        try pyplotCurrentFigure(state).currentAxes()
    }

    /// The current figure, made (with rcParams' size) when there is none.
    func pyplotCurrentFigure(_ state: PyplotState) throws(DLXError) -> PlotFigure {
        if let f = state.current { return f }
        let f = state.newFigure()
        do throws(DLXError) { try pyplotSizeFigure(f, state, size: nil, dpi: nil) } catch { state.close(f); throw error }
        return f
    }

    /// A new figure's size: figsize= and dpi= when given, else rcParams'.
    func pyplotSizeFigure(_ f: PlotFigure, _ state: PyplotState, size: Value?, dpi: Value?) throws(DLXError) {
        var size = size, dpi = dpi
        if size == nil || size?.isNone == true { size = try state.settings?.get(.string("figure.figsize")) }
        if dpi == nil || dpi?.isNone == true { dpi = try state.settings?.get(.string("figure.dpi")) }
        if case .string(let map)? = try state.settings?.get(.string("image.cmap")), PlotImage.colorMaps.contains(map) { f.colorMap = map }
        var (width, height, resolution) = (f.width, f.height, f.dpi)
        if let size, !size.isNone {
            let pair = try iterateAll(size)
            guard pair.count == 2 else { throw .value("figsize must be (width, height) in inches") }
            (width, height) = try plotSize(pair[0], pair[1])
        }
        if let dpi, !dpi.isNone {
            resolution = try toDouble(dpi, "dpi")
            guard resolution > 0 else { throw .value("dpi must be positive, not \(NumberFormat.pythonRepr(resolution))") }
        }
        try Interpreter.checkFigurePixels(width, height, resolution)
        (f.width, f.height, f.dpi) = (width, height, resolution)
    }

    /// What Jupyter's inline backend does after each cell: the figures left open are shown (and closed).
    /// Nothing when the cell never imported pyplot.
    public func showOpenFigures() {
        guard let pyplot = session.namespaces["matplotlib.pyplot"], let show = pyplot.replaced["show"] ?? pyplot.members["show"] else { return }
        var args = Arguments()
        _ = try? call(show, &args)
    }

    /// A figure at the session's output: text at the terminal (ASCII in pipes); where the session records
    /// pictures (notebooks, the Jupyter kernel), the whole figure as one image with the text beside it.
    func drawFigure(_ f: PlotFigure) {
        let text = PyplotText.figure(f, style: session.pictureStyle, width: session.columns)
        if let draw = session.drawPicture {
            draw(Picture(tiles: [PyplotRaster.render(f)], captions: [], columns: 1), text)
        } else {
            session.write(text)
        }
    }
}
