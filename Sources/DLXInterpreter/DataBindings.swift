import DLXFrontEnd
import DLXEngine

/// Datasets, the DataLoader, transforms, and the `load` command.
extension Interpreter {
    /// `load mnist`, `load mnist.test`, `load mnist[i]`, `load idx("images.gz", "labels.gz")`.
    func load(_ path: [String], _ args: inout Arguments?, index: Value?, span: SourceSpan) throws(DLXError) -> Value {
        let name = path.joined(separator: ".")
        let dataset: ImageDataset
        switch name {
        case "mnist", "mnist.train", "mnist.test":
            guard args == nil else { throw .type("load \(name) takes no arguments") }
            dataset = try mnist(train: name != "mnist.test", root: "data/mnist")
        case "idx":
            guard var a = args else { throw .type("load idx needs two file names: load idx(\"images.gz\", \"labels.gz\")") }
            a.function = "idx"
            let images = try toStringValue(try a.required(0, "images"), "images")
            let labels = try toStringValue(try a.required(1, "labels"), "labels")
            try a.finish()
            try session.checkRead(images)
            try session.checkRead(labels)
            let backend = session.backend
            dataset = try engine { () throws(TensorError) in
                let x = try IDX.load(images, on: backend), y = try IDX.load(labels, on: backend)
                return try ImageDataset(name: "IDX", root: images, train: true, images: x, labels: y,
                                        classes: (0..<10).map(String.init))
            }
        case "fashion", "fashion.train", "fashion.test":
            guard args == nil else { throw .type("load \(name) takes no arguments") }
            dataset = try imageSet("fashion", train: name != "fashion.test", root: "data/fashion-mnist")
        case "csv":
            guard var a = args else { throw .type("load csv needs a file name: load csv(\"file.csv\", label=\"label\", shape=(1, 28, 28))") }
            a.function = "csv"
            let file = try toStringValue(try a.required(0, "path"), "path")
            let label = try a.get(nil, "label").map { v throws(DLXError) in try toStringValue(v, "label") } ?? "label"
            let shape = try a.get(nil, "shape").map { v throws(DLXError) in try toShape([v], "csv") } ?? [1, 28, 28]
            try a.finish()
            try session.checkRead(file)
            let backend = session.backend
            defer { clearProgress() }
            dataset = try engine { () throws(TensorError) in
                try CSVImages.load(file, label: label, shape: shape, on: backend) { [unowned self] done, total in
                    self.showProgress("load csv", done >> 20, total >> 20)
                }
            }
        default:
            throw DLXError("NameError", "unknown dataset '\(name)' (dlx knows: mnist, mnist.test, fashion, fashion.test, idx(\"images\", \"labels\"))")
        }
        guard let index else { return .object(DatasetObject(dataset)) }
        let i = try toInt(index, "dataset index")
        dataset.transform = ToTensor()
        let sample = try drawing { g throws(TensorError) in try dataset.item(i, generator: &g) }
        guard case .tensor(let image) = sample[0] else { throw DLXError("RuntimeError", "dataset sample has no image") }
        return .tensor(image)
    }

    func mnist(train: Bool, root: String) throws(DLXError) -> ImageDataset {
        try imageSet("mnist", train: train, root: root)
    }

    /// A named image set; the raw images and labels are read once per session and shared.
    func imageSet(_ set: String, train: Bool, root: String) throws(DLXError) -> ImageDataset {
        let key = set + (train ? ".train" : ".test")
        let backend = session.backend
        let (name, classes) = set == "fashion" ? ("FashionMNIST", DataCatalog.fashionClasses) : ("MNIST", DataCatalog.mnistClasses)
        if let (images, labels) = session.datasetCache[key] {
            return try engine { () throws(TensorError) in
                try ImageDataset(name: name, root: root, train: train, images: images, labels: labels, classes: classes)
            }
        }
        var catalog = session.catalog
        catalog.progress = { [unowned self] done, total in self.showProgress("load \(set)", done >> 20, total >> 20) }
        defer { clearProgress() }
        let d = try engine { () throws(TensorError) in
            set == "fashion" ? try catalog.fashion(train: train, root: root, on: backend) : try catalog.mnist(train: train, root: root, on: backend)
        }
        session.datasetCache[key] = (d.images, d.labels)
        return d
    }

