import DLXEngine

/// The steps of a forward being traced for `torch.onnx.export`, in the order they finished.
final class ForwardTrace {
    var steps: [ONNXExport.Step] = []
    func record(_ op: ONNXExport.Op, _ input: Tensor, _ output: Tensor) {
        guard input !== output else { return }
        steps.append(ONNXExport.Step(op, input: input, output: output))
    }
}

/// `torch.onnx.export(model, example_input, "model.onnx", input_names=..., output_names=..., dynamic_axes=...,
/// opset_version=17)`: the forward runs once on the example input in inference mode (dropout off, batch norm
/// on its running statistics, as PyTorch exports by default), with every layer and tensor function it calls
/// recorded; ONNXExport writes the graph.
extension Interpreter {
    func onnxMembers() -> [String: Value] {
        ["export": function("export") { a, i throws(DLXError) in try i.onnxExport(&a) }]
    }

    private func onnxExport(_ a: inout Arguments) throws(DLXError) -> Value {
        let modelValue = try a.required(0, "model")
        guard case .module(let model) = modelValue else { throw .type("torch.onnx.export() expects an nn.Module, not \(modelValue.typeName)") }
        let argsValue = try a.required(1, "args")
        let input: Tensor
        switch argsValue {
        case .tensor(let t): input = t
        case .tuple(let items) where items.count == 1: input = try toTensor(items[0], "args")
        default: throw DLXError("NotImplementedError", "dlx exports models with one tensor input (args=\(argsValue.typeName))")
        }
        let path = try pathArgument(try a.required(2, "f"), "export")
        var options = ONNXExport.Options()
        options.producerVersion = "dlx"
        if let v = try a.get(nil, "input_names"), !v.isNone, let first = try iterateAll(v).first { options.inputName = try toStringValue(first, "input_names") }
        if let v = try a.get(nil, "output_names"), !v.isNone, let first = try iterateAll(v).first { options.outputName = try toStringValue(first, "output_names") }
        if let v = try a.get(nil, "opset_version"), !v.isNone { options.opset = try toInt(v, "opset_version") }
        if let v = try a.get(nil, "dynamic_axes"), !v.isNone { options.dynamicAxes = try onnxDynamicAxes(v) }
        if let v = try a.get(nil, "export_params"), !(try truthy(v)) {
            throw DLXError("NotImplementedError", "dlx exports the parameters with the graph (export_params=False is not supported)")
        }
        for name in ["verbose", "dynamo", "training", "do_constant_folding", "external_data", "optimize", "report", "verify",
                     "keep_initializers_as_inputs", "kwargs"] { _ = try a.get(nil, name) }
        try session.checkWrite(path)

        // Run the forward in inference mode, recording what it calls; the modes come back afterwards.
        let modules = model.allModules
        let modes = modules.map(\.training)
        model.setTraining(false)
        let trace = ForwardTrace()
        let (savedTrace, savedContext) = (onnxTrace, forwardContext)
        onnxTrace = trace
        forwardContext = ForwardContext(generator: session.generator) { m, x, y in
            if !(m is UserModule) { trace.record(.layer(m), x, y) }
        }
        defer {
            for (m, mode) in zip(modules, modes) { m.training = mode }
            if let c = forwardContext { session.generator = c.generator }
            onnxTrace = savedTrace
            forwardContext = savedContext
        }
        var forwardArgs = Arguments([.tensor(input)])
        let result = try call(modelValue, &forwardArgs)
        guard case .tensor(let output) = result else {
            throw DLXError("NotImplementedError", "dlx exports models whose forward returns one tensor (this one returned \(result.typeName))")
        }
        onnxTrace = savedTrace
        let bytes = try engine { () throws(TensorError) in
            try ONNXExport.model(model, input: input, output: output, steps: trace.steps, options: options)
        }
        do { try AtomicFile.write(bytes, to: path, quota: session.diskQuota) } catch { throw DLXError(error.code == 2 ? "FileNotFoundError" : "OSError", error.description) }
        return Value.none
    }

