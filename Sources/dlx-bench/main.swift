// Benchmarks of the engine's hot paths (not tests): prints figures for this machine.
#if canImport(Glibc)
import Glibc
#endif
import DLXEngine
import CSupport

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Median seconds of `body` over `runs` runs after one warm-up; with DLX_BENCH_MIN=1 the fastest run over
/// five times as many (for A/B comparisons on a shared machine, where the median moves with the neighbours).
let fastest = getenv("DLX_BENCH_MIN").map { String(cString: $0) == "1" } ?? false
func median(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var times: [Double] = []
    for _ in 0..<(fastest ? 5 * runs : runs) {
        let t0 = now()
        try body()
        times.append(now() - t0)
    }
    return fastest ? times.min()! : times.sorted()[times.count / 2]
}

func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

let args = CommandLine.arguments

// `dlx-bench --run PROGRAM ARGS...`: runs a program, prints its wall time and peak RSS (for scripts/bench).
if args.count > 2 && args[1] == "--run" {
    let argv = Array(args[2...]).map { strdup($0) } + [nil]
    var pid: pid_t = 0
    let start = now()
    guard posix_spawn(&pid, args[2], nil, nil, argv, environ) == 0 else { print("cannot run \(args[2])"); exit(2) }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    print(NumberFormat.format("%.2f s wall, ", now() - start) + NumberFormat.format("%.0f MB peak RSS", Double(usage.ru_maxrss) / 1024))
    exit(status == 0 ? 0 : 1)
}

let dataFolder = args.count > 1 ? args[1] : "data"
// `dlx-bench DATA cnn [STEPS]`: only the convolutional network's profile, over STEPS batches (for A/B runs);
// DLX_BENCH_UNFUSED=1 times the fit-like steps with BatchNorm and ReLU run as separate ops.
let cnnOnly = args.count > 2 && args[2] == "cnn"
// `dlx-bench DATA layers`: only the convolutions and the BatchNorm2d-ReLU-[Dropout]-MaxPool2d blocks (and exit).
let blocksOnly = args.count > 2 && args[2] == "layers"
let cnnSteps = args.count > 3 ? Int(args[3]) ?? 100 : 100
dlx_tune_allocator()   // as dlx does at start-up
// DLX_BENCH_THREADS=1 times one core alone (steadier figures for comparing two builds).
let backend = CPUBackend(threads: getenv("DLX_BENCH_THREADS").flatMap { Int(String(cString: $0)) })
var generator = Generator(seed: 0)

// OpenBLAS loads on the first product; make one so that the summary names the kernel core.
let one = try Tensor.zeros([1, 1], on: backend)
_ = try one.matmul(one)
print("engine: " + backend.summary)

for (m, k, n, reps) in cnnOnly || blocksOnly ? [] : [(32, 784, 512, 200), (1024, 1024, 1024, 5), (512, 512, 512, 20)] {
    let a = try Tensor.randn([m, k], generator: &generator, on: backend)
    let b = try Tensor.randn([k, n], generator: &generator, on: backend)
    let t = try median(reps) { _ = try a.matmul(b) }
    let gflops = 2.0 * Double(m * n * k) / t / 1e9
    print(pad("matmul \(m)x\(k)x\(n)", 28) + NumberFormat.format("%8.1f GFLOP/s", gflops) + NumberFormat.format("   (%.3f ms)", t * 1e3))
}

