import DLXEngine
import DLXFrontEnd

/// Datasets of the user's own (`class MyDataset(Dataset)` with `__len__` and `__getitem__`, or any object
/// with both) and the loaders over them: batches made by PyTorch's `default_collate` over whatever the
/// samples hold (tensors, numbers, strings, tuples, lists, dicts). For `fit` and `evaluate`, the same
/// loader runs through the engine's `DataLoader` over an adapter whose samples are (tensor, label) fields.
final class UserDataset: Dataset {
    let value: Value
    weak var interpreter: Interpreter?
    init(_ value: Value, _ interpreter: Interpreter) { self.value = value; self.interpreter = interpreter }

    var count: Int { (try? interpreter?.length(value)) ?? 0 }
    var repr: String { (try? interpreter?.repr(value)) ?? "<dataset>" }

    func item(_ index: Int, generator: inout Generator) throws(TensorError) -> [Field] {
        guard let i = interpreter else { throw .runtime("the dataset's session has ended") }
        do throws(DLXError) {
            let sample = try i.getItem(value, [.int(index)])
            var fields: [Field] = []
            for v in try i.iterateAll(sample) {
                switch v {
                case .tensor(let t): fields.append(.tensor(t))
                case .int(let n): fields.append(.int(n))
                case .bool(let b): fields.append(.int(b ? 1 : 0))
                default: throw DLXError("TypeError", "fit and evaluate need samples of tensors and int labels; the dataset gives a \(v.typeName)")
                }
            }
            return fields
        } catch {
            throw TensorError(error)
        }
    }
}

/// `DataLoader(my_dataset, batch_size=..., shuffle=..., drop_last=...)` over a user dataset.
final class UserLoaderObject: PyObject {
    let dataset: Value
    let batchSize: Int?
    let shuffle: Bool
    let dropLast: Bool
    let collateFunction: Value?
    let generator: GeneratorObject?

    init(_ dataset: Value, batchSize: Int?, shuffle: Bool, dropLast: Bool, collate: Value?, generator: GeneratorObject? = nil) {
        self.dataset = dataset; self.batchSize = batchSize; self.shuffle = shuffle; self.dropLast = dropLast
        self.collateFunction = collate; self.generator = generator
    }

    var typeName: String { "DataLoader" }
    var qualifiedName: String { "torch.utils.data.dataloader.DataLoader" }

    func length(_ i: Interpreter) throws(DLXError) -> Int? {
        let n = try i.length(dataset)
        guard let b = batchSize else { return n }
        return dropLast ? n / b : (n + b - 1) / b
    }

    func makeIterator(_ i: Interpreter) throws(DLXError) -> ValueIterator? {
        let n = try i.length(dataset)
        // In order, the indices are counted; shuffled, the permutation is made, within the memory limit.
        if shuffle {
            guard n <= DataLoader.maxSamples else { throw DLXError("MemoryError", "cannot shuffle \(n) samples (dlx orders at most \(DataLoader.maxSamples))") }
            try i.engine { () throws(TensorError) in try i.session.backend.checkHostMemory(byteCount: n * 16) }
        }
        let order = try i.drawing(from: generator) { g throws(TensorError) in g.passOrder(n, shuffle: shuffle, own: generator != nil) }
        func index(_ k: Int) -> Int { order?[k] ?? k }
        var position = 0, ended = false
        return ValueIterator { [self] () throws(DLXError) -> Value? in
            try i.checkInterrupt()
            guard position < n else { try i.endOfPass(generator, shuffle: shuffle, count: n, done: &ended); return nil }
            guard let b = batchSize else {
                position += 1
                return try i.defaultConvert(try i.getItem(dataset, [.int(index(position - 1))]))
            }
            let end = min(position + b, n)
            if dropLast && end - position < b { try i.endOfPass(generator, shuffle: shuffle, count: n, done: &ended); return nil }
            let indices = (position..<end).map(index)
            position = end
            if collateFunction == nil, let batch = try i.batchedItems(dataset, indices) { return batch }
            var samples: [Value] = []
            for k in indices { samples.append(try i.getItem(dataset, [.int(k)])) }
            if let f = collateFunction {
                var a = Arguments([.list(ListBox(samples))])
                return try i.call(f, &a)
            }
            return try i.collate(samples)
        }
    }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "dataset": return dataset
        case "batch_size": return batchSize.map { .int($0) } ?? Value.none
        case "drop_last": return .bool(dropLast)
        default: return nil
        }
    }

    var attributeNames: [String] { Interpreter.loaderMethods.names }

    /// The engine loader `fit` and `evaluate` run over.
    func engineLoader(_ i: Interpreter) throws(DLXError) -> DataLoader {
        try i.engine { () throws(TensorError) in
            try DataLoader(UserDataset(dataset, i), batchSize: batchSize ?? 1, shuffle: shuffle, dropLast: dropLast)
        }
    }
}