    /// `{"input": {0: "batch"}}` or `{"input": [0]}` (named `input_dynamic_axes_1`, as PyTorch names them).
    private func onnxDynamicAxes(_ v: Value) throws(DLXError) -> [String: [Int: String]] {
        guard case .dict(let d) = v else { throw .type("dynamic_axes must be a dict, not \(v.typeName)") }
        var out: [String: [Int: String]] = [:]
        for (k, axes) in zip(d.keys, d.values) {
            let name = try toStringValue(k, "dynamic_axes")
            var named: [Int: String] = [:]
            switch axes {
            case .dict(let inner):
                for (axis, n) in zip(inner.keys, inner.values) { named[try toInt(axis, "dynamic_axes")] = try toStringValue(n, "dynamic_axes") }
            default:
                for (k, axis) in try iterateAll(axes).enumerated() { named[try toInt(axis, "dynamic_axes")] = "\(name)_dynamic_axes_\(k + 1)" }
            }
            out[name] = named
        }
        return out
    }

    /// A tensor's attribute; while a forward is traced, its methods report what they did.
    func tensorAttribute(_ t: Tensor, _ name: String) throws(DLXError) -> Value? {
        let v = try plainTensorAttribute(t, name)
        guard onnxTrace != nil, case .object(let f as BuiltinFunction)? = v, f.isMethod else { return v }
        return .object(BuiltinFunction(name, method: true) { a, i throws(DLXError) in
            let given = a
            let result = try f.body(&a, i)
            if let trace = i.onnxTrace, case .tensor(let out) = result {
                trace.record(try i.tracedMethod(name, t, given, out), t, out)
            }
            return result
        })
    }

    /// A call of a built-in function while a forward is traced: the functional layers are recorded with their
    /// arguments, any other function that makes a tensor from a tensor as something dlx does not export.
    func tracedCall(_ f: BuiltinFunction, _ args: inout Arguments) throws(DLXError) -> Value {
        let given = args
        guard let result = try f.call(&args, self) else { throw .type("'\(f.typeName)' object is not callable") }
        if let trace = onnxTrace, case .tensor(let out) = result, case .tensor(let x)? = given.positional.first {
            trace.record(try tracedFunction(f.helpKey, given), x, out)
        }
        return result
    }

    private func tracedMethod(_ name: String, _ t: Tensor, _ given: Arguments, _ out: Tensor) throws(DLXError) -> ONNXExport.Op {
        var a = given
        switch name {
        case "relu": return .relu
        case "sigmoid": return .sigmoid
        case "tanh": return .tanh
        case "softmax", "log_softmax":
            guard let d = try a.get(0, "dim") else { return .unsupported("Tensor.\(name)") }
            return .softmax(dim: try toInt(d, "dim"), log: name == "log_softmax")
        case "flatten":
            let s = try a.get(0, "start_dim").map { v throws(DLXError) in try toInt(v, "start_dim") } ?? 0
            let e = try a.get(1, "end_dim").map { v throws(DLXError) in try toInt(v, "end_dim") } ?? -1
            return .flatten(start: s, end: e)
        case "view", "reshape":
            return .reshape(try toShape(a.rest(from: 0), name))
        case "view_as":
            return .reshape(out.shape)
        case "contiguous", "clone", "detach", "float", "cpu", "to", "cuda", "requires_grad_":
            return out.shape == t.shape && out.dtype == t.dtype ? .identity : .unsupported("Tensor.\(name)")
        default:
            return .unsupported("Tensor.\(name)")
        }
    }

    private func tracedFunction(_ key: String, _ given: Arguments) throws(DLXError) -> ONNXExport.Op {
        var a = given
        func pair(_ index: Int, _ name: String, _ otherwise: IntPair?) throws(DLXError) -> IntPair? {
            guard let v = try a.get(index, name), !v.isNone else { return otherwise }
            return try intPair(v, name)
        }
        switch key {
        case "torch.nn.functional.max_pool2d", "torch.max_pool2d":
            guard let k = try pair(1, "kernel_size", nil) else { return .unsupported(key) }
            return .maxPool(kernel: k, stride: try pair(2, "stride", k)!, padding: try pair(3, "padding", IntPair(0))!,
                            dilation: try pair(4, "dilation", IntPair(1))!)
        case "torch.nn.functional.avg_pool2d", "torch.avg_pool2d":
            guard let k = try pair(1, "kernel_size", nil) else { return .unsupported(key) }
            return .avgPool(kernel: k, stride: try pair(2, "stride", k)!, padding: try pair(3, "padding", IntPair(0))!)
        case "torch.nn.functional.adaptive_avg_pool2d":
            guard let s = try pair(1, "output_size", nil) else { return .unsupported(key) }
            return .adaptiveAvgPool(s)
        case "torch.nn.functional.dropout", "torch.dropout":
            return .identity
        default:
            return .unsupported(key)
        }
    }
}
