/// Shape operations that return views sharing storage (reshape copies only when no view can express it).
extension Tensor {
    /// Resolves one `-1` in a requested shape against this tensor's element count.
    func inferShape(_ requested: [Int]) throws(TensorError) -> [Int] {
        var shape = requested
        var inferred: Int? = nil
        var known = 1
        for (i, s) in requested.enumerated() {
            if s == -1 {
                if inferred != nil { throw .runtime("only one dimension can be inferred") }
                inferred = i
            } else if s < 0 {
                throw .runtime("invalid shape dimension \(s)")
            } else {
                let (p, o) = known.multipliedReportingOverflow(by: s)
                if o { throw .runtime("shape '\(requested)' is invalid for input of size \(count)") }
                known = p
            }
        }
        if let i = inferred {
            guard known != 0, count % known == 0 else {
                throw .runtime("shape '\(requested)' is invalid for input of size \(count)")
            }
            shape[i] = count / known
        } else if known != count {
            throw .runtime("shape '\(requested)' is invalid for input of size \(count)")
        }
        return shape
    }

    /// Strides that let `newShape` view this tensor's memory, if any do (PyTorch's computeStride).
    func viewStrides(_ newShape: [Int]) throws(TensorError) -> [Int]? {
        if isContiguous || count == 0 { return try Tensor.contiguousStrides(newShape) }
        var newStrides = [Int](repeating: 0, count: newShape.count)
        var viewD = newShape.count - 1
        var chunkBase = strides.last ?? 1
        var tensorNumel = 1, viewNumel = 1
        for d in stride(from: rank - 1, through: 0, by: -1) {
            tensorNumel *= shape[d]
            if d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase) {
                while viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1) {
                    newStrides[viewD] = viewNumel * chunkBase
                    viewNumel *= newShape[viewD]
                    viewD -= 1
                }
                if viewNumel != tensorNumel { return nil }
                if d > 0 { chunkBase = strides[d - 1]; tensorNumel = 1; viewNumel = 1 }
            }
        }
        return viewD == -1 ? newStrides : nil
    }

    public func view(_ requested: [Int]) throws(TensorError) -> Tensor {
        try derive("ViewBackward0", [self], { () throws(TensorError) in try viewForward(requested) }) { [shape] g, _ throws(TensorError) in
            [try g.reshape(shape)]
        }
    }

    private func viewForward(_ requested: [Int]) throws(TensorError) -> Tensor {
        let shape = try inferShape(requested)
        guard let s = try viewStrides(shape) else {
            throw .runtime("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
        }
        return view(shape: shape, strides: s, offset: offset)
    }

    public func reshape(_ requested: [Int]) throws(TensorError) -> Tensor {
        try derive("ViewBackward0", [self], { () throws(TensorError) in try reshapeForward(requested) }) { [shape] g, _ throws(TensorError) in
            [try g.reshape(shape)]
        }
    }

    private func reshapeForward(_ requested: [Int]) throws(TensorError) -> Tensor {
        let shape = try inferShape(requested)
        if let s = try viewStrides(shape) { return view(shape: shape, strides: s, offset: offset) }
        let c = try clone()
        return c.view(shape: shape, strides: try Tensor.contiguousStrides(shape), offset: 0)
    }

    public func flatten(_ startDim: Int = 0, _ endDim: Int = -1) throws(TensorError) -> Tensor {
        if rank == 0 { return try reshape([1]) }
        let s = try normalizeDim(startDim, rank), e = try normalizeDim(endDim, rank)
        guard s <= e else { throw .runtime("flatten() has invalid args: start_dim cannot come after end_dim") }
        if s == e { return self }
        let middle = shape[s...e].reduce(1, *)
        return try reshape(Array(shape[..<s]) + [middle] + Array(shape[(e + 1)...]))
    }

    /// Inserts a dimension of size 1 at `dim` (which may equal the rank).
    public func unsqueeze(_ dim: Int) throws(TensorError) -> Tensor {
        let d = try normalizeDim(dim, rank + 1)
        return try derive("UnsqueezeBackward0", [self], { insertingAxis(at: d) }) { g, _ throws(TensorError) in [try g.squeeze(d)] }
    }

    func insertingAxis(at d: Int) -> Tensor {
        var sh = shape, st = strides
        let s = d < rank ? strides[d] * shape[d] : 1
        sh.insert(1, at: d)
        st.insert(s, at: d)
        return view(shape: sh, strides: st, offset: offset)
    }

    /// Removes dimensions of size 1 (all of them, or only `dim`).
    public func squeeze(_ dim: Int? = nil) throws(TensorError) -> Tensor {
        try derive(dim == nil ? "SqueezeBackward0" : "SqueezeBackward1", [self], { () throws(TensorError) in try squeezeForward(dim) }) { [shape] g, _ throws(TensorError) in
            [try g.reshape(shape)]
        }
    }

    private func squeezeForward(_ dim: Int?) throws(TensorError) -> Tensor {
        var sh = shape, st = strides
        if let dim {
            if rank == 0 { _ = try normalizeDim(dim, 1); return self }
            let d = try normalizeDim(dim, rank)
            if shape[d] == 1 { sh.remove(at: d); st.remove(at: d) }
        } else {
            var i = sh.count - 1
            while i >= 0 { if sh[i] == 1 { sh.remove(at: i); st.remove(at: i) }; i -= 1 }
        }
        return view(shape: sh, strides: st, offset: offset)
    }

    public func permute(_ dims: [Int]) throws(TensorError) -> Tensor {
        let out = try permuteForward(dims)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, d) in dims.enumerated() { inverse[d < 0 ? d + rank : d] = i }
        return try derive("PermuteBackward0", [self], { out }) { g, _ throws(TensorError) in [try g.permute(inverse)] }
    }

    private func permuteForward(_ dims: [Int]) throws(TensorError) -> Tensor {
        guard dims.count == rank else {
            throw .runtime("permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = \(rank) is not equal to len(dims) = \(dims.count)")
        }
        var seen = Set<Int>()
        var sh: [Int] = [], st: [Int] = []
        for d in dims {
            let n = try normalizeDim(d, rank)
            guard seen.insert(n).inserted else { throw .runtime("permute(): duplicate dims are not allowed.") }
            sh.append(shape[n]); st.append(strides[n])
        }
        return view(shape: sh, strides: st, offset: offset)
    }

    public func transpose(_ a: Int, _ b: Int, gradName: String = "TransposeBackward0") throws(TensorError) -> Tensor {
        if rank == 0 { _ = try normalizeDim(a, 1); _ = try normalizeDim(b, 1); return self }
        let x = try normalizeDim(a, rank), y = try normalizeDim(b, rank)
        var sh = shape, st = strides
        sh.swapAt(x, y); st.swapAt(x, y)
        return try derive(gradName, [self], { view(shape: sh, strides: st, offset: offset) }) { g, _ throws(TensorError) in
            [try g.transpose(x, y)]
        }
    }

    /// `t()`: transposes a matrix; vectors and scalars come back as they are.
    public func t() throws(TensorError) -> Tensor {
        guard rank <= 2 else { throw .runtime("t() expects a tensor with <= 2 dimensions, but self is \(rank)D") }
        return rank < 2 ? self : try transpose(0, 1, gradName: "TBackward0")
    }

    /// A broadcast view to `target` (stride 0 along repeated dimensions).
    public func expand(to target: [Int]) throws(TensorError) -> Tensor {
        if target == shape { return self }
        return try derive("ExpandBackward0", [self], { () throws(TensorError) in try expandForward(target) }) { [shape] g, _ throws(TensorError) in
            [try g.sumTo(shape)]
        }
    }

    /// PyTorch's `inferExpandGeometry`: -1 keeps an existing size, new leading dimensions get stride 0 and
    /// must be given a size, and the view's element count must fit (`expand(2**40, 2**40)` is an error).
    private func expandForward(_ target: [Int]) throws(TensorError) -> Tensor {
        guard target.count >= rank else {
            throw .runtime("expand: the number of sizes provided (\(target.count)) must be greater or equal to the number of dimensions in the tensor (\(rank))")
        }
        var sh = target
        var st = [Int](repeating: 0, count: target.count)
        let lead = target.count - rank
        for i in 0..<target.count {
            if i < lead {
                if target[i] < 0 {
                    throw .runtime("The expanded size of the tensor (\(target[i])) isn't allowed in a leading, non-existing dimension \(i)")
                }
                continue
            }
            let s = shape[i - lead]
            if target[i] == -1 { sh[i] = s }
            if s == sh[i] { st[i] = strides[i - lead] }
            else if s != 1 {
                throw .runtime("The expanded size of the tensor (\(target[i])) must match the existing size (\(s)) at non-singleton dimension \(i).  Target sizes: \(target).  Tensor sizes: \(shape)")
            } else if sh[i] < 0 {
                throw .runtime("Trying to create tensor with negative dimension \(sh[i]): \(target)")
            }
        }
        try Tensor.checkedViewShape(sh)
        return view(shape: sh, strides: st, offset: offset)
    }

    /// The broadcast shape of two shapes, NumPy's rules.
    public static func broadcastShape(_ a: [Int], _ b: [Int]) throws(TensorError) -> [Int] {
        let n = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let x = i < n - a.count ? 1 : a[i - (n - a.count)]
            let y = i < n - b.count ? 1 : b[i - (n - b.count)]
            if x == y || y == 1 { out[i] = x }
            else if x == 1 { out[i] = y }
            else {
                throw .runtime("The size of tensor a (\(x)) must match the size of tensor b (\(y)) at non-singleton dimension \(i)")
            }
        }
        return out
    }

    /// Elements start..<start+length along `dim`.
    public func narrow(_ dim: Int, _ start: Int, _ length: Int) throws(TensorError) -> Tensor {
        let d = try normalizeDim(dim, rank)
        guard start >= 0, length >= 0, length <= shape[d] - start else {
            throw .index("start (\(start)) + length (\(length)) exceeds dimension size (\(shape[d])).")
        }
        var sh = shape
        sh[d] = length
        return try derive("SliceBackward0", [self], { view(shape: sh, strides: strides, offset: offset + start * strides[d]) }) { [shape, backend] g, _ throws(TensorError) in
            let z = try Tensor.zeros(shape, on: backend)
            try z.narrow(d, start, length).copy(from: g)
            return [z]
        }
    }

    /// The slice at `index` along `dim`, which disappears.
    public func select(_ dim: Int, _ index: Int) throws(TensorError) -> Tensor {
        guard rank > 0 else { throw .index("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number") }
        let d = try normalizeDim(dim, rank)
        let size = shape[d]
        guard index >= -size && index < size else {
            throw .index("index \(index) is out of bounds for dimension \(d) with size \(size)")
        }
        let i = index < 0 ? index + size : index
        var sh = shape, st = strides
        sh.remove(at: d); st.remove(at: d)
        return try derive("SelectBackward0", [self], { view(shape: sh, strides: st, offset: offset + i * strides[d]) }) { [shape, backend] g, _ throws(TensorError) in
            let z = try Tensor.zeros(shape, on: backend)
            try z.select(d, i).copy(from: g)
            return [z]
        }
    }

    /// Python slice semantics along `dim` (bounds clamp; the step must be positive, as in PyTorch).
    public func slice(_ dim: Int, start: Int?, stop: Int?, step: Int) throws(TensorError) -> Tensor {
        guard step > 0 else { throw .value("step must be greater than zero") }
        let d = try normalizeDim(dim, rank)
        let size = shape[d]
        func clamp(_ v: Int?, _ def: Int) -> Int {
            guard var v else { return def }
            if v < 0 { v += size }
            return Swift.min(Swift.max(v, 0), size)
        }
        let s = clamp(start, 0), e = Swift.max(clamp(stop, size), s)
        var sh = shape, st = strides
        // Written so that a huge step (x[n::2**62]) cannot overflow: it leaves at most one element.
        sh[d] = e == s ? 0 : (e - s - 1) / step + 1
        st[d] = sh[d] <= 1 ? strides[d] : strides[d] * step
        return try derive("SliceBackward0", [self], { view(shape: sh, strides: st, offset: offset + s * strides[d]) }) { [shape, backend] g, _ throws(TensorError) in
            let z = try Tensor.zeros(shape, on: backend)
            try z.slice(d, start: s, stop: e, step: step).copy(from: g)
            return [z]
        }
    }
}