    func dataMembers() -> [String: Value] {
        [
            "DataLoader": .object(TypeObject("DataLoader", qualified: "torch.utils.data.dataloader.DataLoader") { a, i throws(DLXError) in
                let ds = try a.required(0, "dataset")
                let batchValue = try a.get(1, "batch_size") ?? .int(1)
                let batch = batchValue.isNone ? nil : try i.toInt(batchValue, "batch_size")
                if let b = batch, b <= 0 { throw .value("batch_size should be a positive integer value, but got batch_size=\(b)") }
                let shuffle = try a.get(2, "shuffle").map { v throws(DLXError) in try i.truthy(v) } ?? false
                let dropLast = try a.get(nil, "drop_last").map { v throws(DLXError) in try i.truthy(v) } ?? false
                let collate = try a.get(nil, "collate_fn").flatMap { $0.isNone ? nil : $0 }
                let generator = try i.generatorArgument(&a)
                for k in ["num_workers", "pin_memory", "persistent_workers", "prefetch_factor", "worker_init_fn", "sampler", "timeout"] { _ = try a.get(nil, k) }
                guard case .object(let o as DatasetObject) = ds, o.targetTransform == nil, let batch, collate == nil else {
                    _ = try i.length(ds)
                    return .object(UserLoaderObject(ds, batchSize: batch, shuffle: shuffle, dropLast: dropLast, collate: collate, generator: generator))
                }
                return .object(DataLoaderObject(try i.engine { () throws(TensorError) in
                    try DataLoader(o.dataset, batchSize: batch, shuffle: shuffle, dropLast: dropLast)
                }, datasetValue: ds, generator: generator))
            }),
            "Dataset": .object(TypeObject("Dataset", qualified: "torch.utils.data.dataset.Dataset")),
            "TensorDataset": .object(TypeObject("TensorDataset", qualified: "torch.utils.data.dataset.TensorDataset") { a, i throws(DLXError) in
                let tensors = try a.rest(from: 0).map { v throws(DLXError) in try i.toTensor(v, "TensorDataset argument") }
                return .object(DatasetObject(try i.engine { () throws(TensorError) in try TensorDataset(tensors) }))
            }),
            "ConcatDataset": .object(TypeObject("ConcatDataset", qualified: "torch.utils.data.dataset.ConcatDataset") { a, i throws(DLXError) in
                try i.concatDatasets(try i.iterateAll(try a.required(0, "datasets")))
            }),
            "Subset": .object(TypeObject("Subset", qualified: "torch.utils.data.dataset.Subset") { a, i throws(DLXError) in
                let source = try a.required(0, "dataset")
                let d = try i.anyDataset(source)
                let indices = try i.iterateAll(try a.required(1, "indices")).map { v throws(DLXError) in try i.toInt(v, "index") }
                return .object(DatasetObject(try i.engine { () throws(TensorError) in try Subset(d, indices: indices) }, source: source))
            }),
            "random_split": function("random_split") { a, i throws(DLXError) in
                let source = try a.required(0, "dataset")
                let d = try i.anyDataset(source)
                let lengths = try i.iterateAll(try a.required(1, "lengths")).map { v throws(DLXError) in try i.toDouble(v, "length") }
                let g = try i.generatorArgument(&a, 2)
                let parts = try i.drawing(from: g) { gen throws(TensorError) in try Subset.randomSplit(d, lengths: lengths, generator: &gen) }
                return .list(ListBox(parts.map { .object(DatasetObject($0, source: source)) }))
            },
        ]
    }

