/// Matrix products on the backend's gemm. Transposed operands are passed with the transpose flag
/// instead of being copied.
extension Tensor {
    /// A float32 matrix as gemm wants it: a pointer, a leading dimension and a transpose flag.
    struct MatrixOperand {
        let base: Tensor      // keeps the memory alive
        let pointer: UnsafePointer<Float>
        let ld: Int
        let transposed: Bool
    }

    /// Rows x cols view `m` (rank 2) as a gemm operand, copying only when neither layout fits.
    static func gemmOperand(_ m: Tensor) throws(TensorError) -> MatrixOperand {
        let rows = m.shape[0], cols = m.shape[1]
        if m.dtype == .float32 {
            if m.strides[1] == 1 && m.strides[0] >= Swift.max(1, cols) {
                return MatrixOperand(base: m, pointer: UnsafePointer(m.f32), ld: m.strides[0], transposed: false)
            }
            if m.strides[0] == 1 && m.strides[1] >= Swift.max(1, rows) {
                return MatrixOperand(base: m, pointer: UnsafePointer(m.f32), ld: m.strides[1], transposed: true)
            }
        }
        let c = try m.to(.float32).contiguous()
        return MatrixOperand(base: c, pointer: UnsafePointer(c.f32), ld: Swift.max(1, cols), transposed: false)
    }

    /// out (m, n) = alpha * a (m, k) @ b (k, n) + beta * out.
    static func gemm(_ a: Tensor, _ b: Tensor, into out: Tensor, alpha: Float = 1, beta: Float = 0) throws(TensorError) {
        let x = try gemmOperand(a), y = try gemmOperand(b)
        let p = GemmParameters(transA: x.transposed, transB: y.transposed, m: a.shape[0], n: b.shape[1], k: a.shape[1],
                               alpha: alpha, beta: beta, a: x.pointer, lda: x.ld, b: y.pointer, ldb: y.ld,
                               c: out.f32, ldc: Swift.max(1, out.strides[0]))
        if let acc = out.accelerator {
            // Device operands: the pointers carry device addresses (never dereferenced here).
            try acc.gemm(DeviceGemm(transA: p.transA, transB: p.transB, m: p.m, n: p.n, k: p.k, alpha: alpha, beta: beta,
                                    a: DeviceBackend.address(p.a), lda: p.lda, b: DeviceBackend.address(p.b), ldb: p.ldb,
                                    c: DeviceBackend.address(p.c), ldc: p.ldc))
        } else if let cpu = out.backend as? CPUBackend {
            try cpu.interruptibleGemm(p)
        } else {
            out.backend.gemm(p)
        }
        withExtendedLifetime((x, y)) {}
    }

    public func matmul(_ other: Tensor) throws(TensorError) -> Tensor {
        let a = self, b = other
        let name = a.rank == 2 && b.rank == 2 ? "MmBackward0" : a.rank == 1 && b.rank == 1 ? "DotBackward0"
            : a.rank == 2 && b.rank == 1 ? "MvBackward0" : "BmmBackward0"
        return try derive(name, [a, b], saving: [b.requiresGrad ? a : nil, a.requiresGrad ? b : nil], { () throws(TensorError) in try a.matmulForward(b) }) { g, _ throws(TensorError) in
            // Promote vectors to matrices, use the matrix rule on the last two dimensions, then undo.
            let a2 = a.rank == 1 ? a.insertingAxis(at: 0) : a
            let b2 = b.rank == 1 ? b.insertingAxis(at: 1) : b
            var g2 = g
            if a.rank == 1 { g2 = g2.insertingAxis(at: g2.rank - (b.rank == 1 ? 0 : 1)) }
            if b.rank == 1 { g2 = g2.insertingAxis(at: g2.rank) }
            let ga = a.requiresGrad ? try g2.matmulForward(b2.transpose(-1, -2)).sumTo(a2.shape).reshape(a.shape) : nil
            let gb = b.requiresGrad ? try a2.transpose(-1, -2).matmulForward(g2).sumTo(b2.shape).reshape(b.shape) : nil
            return [ga, gb]
        }
    }

