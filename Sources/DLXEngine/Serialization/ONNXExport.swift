/// `torch.onnx.export`: a model's forward, run once on an example input and recorded step by step, written
/// as an ONNX graph (opset 17 by default). The steps are what the forward called: built-in layers (as the
/// forward observer sees them) and the functions between them (`F.relu`, `torch.flatten`, `x.view`, ...,
/// which the language layer records). The graph follows the data from the output back to the input, so
/// steps that do not lead to the output (`x.size(0)`, a print) are left out; a step dlx cannot write is an
/// error that names it. Layers become the nodes PyTorch's exporter writes (Gemm, Conv, BatchNormalization
/// in inference, MaxPool, ...), their parameters initializers named as in the state dict ("1.weight").
public enum ONNXExport {
    /// One step of a traced forward: an operation on one tensor.
    public enum Op {
        /// A built-in layer (Linear, Conv2d, ...).
        case layer(Module)
        case relu, sigmoid, tanh
        case softmax(dim: Int, log: Bool)
        case flatten(start: Int, end: Int)
        /// `view`/`reshape` with the sizes as written (-1 kept).
        case reshape([Int])
        case maxPool(kernel: IntPair, stride: IntPair, padding: IntPair, dilation: IntPair)
        case avgPool(kernel: IntPair, stride: IntPair, padding: IntPair)
        case adaptiveAvgPool(IntPair)
        /// Dropout in inference, `contiguous()`, ...: the value passes unchanged.
        case identity
        /// Something dlx does not export, by the name the user called it.
        case unsupported(String)
    }

    public struct Step {
        public let op: Op
        public let input: Tensor
        public let output: Tensor
        public init(_ op: Op, input: Tensor, output: Tensor) { self.op = op; self.input = input; self.output = output }
    }

    public struct Options {
        public var inputName = "input"
        public var outputName = "output"
        /// Dynamic axes by input or output name: axis -> the dimension's name.
        public var dynamicAxes: [String: [Int: String]] = [:]
        public var opset = 17
        public var producerVersion = ""
        public init() {}
    }

    /// The IR version PyTorch 2.15's exporter writes (with opset 17).
    public static let irVersion = 10
    public static let supportedOpsets = 13...21

    /// The ONNX file's bytes for `model`, whose forward took `input` to `output` through `steps`.
    public static func model(_ model: Module, input: Tensor, output: Tensor, steps: [Step], options: Options) throws(TensorError) -> [UInt8] {
        guard supportedOpsets.contains(options.opset) else {
            throw .value("dlx exports ONNX opset versions \(supportedOpsets.lowerBound) to \(supportedOpsets.upperBound), not \(options.opset)")
        }
        var builder = Builder(model: model, host: input.backend.hostBackend, options: options)
        try builder.build(input: input, output: output, steps: steps)
        return try builder.graph.encode(irVersion: irVersion, opset: options.opset, producerVersion: options.producerVersion)
    }

    /// The chain of steps from `input` to `output`, first step first: each step's input is the output of the
    /// one before it. An error names the first operation on the way back that was not recorded.
    static func chain(from input: Tensor, to output: Tensor, _ steps: [Step]) throws(TensorError) -> [Step] {
        var producer: [ObjectIdentifier: Int] = [:]
        for (k, s) in steps.enumerated() where s.output !== s.input && producer[ObjectIdentifier(s.output)] == nil {
            producer[ObjectIdentifier(s.output)] = k
        }
        var chain: [Step] = []
        var t = output
        var limit = steps.count
        while t !== input {
            guard let k = producer[ObjectIdentifier(t)], limit > 0 else {
                let made = t.gradFn.map { " (made by \($0.name))" } ?? ""
                throw .runtime("torch.onnx.export: dlx cannot follow the forward from its input to its output: a tensor of shape "
                    + "\(TensorPrinter.sizeRepr(t.shape))\(made) comes from an operation dlx does not export (dlx exports layers and "
                    + "functions applied one after another to the input)")
            }
            limit -= 1
            chain.append(steps[k])
            t = steps[k].input
        }
        return chain.reversed()
    }

