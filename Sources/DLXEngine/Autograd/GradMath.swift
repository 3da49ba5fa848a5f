/// Small arithmetic helpers that keep the backward rules readable. They run with grad mode off
/// (inside `backward`), so they build no graph of their own.
extension Tensor {
    func plus(_ o: Tensor) throws(TensorError) -> Tensor { try Tensor.binary(.add, .tensor(self), .tensor(o)) }
    func minus(_ o: Tensor) throws(TensorError) -> Tensor { try Tensor.binary(.sub, .tensor(self), .tensor(o)) }
    func times(_ o: Tensor) throws(TensorError) -> Tensor { try Tensor.binary(.mul, .tensor(self), .tensor(o)) }
    func over(_ o: Tensor) throws(TensorError) -> Tensor { try Tensor.binary(.div, .tensor(self), .tensor(o)) }
    func scaled(_ s: Double) throws(TensorError) -> Tensor { try Tensor.binary(.mul, .tensor(self), .scalar(.float(s))) }
    func negated() throws(TensorError) -> Tensor { try unary(.neg) }

    /// The gradient of a reduction, broadcast back over the reduced dimension.
    func expandGrad(over dim: Int?, keepdim: Bool, to shape: [Int]) throws(TensorError) -> Tensor {
        guard let dim else { return try expand(to: shape) }
        let g = keepdim ? self : insertingAxis(at: dim)
        return try g.expand(to: shape)
    }

    /// A zero tensor of `shape` with `g` written where `items` index it: the gradient of indexing.
    static func scatterGrad(_ g: Tensor, into shape: [Int], _ items: [IndexItem], on backend: any Backend) throws(TensorError) -> Tensor {
        // Device gradients are scattered on the host (tensor indices of device tensors stay on the host).
        let z = try Tensor.zeros(shape, on: backend.hostBackend)
        try z.indexAdd(items.map { item throws(TensorError) in
            if case .tensor(let t) = item { return .tensor(try t.onHost()) } else { return item }
        }, try g.onHost())
        return try z.transferred(to: backend)
    }
}
