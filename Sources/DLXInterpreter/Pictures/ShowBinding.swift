#if canImport(Glibc)
import Glibc
#endif
import DLXEngine

/// `show(...)`: images, dataset samples, batches with labels and learned filters, drawn at the terminal
/// (or as ASCII in pipes), or written as PNG when the last argument is a file name.
extension Interpreter {
    static let maxTiles = 100

    func showFunction() -> Value {
        function("show") { a, i throws(DLXError) in
            a.function = "show"
            let first = try a.required(0, "x")
            var rest = a.rest(from: 1)
            var file: String? = nil
            if case .string(let f)? = rest.last { file = f; rest.removeLast() }
            if let f = try a.get(nil, "file") { file = try i.toStringValue(f, "file") }
            var second = rest.first
            if let n = try a.get(nil, "n") { second = n }
            if let labels = try a.get(nil, "labels") { second = labels }
            try a.finish()
            let picture = try i.picture(first, second)
            if let file {
                try i.writePNG(picture.raster, to: file)
            } else {
                i.draw(picture)
            }
            return .none
        }
    }

    func draw(_ picture: Picture) {
        let text = picture.text(session.pictureStyle, width: session.columns)
        if let draw = session.drawPicture { draw(picture, text) } else { session.write(text) }
    }

    func writePNG(_ raster: Raster, to file: String) throws(DLXError) {
        try writeFile(try engine { () throws(TensorError) in try PNG.encode(raster) }, to: file)
    }

    /// The tiles and captions for what `show` was given.
    func picture(_ v: Value, _ second: Value?) throws(DLXError) -> Picture {
        switch v {
        case .tensor(let t):
            // With one label per row, a [3, H, W] tensor is three images, not one in colour.
            let batch = second.map { if case .tensor(let l) = $0, t.rank == 3, l.count == t.shape[0] { return true }; return false } ?? false
            let tiles = try engine { () throws(TensorError) in try Interpreter.tiles(t, batch: batch) }
            var captions: [String] = []
            if let second {
                guard case .tensor(let labels) = second, labels.count == tiles.count else {
                    throw .type("show(images, labels): labels must be a tensor with one label per image (\(tiles.count))")
                }
                captions = try engine { () throws(TensorError) in try labels.doubles() }.map { $0 == $0.rounded() && Swift.abs($0) < 1e15 ? String(Int($0)) : NumberFormat.pythonRepr($0) }
            }
            return Picture(tiles: tiles, captions: captions, columns: tiles.count == 1 ? 1 : Interpreter.gridColumns(tiles.count))
        case .object(let p as PILImageObject):
            return Picture(tiles: [try engine { () throws(TensorError) in try p.raster() }], captions: [], columns: 1)
        case .object(let a as ArrayLike):
            // An array is an image as NumPy holds one: [H, W] or [H, W, C].
            let t = a.arrayTensor
            let chw = t.rank == 3 && (t.shape[2] == 3 || t.shape[2] == 4)
                ? try engine { () throws(TensorError) in try t.slice(2, start: 0, stop: 3, step: 1).permute([2, 0, 1]) } : t
            return try picture(.tensor(chw), second)
        case .tuple(let items) where items.count == 2:
            if case .object(let p as PILImageObject) = items[0] {
                let tile = try engine { () throws(TensorError) in try p.raster() }
                return Picture(tiles: [tile], captions: [labelText(items[1], nil)], columns: 1)
            }
            guard case .tensor(let image) = items[0] else { throw .type("show((image, label)) needs an image tensor first") }
            let tile = try engine { () throws(TensorError) in try Raster(tensor: image) }
            return Picture(tiles: [tile], captions: [labelText(items[1], session.classes(of: image))], columns: 1)
        case .module(let m as Conv2d):
            return try picture(.tensor(m.weight.detached()), nil)
        case .object(let d as DatasetObject):
            let n = try second.map { s throws(DLXError) in try toInt(s, "n") } ?? 16
            guard n >= 1 else { throw .value("show(dataset, n): n must be at least 1") }
            var tiles: [Raster] = [], captions: [String] = []
            for k in 0..<Swift.min(n, d.dataset.count, Interpreter.maxTiles) {
                guard case .tuple(let items) = try d.sample(k, self), items.count >= 2 else { break }
                if case .object(let p as PILImageObject) = items[0] {
                    tiles.append(try engine { () throws(TensorError) in try p.raster() })
                } else {
                    guard case .tensor(let image) = items[0] else { break }
                    tiles.append(try engine { () throws(TensorError) in try Raster(tensor: image) })
                }
                captions.append(labelText(items[1], (d.dataset as? ImageDataset)?.classes))
            }
            guard !tiles.isEmpty else { throw .value("show(dataset): the dataset is empty") }
            return Picture(tiles: tiles, captions: captions, columns: Interpreter.gridColumns(tiles.count))
        default:
            throw .type("show() draws an image tensor ([H, W], [1, H, W], [3, H, W]), a batch ([N, C, H, W]), a PIL image, an array, a dataset sample, a dataset or a Conv2d layer, not '\(v.typeName)'")
        }
    }

    private func labelText(_ label: Value, _ classes: [String]?) -> String {
        if case .tensor(let t) = label, t.count == 1, let v = try? t.doubles() {
            // A whole number names a class; anything else (1.5, nan, 1e30) is shown as it is.
            return v[0] == v[0].rounded() && Swift.abs(v[0]) < 1e15 ? labelText(.int(Int(v[0])), classes) : "label \(NumberFormat.pythonRepr(v[0]))"
        }
        if case .int(let k) = label {
            if let classes, k >= 0, k < classes.count { return classes[k] }
            return "label \(k)"
        }
        return (try? str(label)) ?? "?"
    }

    /// Images in a tensor: one ([H, W], [1, H, W], [3, H, W]) or several ([N, H, W], [N, C, H, W]: for
    /// C other than 1 and 3, as in a convolution's weights, the first channel of each). With `batch`, a
    /// 3-d tensor is always N images (labels were given, one per row).
    static func tiles(_ t: Tensor, batch: Bool = false) throws(TensorError) -> [Raster] {
        switch t.rank {
        case 2: return [try Raster(tensor: t)]
        case 3 where !batch && (t.shape[0] == 1 || t.shape[0] == 3): return [try Raster(tensor: t)]
        case 3: return try (0..<Swift.min(t.shape[0], maxTiles)).map { n throws(TensorError) in try Raster(tensor: t.select(0, n)) }
        case 4:
            return try (0..<Swift.min(t.shape[0], maxTiles)).map { n throws(TensorError) in
                let x = try t.select(0, n)
                return try Raster(tensor: x.shape[0] == 1 || x.shape[0] == 3 ? x : x.select(0, 0))
            }
        default: throw .value("show() draws images of shape [H, W], [C, H, W] or [N, C, H, W], not \(t.shape)")
        }
    }

    static func gridColumns(_ n: Int) -> Int { n <= 8 ? n : n <= 16 ? (n + 1) / 2 : 10 }
}
