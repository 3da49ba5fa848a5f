/// Cross-entropy and NLL on device tensors. The loss stays on the device (a 0-dim tensor); its
/// backward scales by the incoming gradient on the device too, so no value crosses to the host.
extension Loss {
    static func deviceCrossEntropy(_ input: Tensor, _ target: Tensor, _ reduction: Reduction,
                                   _ acc: any Accelerator) throws(TensorError) -> Tensor {
        let n = input.shape[0], c = input.shape[1]
        let (x, labels) = try operands(input, target)
        let logp = try Tensor.empty([n, c], on: input.backend)      // (N, C)
        try acc.softmaxRows(x.address, logp.address, rows: n, cols: c, log: true)
        let (out, scale) = try deviceNLLValue(logp, labels, reduction, acc)
        return out.recorded("NllLossBackward0", [input]) { g, _ throws(TensorError) in
            let gx = try Tensor.empty([n, c], on: input.backend)
            try acc.crossEntropyBackward(logp.address, labels: labels.address, gx.address, rows: n, cols: c, scale: scale)
            return [try gx.times(g)]
        }
    }

    static func deviceNLL(_ logp: Tensor, _ target: Tensor, _ labels: [Int64], _ reduction: Reduction,
                          _ acc: any Accelerator) throws(TensorError) -> Tensor {
        let n = logp.shape[0], c = logp.shape[1]
        let (x, t) = try operands(logp, target)
        let (out, scale) = try deviceNLLValue(x, t, reduction, acc)
        return out.recorded("NllLossBackward0", [logp]) { g, _ throws(TensorError) in
            // -scale at each label: built from the labels the host already holds, then scaled by g on the device.
            var template = [Float](repeating: 0, count: n * c)
            for i in 0..<n { template[i * c + Int(labels[i])] = -scale }
            return [try Tensor.from(template, shape: [n, c], on: logp.backend).times(g)]
        }
    }

    /// Contiguous float32 scores and contiguous labels, not recorded.
    private static func operands(_ scores: Tensor, _ target: Tensor) throws(TensorError) -> (Tensor, Tensor) {
        try scores.backend.autograd.with(enabled: false) { () throws(TensorError) in
            (try scores.to(.float32).contiguous(), try target.contiguous())
        }
    }

    /// The NLL of contiguous log-probabilities (N, C) at the labels, reduced on the device, and the scale
    /// the reduction applied (1/N for the mean).
    private static func deviceNLLValue(_ logp: Tensor, _ labels: Tensor, _ reduction: Reduction,
                                       _ acc: any Accelerator) throws(TensorError) -> (Tensor, Float) {
        let n = logp.shape[0], c = logp.shape[1]
        let rowLoss = try Tensor.empty([n], on: logp.backend)       // (N)
        try acc.nllRows(logp.address, labels: labels.address, rowLoss.address, rows: n, cols: c)
        let scale: Float = reduction == .mean ? 1 / Float(Swift.max(n, 1)) : 1
        let out = try Tensor.empty([], on: logp.backend)
        try acc.sumRows(rowLoss.address, out.address, rows: 1, cols: n, scale: scale)
        return (out, scale)
    }
}