// The lesson network's convolutions at batch 32: forward, and backward (input and weight gradients; the
// first layer's input needs none), in GFLOP/s of the direct convolution's multiply-adds.
// DLX_BENCH_CONV=C,O,HW times only that convolution (for profiling one layer).
let onlyConv = getenv("DLX_BENCH_CONV").map { String(cString: $0).split(separator: ",").compactMap { Int($0) } }
let convs = onlyConv.map { $0.count == 3 ? [($0[0], $0[1], $0[2])] : [] } ?? [(1, 25, 28), (25, 50, 14), (50, 75, 7)]
for (c, o, hw) in cnnOnly ? [] : convs {
    let x = try Tensor.randn([32, c, hw, hw], generator: &generator, on: backend)
    let w = try Tensor.randn([o, c, 3, 3], generator: &generator, on: backend)
    let b = try Tensor.zeros([o], on: backend)
    x.requiresGrad = c > 1; w.requiresGrad = true; b.requiresGrad = true
    let macs = Double(32 * o * hw * hw * c * 9)
    let forward = try median(20) {
        _ = try backend.autograd.with(enabled: false) { () throws(TensorError) in
            try Tensor.conv2d(x, weight: w, bias: b, stride: IntPair(1), padding: IntPair(1), dilation: IntPair(1))
        }
    }
    let y = try Tensor.conv2d(x, weight: w, bias: b, stride: IntPair(1), padding: IntPair(1), dilation: IntPair(1))
    let g = try Tensor.randn(y.shape, generator: &generator, on: backend)
    // Forward and backward together, less the forward alone.
    let backwardTime = try median(onlyConv == nil ? 20 : 400) {
        try Tensor.conv2d(x, weight: w, bias: b, stride: IntPair(1), padding: IntPair(1), dilation: IntPair(1)).backward(g)
        x.grad = nil; w.grad = nil; b.grad = nil
    } - forward
    let backwardMacs = macs * (c > 1 ? 2 : 1)
    print(pad("conv \(c)->\(o) @\(hw)x\(hw) forward", 28) + NumberFormat.format("%8.1f GFLOP/s", 2 * macs / forward / 1e9)
          + NumberFormat.format("   (%.3f ms)", forward * 1e3))
    print(pad("conv \(c)->\(o) @\(hw)x\(hw) backward", 28) + NumberFormat.format("%8.1f GFLOP/s", 2 * backwardMacs / backwardTime / 1e9)
          + NumberFormat.format("   (%.3f ms)", backwardTime * 1e3))
}

// The lesson's BatchNorm2d-ReLU-[Dropout]-MaxPool2d blocks at batch 32, forward and backward: as Sequential
// runs them in training (one fused op), and as four separate ops (what an observer sees).
for (c, hw, dropout) in cnnOnly || onlyConv != nil ? [] : [(25, 28, false), (50, 14, true), (75, 7, false)] {
    let x = try Tensor.randn([32, c, hw, hw], generator: &generator, on: backend)
    x.requiresGrad = true
    let block = Sequential([try BatchNorm(dims: 2, c, backend: backend), Activation(.relu)]
                           + (dropout ? [try Dropout(p: 0.2)] : []) + [try MaxPool2d(kernelSize: IntPair(2))])
    // The two ways alternate, so that both see the same minutes of a shared machine.
    var contexts = [false, true].map { observed in ForwardContext(generator: generator, observer: observed ? { _, _, _ in } : nil) }
    let g = try Tensor.randn([32, c, hw / 2, hw / 2], generator: &generator, on: backend)
    var runs: [[Double]] = [[], []]
    for k in 0..<(blocksOnly ? 800 : 80) {
        let t = now()
        try block(x, &contexts[k % 2]).backward(g)
        x.grad = nil
        if k >= 2 { runs[k % 2].append(now() - t) }
    }
    let times = runs.map { fastest ? $0.min()! : $0.sorted()[$0.count / 2] }
    print(pad("bn-relu-pool \(c)@\(hw)x\(hw)", 28) + NumberFormat.format("%8.3f ms fused", times[0] * 1e3)
          + NumberFormat.format("   (%.3f ms as separate ops)", times[1] * 1e3))
}
if blocksOnly { exit(0) }

