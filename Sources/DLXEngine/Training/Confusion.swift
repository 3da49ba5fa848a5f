/// A confusion matrix over a loader, in eval mode without gradients: counts[true][predicted], and for
/// each confused pair the first input that was confused that way.
public struct Confusion {
    public var counts: [[Int]]
    public var examples: [Pair: Tensor] = [:]

    public struct Pair: Hashable, Sendable {
        public var truth: Int, predicted: Int
    }

    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    public var correct: Int { counts.indices.reduce(0) { $0 + counts[$1][$1] } }

    /// The off-diagonal pairs, most frequent first (ties by label order).
    public var mostConfused: [(Pair, Int)] {
        var pairs: [(Pair, Int)] = []
        for t in counts.indices { for p in counts[t].indices where p != t && counts[t][p] > 0 { pairs.append((Pair(truth: t, predicted: p), counts[t][p])) } }
        return pairs.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : ($0.0.truth, $0.0.predicted) < ($1.0.truth, $1.0.predicted) }
    }

    /// `classes`: the dataset's number of classes, or nil to take the width of the model's output.
    public static func compute(_ model: Module, _ loader: DataLoader, classes known: Int?, generator: inout Generator,
                               interrupted: () -> Bool, progress: (Int, Int) -> Void) throws(TensorError) -> Confusion {
        let wasTraining = model.training
        model.setTraining(false)
        defer { model.setTraining(wasTraining) }
        guard let first = model.parameters.first else { throw .value("confusion needs a model with parameters") }
        return try first.backend.autograd.with(enabled: false) { () throws(TensorError) in
            var result = Confusion(counts: [])
            var classes = known ?? 0
            var pass = loader.makeIterator(generator: &generator)
            var context = ForwardContext(generator: generator)
            defer { generator = context.generator }
            var batches = 0
            while let batch = try pass.next(generator: &context.generator) {
                if interrupted() { throw TensorError(.interrupted, "") }
                let (x, y) = try Trainer.split(batch, to: first.accelerator == nil ? nil : first.backend)
                let output = try model(x, &context).contiguous().onHost()     // (N, C)
                guard output.rank == 2, output.dtype == .float32 else { throw .value("confusion needs a model that outputs (N, classes) scores") }
                let n = output.shape[0], c = output.shape[1]
                if result.counts.isEmpty {
                    if known == nil { classes = c }
                    result.counts = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
                }
                let labels = try y.int64s()
                for i in 0..<n {
                    let row = output.f32 + i * c
                    var best = 0
                    for j in 1..<Swift.max(c, 1) where row[j] > row[best] { best = j }
                    let t = Int(labels[i])
                    guard t >= 0, t < classes, best < classes else {
                        throw .value("label \(t) or prediction \(best) is outside the \(classes) classes")
                    }
                    result.counts[t][best] += 1
                    let pair = Pair(truth: t, predicted: best)
                    if t != best, result.examples[pair] == nil { result.examples[pair] = try x.select(0, i).onHost().contiguous() }
                }
                batches += 1
                progress(batches, loader.count)
            }
            return result
        }
    }
}
