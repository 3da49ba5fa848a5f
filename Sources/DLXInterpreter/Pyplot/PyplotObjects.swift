import DLXEngine

/// `matplotlib.figure.Figure`: a figure of the session's pyplot state.
final class FigureObject: ObjectProtocols {
    let figure: PlotFigure
    let state: PyplotState
    init(_ figure: PlotFigure, _ state: PyplotState) { self.figure = figure; self.state = state }

    static func wrap(_ f: PlotFigure, _ state: PyplotState) -> FigureObject {
        if let o = f.handle as? FigureObject { return o }
        let o = FigureObject(f, state)
        f.handle = o
        return o
    }

    var typeName: String { "Figure" }
    var qualifiedName: String { "matplotlib.figure.Figure" }
    func repr(_ i: Interpreter) -> String { "<Figure size \(figure.pixelWidth)x\(figure.pixelHeight) with \(figure.axes.count) Axes>" }
    func checkedStr(_ i: Interpreter) throws(DLXError) -> String? { "Figure(\(figure.pixelWidth)x\(figure.pixelHeight))" }

    static var methods: [String] { Interpreter.figureMethodTable.names }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        let f = figure, state = state
        switch name {
        case "axes": return .list(ListBox(f.axes.map { .object(AxesObject.wrap($0, state)) }))
        case "number": return .int(f.number)
        case "dpi": return .float(f.dpi)
        case _ where FigureObject.methods.contains(name):
            let m = BuiltinFunction(name, method: true) { a, i throws(DLXError) in
                a.function = name
                return try i.figureMethod(name, f, state, &a)
            }
            m.helpKey = Interpreter.figureMethodTable.key(name)
            return .object(m)
        case _ where name.hasPrefix("_"): return nil
        default: throw DLXError("NotImplementedError", "matplotlib Figure.\(name) is not provided by dlx")
        }
    }
    var attributeNames: [String] { (["axes", "dpi", "number"] + FigureObject.methods).sorted() }
}

/// `matplotlib.axes.Axes`: one subplot.
final class AxesObject: ObjectProtocols {
    let axes: PlotAxes
    let state: PyplotState
    init(_ axes: PlotAxes, _ state: PyplotState) { self.axes = axes; self.state = state }

    static func wrap(_ a: PlotAxes, _ state: PyplotState) -> AxesObject {
        if let o = a.handle as? AxesObject { return o }
        let o = AxesObject(a, state)
        a.handle = o
        return o
    }

    var typeName: String { "Axes" }
    var qualifiedName: String { "matplotlib.axes._axes.Axes" }
    func repr(_ i: Interpreter) -> String {
        var fields: [String] = []
        if !axes.title.isEmpty { fields.append("title={'center': \(Interpreter.quote(axes.title))}") }
        if !axes.xLabel.isEmpty { fields.append("xlabel=\(Interpreter.quote(axes.xLabel))") }
        if !axes.yLabel.isEmpty { fields.append("ylabel=\(Interpreter.quote(axes.yLabel))") }
        return "<Axes: " + fields.joined(separator: ", ") + ">"
    }
    func checkedStr(_ i: Interpreter) throws(DLXError) -> String? {
        let (l, b, w, h) = axes.position
        let g = { (v: Double) in NumberFormat.format("%g", v) }
        return "Axes(\(g(l)),\(g(b));\(g(w))x\(g(h)))"
    }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        let ax = axes, state = state
        if name == "figure" { return ax.figure.map { .object(FigureObject.wrap($0, state)) } ?? .none }
        if Interpreter.axesMethods.contains(name) {
            let m = BuiltinFunction(name, method: true) { a, i throws(DLXError) in
                a.function = name
                return try i.axesMethod(name, ax, &a)
            }
            m.helpKey = Interpreter.axesMethodTable.key(name)
            return .object(m)
        }
        if name.hasPrefix("_") { return nil }
        throw DLXError("NotImplementedError", "matplotlib Axes.\(name) is not provided by dlx")
    }
    var attributeNames: [String] { (["figure"] + Interpreter.axesMethods).sorted() }
}

/// What `plt.subplots(r, c)` gives for several axes: NumPy's object array of them, 1-d or 2-d, with
/// indexing (`axes[i]`, `axes[r, c]`, slices), `len`, iteration, `shape`, `flat`, `ravel()`, `flatten()`.
final class AxesArray: ObjectProtocols {
    let items: [Value]
    let shape: [Int]
    init(_ items: [Value], shape: [Int]) { self.items = items; self.shape = shape }

    var typeName: String { "ndarray" }
    var qualifiedName: String { "numpy.ndarray" }

    func repr(_ i: Interpreter) -> String { "array(" + nested(i, separator: ", ", indent: 6, width: 75) + ", dtype=object)" }
    func checkedStr(_ i: Interpreter) throws(DLXError) -> String? { nested(i, separator: " ", indent: 0, width: 75) }

