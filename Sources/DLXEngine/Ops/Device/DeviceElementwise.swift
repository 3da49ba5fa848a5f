/// Elementwise operations on device tensors: float32 arithmetic with broadcasting, comparisons of
/// float32 or int64 operands, and float32 functions with their gradients.
extension Tensor {
    /// Moves this tensor's data to `target` in place, with its gradient: how `model.to(device)` moves
    /// parameters and buffers while optimizers keep holding the same tensors.
    public func moveData(to target: any Backend) throws(TensorError) {
        guard target !== backend else { return }
        let moved = try transferred(to: target)
        storage = moved.storage
        strides = moved.strides
        offset = 0
        if let g = grad { grad = try g.transferred(to: target) }
    }

    /// `out = a (op) b` for `binaryForward`, with `out` already on the device.
    static func deviceBinary(_ op: ElementwiseOp, _ a: Operand, _ b: Operand, _ out: Tensor, compute: DType,
                             _ acc: any Accelerator) throws(TensorError) {
        let backend = out.backend
        if let comparison = Comparison(op) {
            let integer = !compute.isFloatingPoint
            guard compute == .float32 || compute == .int64 || integer else {
                throw .runtime("comparing \(compute.name) tensors does not run on \(out.device) tensors in dlx yet: move the tensors with .cpu() first")
            }
            func operand(_ o: Operand) throws(TensorError) -> Tensor {
                switch o {
                case .scalar(let s):
                    return integer ? try Tensor.from([s.int64Value], shape: [], dtype: .int64, on: backend)
                                   : try Tensor.full([], s.double, on: backend)
                case .tensor(let t):
                    guard integer else { return try t.to(.float32) }
                    guard t.dtype == .int64 else {
                        throw .runtime("comparing \(t.dtype.name) tensors does not run on \(out.device) tensors in dlx yet: move the tensors with .cpu() first")
                    }
                    return t
                }
            }
            let x = try operand(a).expand(to: out.shape), y = try operand(b).expand(to: out.shape)
            try acc.compare(comparison, x.address, y.address, out.address, try layout(out.shape, x.strides, y.strides), int64: integer)
            return
        }
        guard compute == .float32, out.dtype == .float32, let k = op.kernel else {
            throw .runtime("\(op) on \(compute.name) tensors does not run on \(out.device) tensors in dlx yet: move the tensors with .cpu() first")
        }
        switch (a, b) {
        case (.tensor(let x), .scalar(let s)):
            let xc = try x.to(.float32).expand(to: out.shape).contiguous()
            try acc.binaryScalar(k, xc.address, Float(s.double), out.address, count: out.count, scalarFirst: false)
        case (.scalar(let s), .tensor(let y)):
            let yc = try y.to(.float32).expand(to: out.shape).contiguous()
            try acc.binaryScalar(k, yc.address, Float(s.double), out.address, count: out.count, scalarFirst: true)
        case (.tensor(let x), .tensor(let y)):
            let xe = try x.to(.float32).expand(to: out.shape), ye = try y.to(.float32).expand(to: out.shape)
            try acc.binary(k, xe.address, ye.address, out.address, try layout(out.shape, xe.strides, ye.strides))
        case (.scalar, .scalar):
            throw .type("binary operation needs a tensor operand")
        }
    }

    /// `unaryForward` on the device: float32 results (integer inputs converted first).
    func deviceUnary(_ op: UnaryOp, _ acc: any Accelerator) throws(TensorError) -> Tensor {
        guard let kernel = op.kernel, dtype == .float32 || [.uint8, .bool, .int64].contains(dtype),
              !(dtype != .float32 && (op == .neg || op == .abs || op == .relu)) else {
            throw .runtime("\(op) with dtype \(dtype.name) does not run on \(device) tensors in dlx yet: move the tensor with .cpu() first")
        }
        let x = try to(.float32).contiguous()
        let out = try empty(shape, dtype: .float32)
        try acc.unary(kernel, x.address, out.address, count: count)
        return out
    }

    /// `unaryGradient` on the device.
    static func deviceUnaryGradient(_ k: UnaryKernel, _ g: Tensor, input: Tensor, output: Tensor,
                                    _ acc: any Accelerator) throws(TensorError) -> Tensor {
        let gc = try g.to(.float32).contiguous(), x = try input.to(.float32).contiguous(), y = try output.contiguous()
        let result = try Tensor.empty(output.shape, on: output.backend)
        try acc.unaryBackward(k, grad: gc.address, input: x.address, output: y.address, result.address, count: result.count)
        return result
    }
}

extension Scalar {
    /// The value as an int64 (floats truncated toward zero).
    var int64Value: Int64 {
        switch self {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return i
        case .float(let f): return Tensor.toInt64(f)
        }
    }
}
