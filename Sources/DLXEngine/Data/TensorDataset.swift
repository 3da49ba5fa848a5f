/// `TensorDataset(x, y, ...)`: samples are the i-th slices of tensors that share their first dimension.
public final class TensorDataset: Dataset {
    public let tensors: [Tensor]

    public init(_ tensors: [Tensor]) throws(TensorError) {
        guard let first = tensors.first else { throw .value("TensorDataset needs at least one tensor") }
        guard first.rank > 0 else { throw .value("TensorDataset tensors need a first dimension") }
        for t in tensors where t.rank == 0 || t.shape[0] != first.shape[0] {
            throw .value("Size mismatch between tensors: \(tensors.map { $0.shape.first ?? 0 })")
        }
        self.tensors = tensors
    }

    public var count: Int { tensors[0].shape[0] }

    public func item(_ index: Int, generator: inout Generator) throws(TensorError) -> [Field] {
        let i = try checkedIndex(index)
        var out: [Field] = []
        for t in tensors { out.append(.tensor(try t.select(0, i))) }
        return out
    }

    public var repr: String { "<torch.utils.data.dataset.TensorDataset object>" }
}

/// `Subset(dataset, indices)`, and what `random_split` returns.
public final class Subset: Dataset {
    public let dataset: Dataset
    public let indices: [Int]

    public init(_ dataset: Dataset, indices: [Int]) throws(TensorError) {
        // Negative indices count from the end, as in Python (PyTorch keeps them as given).
        for i in indices where i < -dataset.count || i >= dataset.count {
            throw .index("index \(i) is out of range for a dataset of \(dataset.count)")
        }
        self.dataset = dataset; self.indices = indices
    }

    public var count: Int { indices.count }

    public func item(_ index: Int, generator: inout Generator) throws(TensorError) -> [Field] {
        try dataset.item(indices[try checkedIndex(index)], generator: &generator)
    }

    public var repr: String { "<torch.utils.data.dataset.Subset object>" }

    /// `random_split(dataset, lengths)`: lengths as counts summing to the dataset's size, or fractions.
    public static func randomSplit(_ dataset: Dataset, lengths: [Double], generator: inout Generator) throws(TensorError) -> [Subset] {
        var counts: [Int]
        if lengths.allSatisfy({ $0 >= 0 && $0 <= 1 }) && abs(lengths.reduce(0, +) - 1) < 1e-9 && lengths.contains(where: { $0 != $0.rounded() }) {
            counts = lengths.map { Int(($0 * Double(dataset.count)).rounded(.down)) }
            var left = dataset.count - counts.reduce(0, +)
            var k = 0
            while left > 0 { counts[k % counts.count] += 1; left -= 1; k += 1 }
        } else {
            // Whole counts no larger than the dataset (NaN, infinities and 1e308 are no counts).
            guard lengths.allSatisfy({ $0 >= 0 && $0 <= Double(dataset.count) && $0 == $0.rounded() }) else {
                throw .value("random_split lengths must be whole counts that sum to the dataset's size, or fractions that sum to 1; got \(lengths.map { NumberFormat.pythonRepr($0) })")
            }
            counts = lengths.map { Int($0) }
            guard counts.reduce(0, +) == dataset.count else {
                throw .value("Sum of input lengths does not equal the length of the input dataset!")
            }
        }
        let order = generator.permutation(dataset.count)
        var start = 0
        var out: [Subset] = []
        for c in counts {
            out.append(try Subset(dataset, indices: Array(order[start..<(start + c)])))
            start += c
        }
        return out
    }
}

/// `ConcatDataset([a, b, ...])`: the datasets one after another.
public final class ConcatDataset: Dataset {
    public let datasets: [Dataset]
    /// Where each dataset ends: PyTorch's `cumulative_sizes`.
    public let cumulativeSizes: [Int]

    public init(_ datasets: [Dataset]) throws(TensorError) {
        guard !datasets.isEmpty else { throw .value("datasets should not be an empty iterable") }
        var total = 0, ends: [Int] = []
        for d in datasets { total += d.count; ends.append(total) }
        self.datasets = datasets; cumulativeSizes = ends
    }

    public var count: Int { cumulativeSizes.last ?? 0 }

    public func item(_ index: Int, generator: inout Generator) throws(TensorError) -> [Field] {
        let i = try checkedIndex(index)
        let k = cumulativeSizes.firstIndex { i < $0 }!
        return try datasets[k].item(i - (k == 0 ? 0 : cumulativeSizes[k - 1]), generator: &generator)
    }

    public var repr: String { "<torch.utils.data.dataset.ConcatDataset object>" }
}