    func datasetMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        for (name, set) in [("MNIST", "mnist"), ("FashionMNIST", "fashion")] {
            m[name] = .object(TypeObject(name, qualified: "torchvision.datasets.mnist.\(name)") { a, i throws(DLXError) in
                let root = try i.toStringValue(try a.required(0, "root"), "root")
                let train = try a.get(1, "train").map { v throws(DLXError) in try i.truthy(v) } ?? true
                let transform = try a.get(2, "transform").flatMap { v throws(DLXError) -> Transform? in v.isNone ? nil : try i.transform(v) }
                let target = try a.get(3, "target_transform").flatMap { $0.isNone ? nil : $0 }
                _ = try a.get(4, "download")
                let d = try i.imageSet(set, train: train, root: root)
                d.transform = transform
                d.transformInRepr = transform != nil
                d.pilSamples = true
                let object = DatasetObject(d)
                object.targetTransform = target
                return .object(object)
            })
        }
        return m
    }

    func dataset(_ v: Value) throws(DLXError) -> Dataset {
        guard case .object(let o as DatasetObject) = v else { throw .type("expected a dataset, got \(v.typeName)") }
        return o.dataset
    }

    func transform(_ v: Value) throws(DLXError) -> Transform {
        guard case .object(let o as TransformObject) = v else { throw .type("expected a transform, got \(v.typeName)") }
        return o.transform
    }

    /// `Normalize(mean, std)` from numbers or sequences of them (its repr shows them as given).
    func normalize(_ mean: Value, _ std: Value) throws(DLXError) -> Normalize {
        func numbers(_ v: Value) throws(DLXError) -> [Double] {
            if scalar(v) != nil { return [try toDouble(v, "mean")] }
            return try iterateAll(v).map { x throws(DLXError) in try toDouble(x, "mean and std") }
        }
        let m = try numbers(mean), s = try numbers(std), mt = try repr(mean), st = try repr(std)
        return try engine { () throws(TensorError) in try Normalize(mean: m, std: s, meanText: mt, stdText: st) }
    }

    func transformMembers() -> [String: Value] {
        func type(_ name: String, _ build: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Transform) -> Value {
            .object(TypeObject(name, qualified: "torchvision.transforms.transforms.\(name)") { a, i throws(DLXError) in
                .object(TransformObject(try build(&a, i)))
            })
        }
        return [
            "ToTensor": type("ToTensor") { _, _ throws(DLXError) in ToTensor() },
            "PILToTensor": type("PILToTensor") { _, _ throws(DLXError) in PILToTensor() },
            "ToPILImage": type("ToPILImage") { a, i throws(DLXError) in
                if let mode = try a.get(0, "mode"), !mode.isNone {
                    throw DLXError("NotImplementedError", "ToPILImage(mode=...) is not supported in dlx (the mode follows the channels)")
                }
                return ToPILImage()
            },
            "Resize": type("Resize") { a, i throws(DLXError) in
                let size = try a.required(0, "size")
                let s = i.scalar(size) != nil ? [try i.toInt(size, "size")] : try i.iterateAll(size).map { v throws(DLXError) in try i.toInt(v, "size") }
                guard s.count == 1 || s.count == 2 else { throw .value("If size is a sequence, it should have 1 or 2 values") }
                if let mode = try a.get(1, "interpolation"), !mode.isNone, try i.str(mode).lowercased().hasSuffix("bilinear") == false {
                    throw DLXError("NotImplementedError", "Resize supports bilinear interpolation only in dlx")
                }
                if let m = try a.get(2, "max_size"), !m.isNone { throw DLXError("NotImplementedError", "Resize(max_size=...) is not supported in dlx") }
                _ = try a.get(3, "antialias")
                return Resize(size: s)
            },
            "CenterCrop": type("CenterCrop") { a, i throws(DLXError) in
                let size = try a.required(0, "size")
                let s = i.scalar(size) != nil ? [try i.toInt(size, "size")] : try i.iterateAll(size).map { v throws(DLXError) in try i.toInt(v, "size") }
                guard s.count == 1 || s.count == 2 else { throw .value("Please provide only two dimensions (h, w) for size.") }
                return CenterCrop(height: s[0], width: s.count == 2 ? s[1] : s[0])
            },
            "RandomHorizontalFlip": type("RandomHorizontalFlip") { a, i throws(DLXError) in
                RandomHorizontalFlip(p: try a.get(0, "p").map { v throws(DLXError) in try i.toDouble(v, "p") } ?? 0.5)
            },
            "RandomRotation": type("RandomRotation") { a, i throws(DLXError) in
                let d = try a.required(0, "degrees")
                if i.scalar(d) != nil {
                    let v = try i.toDouble(d, "degrees")
                    guard v >= 0 else { throw .value("If degrees is a single number, it must be positive.") }
                    return RandomRotation(degrees: (-v, v))
                }
                let pair = try i.iterateAll(d).map { v throws(DLXError) in try i.toDouble(v, "degrees") }
                guard pair.count == 2 else { throw .value("degrees should be a sequence of length 2.") }
                return RandomRotation(degrees: (pair[0], pair[1]))
            },
            "RandomResizedCrop": type("RandomResizedCrop") { a, i throws(DLXError) in
                let size = try a.required(0, "size")
                let hw: (Int, Int)
                if i.scalar(size) != nil { let n = try i.toInt(size, "size"); hw = (n, n) }
                else {
                    let v = try i.iterateAll(size).map { x throws(DLXError) in try i.toInt(x, "size") }
                    guard v.count == 2 else { throw .value("Please provide only two dimensions (h, w) for size.") }
                    hw = (v[0], v[1])
                }
                guard hw.0 > 0, hw.1 > 0 else { throw .value("size must be positive") }
                func pair(_ name: String, _ def: (Double, Double)) throws(DLXError) -> (Double, Double) {
                    guard let v = try a.get(nil, name) else { return def }
                    let p = try i.iterateAll(v).map { x throws(DLXError) in try i.toDouble(x, name) }
                    guard p.count == 2, p[0] <= p[1] else { throw .value("\(name) should be of kind (min, max)") }
                    return (p[0], p[1])
                }
                return RandomResizedCrop(size: hw, scale: try pair("scale", (0.08, 1.0)), ratio: try pair("ratio", (3.0 / 4.0, 4.0 / 3.0)))
            },
            "ColorJitter": type("ColorJitter") { a, i throws(DLXError) in
                let b = try a.get(0, "brightness").map { v throws(DLXError) in try i.toDouble(v, "brightness") } ?? 0
                let c = try a.get(1, "contrast").map { v throws(DLXError) in try i.toDouble(v, "contrast") } ?? 0
                for (k, n) in [("saturation", 2), ("hue", 3)] {
                    if let v = try a.get(n, k), try i.toDouble(v, k) != 0 {
                        throw DLXError("NotImplementedError", "ColorJitter(\(k)=...) is not supported in dlx (grey images need only brightness and contrast)")
                    }
                }
                guard b >= 0, c >= 0 else { throw .value("brightness and contrast values should be non negative.") }
                return ColorJitter(brightness: b, contrast: c)
            },
            "Compose": type("Compose") { a, i throws(DLXError) in
                Compose(try i.iterateAll(try a.required(0, "transforms")).map { v throws(DLXError) in try i.transform(v) })
            },
            "Lambda": type("Lambda") { a, i throws(DLXError) in
                let f = try a.required(0, "lambd")
                guard i.isCallable(f) else { throw .type("Argument lambd should be callable, got \(Interpreter.quote(f.typeName))") }
                return LambdaTransform(f, i)
            },
            "Normalize": type("Normalize") { a, i throws(DLXError) in
                let mean = try a.required(0, "mean"), std = try a.required(1, "std")
                _ = try a.get(2, "inplace")
                return try i.normalize(mean, std)
            },
        ]
    }
}