    func matmulForward(_ other: Tensor) throws(TensorError) -> Tensor {
        let a = self, b = other
        guard a.rank > 0 && b.rank > 0 else {
            throw .runtime("both arguments to matmul need to be at least 1D, but they are \(a.rank)D and \(b.rank)D")
        }
        try a.requireSameDevice(b)
        if !(a.dtype == .float32 && b.dtype == .float32) && a.dtype != b.dtype {
            throw .runtime("expected m1 and m2 to have the same dtype, but got: \(a.dtype.name.cppName) != \(b.dtype.name.cppName)")
        }
        if a.rank == 1 && b.rank == 1 {
            guard a.shape[0] == b.shape[0] else {
                throw .runtime("inconsistent tensor size, expected tensor [\(a.shape[0])] and src [\(b.shape[0])] to have the same number of elements, but got \(a.shape[0]) and \(b.shape[0]) elements respectively")
            }
            let r = try a.unsqueeze(0).matmulForward(b.unsqueeze(1))
            return try r.reshape([])
        }
        if a.rank == 2 && b.rank == 1 {
            guard a.shape[1] == b.shape[0] else {
                throw .runtime("size mismatch, got input (\(a.shape[0])), mat (\(a.shape[0])x\(a.shape[1])), vec (\(b.shape[0]))")
            }
            return try a.matmulForward(b.unsqueeze(1)).squeeze(1)
        }
        if a.rank == 1 && b.rank == 2 {
            guard a.shape[0] == b.shape[0] else {
                throw .runtime("size mismatch, got input (\(b.shape[1])), mat (\(b.shape[1])x\(b.shape[0])), vec (\(a.shape[0]))")
            }
            return try a.unsqueeze(0).matmulForward(b).squeeze(0)
        }
        if a.rank == 2 && b.rank == 2 {
            guard a.shape[1] == b.shape[0] else {
                throw .runtime("mat1 and mat2 shapes cannot be multiplied (\(a.shape[0])x\(a.shape[1]) and \(b.shape[0])x\(b.shape[1]))")
            }
            if a.dtype != .float32 { return try Tensor.integerMatmul(a, b) }
            let out = try Tensor.empty([a.shape[0], b.shape[1]], on: a.backend)
            if a.shape[1] == 0 { try out.fill(0); return out }
            try Tensor.gemm(a, b, into: out)
            return out
        }
        // Batched: broadcast the batch dimensions, then one gemm per matrix.
        let a3 = a.rank == 1 ? try a.unsqueeze(0) : a
        let b3 = b.rank == 1 ? try b.unsqueeze(1) : b
        let m = a3.shape[a3.rank - 2], k = a3.shape[a3.rank - 1]
        let k2 = b3.shape[b3.rank - 2], n = b3.shape[b3.rank - 1]
        guard k == k2 else {
            throw .runtime("Expected size for first two dimensions of batch2 tensor to be: [\(a3.shape.dropLast(2).reduce(1, *)), \(k)] but got: [\(b3.shape.dropLast(2).reduce(1, *)), \(k2)].")
        }
        let batch = try Tensor.broadcastShape(Array(a3.shape.dropLast(2)), Array(b3.shape.dropLast(2)))
        let ae = try a3.expand(to: batch + [m, k]).reshape([-1, m, k])
        let be = try b3.expand(to: batch + [k, n]).reshape([-1, k, n])
        let out = try Tensor.empty([ae.shape[0], m, n], dtype: a.dtype == .float32 ? .float32 : a.dtype, on: a.backend)
        for i in 0..<ae.shape[0] {
            try a.backend.cancellation.check()
            let o = try out.select(0, i)
            let r = try ae.select(0, i).matmulForward(be.select(0, i))
            try o.assign(from: r)
        }
        var shape = batch
        if a.rank > 1 { shape.append(m) }
        if b.rank > 1 { shape.append(n) }
        return try out.reshape(shape)
    }

    private static func integerMatmul(_ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
        let m = a.shape[0], k = a.shape[1], n = b.shape[1]
        try a.requireHost("an integer matrix product")
        let count = try Tensor.checkedCount([m, n])
        if a.dtype == .float64 {
            // float64 (NumPy's default float): the same loops in Double, not through Int64.
            let x = try a.doubles(), y = try b.doubles()
            try a.backend.checkHostArray(count, elementSize: MemoryLayout<Double>.stride)
            var r = [Double](repeating: 0, count: count)
            for i in 0..<m {
                try a.backend.cancellation.check()
                for l in 0..<k { let v = x[i * k + l]; for j in 0..<n { r[i * n + j] += v * y[l * n + j] } }
            }
            return try Tensor.from(r, shape: [m, n], dtype: .float64, on: a.backend)
        }
        let x = try a.int64s(), y = try b.int64s()
        try a.backend.checkHostArray(count, elementSize: MemoryLayout<Int64>.stride)
        var r = [Int64](repeating: 0, count: count)
        for i in 0..<m {
            try a.backend.cancellation.check()
            for l in 0..<k { let v = x[i * k + l]; for j in 0..<n { r[i * n + j] &+= v &* y[l * n + j] } }
        }
        return try Tensor.from(r, shape: [m, n], dtype: a.dtype, on: a.backend)
    }