    /// Builds the graph node by node, naming values as PyTorch's exporter does (`/1/Gemm_output_0`).
    struct Builder {
        var graph = ONNXGraph()
        let options: Options
        /// Each parameter's and buffer's state-dict name.
        var tensorNames: [ObjectIdentifier: String] = [:]
        /// Each module's dotted path in the model.
        var modulePaths: [ObjectIdentifier: String] = [:]
        var usedNames = Set<String>()
        var initializerNames = Set<String>()
        /// Where constants dlx makes (reshape sizes) live.
        let host: any Backend

        init(model: Module, host: any Backend, options: Options) {
            self.options = options
            self.host = host
            for (path, m) in model.namedModules() {
                modulePaths[ObjectIdentifier(m)] = path
                for (n, t) in m.ownParameters + m.ownBuffers where tensorNames[ObjectIdentifier(t)] == nil {
                    tensorNames[ObjectIdentifier(t)] = path.isEmpty ? n : path + "." + n
                }
            }
        }

        mutating func build(input: Tensor, output: Tensor, steps: [Step]) throws(TensorError) {
            graph.inputs = [valueInfo(options.inputName, input)]
            graph.outputs = [valueInfo(options.outputName, output)]
            var current = options.inputName
            for step in try ONNXExport.chain(from: input, to: output, steps) {
                current = try emit(step, current)
            }
            // The last node writes the graph's output; a forward that changed nothing is one Identity.
            if let k = graph.nodes.indices.last, graph.nodes[k].outputs == [current], current != options.inputName {
                graph.nodes[k].outputs = [options.outputName]
            } else {
                graph.nodes.append(.init(opType: "Identity", name: unique("/Identity"), inputs: [current], outputs: [options.outputName], attributes: []))
            }
        }

        func valueInfo(_ name: String, _ t: Tensor) -> ONNXGraph.ValueInfo {
            let dynamic = options.dynamicAxes[name] ?? [:]
            return .init(name: name, dtype: t.dtype, dims: t.shape.enumerated().map { k, d in dynamic[k].map { .param($0) } ?? .value(d) })
        }

        mutating func unique(_ name: String) -> String {
            var n = name, k = 0
            while usedNames.contains(n) { k += 1; n = name + "_\(k)" }
            usedNames.insert(n)
            return n
        }

        /// Adds a node; its output's name.
        mutating func node(_ op: String, scope: String, _ inputs: [String], _ attributes: [(String, ONNXGraph.Attribute)] = []) -> String {
            let name = unique((scope.isEmpty ? "" : "/" + scope.split(separator: ".", omittingEmptySubsequences: false).joined(separator: "/")) + "/" + op)
            let out = name + "_output_0"
            graph.nodes.append(.init(opType: op, name: name, inputs: inputs, outputs: [out], attributes: attributes))
            return out
        }

        /// A parameter or buffer as an initializer, under its state-dict name (or `fallback`).
        mutating func initializer(_ t: Tensor, _ fallback: String) -> String {
            let name = tensorNames[ObjectIdentifier(t)] ?? fallback
            if initializerNames.insert(name).inserted { graph.initializers.append((name, t)) }
            return name
        }

        mutating func constant(_ values: [Int64], _ name: String) throws(TensorError) -> String {
            let n = unique(name)
            graph.initializers.append((n, try Tensor.from(values, shape: [values.count], dtype: .int64, on: host)))
            initializerNames.insert(n)
            return n
        }

        static func pair(_ p: IntPair) -> [Int] { [p.h, p.w] }

        mutating func emit(_ step: Step, _ x: String) throws(TensorError) -> String {
            switch step.op {
            case .layer(let m):
                return try layer(m, step, x)
            case .relu: return node("Relu", scope: "", [x])
            case .sigmoid: return node("Sigmoid", scope: "", [x])
            case .tanh: return node("Tanh", scope: "", [x])
            case .softmax(let dim, let log): return node(log ? "LogSoftmax" : "Softmax", scope: "", [x], [("axis", .int(dim))])
            case .flatten(let start, let end): return try flatten(start, end, step, x, scope: "")
            case .reshape(let sizes): return try reshape(sizes, step, x, scope: "")
            case .maxPool(let k, let s, let p, let d):
                var attributes: [(String, ONNXGraph.Attribute)] = [("kernel_shape", .ints(Builder.pair(k))), ("strides", .ints(Builder.pair(s))),
                                                                   ("pads", .ints(Builder.pair(p) + Builder.pair(p))), ("ceil_mode", .int(0))]
                if d.h != 1 || d.w != 1 { attributes.append(("dilations", .ints(Builder.pair(d)))) }
                return node("MaxPool", scope: "", [x], attributes)
            case .avgPool(let k, let s, let p):
                return node("AveragePool", scope: "", [x], [("kernel_shape", .ints(Builder.pair(k))), ("strides", .ints(Builder.pair(s))),
                                                            ("pads", .ints(Builder.pair(p) + Builder.pair(p))), ("ceil_mode", .int(0)),
                                                            ("count_include_pad", .int(1))])
            case .adaptiveAvgPool(let size): return try adaptive(size, step, x, scope: "")
            case .identity: return x
            case .unsupported(let name):
                throw .runtime("torch.onnx.export: dlx cannot export \(name) (dlx exports Linear, Conv2d, BatchNorm2d, ReLU, Sigmoid, Tanh, "
                    + "Softmax, LogSoftmax, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, Dropout, view and reshape)")
            }
        }