    /// NumPy's layout of the elements: rows in brackets, lines wrapped before `width` columns, continued
    /// under the first element (`indent` columns of prefix before the brackets).
    func nested(_ i: Interpreter, separator: String, indent: Int, width: Int) -> String {
        let texts = items.map { ($0.object?.repr(i)) ?? "?" }
        let rows = shape.count == 1 ? [texts] : (0..<shape[0]).map { r in Array(texts[r * shape[1]..<(r + 1) * shape[1]]) }
        let hanging = String(repeating: " ", count: indent + shape.count)
        // NumPy leaves a column for the closing bracket, one more in each enclosing row.
        let limit = width - shape.count
        let lines = rows.map { row -> String in
            var s = "", line = hanging
            for (k, word) in row.enumerated() {
                if line.count > hanging.count && line.count + word.count > limit {
                    s += TerminalPicture.trimmed(line) + "\n"
                    line = hanging
                }
                line += word + (k < row.count - 1 ? separator : "")
            }
            return String((s + line).dropFirst(hanging.count))
        }
        let rowSeparator = separator.trimmingSuffix() + "\n" + String(repeating: " ", count: indent + 1)
        return shape.count == 1 ? "[" + lines[0] + "]" : "[[" + lines.joined(separator: "]" + rowSeparator + "[") + "]]"
    }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "shape": return .tuple(shape.map { .int($0) })
        case "ndim": return .int(shape.count)
        case "size": return .int(items.count)
        case "flat": return .object(AxesArray(items, shape: [items.count]))
        case "ravel", "flatten":
            return i.method(name) { [self] a, _ throws(DLXError) in
                a.function = name
                _ = try a.get(0, "order")
                try a.finish()
                return .object(AxesArray(items, shape: [items.count]))
            }
        case "tolist":
            return i.method(name) { [self] _, _ throws(DLXError) in
                if shape.count == 1 { return .list(ListBox(items)) }
                return .list(ListBox((0..<shape[0]).map { r in .list(ListBox(Array(items[r * shape[1]..<(r + 1) * shape[1]]))) }))
            }
        default: return nil
        }
    }
    var attributeNames: [String] { ["flat", "flatten", "ndim", "ravel", "shape", "size", "tolist"] }

    func length(_ i: Interpreter) throws(DLXError) -> Int? { shape[0] }

    func makeIterator(_ i: Interpreter) throws(DLXError) -> ValueIterator? {
        if shape.count == 1 { return ValueIterator(over: items) }
        return ValueIterator(over: (0..<shape[0]).map { r in row(r) })
    }

    func row(_ r: Int) -> Value { .object(AxesArray(Array(items[r * shape[1]..<(r + 1) * shape[1]]), shape: [shape[1]])) }

    func item(_ key: Value, _ i: Interpreter) throws(DLXError) -> Value? {
        var keys: [Value]
        if case .tuple(let t) = key { keys = t } else { keys = [key] }
        guard keys.count <= shape.count else {
            throw DLXError("IndexError", "too many indices for array: array is \(shape.count)-dimensional, but \(keys.count) were indexed")
        }
        while keys.count < shape.count { keys.append(.slice(nil, nil, nil)) }
        // Each index picks one position (the dimension goes) or a slice (the dimension stays).
        var picks: [[Int]] = [], kept: [Int] = []
        for (d, k) in keys.enumerated() {
            if case .slice(let a, let b, let c) = k {
                let idx = try i.sliceIndices(a, b, c, shape[d])
                picks.append(idx); kept.append(idx.count)
            } else {
                let n = try i.toInt(k, "index")
                guard n >= -shape[d] && n < shape[d] else {
                    throw DLXError("IndexError", "index \(n) is out of bounds for axis \(d) with size \(shape[d])")
                }
                picks.append([n < 0 ? n + shape[d] : n])
            }
        }
        var out: [Value] = []
        if shape.count == 1 { out = picks[0].map { items[$0] } } else {
            for r in picks[0] { for c in picks[1] { out.append(items[r * shape[1] + c]) } }
        }
        if kept.isEmpty { return out[0] }
        return .object(AxesArray(out, shape: kept))
    }
}

/// What drawing calls return (`Line2D`, `AxesImage`, `Text`, `BarContainer`, `Legend`): objects with
/// matplotlib's type names and reprs, and nothing more.
final class PlotHandle: PyObject {
    let typeName: String
    let qualifiedName: String
    let text: String?
    init(_ typeName: String, _ qualifiedName: String, repr text: String? = nil) {
        self.typeName = typeName; self.qualifiedName = qualifiedName; self.text = text
    }
    func repr(_ i: Interpreter) -> String { text ?? "<\(qualifiedName) object at \(i.session.address(of: self))>" }
}

private extension String {
    func trimmingSuffix() -> String { TerminalPicture.trimmed(self) }
}

private extension Value {
    var object: (any PyObject)? { if case .object(let o) = self { return o } else { return nil } }
}