let catalog = DataCatalog(folders: [dataFolder])
let t0 = now()
let train = try catalog.mnist(train: true, on: backend)
let tLoad = now() - t0
train.transform = ToTensor()
let loader = try DataLoader(train, batchSize: 32, shuffle: true)
let t1 = now()
var pass = loader.makeIterator(generator: &generator)
_ = try pass.next(generator: &generator)
let tBatch = now() - t1
if !cnnOnly {
print(pad("load mnist (60,000)", 28) + NumberFormat.format("%8.1f ms", tLoad * 1e3))
print(pad("DataLoader first batch", 28) + NumberFormat.format("%8.3f ms", tBatch * 1e3))
let t2 = now()
var batches = 0
while try pass.next(generator: &generator) != nil { batches += 1 }
let tEpoch = now() - t2
print(pad("DataLoader full pass", 28) + NumberFormat.format("%8.1f ms", tEpoch * 1e3) + "   (\(batches + 1) batches of 32)")

// Optimizer update over the lesson MLP's 669,706 parameters.
do {
    let n = 669_706
    let w = try Tensor.randn([n], generator: &generator, on: backend)
    let g = try Tensor.randn([n], generator: &generator, on: backend)
    let m = try Tensor.zeros([n], on: backend), v = try Tensor.zeros([n], on: backend)
    let step = AdamStep(lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, correction2Sqrt: 0.5)
    let t = median(50) { backend.adamStep(step, w.f32, g.f32, m.f32, v.f32, count: n) }
    print(pad("adam step (669,706 params)", 28) + NumberFormat.format("%8.3f ms", t * 1e3))
}

// One training step of the lesson's MLP, phase by phase (batch 32, Adam), over 400 batches.
do {
    let model = Sequential([Flatten(), try Linear(784, 512, backend: backend, generator: &generator), Activation(.relu),
                            try Linear(512, 512, backend: backend, generator: &generator), Activation(.relu),
                            try Linear(512, 10, backend: backend, generator: &generator)])
    let optimizer = try Adam(model.parameters)
    let loss = Loss(.crossEntropy)
    var pass = loader.makeIterator(generator: &generator)
    var context = ForwardContext(generator: generator)
    var phases = [Double](repeating: 0, count: 5)
    let names = ["data", "forward", "loss", "backward", "step"]
    for _ in 0..<400 {
        var t = now()
        func lap(_ k: Int) { let u = now(); phases[k] += u - t; t = u }
        guard let batch = try pass.next(generator: &context.generator), case .tensor(let x) = batch[0], case .tensor(let y) = batch[1] else { break }
        lap(0)
        let out = try model(x, &context)
        lap(1)
        let l = try loss.loss(out, y)
        lap(2)
        try optimizer.zeroGrad()
        try l.backward()
        lap(3)
        try optimizer.step()
        lap(4)
    }
    for (k, n) in names.enumerated() {
        print(pad("train step: \(n)", 28) + NumberFormat.format("%8.3f ms", phases[k] / 400 * 1e3))
    }
    print(pad("train step: total", 28) + NumberFormat.format("%8.3f ms", phases.reduce(0, +) / 400 * 1e3)
          + NumberFormat.format("   (%.2f s per 1875-batch epoch)", phases.reduce(0, +) / 400 * 1875))
}
}

