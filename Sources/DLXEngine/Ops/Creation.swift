#if canImport(Glibc)
import Glibc
#endif

extension Tensor {
    public static func zeros(_ shape: [Int], dtype: DType = .float32, on backend: any Backend) throws(TensorError) -> Tensor {
        let t = try empty(shape, dtype: dtype, on: backend)
        if backend.accelerator != nil { try t.fillElements(0) } else { memset(t.storage.pointer, 0, t.storage.byteCount) }
        return t
    }

    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32, on backend: any Backend) throws(TensorError) -> Tensor {
        let t = try empty(shape, dtype: dtype, on: backend)
        try t.fillElements(value)
        return t
    }

    public static func ones(_ shape: [Int], dtype: DType = .float32, on backend: any Backend) throws(TensorError) -> Tensor {
        try full(shape, 1, dtype: dtype, on: backend)
    }

    public static func from(_ values: [Double], shape: [Int], dtype: DType, on backend: any Backend) throws(TensorError) -> Tensor {
        if let d = backend as? DeviceBackend { return try from(values, shape: shape, dtype: dtype, on: d.host).transferred(to: d) }
        let t = try empty(shape, dtype: dtype, on: backend)
        guard values.count == t.count else { throw .runtime("shape \(shape) is invalid for input of size \(values.count)") }
        for (i, v) in values.enumerated() { t.store(v, i) }
        return t
    }

    public static func from(_ values: [Int64], shape: [Int], dtype: DType = .int64, on backend: any Backend) throws(TensorError) -> Tensor {
        if let d = backend as? DeviceBackend { return try from(values, shape: shape, dtype: dtype, on: d.host).transferred(to: d) }
        let t = try empty(shape, dtype: dtype, on: backend)
        guard values.count == t.count else { throw .runtime("shape \(shape) is invalid for input of size \(values.count)") }
        for (i, v) in values.enumerated() { t.storeInt(v, i) }
        return t
    }

    public static func from(_ values: [Float], shape: [Int], on backend: any Backend) throws(TensorError) -> Tensor {
        if let d = backend as? DeviceBackend { return try from(values, shape: shape, on: d.host).transferred(to: d) }
        let t = try empty(shape, dtype: .float32, on: backend)
        guard values.count == t.count else { throw .runtime("shape \(shape) is invalid for input of size \(values.count)") }
        values.withUnsafeBufferPointer { t.f32.update(from: $0.baseAddress!, count: values.count) }
        return t
    }

    /// `torch.arange(start, end, step)`: the values start, start+step, ... before `end`.
    public static func arange(_ start: Double, _ end: Double, _ step: Double, dtype: DType, on backend: any Backend) throws(TensorError) -> Tensor {
        if let d = backend as? DeviceBackend { return try arange(start, end, step, dtype: dtype, on: d.host).transferred(to: d) }
        guard step != 0 else { throw .runtime("step must be nonzero") }
        guard start.isFinite && end.isFinite else { throw .runtime("unsupported range: \(start) -> \(end)") }
        guard (step > 0 && end >= start) || (step < 0 && end <= start) else {
            throw .runtime("upper bound and larger bound inconsistent with step sign")
        }
        // PyTorch's check: the count must be a valid size before anything is allocated.
        let size = ((end - start) / step).rounded(.up)
        guard size >= 0, size < 0x1p63 else { throw .runtime("invalid size, possible overflow?") }
        let n = Int(size)
        let t = try empty([n], dtype: dtype, on: backend)
        for i in 0..<n { t.store(start + Double(i) * step, i) }
        return t
    }

    /// `torch.linspace`: `steps` values from `start` to `end`, as PyTorch's CPU kernel makes them: the first
    /// half counted up from `start`, the second down from `end` (so both ends are exact), each one fused
    /// multiply-add in the tensor's precision (float32 for float32, double otherwise; integers truncate).
    public static func linspace(_ start: Double, _ end: Double, steps: Int, dtype: DType, on backend: any Backend) throws(TensorError) -> Tensor {
        if let d = backend as? DeviceBackend { return try linspace(start, end, steps: steps, dtype: dtype, on: d.host).transferred(to: d) }
        guard steps >= 0 else { throw .runtime("number of steps must be non-negative") }
        if steps == 1 { return try full([1], dtype.isFloatingPoint ? start : start.rounded(.towardZero), dtype: dtype, on: backend) }
        let t = try empty([steps], dtype: dtype, on: backend)
        let halfway = steps / 2
        if dtype == .float32 {
            let (a, b) = (Float(start), Float(end))
            let step = steps > 1 ? (b - a) / Float(steps - 1) : 0
            for i in 0..<steps {
                t.store(Double(i < halfway ? a.addingProduct(step, Float(i)) : b.addingProduct(-step, Float(steps - i - 1))), i)
            }
        } else {
            let (a, b) = dtype.isFloatingPoint ? (start, end) : (start.rounded(.towardZero), end.rounded(.towardZero))
            let step = steps > 1 ? (b - a) / Double(steps - 1) : 0
            for i in 0..<steps {
                let v = i < halfway ? a.addingProduct(step, Double(i)) : b.addingProduct(-step, Double(steps - i - 1))
                t.store(dtype.isFloatingPoint ? v : v.rounded(.towardZero), i)
            }
        }
        return t
    }

    public static func eye(_ n: Int, _ m: Int, dtype: DType = .float32, on backend: any Backend) throws(TensorError) -> Tensor {
        if let d = backend as? DeviceBackend { return try eye(n, m, dtype: dtype, on: d.host).transferred(to: d) }
        let t = try zeros([n, m], dtype: dtype, on: backend)
        for i in 0..<Swift.min(n, m) { t.store(1, i * m + i) }
        return t
    }

    /// `torch.cat`: joins tensors of equal shape but for `dim`.
    public static func cat(_ tensors: [Tensor], dim: Int) throws(TensorError) -> Tensor {
        guard let first = tensors.first else { throw .runtime("torch.cat(): expected a non-empty list of Tensors") }
        let out = try first.backend.autograd.with(enabled: false) { () throws(TensorError) in try catForward(tensors, dim: dim) }
        let d = try normalizeDim(dim, out.rank)
        // (The rule reads the output it is given, never `out` itself: capturing it would make the output hold its
        // own graph, a cycle that is never freed.)
        return out.recorded("CatBackward0", tensors) { g, out throws(TensorError) in
            var at = 0
            var grads: [Tensor?] = []
            for t in tensors {
                let n = t.rank == 1 && t.count == 0 && out.rank != 1 ? 0 : t.shape[d]
                grads.append(n == 0 ? nil : try g.narrow(d, at, n))
                at += n
            }
            return grads
        }
    }

    static func catForward(_ tensors: [Tensor], dim: Int) throws(TensorError) -> Tensor {
        if let i = tensors.firstIndex(where: { $0.rank == 0 }) {
            throw .runtime("zero-dimensional tensor (at position \(i)) cannot be concatenated")
        }
        guard let first = tensors.first(where: { !($0.rank == 1 && $0.count == 0) }) ?? tensors.first else {
            throw .runtime("torch.cat(): expected a non-empty list of Tensors")
        }
        let parts = tensors.filter { !($0.rank == 1 && $0.count == 0) || first.rank == 1 }
        let d = try normalizeDim(dim, first.rank)
        var dtype = first.dtype
        for (i, t) in parts.enumerated() {
            dtype = DType.promote(dtype, t.dtype)
            try first.requireSameDevice(t)
            guard t.rank == first.rank else {
                throw .runtime("Tensors must have same number of dimensions: got \(first.rank) and \(t.rank)")
            }
            for k in 0..<t.rank where k != d && t.shape[k] != first.shape[k] {
                throw .runtime("Sizes of tensors must match except in dimension \(d). Expected size \(first.shape[k]) but got size \(t.shape[k]) for tensor number \(i) in the list.")
            }
        }
        var shape = first.shape
        shape[d] = 0
        for t in parts {
            let (n, overflow) = shape[d].addingReportingOverflow(t.shape[d])
            if overflow { throw .runtime("Storage size calculation overflowed with sizes=\(shape)") }
            shape[d] = n
        }
        let out = try Tensor.empty(shape, dtype: dtype, on: first.backend)
        var at = 0
        for t in parts {
            let target = try out.narrow(d, at, t.shape[d])
            try target.assign(from: t)
            at += t.shape[d]
        }
        return out
    }

    /// `torch.stack`: joins tensors of equal shape along a new dimension.
    public static func stack(_ tensors: [Tensor], dim: Int) throws(TensorError) -> Tensor {
        guard let first = tensors.first else { throw .runtime("stack expects a non-empty TensorList") }
        let d = try normalizeDim(dim, first.rank + 1)
        for (i, t) in tensors.enumerated() where t.shape != first.shape {
            throw .runtime("stack expects each tensor to be equal size, but got \(first.shape) at entry 0 and \(t.shape) at entry \(i)")
        }
        let out = try first.backend.autograd.with(enabled: false) { () throws(TensorError) in
            try catForward(tensors.map { $0.insertingAxis(at: d) }, dim: d)
        }
        return out.recorded("StackBackward0", tensors) { g, _ throws(TensorError) in
            var grads: [Tensor?] = []
            for i in 0..<tensors.count { grads.append(try g.select(d, i)) }
            return grads
        }
    }
}

/// Python-style dimension index: negative counts from the end.
public func normalizeDim(_ dim: Int, _ rank: Int) throws(TensorError) -> Int {
    let r = Swift.max(rank, 1)
    guard dim >= -r && dim < r else {
        throw .index("Dimension out of range (expected to be in range of [\(-r), \(r - 1)], but got \(dim))")
    }
    return dim < 0 ? dim + r : dim
}
