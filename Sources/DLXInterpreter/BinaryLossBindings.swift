import DLXEngine

/// `nn.BCELoss`, `nn.BCEWithLogitsLoss`, `F.binary_cross_entropy` and `F.binary_cross_entropy_with_logits`.
extension Interpreter {
    private func bceReduction(_ a: inout Arguments, _ at: Int?) throws(DLXError) -> BinaryCrossEntropyLoss.Reduction {
        // size_average and reduce are PyTorch's deprecated spellings; dlx takes reduction= only.
        for k in ["size_average", "reduce"] {
            if let v = try a.get(nil, k), !v.isNone { throw DLXError("NotImplementedError", "\(k)= is deprecated in PyTorch and not supported in dlx: use reduction=") }
        }
        let r = try a.get(at, "reduction").map { v throws(DLXError) in try toStringValue(v, "reduction") } ?? "mean"
        guard let reduction = BinaryCrossEntropyLoss.Reduction(rawValue: r) else { throw .value("\(r) is not a valid value for reduction") }
        return reduction
    }

    private func optionalTensor(_ a: inout Arguments, _ at: Int?, _ name: String) throws(DLXError) -> Tensor? {
        try a.get(at, name).flatMap { v throws(DLXError) -> Tensor? in v.isNone ? nil : try toTensor(v, name) }
    }

    func binaryLossModules() -> [String: Value] {
        [
            "BCELoss": .object(TypeObject("BCELoss", qualified: Interpreter.pytorchClassPath("BCELoss")) { a, i throws(DLXError) in
                let w = try i.optionalTensor(&a, 0, "weight")
                return .module(BinaryCrossEntropyLoss(logits: false, reduction: try i.bceReduction(&a, 3), weight: w))
            }),
            "BCEWithLogitsLoss": .object(TypeObject("BCEWithLogitsLoss", qualified: Interpreter.pytorchClassPath("BCEWithLogitsLoss")) { a, i throws(DLXError) in
                let w = try i.optionalTensor(&a, 0, "weight")
                let reduction = try i.bceReduction(&a, 3)
                let pw = try i.optionalTensor(&a, 4, "pos_weight")
                return .module(BinaryCrossEntropyLoss(logits: true, reduction: reduction, weight: w, posWeight: pw))
            }),
        ]
    }

    func binaryLossFunctions() -> [String: Value] {
        [
            "binary_cross_entropy": function("binary_cross_entropy") { a, i throws(DLXError) in
                let x = try i.toTensor(try a.required(0, "input"), "input"), y = try i.toTensor(try a.required(1, "target"), "target")
                let w = try i.optionalTensor(&a, 2, "weight")
                let reduction = try i.bceReduction(&a, 5)
                return .tensor(try i.engine { () throws(TensorError) in try BinaryCrossEntropyLoss.binaryCrossEntropy(x, y, weight: w, reduction: reduction) })
            },
            "binary_cross_entropy_with_logits": function("binary_cross_entropy_with_logits") { a, i throws(DLXError) in
                let x = try i.toTensor(try a.required(0, "input"), "input"), y = try i.toTensor(try a.required(1, "target"), "target")
                let w = try i.optionalTensor(&a, 2, "weight")
                let reduction = try i.bceReduction(&a, 5)
                let pw = try i.optionalTensor(&a, 6, "pos_weight")
                return .tensor(try i.engine { () throws(TensorError) in
                    try BinaryCrossEntropyLoss.withLogits(x, y, weight: w, posWeight: pw, reduction: reduction)
                })
            },
        ]
    }
}