// The convolutional lesson's network: forward time per layer (observer timestamps), backward and step.
do {
    func cnn() throws -> Sequential {
        var g = Generator(seed: 1)
        return Sequential([
            try Conv2d(1, 25, kernelSize: IntPair(3), padding: IntPair(1), backend: backend, generator: &g), try BatchNorm(dims: 2, 25, backend: backend),
            Activation(.relu), try MaxPool2d(kernelSize: IntPair(2)),
            try Conv2d(25, 50, kernelSize: IntPair(3), padding: IntPair(1), backend: backend, generator: &g), try BatchNorm(dims: 2, 50, backend: backend),
            Activation(.relu), try Dropout(p: 0.2), try MaxPool2d(kernelSize: IntPair(2)),
            try Conv2d(50, 75, kernelSize: IntPair(3), padding: IntPair(1), backend: backend, generator: &g), try BatchNorm(dims: 2, 75, backend: backend),
            Activation(.relu), try MaxPool2d(kernelSize: IntPair(2)),
            Flatten(), try Linear(675, 512, backend: backend, generator: &g), try Dropout(p: 0.3), Activation(.relu),
            try Linear(512, 10, backend: backend, generator: &g)])
    }
    let model = try cnn()
    let optimizer = try Adam(model.parameters)
    let loss = Loss(.crossEntropy)
    var pass = loader.makeIterator(generator: &generator)
    var layerTimes = [Double](repeating: 0, count: model.modules.count)
    var names: [String] = model.modules.map { $0.typeName }
    var mark = now()
    var context = ForwardContext(generator: generator)
    context.observer = { m, _, _ in
        let t = now()
        if let k = model.modules.firstIndex(where: { $0 === m }) { layerTimes[k] += t - mark }
        mark = t
    }
    var backwardTime = 0.0, stepTime = 0.0
    var rules: [String: Double] = [:]
    let steps = cnnSteps
    /// The next (images, labels), starting a new pass when one runs out (steps may exceed an epoch).
    func nextBatch() throws -> (Tensor, Tensor)? {
        var next = try pass.next(generator: &context.generator)
        if next == nil { pass = loader.makeIterator(generator: &context.generator); next = try pass.next(generator: &context.generator) }
        guard let batch = next, case .tensor(let x) = batch[0], case .tensor(let y) = batch[1] else { return nil }
        return (x, y)
    }
    for _ in 0..<steps {
        guard let (x, y) = try nextBatch() else { break }
        mark = now()
        let l = try loss.loss(try model(x, &context), y)
        var t = now()
        try optimizer.zeroGrad()
        // Each convolution's backward also on its own line, numbered in backward order (conv #0 is the last layer).
        var convIndex = 0
        try l.backward(profile: { name, t in
            if name == "ConvolutionBackward0" { rules["conv #\(convIndex)", default: 0] += t; convIndex += 1 }
            rules[name, default: 0] += t
        })
        backwardTime += now() - t
        t = now()
        try optimizer.step()
        stepTime += now() - t
    }
    names.append("backward"); layerTimes.append(backwardTime)
    names.append("step"); layerTimes.append(stepTime)
    for (n, t) in zip(names, layerTimes) { print(pad("cnn: \(n)", 28) + NumberFormat.format("%8.3f ms", t / Double(steps) * 1e3)) }
    for (n, t) in rules.sorted(by: { $0.value > $1.value }) { print(pad("cnn backward: \(n)", 36) + NumberFormat.format("%8.3f ms", t / Double(steps) * 1e3)) }
    print(pad("cnn: total per batch", 28) + NumberFormat.format("%8.3f ms", layerTimes.reduce(0, +) / Double(steps) * 1e3)
          + NumberFormat.format("   (%.1f s per 1875-batch epoch)", layerTimes.reduce(0, +) / Double(steps) * 1875)
          + "  [per-layer observer: BatchNorm+ReLU unfused]")
    // As fit runs it: no observer, so Sequential fuses each BatchNorm with its ReLU.
    context.observer = getenv("DLX_BENCH_UNFUSED") != nil ? { _, _, _ in } : nil
    let start = now()
    for _ in 0..<steps {
        guard let (x, y) = try nextBatch() else { break }
        let l = try loss.loss(try model(x, &context), y)
        try optimizer.zeroGrad()
        try l.backward()
        try optimizer.step()
    }
    let perBatch = (now() - start) / Double(steps)
    print(pad("cnn: train step as in fit", 28) + NumberFormat.format("%8.3f ms", perBatch * 1e3)
          + NumberFormat.format("   (%.1f s per 1875-batch epoch)", perBatch * 1875))
}