        mutating func layer(_ m: Module, _ step: Step, _ x: String) throws(TensorError) -> String {
            let scope = modulePaths[ObjectIdentifier(m)] ?? ""
            switch m {
            case let l as Linear:
                if step.input.rank == 2 {
                    let w = initializer(l.weight, scope + ".weight")
                    let b = l.bias.map { initializer($0, scope + ".bias") }
                    return node("Gemm", scope: scope, [x, w] + (b.map { [$0] } ?? []), [("alpha", .float(1)), ("beta", .float(1)), ("transB", .int(1))])
                }
                // Other ranks: a product with the transposed weight, then the bias, as PyTorch's exporter writes them.
                let transposed = unique("onnx::MatMul_" + (tensorNames[ObjectIdentifier(l.weight)] ?? scope + ".weight"))
                graph.initializers.append((transposed, try l.weight.detached().permute([1, 0]).contiguous()))
                let b = l.bias.map { initializer($0, scope + ".bias") }
                let y = node("MatMul", scope: scope, [x, transposed])
                guard let b else { return y }
                return node("Add", scope: scope, [b, y])
            case let c as Conv2d:
                let w = initializer(c.weight, scope + ".weight")
                let b = c.bias.map { initializer($0, scope + ".bias") }
                return node("Conv", scope: scope, [x, w] + (b.map { [$0] } ?? []), [
                    ("dilations", .ints(Builder.pair(c.dilation))), ("group", .int(1)), ("kernel_shape", .ints(Builder.pair(c.kernelSize))),
                    ("pads", .ints(Builder.pair(c.padding) + Builder.pair(c.padding))), ("strides", .ints(Builder.pair(c.stride))),
                ])
            case let bn as BatchNorm:
                let channels = [bn.numFeatures]
                let scale: String, bias: String
                if let w = bn.weight { scale = initializer(w, scope + ".weight") } else {
                    scale = constantTensor(try Tensor.full(channels, 1, dtype: .float32, on: host), scope + ".weight")
                }
                if let b = bn.bias { bias = initializer(b, scope + ".bias") } else {
                    bias = constantTensor(try Tensor.full(channels, 0, dtype: .float32, on: host), scope + ".bias")
                }
                let mean = initializer(bn.runningMean, scope + ".running_mean"), variance = initializer(bn.runningVar, scope + ".running_var")
                return node("BatchNormalization", scope: scope, [x, scale, bias, mean, variance],
                            [("epsilon", .float(Float(bn.eps))), ("momentum", .float(Float(1 - bn.momentum)))])
            case let a as Activation:
                switch a.kind {
                case .relu: return node("Relu", scope: scope, [x])
                case .sigmoid: return node("Sigmoid", scope: scope, [x])
                case .tanh: return node("Tanh", scope: scope, [x])
                }
            case let s as Softmax:
                let rank = step.input.rank
                let dim = s.dim ?? ([0, 1, 3].contains(rank) ? 0 : 1)
                return node(s.log ? "LogSoftmax" : "Softmax", scope: scope, [x], [("axis", .int(dim))])
            case let f as Flatten:
                return try flatten(f.startDim, f.endDim, step, x, scope: scope)
            case let p as MaxPool2d:
                var attributes: [(String, ONNXGraph.Attribute)] = [("kernel_shape", .ints(Builder.pair(p.kernelSize))), ("strides", .ints(Builder.pair(p.stride))),
                                                                   ("pads", .ints(Builder.pair(p.padding) + Builder.pair(p.padding))), ("ceil_mode", .int(0))]
                if p.dilation.h != 1 || p.dilation.w != 1 { attributes.append(("dilations", .ints(Builder.pair(p.dilation)))) }
                return node("MaxPool", scope: scope, [x], attributes)
            case let p as AvgPool2d:
                return node("AveragePool", scope: scope, [x], [("kernel_shape", .ints(Builder.pair(p.kernelSize))), ("strides", .ints(Builder.pair(p.stride))),
                                                               ("pads", .ints(Builder.pair(p.padding) + Builder.pair(p.padding))), ("ceil_mode", .int(0)),
                                                               ("count_include_pad", .int(1))])
            case let p as AdaptiveAvgPool2d:
                return try adaptive(p.outputSize, step, x, scope: scope)
            case is Dropout, is Identity:
                return x
            default:
                throw .runtime("torch.onnx.export: dlx cannot export \(m.typeName) (dlx exports Linear, Conv2d, BatchNorm2d, ReLU, Sigmoid, Tanh, "
                    + "Softmax, LogSoftmax, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, Dropout, and modules made of them)")
            }
        }

