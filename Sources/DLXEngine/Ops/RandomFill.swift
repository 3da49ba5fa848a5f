/// Random tensors and in-place random fills, drawn as PyTorch's CPU kernels draw them: the same words of
/// the generator, in the same order, through the same transformations (see `Generator`). Elements are
/// filled in the tensor's logical order; on a GPU backend they are drawn on the host and copied over.
extension Tensor {
    /// `torch.rand`: uniform in [0, 1), float32 from 24 bits of one word, float64 from 53 bits of two.
    public static func rand(_ shape: [Int], dtype: DType = .float32, generator: inout Generator, on backend: any Backend) throws(TensorError) -> Tensor {
        try drawn(shape, dtype: dtype, on: backend) { t throws(TensorError) in try t.fillUniform(0, 1, generator: &generator) }
    }

    /// `torch.randn`: standard normal (PyTorch's blockwise Box-Muller from 16 elements on).
    public static func randn(_ shape: [Int], dtype: DType = .float32, generator: inout Generator, on backend: any Backend) throws(TensorError) -> Tensor {
        try drawn(shape, dtype: dtype, on: backend) { t throws(TensorError) in try t.fillNormal(0, 1, generator: &generator) }
    }

    /// `torch.randint(low, high, shape)`: uniform integers in low..<high (`random_from_to`).
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int], dtype: DType = .int64, generator: inout Generator,
                               on backend: any Backend) throws(TensorError) -> Tensor {
        guard high > low else { throw .runtime("random_ expects 'from' to be less than 'to', but got from=\(low) >= to=\(high)") }
        let range = UInt64(bitPattern: Int64(high) &- Int64(low))   // up to 2^64 - 1, as PyTorch's uint64 range
        return try drawn(shape, dtype: dtype, on: backend) { t throws(TensorError) in
            // Stored as integers: exact beyond 2^53, where a double would round.
            for i in 0..<t.count { t.storeInt(Int64(low) &+ Int64(bitPattern: generator.nextInteger(range: range)), i) }
        }
    }

    /// A fresh contiguous host tensor filled by `fill`, then moved to `backend`.
    static func drawn(_ shape: [Int], dtype: DType, on backend: any Backend, _ fill: (Tensor) throws(TensorError) -> Void) throws(TensorError) -> Tensor {
        if let d = backend as? DeviceBackend { return try drawn(shape, dtype: dtype, on: d.host, fill).transferred(to: d) }
        let t = try empty(shape, dtype: dtype, on: backend)
        try fill(t)
        return t
    }

    /// `uniform_(from, to)` in place.
    public func uniform(_ from: Double, _ to: Double, generator: inout Generator) throws(TensorError) {
        try refill { t throws(TensorError) in try t.fillUniform(from, to, generator: &generator) }
    }

    /// `normal_(mean, std)` in place; a tensor that is not contiguous draws element by element, as in PyTorch.
    public func normal(_ mean: Double, _ std: Double, generator: inout Generator) throws(TensorError) {
        let blockwise = isContiguous
        try refill { t throws(TensorError) in try t.fillNormal(mean, std, blockwise: blockwise, generator: &generator) }
    }

    /// `random_(from, to)` in place (`random_()` of int64 draws 63 bits: `Generator.nextInt63`).
    public func randomIntegers(_ from: Int, _ to: Int, generator: inout Generator) throws(TensorError) {
        let drawn = try Tensor.randint(from, to, shape, dtype: dtype, generator: &generator, on: backend)
        try backend.autograd.with(enabled: false) { () throws(TensorError) in try copy(from: drawn) }
    }

    /// `random_()` in place: integers over the dtype's whole non-negative range (float32 to 2^24 and float64
    /// to 2^53, inclusive), as PyTorch's `uniform_int_distribution` draws them.
    public func randomIntegers(generator: inout Generator) throws(TensorError) {
        let dtype = self.dtype
        try refill { t throws(TensorError) in
            for i in 0..<t.count {
                switch dtype {
                case .int64: t.storeInt(generator.nextInt63(), i)
                case .int32: t.storeInt(Int64(generator.random() & 0x7FFF_FFFF), i)
                case .uint8: t.storeInt(Int64(generator.random() & 0xFF), i)
                case .bool: t.storeInt(Int64(generator.random() & 1), i)
                case .float32: t.storeInt(Int64(generator.random() % (1 << 24 + 1)), i)
                case .float64: t.storeInt(Int64(generator.random64() % (1 << 53 + 1)), i)
                }
            }
        }
    }

    /// The elements drawn into a fresh contiguous tensor of this dtype on the host, then copied in.
    func refill(_ fill: (Tensor) throws(TensorError) -> Void) throws(TensorError) {
        let device = backend as? DeviceBackend
        if isContiguous && device == nil {
            bumpVersion()
            try fill(self)
            return
        }
        // PyTorch's iterator walks a strided tensor in memory order (the dimensions by falling stride): the
        // draws go to a contiguous tensor of that order, permuted back.
        let order = (0..<rank).sorted { strides[$0] > strides[$1] || (strides[$0] == strides[$1] && $0 < $1) }
        var inverse = [Int](repeating: 0, count: rank)
        for (k, d) in order.enumerated() { inverse[d] = k }
        let t = try Tensor.empty(order.map { shape[$0] }, dtype: dtype, on: device?.host ?? backend)
        try fill(t)
        let drawn = try t.permute(inverse)
        try backend.autograd.with(enabled: false) { () throws(TensorError) in try copy(from: drawn.transferred(to: backend)) }
    }

    /// Fills a contiguous host tensor with uniforms in [from, to).
    func fillUniform(_ from: Double, _ to: Double, generator: inout Generator) throws(TensorError) {
        guard from <= to else {
            throw .runtime("uniform_ expects to return a [from, to) range, but found from=\(Tensor.cNumber(from)) > to=\(Tensor.cNumber(to))")
        }
        switch dtype {
        case .float32: generator.fillUniform(f32, count: count, from: from, to: to)
        case .float64: generator.fillUniform(f64, count: count, from: from, to: to)
        default: throw .runtime("\"check_uniform_bounds\" not implemented for '\(dtype.pytorchScalarName)'")
        }
    }

    /// Fills a contiguous host tensor with normals.
    func fillNormal(_ mean: Double, _ std: Double, blockwise: Bool = true, generator: inout Generator) throws(TensorError) {
        guard std >= 0 else { throw .runtime("normal expects std >= 0.0, but found std \(NumberFormat.pythonRepr(std))") }
        switch dtype {
        case .float32 where blockwise: generator.fillNormal(f32, count: count, mean: mean, std: std)
        case .float64 where blockwise: generator.fillNormal(f64, count: count, mean: mean, std: std)
        case .float32, .float64: for i in 0..<count { store(generator.nextNormal() * std + mean, offset + i) }
        default: throw .runtime("\"normal_kernel_cpu\" not implemented for '\(dtype.pytorchScalarName)'")
        }
    }

    /// A double as C++'s streams print one in PyTorch's messages: whole numbers without a point.
    static func cNumber(_ v: Double) -> String {
        v == v.rounded() && Swift.abs(v) < 1e15 ? String(Int(v)) : NumberFormat.pythonRepr(v)
    }

    var f64: UnsafeMutablePointer<Double> { storage.pointer.assumingMemoryBound(to: Double.self) + offset }

    /// The bound of `nn.init.kaiming_uniform_(w, a)` with fan_in `fanIn` (leaky ReLU's gain), computed in
    /// doubles as PyTorch's Python does: sqrt(3) * (sqrt(2 / (1 + a^2)) / sqrt(fan_in)).
    public static func kaimingUniformBound(fanIn: Int, a: Double) -> Double {
        let gain = (2.0 / (1 + a * a)).squareRoot()
        return 3.0.squareRoot() * (gain / Double(fanIn).squareRoot())
    }
}
