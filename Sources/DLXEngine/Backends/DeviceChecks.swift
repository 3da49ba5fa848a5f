/// The engine's ops on a device against the same ops on the host: each check runs on host tensors and on
/// device copies of them, with a fixed upstream gradient, and compares outputs and input gradients.
/// `dlx cuda-selftest` runs them on the GPU; the unit tests run them on the emulated GPU.
public enum DeviceChecks {
    public struct Check {
        public let name: String
        /// Relative tolerance (plus the same absolute one), float32 with different summation orders.
        public let tolerance: Double
        let inputs: () throws(TensorError) -> [Tensor]
        let op: ([Tensor]) throws(TensorError) -> Tensor
    }

    public struct Outcome: Sendable {
        public let name: String
        /// The largest relative difference between device and host over outputs and gradients (see `error`).
        public let worst: Double
        public let passed: Bool
        public let problem: String?
    }

    /// Runs `check` on `host` and on `device` (whose host backend must be `host`).
    public static func run(_ check: Check, device: any Backend, host: any Backend) -> Outcome {
        do {
            let inputs = try check.inputs()
            for t in inputs where t.dtype == .float32 { t.requiresGrad = true }
            let onDevice = try inputs.map { t throws(TensorError) in try t.to(backend: device) }
            let want = try check.op(inputs), got = try check.op(onDevice)
            guard got.device == device.device, got.shape == want.shape, got.dtype == want.dtype else {
                return Outcome(name: check.name, worst: .infinity, passed: false,
                               problem: "got \(got.shape) \(got.dtype.name) on \(got.device), want \(want.shape) \(want.dtype.name)")
            }
            var worst = error(try got.doubles(), try want.doubles())
            if want.dtype == .float32, want.requiresGrad {
                let seed = try Tensor.from((0..<want.count).map { Float($0 % 7) - 2.5 }, shape: want.shape, on: host)
                try want.backward(seed)
                let hostGrads = try inputs.map { t throws(TensorError) in try t.grad?.doubles() ?? [] }
                for t in inputs { t.grad = nil }
                try got.backward(try seed.to(backend: device))
                for (t, g) in zip(inputs, hostGrads) where t.dtype == .float32 {
                    worst = Swift.max(worst, error(try t.grad?.doubles() ?? [], g))
                }
            }
            return Outcome(name: check.name, worst: worst, passed: worst <= check.tolerance, problem: nil)
        } catch {
            return Outcome(name: check.name, worst: .infinity, passed: false, problem: error.description)
        }
    }

    /// The largest |got - want| relative to |want|, with a floor of 1e-3 of the largest |want| (at least
    /// 1e-3): values that cancel to near zero carry the rounding of the terms they came from.
    static func error(_ got: [Double], _ want: [Double]) -> Double {
        guard got.count == want.count else { return .infinity }
        let floor = 1e-3 * Swift.max(1, want.lazy.filter { $0.isFinite }.map(Swift.abs).max() ?? 1)
        var worst = 0.0
        for (g, w) in zip(got, want) {
            if g.isNaN && w.isNaN { continue }
            worst = Swift.max(worst, Swift.abs(g - w) / (Swift.abs(w) + floor))
        }
        return worst.isNaN ? .infinity : worst
    }