/// A dataset as a language value: `len`, indexing, iteration, `.transform`.
final class DatasetObject: PyObject {
    let dataset: Dataset
    /// torchvision's `target_transform`, applied to each sample's label (a function of the language).
    var targetTransform: Value? = nil
    /// For a Subset: the dataset it was taken from, as the language value it is (`subset.dataset is base`).
    let source: Value?
    init(_ dataset: Dataset, source: Value? = nil) { self.dataset = dataset; self.source = source }

    var typeName: String {
        switch dataset {
        case let d as ImageDataset: return d.name
        case is TensorDataset: return "TensorDataset"
        case is Subset: return "Subset"
        case is ConcatDataset: return "ConcatDataset"
        default: return "Dataset"
        }
    }
    var qualifiedName: String { dataset is ImageDataset ? "torchvision.datasets.mnist.\(typeName)" : "torch.utils.data.dataset.\(typeName)" }
    func repr(_ interpreter: Interpreter) -> String {
        dataset is ImageDataset ? dataset.repr : "<\(qualifiedName) object at \(interpreter.session.address(of: self))>"
    }
    func length(_ interpreter: Interpreter) throws(DLXError) -> Int? { dataset.count }

    func item(_ key: Value, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        let i = try interpreter.toInt(key, "dataset index")
        return try sample(i, interpreter)
    }

    func sample(_ i: Int, _ interpreter: Interpreter) throws(DLXError) -> Value {
        let fields = try interpreter.drawing { g throws(TensorError) in try dataset.item(i, generator: &g) }
        if let d = dataset as? ImageDataset, case .tensor(let image)? = fields.first { interpreter.session.noteClasses(image, d.classes) }
        var values = fields.map(Value.init)
        if case .tensor(let image)? = fields.first, image.isDatasetPicture, interpreter.givesPictures(dataset) {
            values[0] = .object(PILImageObject(image))
        }
        if let targetTransform, values.count > 1 {
            var a = Arguments([values[1]])
            values[1] = try interpreter.call(targetTransform, &a)
        }
        return .tuple(values)
    }

    func makeIterator(_ interpreter: Interpreter) throws(DLXError) -> ValueIterator? {
        var i = 0
        return ValueIterator { [self] () throws(DLXError) -> Value? in
            guard i < dataset.count else { return nil }
            i += 1
            return try sample(i - 1, interpreter)
        }
    }

