/// torchsummary's `summary(model, input_size)` table, built from one forward pass of a random batch of 2.
public enum ModelSummary {
    struct Row { var name: String; var outputShape: [Int]; var parameters: Int; var trainable: Bool? }

    public static func table(_ model: Module, inputSize: [Int], batchSize: Int = -1, generator: inout Generator,
                             backend: any Backend) throws(TensorError) -> String {
        let x = try Tensor.rand([2] + inputSize, generator: &generator, on: backend)
        var rows: [Row] = []
        var context = ForwardContext(generator: generator)
        context.observer = { module, _, output in
            guard module !== model else { return }
            var shape = output.shape
            if !shape.isEmpty { shape[0] = batchSize }
            var params = 0
            var trainable: Bool? = nil
            for (name, p) in module.ownParameters where name == "weight" || name == "bias" {
                params += p.count
                if name == "weight" { trainable = p.requiresGrad }
            }
            rows.append(Row(name: "\(module.typeName)-\(rows.count + 1)", outputShape: shape, parameters: params, trainable: trainable))
        }
        _ = try model(x, &context)
        generator = context.generator

        let rule = String(repeating: "-", count: 64), double = String(repeating: "=", count: 64)
        var lines = [rule, row("Layer (type)", "Output Shape", "Param #"), double]
        var total = 0, trainable = 0, outputs = 0
        for r in rows {
            lines.append(row(r.name, "[" + r.outputShape.map(String.init).joined(separator: ", ") + "]", NumberFormat.grouped(r.parameters)))
            total += r.parameters
            outputs += r.outputShape.reduce(1, *)
            if r.trainable == true { trainable += r.parameters }
        }
        let mb = 1024.0 * 1024.0
        let inputMB = Swift.abs(inputSize.map(Double.init).reduce(1, *) * Double(batchSize) * 4 / mb)   // (any batch_size)
        let outputMB = Swift.abs(2 * Double(outputs) * 4 / mb)
        let paramsMB = Swift.abs(Double(total) * 4 / mb)
        func f(_ v: Double) -> String { NumberFormat.format("%0.2f", v) }
        lines += [
            double,
            "Total params: \(NumberFormat.grouped(total))",
            "Trainable params: \(NumberFormat.grouped(trainable))",
            "Non-trainable params: \(NumberFormat.grouped(total - trainable))",
            rule,
            "Input size (MB): \(f(inputMB))",
            "Forward/backward pass size (MB): \(f(outputMB))",
            "Params size (MB): \(f(paramsMB))",
            "Estimated Total Size (MB): \(f(paramsMB + outputMB + inputMB))",
            rule,
        ]
        return lines.joined(separator: "\n")
    }

    /// `"{:>20}  {:>25} {:>15}"`.
    static func row(_ a: String, _ b: String, _ c: String) -> String {
        pad(a, 20) + "  " + pad(b, 25) + " " + pad(c, 15)
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }
}