    /// Every op of lessons 1 and 2, and their neighbours, on small random inputs.
    public static func all(host: any Backend) -> [Check] {
        func random(_ shape: [Int], _ seed: UInt64) -> () throws(TensorError) -> Tensor {
            { () throws(TensorError) in
                var g = Generator(seed: seed)
                return try Tensor.randn(shape, generator: &g, on: host)
            }
        }
        func check(_ name: String, tolerance: Double = 1e-4, _ inputs: [() throws(TensorError) -> Tensor],
                   _ op: @escaping ([Tensor]) throws(TensorError) -> Tensor) -> Check {
            Check(name: name, tolerance: tolerance, inputs: { () throws(TensorError) in
                var out: [Tensor] = []
                for make in inputs { out.append(try make()) }
                return out
            }, op: op)
        }
        let a = random([3, 4], 1), row = random([1, 4], 2), cube = random([2, 3, 4], 3)
        let scores = random([6, 5], 4)
        let labels: () throws(TensorError) -> Tensor = { () throws(TensorError) in try Tensor.from([0, 1, 2, 3, 4, 0] as [Int64], shape: [6], on: host) }
        let classes: () throws(TensorError) -> Tensor = { () throws(TensorError) in try Tensor.from([2, 0, 1, 2] as [Int64], shape: [4], on: host) }
        let x = random([4, 6], 6), w = random([3, 6], 7), b = random([3], 8)
        let big = random([160, 40], 14), wide = random([40, 136], 15)
        let images = random([3, 2, 7, 6], 9), filters = random([4, 2, 3, 3], 10), fb = random([4], 11)
        let gamma = random([2], 12), beta = random([2], 13)
        let bytes: () throws(TensorError) -> Tensor = { () throws(TensorError) in
            try Tensor.from((0..<24).map { Double(($0 * 37) % 256) }, shape: [2, 3, 4], dtype: .uint8, on: host)
        }
        var checks = [
            check("add, mul, sub, div (broadcast)", [a, row]) { t throws(TensorError) in
                try t[0].times(t[1]).plus(t[0]).minus(t[1].scaled(3)).over(t[1].unary(.exp))
            },
            check("scalar ops, relu", [a]) { t throws(TensorError) in try Tensor.binary(.sub, .scalar(.float(2)), .tensor(t[0])).unary(.relu) },
            check("pow, tanh, sigmoid", [a]) { t throws(TensorError) in
                try Tensor.binary(.pow, .tensor(t[0]), .scalar(.int(2))).unary(.tanh).unary(.sigmoid)
            },
            check("maximum", [a, row]) { t throws(TensorError) in try Tensor.binary(.maximum, .tensor(t[0]), .tensor(t[1])) },
            check("permute, contiguous, t, abs", [cube]) { t throws(TensorError) in
                try t[0].permute([2, 0, 1]).contiguous().reshape([4, 6]).t().unary(.abs)
            },
            check("sum", [cube]) { t throws(TensorError) in try t[0].reduce(.sum) },
            check("mean(dim=1, keepdim)", [cube]) { t throws(TensorError) in try t[0].reduce(.mean, dim: 1, keepdim: true).values },
            check("sum(dim=0)", [cube]) { t throws(TensorError) in try t[0].reduce(.sum, dim: 0, keepdim: false).values },
            check("max(dim=2)", [cube]) { t throws(TensorError) in try t[0].reduce(.max, dim: 2, keepdim: false).values },
            check("min(dim=1)", [cube]) { t throws(TensorError) in try t[0].reduce(.min, dim: 1, keepdim: false).values },
            check("argmax(dim=2, keepdim)", [cube]) { t throws(TensorError) in try t[0].reduce(.argmax, dim: 2, keepdim: true).values },
            check("argmin", [cube]) { t throws(TensorError) in try t[0].reduce(.argmin) },
            check("x[:, None, 1] (views)", [cube]) { t throws(TensorError) in try t[0].index([.slice(nil, nil, 1), .newAxis, .int(1)]) },
            check("narrow (slice gradient)", [cube]) { t throws(TensorError) in try t[0].narrow(2, 1, 2).unary(.exp) },
            check("uint8 to float (ToTensor's scaling)", [bytes]) { t throws(TensorError) in try t[0].to(.float32).scaled(1 / 255) },
            check("accuracy: argmax == labels, sum", [scores, labels]) { t throws(TensorError) in
                try Tensor.binary(.eq, .tensor(t[0].reduce(.argmax, dim: 1, keepdim: false).values), .tensor(t[1])).reduce(.sum)
            },
            check("comparison with a number", [scores]) { t throws(TensorError) in try Tensor.binary(.gt, .tensor(t[0]), .scalar(.float(0.1))) },
            check("linear (addmm)", [x, w, b]) { t throws(TensorError) in try Tensor.linear(t[0], weight: t[1], bias: t[2]) },
            check("matmul", [x, w]) { t throws(TensorError) in try t[0].matmul(t[1].t()) },
            check("matmul, large (every transpose)", [big, wide]) { t throws(TensorError) in
                let p = try t[0].matmul(t[1]), q = try t[1].t().matmul(t[0].t())            // (160, 136), (136, 160)
                let r = try t[0].t().contiguous().t().matmul(t[1].t().contiguous().t())     // both operands transposed in memory
                return try p.plus(q.t()).plus(r)
            },
            check("softmax", [x]) { t throws(TensorError) in try t[0].softmax(1) },
            check("log_softmax(dim=0)", [x]) { t throws(TensorError) in try t[0].softmax(0, log: true) },
            check("cross_entropy", [x, w, b, classes]) { t throws(TensorError) in
                try Loss(.crossEntropy).loss(try Tensor.linear(t[0], weight: t[1], bias: t[2]), t[3])
            },
            check("nll_loss(sum)", [x, classes]) { t throws(TensorError) in
                try Loss(.nll, reduction: .sum).loss(try t[0].narrow(1, 0, 3).softmax(1, log: true), t[1])
            },
            check("mse_loss", [x, w]) { t throws(TensorError) in try Loss(.mse).loss(t[0].narrow(1, 0, 3), t[1].narrow(1, 0, 4).t()) },
        ]
        for (stride, padding, dilation) in [(1, 1, 1), (2, 0, 1), (1, 2, 2)] {
            checks.append(check("conv2d stride \(stride) padding \(padding) dilation \(dilation)", [images, filters, fb]) { t throws(TensorError) in
                try Tensor.conv2d(t[0], weight: t[1], bias: t[2], stride: IntPair(stride), padding: IntPair(padding), dilation: IntPair(dilation))
            })
        }
        checks += [
            check("max_pool2d 2x2", [images]) { t throws(TensorError) in
                try Tensor.maxPool2d(t[0], kernel: IntPair(2), stride: IntPair(2), padding: IntPair(0), dilation: IntPair(1))
            },
            check("max_pool2d 3x3 stride 1 padding 1", [images]) { t throws(TensorError) in
                try Tensor.maxPool2d(t[0], kernel: IntPair(3), stride: IntPair(1), padding: IntPair(1), dilation: IntPair(1))
            },
            check("avg_pool2d", [images]) { t throws(TensorError) in try Tensor.avgPool2d(t[0], kernel: IntPair(2), stride: IntPair(2), padding: IntPair(0)) },
            check("adaptive_avg_pool2d", [images]) { t throws(TensorError) in
                try Tensor.adaptiveAvgPool2d(t[0].narrow(3, 0, 4).narrow(2, 0, 6), output: IntPair(2))
            },
        ]
        for training in [true, false] {
            for relu in [false, true] {
                // Running statistics of their own per run, so host and device start alike.
                checks.append(check("batch_norm\(training ? " (training)" : " (eval)")\(relu ? " + relu" : "")", tolerance: 2e-4,
                                    [images, gamma, beta]) { t throws(TensorError) in
                    let mean = try Tensor.full([2], 0.1, on: t[0].backend), variance = try Tensor.full([2], 0.9, on: t[0].backend)
                    return try Tensor.batchNorm(t[0], weight: t[1], bias: t[2], runningMean: mean, runningVar: variance, training: training,
                                                momentum: 0.1, eps: 1e-5, relu: relu).plus(mean.reshape([1, 2, 1, 1])).plus(variance.reshape([1, 2, 1, 1]))
                })
            }
        }
        checks.append(check("BatchNorm2d layer: two training steps, running statistics, batches tracked", tolerance: 2e-4, [images]) { t throws(TensorError) in
            let layer = try BatchNorm(dims: 2, 2, backend: t[0].backend)
            let y = try layer.forward(try layer.forward(t[0], relu: false), relu: true)
            let stats = [layer.runningMean, layer.runningVar, try layer.batchesTracked.to(.float32).reshape([1])].map { $0.detached() }
            return try Tensor.cat([y.reshape([-1])] + stats, dim: 0)
        })
        for channelwise in [false, true] {
            checks.append(check(channelwise ? "dropout2d" : "dropout", [images]) { t throws(TensorError) in
                let layer = try Dropout(p: 0.3)
                layer.channelwise = channelwise
                var context = ForwardContext(generator: Generator(seed: 99))
                return try layer(t[0], &context)
            })
        }
        checks.append(check("adam and sgd steps", [x, w]) { t throws(TensorError) in
            // Parameters of the device under test, updated twice by each optimizer; the result is the parameters.
            let p = try t[0].detached().clone(), q = try t[1].detached().clone()
            p.requiresGrad = true; q.requiresGrad = true
            let adam = try Adam([p], lr: 0.01), sgd = try SGD([q], lr: 0.1, momentum: 0.9)
            for _ in 0..<2 {
                try adam.zeroGrad(); try sgd.zeroGrad()
                try p.times(p).reduce(.sum).plus(q.unary(.sigmoid).reduce(.sum)).backward()
                try adam.step(); try sgd.step()
            }
            return try Tensor.cat([p.detached().reshape([-1]), q.detached().reshape([-1])], dim: 0)
        })
        checks.append(check("adamw, nesterov sgd, adagrad, rmsprop, adadelta steps", [x]) { t throws(TensorError) in
            // One copy of the parameters per optimizer, each updated twice; the result is all of them.
            var results: [Tensor] = []
            for kind in 0..<5 {
                let p = try t[0].detached().clone()
                p.requiresGrad = true
                let optimizer: Optimizer
                switch kind {
                case 0: optimizer = try AdamW([p], lr: 0.01)
                case 1: optimizer = try SGD([p], lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0.01, nesterov: true)
                case 2: optimizer = try Adagrad([p], lr: 0.1, lrDecay: 0.01, weightDecay: 0.01)
                case 3: optimizer = try RMSprop([p], lr: 0.01, momentum: 0.5, centered: true)
                default: optimizer = try Adadelta([p], weightDecay: 0.01)
                }
                for _ in 0..<2 {
                    try optimizer.zeroGrad()
                    try p.times(p).reduce(.sum).plus(p.unary(.sigmoid).reduce(.sum)).backward()
                    try optimizer.step()
                }
                results.append(try p.detached().reshape([-1]))
            }
            return try Tensor.cat(results, dim: 0)
        })
        return checks
    }
}