    func attribute(_ name: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        if let subset = dataset as? Subset {
            switch name {
            case "dataset": return source ?? .object(DatasetObject(subset.dataset))
            case "indices": return .list(ListBox(subset.indices.map { .int($0) }))
            default: return nil
            }
        }
        if let t = dataset as? TensorDataset, name == "tensors" { return .tuple(t.tensors.map { .tensor($0) }) }
        if let c = dataset as? ConcatDataset {
            switch name {
            case "cumulative_sizes": return .list(ListBox(c.cumulativeSizes.map { .int($0) }))
            case "datasets": return .list(ListBox(c.datasets.map { .object(DatasetObject($0)) }))
            default: return nil
            }
        }
        guard let d = dataset as? ImageDataset else { return nil }
        switch name {
        case "transform": return d.transform.map { .object(TransformObject($0)) } ?? Value.none
        case "target_transform": return targetTransform ?? Value.none
        case "classes": return .list(ListBox(d.classes.map { .string($0) }))
        case "data": return .tensor(d.images)
        case "targets": return .tensor(try interpreter.engine { () throws(TensorError) in try d.labels.to(.int64) })
        case "train": return .bool(d.train)
        case "root": return .string(d.root)
        default: return nil
        }
    }

    func setAttribute(_ name: String, _ value: Value, _ interpreter: Interpreter) throws(DLXError) -> Bool {
        if name == "target_transform", dataset is ImageDataset { targetTransform = value.isNone ? nil : value; return true }
        guard name == "transform", let d = dataset as? ImageDataset else { return false }
        d.transform = value.isNone ? nil : try interpreter.transform(value)
        return true
    }

    var attributeNames: [String] { dataset is ImageDataset ? Interpreter.datasetMethods.names : [] }
}

final class DataLoaderObject: PyObject {
    let loader: DataLoader
    let datasetValue: Value
    /// The `generator=` given: the pass's seeds and order come from it instead of the session's generator.
    let generator: GeneratorObject?
    init(_ loader: DataLoader, datasetValue: Value, generator: GeneratorObject? = nil) {
        self.loader = loader; self.datasetValue = datasetValue; self.generator = generator
    }

    var typeName: String { "DataLoader" }
    var qualifiedName: String { "torch.utils.data.dataloader.DataLoader" }
    func length(_ interpreter: Interpreter) throws(DLXError) -> Int? { loader.count }

    func makeIterator(_ interpreter: Interpreter) throws(DLXError) -> ValueIterator? {
        var pass = try interpreter.drawing(from: generator) { g throws(TensorError) in loader.makeIterator(generator: &g, own: generator != nil) }
        var ended = false
        return ValueIterator { [self] () throws(DLXError) -> Value? in
            try interpreter.checkInterrupt()
            guard let fields = try interpreter.drawing({ g throws(TensorError) in try pass.next(generator: &g) }) else {
                try interpreter.endOfPass(generator, shuffle: loader.shuffle, count: loader.dataset.count, done: &ended)
                return nil
            }
            if case .tensor(let images)? = fields.first, images.dtype == .uint8, images.rank == 3, interpreter.givesPictures(loader.dataset) {
                throw Interpreter.collatePictureError
            }
            return .list(ListBox(fields.map(Value.init)))
        }
    }

    func attribute(_ name: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "dataset": return datasetValue
        case "batch_size": return .int(loader.batchSize)
        case "drop_last": return .bool(loader.dropLast)
        default: return nil
        }
    }

    var attributeNames: [String] { Interpreter.loaderMethods.names }
}

final class TransformObject: PyObject {
    let transform: Transform
    init(_ transform: Transform) { self.transform = transform }
    var typeName: String { String(transform.repr.prefix { $0 != "(" }) }
    var qualifiedName: String { "torchvision.transforms.transforms." + typeName }
    func repr(_ interpreter: Interpreter) -> String { transform.repr }
    func call(_ args: inout Arguments, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        args.function = "__call__"
        let x = try args.required(0, "pic")
        try args.finish()
        return try interpreter.applyTransform(transform, x)
    }
    func attribute(_ name: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        if name == "transforms", let c = transform as? Compose { return .list(ListBox(c.transforms.map { .object(TransformObject($0)) })) }
        return nil
    }
}

extension Value {
    /// A dataset sample's field as a language value.
    init(_ field: Field) {
        switch field {
        case .tensor(let t): self = .tensor(t)
        case .int(let n): self = .int(n)
        }
    }
}