        mutating func constantTensor(_ t: Tensor, _ name: String) -> String {
            let n = unique(name)
            graph.initializers.append((n, t))
            initializerNames.insert(n)
            return n
        }

        /// `flatten(start, end)`: ONNX's Flatten where it is the same (from dimension 1 to the last), else a Reshape.
        mutating func flatten(_ start: Int, _ end: Int, _ step: Step, _ x: String, scope: String) throws(TensorError) -> String {
            let rank = max(step.input.rank, 1)
            let s = start < 0 ? start + rank : start, e = end < 0 ? end + rank : end
            if s == 1 && e == rank - 1 && rank >= 2 { return node("Flatten", scope: scope, [x], [("axis", .int(1))]) }
            if s >= e { return x }
            // The dimensions before `start` copied from the input (a dynamic batch stays dynamic), the rest fixed.
            let sizes = (0..<s).map { _ in Int64(0) } + [-1] + step.input.shape[(e + 1)...].map { Int64($0) }
            return node("Reshape", scope: scope, [x, try constant(sizes, "/" + (scope.isEmpty ? "" : scope + "/") + "Constant_output_0")])
        }

        /// `x.view(...)`/`reshape(...)`: a Flatten for the (batch, features) view, else a Reshape whose first size
        /// copies the input's (so that a dynamic batch stays dynamic), -1 where the code wrote it.
        mutating func reshape(_ sizes: [Int], _ step: Step, _ x: String, scope: String) throws(TensorError) -> String {
            let inShape = step.input.shape, outShape = step.output.shape
            if inShape.count >= 2, outShape.count == 2, outShape[0] == inShape[0], outShape[1] == inShape[1...].reduce(1, *) {
                return node("Flatten", scope: scope, [x], [("axis", .int(1))])
            }
            var target = outShape.map(Int64.init)
            if !target.isEmpty, !inShape.isEmpty, outShape[0] == inShape[0] {
                target[0] = 0
            }
            if let k = sizes.firstIndex(of: -1), k < target.count, target[k] != 0 { target[k] = -1 }
            return node("Reshape", scope: scope, [x, try constant(target, "/" + (scope.isEmpty ? "" : scope + "/") + "Constant_output_0")])
        }

        /// Adaptive average pooling: global pooling for a 1x1 output, else fixed windows where the input divides evenly.
        mutating func adaptive(_ size: IntPair, _ step: Step, _ x: String, scope: String) throws(TensorError) -> String {
            if size.h == 1 && size.w == 1 { return node("GlobalAveragePool", scope: scope, [x]) }
            let s = step.input.shape
            guard s.count == 4, s[2] % size.h == 0, s[3] % size.w == 0 else {
                throw .runtime("torch.onnx.export: dlx exports AdaptiveAvgPool2d only where the input's height and width are multiples "
                    + "of the output's (\(size.h)x\(size.w) from \(s.dropFirst(2).map(String.init).joined(separator: "x")))")
            }
            let k = [s[2] / size.h, s[3] / size.w]
            return node("AveragePool", scope: scope, [x], [("kernel_shape", .ints(k)), ("strides", .ints(k)), ("pads", .ints([0, 0, 0, 0])),
                                                           ("ceil_mode", .int(0))])
        }
    }
}
