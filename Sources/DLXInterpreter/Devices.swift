import DLXEngine

/// The session's devices: the CPU, and GPUs through the CUDA driver (probed on first use), or the
/// emulated GPU when `emulateCUDA` is set (DLX_CUDA_EMULATE=1: tests and machines without one).
extension Session {
    /// The backend of `device`; a GPU's is created on first use (its context, its modules loaded).
    func backend(for device: Device) throws(DLXError) -> any Backend {
        guard case .cuda(let ordinal) = device else { return backend }
        if let b = deviceBackends[ordinal] { return b }
        let names = cudaDeviceNames
        guard ordinal < names.count else {
            throw DLXError("RuntimeError", names.isEmpty ? cudaUnavailableReason : "CUDA error: invalid device ordinal")
        }
        let accelerator: any Accelerator
        if emulateCUDA {
            accelerator = EmulatedAccelerator(ordinal: ordinal)
        } else {
            guard case .available(let driver) = cuda else { throw DLXError("RuntimeError", cudaUnavailableReason) }
            do { accelerator = try CUDAAccelerator(driver: driver, ordinal: ordinal) } catch {
                throw DLXError(error.kind.rawValue, error.message)
            }
        }
        let b = DeviceBackend(accelerator: accelerator, host: backend)
        deviceBackends[ordinal] = b
        return b
    }

    /// The GPUs dlx can use, by ordinal.
    var cudaDeviceNames: [String] {
        if emulateCUDA { return [EmulatedAccelerator().name] }
        if case .available(let d) = cuda { return d.devices.map(\.name) }
        return []
    }

    /// Why a GPU cannot be used, for `x.cuda()` without one.
    var cudaUnavailableReason: String {
        if case .unavailable(let why) = cuda { return "CUDA is not available: \(why)" }
        return "CUDA is not available"
    }
}

extension Interpreter {
    /// A `device` argument: torch.device, "cuda:0", or a tensor's device.
    func toDevice(_ v: Value) throws(DLXError) -> Device? {
        switch v {
        case .device(let d): return d
        case .string(let s):
            guard let d = Device.parse(s) else {
                throw DLXError("RuntimeError", "Expected one of cpu, cuda device type at start of device string: \(s)")
            }
            return d
        case .int(let i): return .cuda(i)
        default: return nil
        }
    }

    /// The device of `.cuda(device=None)`: cuda:0 unless one is named.
    func cudaArgument(_ a: inout Arguments) throws(DLXError) -> Device {
        try a.get(0, "device").flatMap { v throws(DLXError) in v.isNone ? nil : try toDevice(v) } ?? .cuda(0)
    }

    /// `x.to(device)`, `x.cuda()`, `x.cpu()`: the tensor on `device` (itself when already there).
    func move(_ t: Tensor, to device: Device) throws(DLXError) -> Tensor {
        let target = try session.backend(for: device)
        return try engine { () throws(TensorError) in try t.to(backend: target) }
    }

    /// The device backend a model's parameters live on; nil for the CPU (batches then stay where they are).
    func modelDevice(_ m: Module) -> (any Backend)? {
        guard let p = m.parameters.first, p.accelerator != nil else { return nil }
        return p.backend
    }

    /// `model.to(device)`: parameters and buffers move in place (optimizers keep the same tensors, and
    /// move their state at their next step).
    func move(_ m: Module, to device: Device) throws(DLXError) {
        let target = try session.backend(for: device)
        try engine { () throws(TensorError) in
            for p in m.parameters { try p.moveData(to: target) }
            for b in m.allBuffers { try b.moveData(to: target) }
        }
    }
}
