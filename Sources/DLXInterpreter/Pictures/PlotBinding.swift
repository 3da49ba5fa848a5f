#if canImport(Glibc)
import Glibc
#endif
import DLXEngine

/// `plot(h)` (a fit history: loss and accuracy per epoch), `plot(ys)`, `plot(xs, ys)`, as text or, with a
/// file name, as SVG; and `confusion(model, loader)`.
extension Interpreter {
    func plotFunction() -> Value {
        function("plot") { a, i throws(DLXError) in
            a.function = "plot"
            var rest = a.rest(from: 0)
            var file: String? = nil
            if rest.count > 1, case .string(let f)? = rest.last { file = f; rest.removeLast() }
            if let f = try a.get(nil, "file") { file = try i.toStringValue(f, "file") }
            let title = try a.get(nil, "title").map { v throws(DLXError) in try i.toStringValue(v, "title") }
            let xLabel = try a.get(nil, "xlabel").map { v throws(DLXError) in try i.toStringValue(v, "xlabel") }
            let yLabel = try a.get(nil, "ylabel").map { v throws(DLXError) in try i.toStringValue(v, "ylabel") }
            try a.finish()
            guard let first = rest.first else { throw .type("plot() needs a history from fit, or values: plot(ys) or plot(xs, ys)") }
            var charts: [Chart]
            if case .object(let h as HistoryObject) = first {
                guard rest.count == 1 else { throw .type("plot(history) takes the history alone (and a file name)") }
                charts = Interpreter.historyCharts(h)
            } else {
                let ys = try i.numbers(rest.count == 1 ? first : rest[1], "ys")
                let xs = rest.count == 1 ? ys.indices.map(Double.init) : try i.numbers(first, "xs")
                guard rest.count <= 2 else { throw .type("plot() takes ys, or xs and ys (and a file name)") }
                guard xs.count == ys.count else { throw .value("plot(xs, ys): xs has \(xs.count) values but ys has \(ys.count)") }
                guard !ys.isEmpty else { throw .value("plot() needs at least one value") }
                charts = [Chart(title: "", xLabel: "", yLabel: "", series: [Chart.Series(name: "", xs: xs, ys: ys)])]
            }
            if let title { charts[0].title = title }
            if let xLabel { for k in charts.indices { charts[k].xLabel = xLabel } }
            if let yLabel { for k in charts.indices { charts[k].yLabel = yLabel } }
            if let file {
                guard file.hasSuffix(".svg") else { throw .value("plot() writes SVG files: give a name ending in .svg, not '\(file)'") }
                try i.writeFile(Array(Chart.svg(charts).utf8), to: file)
            } else {
                let text = charts.map { $0.text(width: i.session.columns) }.joined(separator: "\n")
                if let draw = i.session.drawChart { draw(Chart.svg(charts), text) } else { i.session.write(text) }
            }
            return .none
        }
    }

    static func historyCharts(_ h: HistoryObject) -> [Chart] {
        let xs = h.epochs.map { Double($0.epoch) }
        var loss = [Chart.Series(name: "train", xs: xs, ys: h.epochs.map(\.trainLoss))]
        var accuracy = [Chart.Series(name: "train", xs: xs, ys: h.epochs.map(\.trainAccuracy))]
        let valid = h.epochs.filter { $0.validLoss != nil }
        if !valid.isEmpty {
            loss.append(Chart.Series(name: "valid", xs: valid.map { Double($0.epoch) }, ys: valid.map { $0.validLoss ?? .nan }))
            accuracy.append(Chart.Series(name: "valid", xs: valid.map { Double($0.epoch) }, ys: valid.map { $0.validAccuracy ?? .nan }))
        }
        return [Chart(title: "loss", xLabel: "epoch", yLabel: "loss", series: loss),
                Chart(title: "accuracy", xLabel: "epoch", yLabel: "accuracy", series: accuracy)]
    }

    /// Numbers from a list, tuple or 1-d tensor.
    func numbers(_ v: Value, _ what: String) throws(DLXError) -> [Double] {
        if case .tensor(let t) = v {
            guard t.rank <= 1 else { throw .value("plot(): \(what) must be 1-dimensional, not of shape \(t.shape)") }
            return try engine { () throws(TensorError) in try t.doubles() }
        }
        return try iterateAll(v).map { x throws(DLXError) in try toDouble(x, what) }
    }

    func confusionFunction() -> Value {
        function("confusion") { a, i throws(DLXError) in
            a.function = "confusion"
            guard case .module(let model) = try a.required(0, "model") else { throw .type("confusion() needs a model (nn.Module) first") }
            guard case .object(let lo as DataLoaderObject) = try a.required(1, "loader") else { throw .type("confusion() needs a DataLoader second") }
            let shown = try a.get(2, "examples").map { v throws(DLXError) in try i.toInt(v, "examples") } ?? 8
            try a.finish()
            let names = Interpreter.classNames(lo.loader.dataset)
            let classes = names?.count
            defer { i.clearProgress() }
            let c = try i.drawing { g throws(TensorError) in
                try Confusion.compute(model, lo.loader, classes: classes, generator: &g,
                                      interrupted: { i.stopRequested() }, progress: { i.showProgress("confusion", $0, $1) })
            }
            i.clearProgress()
            i.session.write(Interpreter.confusionTable(c))
            let worst = c.mostConfused.prefix(Swift.max(0, shown))
            // Examples are drawn when the inputs are images.
            let tiles = worst.compactMap { p in c.examples[p.0].flatMap { try? Raster(tensor: $0) } }
            if !worst.isEmpty && tiles.count == worst.count {
                i.session.write("Most confused (true -> predicted, count):\n")
                let label: (Int) -> String = { k in names.map { $0[k].split(separator: " ").first.map(String.init) ?? String(k) } ?? String(k) }
                let captions = worst.map { "\(label($0.0.truth))->\(label($0.0.predicted)) \($0.1)" }
                i.draw(Picture(tiles: tiles, captions: captions, columns: Interpreter.gridColumns(tiles.count)))
            }
            return .none
        }
    }

    static func classNames(_ d: Dataset) -> [String]? {
        if let image = d as? ImageDataset { return image.classes }
        if let s = d as? Subset { return classNames(s.dataset) }
        return nil
    }

    /// Rows are true labels, columns predictions; then accuracy.
    static func confusionTable(_ c: Confusion) -> String {
        let n = c.counts.count
        let width = Swift.max(4, String(c.counts.flatMap { $0 }.max() ?? 0).count + 1)
        func pad(_ s: String) -> String { String(repeating: " ", count: Swift.max(0, width - s.count)) + s }
        var out = "Confusion matrix (rows: true label, columns: predicted)\n"
        out += "     " + (0..<n).map { pad(String($0)) }.joined() + "\n"
        for t in 0..<n { out += pad(String(t)) + " " + c.counts[t].map { pad(String($0)) }.joined() + "\n" }
        out += "accuracy \(NumberFormat.fixed(Double(c.correct) / Double(Swift.max(c.total, 1)), 4)) (\(NumberFormat.grouped(c.correct)) of \(NumberFormat.grouped(c.total)))\n"
        return out
    }
}
