/// In-place operations (`add_`, `x += y`, `clamp_`, `resize_`, `scatter_`) and `clamp`.
extension Tensor {
    /// Writes `compute(self)` into this tensor's elements, as PyTorch's in-place ops do: the result must have
    /// this tensor's shape (no broadcasting of the destination) and a dtype this one can hold.
    ///
    /// When autograd records the op (grad mode on, and this tensor or another operand requires grad), the
    /// tensor's history moves to a snapshot of its old value, and the tensor becomes the op's output: a later
    /// backward goes through the op, then through what made the old value. (PyTorch keeps uses of the old
    /// value made before the op apart by version; here those uses see the new history, which is exact for
    /// additions and subtractions.)
    public func updateInPlace(_ compute: (Tensor) throws(TensorError) -> Tensor) throws(TensorError) {
        let recording = backend.autograd.enabled
        if recording && requiresGrad && isLeaf {
            throw .runtime("a leaf Variable that requires grad is being used in an in-place operation.")
        }
        var source = self
        if recording && requiresGrad {
            // The old value and its history, kept apart from the storage about to change.
            let snapshot = try backend.autograd.with(enabled: false) { () throws(TensorError) in try clone() }
            snapshot.gradFn = gradFn
            snapshot.requiresGrad = true
            source = snapshot
        }
        let result = try compute(source)
        guard result.shape == shape else {
            throw .runtime("output with shape \(shape) doesn't match the broadcast shape \(result.shape)")
        }
        if result.dtype != dtype && !Tensor.canCast(result.dtype, to: dtype) {
            throw .runtime("result type \(result.dtype.pytorchScalarName) can't be cast to the desired output type \(dtype.pytorchScalarName)")
        }
        if result === self { return }
        try backend.autograd.with(enabled: false) { () throws(TensorError) in try copy(from: result) }
        if recording && result.requiresGrad && result.gradFn != nil {
            gradFn = result.gradFn
            requiresGrad = true
        }
    }

    /// PyTorch's `can_cast` for in-place results: not from floating point to an integer or bool, nor from
    /// an integer to bool.
    static func canCast(_ from: DType, to: DType) -> Bool {
        if from.isFloatingPoint { return to.isFloatingPoint }
        if to == .bool { return from == .bool }
        return true
    }

    /// `clamp(min, max)`: each element limited to [min, max] (either may be absent; with min > max every
    /// element is max, as in PyTorch). The gradient passes where min <= x <= max.
    public func clamp(min lower: Scalar?, max upper: Scalar?) throws(TensorError) -> Tensor {
        guard lower != nil || upper != nil else { throw .runtime("torch.clamp: At least one of 'min' or 'max' must not be None") }
        return try derive("ClampBackward1", [self], { () throws(TensorError) in
            var r = self
            if let lower { r = try Tensor.binary(.maximum, .tensor(r), .scalar(lower)) }
            if let upper { r = try Tensor.binary(.minimum, .tensor(r), .scalar(upper)) }
            return r === self ? try clone() : r
        }) { g, _ throws(TensorError) in
            // The gradient times each bound's 0/1 mask (float masks: every device multiplies them).
            var r = g
            if let lower { r = try r.times(try Tensor.binary(.ge, .tensor(self), .scalar(lower)).to(g.dtype)) }
            if let upper { r = try r.times(try Tensor.binary(.le, .tensor(self), .scalar(upper)).to(g.dtype)) }
            return [r]
        }
    }

    /// `resize_(*sizes)`: the tensor takes the new shape, contiguous from its offset; its storage grows
    /// when too small (the old elements kept in order, new ones zero).
    public func resize(_ newShape: [Int]) throws(TensorError) {
        if requiresGrad { throw .runtime("cannot resize variables that require grad") }
        let n = try Tensor.checkedCount(newShape)
        let (needed, overflow) = (offset + n).multipliedReportingOverflow(by: dtype.itemSize)
        if overflow { throw TensorError(.memory, "can't allocate memory: a tensor of size \(newShape) is too large") }
        if needed > storage.byteCount {
            let grown = try Tensor.zeros([offset + n], dtype: dtype, on: backend)
            let oldCount = storage.byteCount / dtype.itemSize
            if oldCount > 0 {
                let old = Tensor(storage: storage, shape: [oldCount], strides: [1], offset: 0, dtype: dtype)
                try grown.view(shape: [oldCount], strides: [1], offset: 0).assign(from: old)
            }
            storage = grown.storage
        }
        shape = newShape
        strides = try Tensor.contiguousStrides(newShape)
    }