    /// y = x @ weight.T + bias, recorded as one node: one gemm forward, two backward (none for an input
    /// that needs no gradient, such as the images of the first layer).
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws(TensorError) -> Tensor {
        let inputs = [x, weight] + (bias.map { [$0] } ?? [])
        return try x.derive(bias == nil ? "MmBackward0" : "AddmmBackward0", inputs,
                            saving: [weight.requiresGrad ? x : nil, x.requiresGrad ? weight : nil], { () throws(TensorError) in
            try linearForward(x, weight: weight, bias: bias)
        }) { g, _ throws(TensorError) in
            let grads = try linearBackward(g, x, weight: weight, needInput: x.requiresGrad, needBias: bias?.requiresGrad == true)
            return [grads.input, weight.requiresGrad ? grads.weight : nil] + (bias == nil ? [] : [grads.bias])
        }
    }

    /// The gradients of `linearForward`: dx = g W, dW = g^T x, db = column sums of g.
    static func linearBackward(_ g: Tensor, _ x: Tensor, weight: Tensor, needInput: Bool, needBias: Bool) throws(TensorError)
        -> (input: Tensor?, weight: Tensor, bias: Tensor?) {
        let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
        let g2 = try g.to(.float32).contiguous().reshape([-1, outFeatures])   // (N, out)
        let x2 = try x.reshape([-1, inFeatures])                               // (N, in)
        var gx: Tensor? = nil
        if needInput {
            let r = try Tensor.empty([g2.shape[0], inFeatures], on: x.backend)   // (N, in)
            try gemm(g2, weight, into: r)
            gx = try r.reshape(x.shape)
            gx?.isFreshGradient = true
        }
        let gw = try Tensor.empty([outFeatures, inFeatures], on: x.backend)       // (out, in)
        try gemm(g2.transpose(0, 1), x2, into: gw)
        gw.isFreshGradient = true
        var gb: Tensor? = nil
        if needBias {
            let b = try Tensor.zeros([outFeatures], on: x.backend)                // (out)
            if let acc = x.accelerator {
                try acc.sumAxis(g2.address, b.address, outer: 1, size: g2.shape[0], inner: outFeatures, scale: 1)
                b.isFreshGradient = true
                return (gx, gw, b)
            }
            let bp = b.f32, gp = g2.f32
            for r in 0..<g2.shape[0] {
                let row = gp + r * outFeatures
                for j in 0..<outFeatures { bp[j] += row[j] }
            }
            b.isFreshGradient = true
            gb = b
        }
        return (gx, gw, gb)
    }

    /// y = x @ weight.T + bias: the Linear layer's forward as one gemm (bias rows copied in, beta = 1).
    static func linearForward(_ x: Tensor, weight: Tensor, bias: Tensor?) throws(TensorError) -> Tensor {
        let inFeatures = weight.shape[1], outFeatures = weight.shape[0]
        // PyTorch checks the dtype first: a uint8 image is a dtype error whatever its shape.
        guard x.dtype == .float32 else {
            throw .runtime("mat1 and mat2 must have the same dtype, but got \(x.dtype.name.cppName) and Float")
        }
        guard x.rank >= 1, x.shape[x.rank - 1] == inFeatures else {
            let rows = x.rank >= 2 ? x.shape.dropLast().reduce(1, *) : 1
            let cols = x.shape.last ?? 1
            throw .runtime("mat1 and mat2 shapes cannot be multiplied (\(rows)x\(cols) and \(inFeatures)x\(outFeatures))")
        }
        try weight.requireSameDevice(x)
        let x2 = try x.reshape([-1, inFeatures])                     // (N, in)
        let out = try Tensor.empty([x2.shape[0], outFeatures], on: x.backend)  // (N, out)
        var beta: Float = 0
        if let bias, let acc = out.accelerator {
            try out.requireSameDevice(bias)
            // Bias rows gathered into the output (a stride of 0 repeats the row), then beta = 1.
            try acc.gather(bias.address, out.address, try layout(out.shape, [0, bias.strides[0]]), elementSize: 4)
            beta = 1
        } else if let bias {
            let b = try bias.contiguous().f32, o = out.f32
            for r in 0..<x2.shape[0] { (o + r * outFeatures).update(from: b, count: outFeatures) }
            beta = 1
        }
        if inFeatures == 0 { if bias == nil { try out.fill(0) }; return try out.reshape(Array(x.shape.dropLast()) + [outFeatures]) }
        try gemm(x2, weight.transpose(0, 1), into: out, beta: beta)
        return try out.reshape(Array(x.shape.dropLast()) + [outFeatures])
    }
}

extension String {
    /// `float32` -> `Float`, as PyTorch names scalar types in dtype mismatch errors.
    var cppName: String { DType.named(self)?.pytorchScalarName ?? self }
}