extension Interpreter {
    /// A whole batch at once, for the `__getitem__` course code writes over tensors it holds:
    /// `return self.x[i], self.y[i]` (a tuple, list or dict of the instance's tensors indexed by the index).
    /// Indexing each tensor with the batch's indices gives exactly what stacking the samples would, so the
    /// batch is one gather per tensor instead of a call per sample. nil for any other `__getitem__` (or when
    /// the attributes are not tensors): the samples are then fetched one by one.
    func batchedItems(_ dataset: Value, _ indices: [Int]) throws(DLXError) -> Value? {
        guard case .object(let instance as PyInstance) = dataset, let (f, _) = instance.cls.lookup("__getitem__"),
              case .object(let getter as UserFunction) = f, getter.parameters.count == 2,
              getter.parameters.allSatisfy({ $0.kind == .positional && $0.defaultValue == nil }) else { return nil }
        var body = getter.definition.body[...]
        if case .expression(let e)? = body.first?.kind, case .string = e.kind { body = body.dropFirst() }
        guard body.count == 1, case .returnValue(let result?) = body.first?.kind else { return nil }
        let selfName = getter.parameters[0].name, indexName = getter.parameters[1].name
        var gathered: [String: Tensor] = [:]
        // Each leaf must be `self.<attribute>[<index>]` over a tensor in the instance's own attributes.
        func leaf(_ e: Expr) -> Tensor? {
            guard case .subscript(let base, let items) = e.kind, items.count == 1, case .name(indexName) = items[0].kind,
                  case .attribute(let owner, let attribute) = base.kind, case .name(selfName) = owner.kind,
                  instance.cls.lookup(attribute) == nil, case .tensor(let t)? = instance.attributes[attribute], t.rank > 0 else { return nil }
            return t
        }
        func plan(_ e: Expr) -> Bool {
            switch e.kind {
            case .tuple(let items), .list(let items): return !items.isEmpty && items.allSatisfy(plan)
            case .dict(let pairs): return pairs.allSatisfy { if let k = $0.0, case .string = k.kind { return plan($0.1) } else { return false } }
            default: return leaf(e) != nil
            }
        }
        guard plan(result) else { return nil }
        let index = try engine { () throws(TensorError) in
            try Tensor.from(indices.map { Int64($0) }, shape: [indices.count], on: session.backend)
        }
        session.batchedFetches += 1
        func build(_ e: Expr) throws(DLXError) -> Value {
            switch e.kind {
            case .tuple(let items), .list(let items):
                var out: [Value] = []
                for x in items { out.append(try build(x)) }
                return .list(ListBox(out))
            case .dict(let pairs):
                let d = DictBox()
                for (k, v) in pairs { if let k, case .string(let key) = k.kind { try d.set(.string(key), try build(v)) } }
                return .dict(d)
            default:
                let t = leaf(e)!
                let key = "\(ObjectIdentifier(t))"
                if let g = gathered[key] { return .tensor(g) }
                let g = try engine { () throws(TensorError) in try t.index([.tensor(index)]) }
                gathered[key] = g
                return .tensor(g)
            }
        }
        return try build(result)
    }