    /// `scatter_(dim, index, src)`: self[..., index[i][j], ...] = src[i][j] along `dim` (a number for `src`
    /// fills). Index and src need this tensor's rank, and no larger sizes than it outside `dim`.
    public func scatter(dim d: Int, index given: Tensor, source: Operand) throws(TensorError) {
        let dim = try normalizeDim(d, Swift.max(rank, 1))
        // A 0-d index counts as 1-d (PyTorch's ensure_nonempty_dim), and so does a 0-d source.
        let index = given.rank == 0 ? given.insertingAxis(at: 0) : given
        var source = source
        if case .tensor(let s) = source, s.rank == 0 { source = .tensor(s.insertingAxis(at: 0)) }
        guard !index.dtype.isFloatingPoint && index.dtype != .bool else {
            throw .runtime("scatter(): Expected dtype int64 for index")
        }
        guard index.rank == Swift.max(rank, 1) else {
            throw .runtime("Index tensor must have the same number of dimensions as self tensor")
        }
        if case .tensor(let src) = source, src.rank != index.rank {
            throw .runtime("Index tensor must have the same number of dimensions as src tensor")
        }
        let selfShape = rank == 0 ? [1] : shape
        for k in 0..<index.rank where k != dim && index.shape[k] > selfShape[k] {
            throw .runtime("Size does not match at dimension \(k) expected index \(TensorPrinter.sizeRepr(index.shape)) to be smaller than self \(TensorPrinter.sizeRepr(shape)) apart from dimension \(dim)")
        }
        if case .tensor(let src) = source {
            for k in 0..<index.rank where index.shape[k] > src.shape[k] {
                throw .runtime("Size does not match at dimension \(k) expected index \(TensorPrinter.sizeRepr(index.shape)) to be smaller than src \(TensorPrinter.sizeRepr(src.shape)) apart from dimension \(dim)")
            }
        }
        try requireHost("scatter_")
        let targets = try index.int64s()
        // The source's elements in row-major order of its own shape (integers kept exact).
        let src = try source.tensor.map { s throws(TensorError) in try s.onHost() }
        let doubles = try src.map { s throws(TensorError) in try s.doubles() }
        let ints = try src.map { s throws(TensorError) in s.dtype.isFloatingPoint ? [] : try s.int64s() }
        let fill: Scalar = { if case .scalar(let s) = source { return s }; return .int(0) }()
        let srcShape = src?.shape ?? []
        var position = [Int](repeating: 0, count: index.rank)
        for k in 0..<index.count {
            let t = Int(targets[k])
            let size = rank == 0 ? 1 : shape[dim]
            guard t >= -size && t < size else { throw .index("index \(t) is out of bounds for dimension \(dim) with size \(size)") }
            var at = offset
            for j in 0..<index.rank { at += (j == dim ? (t < 0 ? t + size : t) : position[j]) * (rank == 0 ? 0 : strides[j]) }
            if let doubles, let ints {
                var flat = 0, scale = 1
                for j in stride(from: srcShape.count - 1, through: 0, by: -1) { flat += position[j] * scale; scale *= srcShape[j] }
                if dtype.isFloatingPoint || ints.isEmpty { store(doubles[flat], at) } else { storeInt(ints[flat], at) }
            } else if case .int(let v) = fill, !dtype.isFloatingPoint {
                storeInt(v, at)
            } else {
                store(fill.double, at)
            }
            // Next index position, row-major.
            var j = index.rank - 1
            while j >= 0 {
                position[j] += 1
                if position[j] < index.shape[j] { break }
                position[j] = 0
                j -= 1
            }
        }
    }
}
