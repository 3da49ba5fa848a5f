import Testing
@testable import DLXEngine

/// The engine's device paths on the emulated GPU (the CUDA kernels' arithmetic as host loops, at
/// addresses the CPU cannot dereference): every op of the lessons gives the CPU's results, forward and
/// backward, and only `.item()`-like reads bring data back to the host.
@Suite struct DeviceTests {
    let gpu = DeviceBackend(accelerator: EmulatedAccelerator(), host: backend)

    /// Every op of the lessons (DeviceChecks, what `dlx cuda-selftest` runs on a GPU): outputs and input
    /// gradients on the device agree with the CPU's, and the inputs' gradients come back to the CPU.
    @Test func everyDeviceCheckAgreesWithTheCPU() throws {
        let checks = DeviceChecks.all(host: backend)
        #expect(checks.count >= 30)
        for c in checks {
            let r = DeviceChecks.run(c, device: gpu, host: backend)
            #expect(r.passed, "\(c.name): worst relative error \(r.worst) \(r.problem ?? "")")
        }
    }

    /// A check that a wrong device result would fail: the comparison is not vacuous.
    @Test func aWrongDeviceResultFailsItsCheck() throws {
        let wrong = DeviceChecks.Check(name: "wrong", tolerance: 1e-4, inputs: { () throws(TensorError) in
            [try Tensor.from([1, 2, 3], shape: [3], on: backend)]
        }, op: { t throws(TensorError) in t[0].device == .cpu ? try t[0].scaled(2) : try t[0].scaled(2.001) })
        #expect(!DeviceChecks.run(wrong, device: gpu, host: backend).passed)
    }

    /// A small convolutional network trains on the device as on the CPU: same losses step by step
    /// (within float32 summation-order differences), and the optimizer's state follows the model.
    @Test func trainingStepsMatchTheCPU() throws {
        func model() throws -> Sequential {
            var g = Generator(seed: 21)
            return Sequential([
                try Conv2d(1, 4, kernelSize: IntPair(3), padding: IntPair(1), backend: backend, generator: &g), try BatchNorm(dims: 2, 4, backend: backend),
                Activation(.relu), try MaxPool2d(kernelSize: IntPair(2)), try Dropout(p: 0.2), Flatten(),
                try Linear(4 * 4 * 4, 10, backend: backend, generator: &g)])
        }
        let x = try randomTensor([8, 1, 8, 8], seed: 22), y = try longs([0, 1, 2, 3, 4, 5, 6, 7], [8])
        func losses(_ m: Sequential, on target: any Backend) throws -> [Double] {
            let optimizer = try Adam(m.parameters)
            var context = ForwardContext(generator: Generator(seed: 23))
            var out: [Double] = []
            for step in 0..<4 {
                if step == 1 {   // move after the optimizer has state: it follows at its next step
                    for p in m.parameters { try p.moveData(to: target) }
                    for b in m.allBuffers { try b.moveData(to: target) }
                }
                let l = try Loss(.crossEntropy).loss(try m(try x.to(backend: m.parameters[0].backend), &context),
                                                      try y.to(backend: m.parameters[0].backend))
                try optimizer.zeroGrad()
                try l.backward()
                try optimizer.step()
                out.append(try l.scalar().double)
            }
            return out
        }
        let cpu = try losses(try model(), on: backend)
        let moved = try model()
        let dev = try losses(moved, on: gpu)
        #expect(close(dev, cpu, rel: 1e-4), "\(dev) vs \(cpu)")
        #expect(moved.parameters.allSatisfy { $0.device == .cuda(0) } && moved.allBuffers.allSatisfy { $0.device == .cuda(0) })
    }

    @Test func mixingDevicesFailsInPyTorchsWords() throws {
        let a = try randomTensor([2, 2], seed: 30), d = try a.to(backend: gpu)
        let message = "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!"
        #expect(throws: TensorError.runtime(message)) { try d.plus(a) }
        #expect(throws: TensorError.runtime(message)) { try Tensor.linear(a, weight: d, bias: nil) }
        // A zero-dim CPU tensor combines with device tensors, as in PyTorch.
        #expect(try d.times(try Tensor.full([], 2, on: backend)).device == .cuda(0))
        #expect(throws: TensorError.self) { try d.index([.tensor(try longs([0], [1]))]) }
    }

    @Test func printingAndItemsCopyToTheHost() throws {
        let d = try Tensor.from([1.5, -2], shape: [2], on: gpu)
        #expect(try TensorPrinter.repr(d) == "tensor([ 1.5000, -2.0000], device='cuda:0')")
        #expect(try d.reduce(.sum).scalar() == .float(-0.5))
        #expect(try Tensor.zeros([3], dtype: .int64, on: gpu).int64s() == [0, 0, 0])
        #expect(try Tensor.arange(0, 4, 1, dtype: .int64, on: gpu).onHost().int64s() == [0, 1, 2, 3])
    }
}