    /// PyTorch's `default_collate`.
    func collate(_ batch: [Value], depth: Int = 0) throws(DLXError) -> Value {
        guard depth < 32 else { throw DLXError("RecursionError", "maximum recursion depth exceeded in default_collate") }
        guard let first = batch.first else { return .list(ListBox([])) }
        switch first {
        case .tensor:
            var tensors: [Tensor] = []
            for v in batch {
                guard case .tensor(let t) = v else { throw collateError(v) }
                tensors.append(t)
            }
            return .tensor(try engine { () throws(TensorError) in try Tensor.stack(tensors, dim: 0) })
        case .bool, .int, .float:
            // Python floats collate to float64, as torch.tensor of a list of floats with default_collate.
            let floats = batch.contains { if case .float = $0 { return true } else { return false } }
            return .tensor(try tensorData(.list(ListBox(batch)), dtype: floats ? .float64 : nil))
        case .string:
            return .list(ListBox(batch))
        case .dict(let d):
            let out = DictBox()
            for k in d.keys {
                var column: [Value] = []
                for v in batch {
                    guard case .dict(let e) = v, let x = try e.get(k) else { throw keyError(k) }
                    column.append(x)
                }
                try out.set(k, try collate(column, depth: depth + 1))
            }
            return .dict(out)
        case .tuple, .list:
            var rows: [[Value]] = []
            for v in batch { rows.append(try iterateAll(v)) }
            let width = rows[0].count
            guard rows.allSatisfy({ $0.count == width }) else {
                throw DLXError("RuntimeError", "each element in list of batch should be of equal size")
            }
            var columns: [Value] = []
            for k in 0..<width { columns.append(try collate(rows.map { $0[k] }, depth: depth + 1)) }
            return .list(ListBox(columns))
        case .object(is NDArrayObject):   // NumPy arrays stack into a tensor of their dtype
            var tensors: [Tensor] = []
            for v in batch {
                guard case .object(let a as NDArrayObject) = v else { throw collateError(v) }
                tensors.append(a.tensor)
            }
            return .tensor(try engine { () throws(TensorError) in try Tensor.stack(tensors, dim: 0) })
        case .object(let s as NumpyScalar):
            return .tensor(try tensorData(.list(ListBox(batch.map(numpyPlain))), dtype: s.dtype))
        default:
            if let u = first.protocols as? UserObject, u.cls.lookup("_fields") != nil {
                return .list(ListBox([]))
            }
            throw collateError(first)
        }
    }

    private func collateError(_ v: Value) -> DLXError {
        DLXError("TypeError", "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found \(typeRepr(v))")
    }

    /// `<class 'NoneType'>`.
    func typeRepr(_ v: Value) -> String { (try? repr(typeOf(v))) ?? "<class '\(v.typeName)'>" }

    /// PyTorch's `default_convert` (batch_size=None): tuples become lists, the rest stays.
    func defaultConvert(_ v: Value) throws(DLXError) -> Value {
        if case .tuple(let items) = v { return .list(ListBox(try items.map { x throws(DLXError) in try defaultConvert(x) })) }
        return v
    }

    /// A torch Dataset: the built-in ones and instances of `Dataset` subclasses.
    func isDataset(_ v: Value) -> Bool {
        if case .object(is DatasetObject) = v { return true }
        if let u = v.protocols as? UserObject { return u.cls.native == .dataset }
        return false
    }

    /// `ConcatDataset(datasets)`, and `a + b` of two datasets.
    func concatDatasets(_ parts: [Value]) throws(DLXError) -> Value {
        let datasets = try parts.map { v throws(DLXError) in try anyDataset(v) }
        return .object(DatasetObject(try engine { () throws(TensorError) in try ConcatDataset(datasets) }))
    }

    /// A user dataset as an engine dataset (for `Subset`, `random_split`, `ConcatDataset` and `fit`).
    func anyDataset(_ v: Value) throws(DLXError) -> Dataset {
        if case .object(let o as DatasetObject) = v { return o.dataset }
        _ = try length(v)
        return UserDataset(v, self)
    }
}
