/// `DataLoader(dataset, batch_size=1, shuffle=False, drop_last=False)`: batches of stacked samples,
/// reshuffled at the start of every pass as PyTorch's RandomSampler does (`Generator.passOrder`).
public final class DataLoader {
    public let dataset: Dataset
    public let batchSize: Int
    public let shuffle: Bool
    public let dropLast: Bool

    public init(_ dataset: Dataset, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false) throws(TensorError) {
        guard batchSize > 0 else {
            throw .value("batch_size should be a positive integer value, but got batch_size=\(batchSize)")
        }
        // A pass keeps the order of its samples (8 bytes each): past 2^31 samples that alone would be 16 GB.
        guard dataset.count <= DataLoader.maxSamples else {
            throw .init(.memory, "a DataLoader over \(dataset.count) samples is larger than dlx can order (at most \(DataLoader.maxSamples))")
        }
        self.dataset = dataset; self.batchSize = batchSize; self.shuffle = shuffle; self.dropLast = dropLast
    }

    public static let maxSamples = 1 << 31

    /// The number of batches in one pass.
    public var count: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// Starts a pass: draws what PyTorch's DataLoader draws at the start of one (`Generator.passOrder`), from
    /// the session's generator or, `own`, from the loader's `generator=`.
    public func makeIterator(generator: inout Generator, own: Bool = false) -> Iterator {
        let order = generator.passOrder(dataset.count, shuffle: shuffle, own: own) ?? Array(0..<dataset.count)
        return Iterator(loader: self, order: order)
    }

    public struct Iterator {
        let loader: DataLoader
        let order: [Int]
        var position = 0

        public mutating func next(generator: inout Generator) throws(TensorError) -> [Field]? {
            let n = order.count
            guard position < n else { return nil }
            let end = Swift.min(position + loader.batchSize, n)
            if loader.dropLast && end - position < loader.batchSize { return nil }
            let indices = order[position..<end]
            position = end
            return try loader.collate(indices, generator: &generator)
        }
    }

    /// PyTorch's default_collate for (tensor, label) samples: stacked tensors, int64 labels.
    func collate(_ indices: ArraySlice<Int>, generator: inout Generator) throws(TensorError) -> [Field] {
        if let images = dataset as? ImageDataset, let batch = try images.fastBatch(indices) { return batch }
        var columns: [[Field]] = []
        for i in indices {
            let sample = try dataset.item(i, generator: &generator)
            if columns.isEmpty { columns = Array(repeating: [], count: sample.count) }
            guard sample.count == columns.count else { throw .runtime("each element in list of batch should be of equal size") }
            for (k, f) in sample.enumerated() { columns[k].append(f) }
        }
        var out: [Field] = []
        // Labels are placed beside the samples' own tensors (any dataset: images, TensorDataset, Subset).
        let backend = columns.joined().lazy.compactMap { f -> (any Backend)? in
            if case .tensor(let t) = f { return t.backend } else { return nil }
        }.first
        for column in columns {
            var tensors: [Tensor] = [], ints: [Int64] = []
            for f in column {
                switch f {
                case .tensor(let t): tensors.append(t)
                case .int(let v): ints.append(Int64(v))
                }
            }
            if !tensors.isEmpty && !ints.isEmpty { throw .type("default_collate: a batch mixes tensors and numbers") }
            if !tensors.isEmpty { out.append(.tensor(try Tensor.stack(tensors, dim: 0))) }
            else if let b = backend { out.append(.tensor(try Tensor.from(ints, shape: [ints.count], on: b))) }
            else { throw .type("default_collate: cannot place labels without a tensor backend") }
        }
        return out
    }
}
