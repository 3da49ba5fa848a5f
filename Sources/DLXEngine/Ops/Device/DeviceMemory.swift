/// Tensors on an accelerator: moving them between host and device, copies, fills, and the host round
/// trip that `.item()`, `.tolist()` and printing make. Every op that can see a device tensor either has
/// a device path (Ops/Device) or calls `requireHost`, which fails with a clear message.
extension Tensor {
    /// The accelerator that holds this tensor, nil for host memory.
    public var accelerator: (any Accelerator)? { backend.accelerator }

    /// The device address of the first element (device tensors only).
    var address: DeviceAddress { DeviceBackend.address(storage.pointer) + DeviceAddress(offset * dtype.itemSize) }

    /// Fails in PyTorch's words unless every tensor given is on this tensor's device.
    func requireSameDevice(_ others: Tensor?...) throws(TensorError) {
        for case let t? in others where t.device != device { throw .devices(device, t.device) }
    }

    /// Fails, in the user's terms, for an operation that has no device path yet.
    public func requireHost(_ operation: @autoclosure () -> String) throws(TensorError) {
        guard accelerator == nil else {
            throw .runtime("\(operation()) does not run on \(device) tensors in dlx yet: move the tensor with .cpu() first")
        }
    }

    /// A copy on `target` (`x.to("cuda")`, `x.cpu()`); this tensor itself when it is already there.
    /// Recorded as ToCopyBackward0: the gradient goes back to the source device.
    public func to(backend target: any Backend) throws(TensorError) -> Tensor {
        if target === backend { return self }
        let source = backend
        return try derive("ToCopyBackward0", [self], { () throws(TensorError) in try self.transferred(to: target) }) { g, _ throws(TensorError) in
            [try g.transferred(to: source)]
        }
    }

    /// The data on `target`, not recorded: this tensor itself when it is there, else a contiguous copy.
    public func transferred(to target: any Backend) throws(TensorError) -> Tensor {
        if target === backend { return self }
        let out = try Tensor.empty(shape, dtype: dtype, on: target)
        if count == 0 { return out }
        let bytes = count * dtype.itemSize
        switch (accelerator, target.accelerator) {
        case (let acc?, nil):
            let src = try contiguous()
            try acc.download(src.address, to: out.storage.pointer, byteCount: bytes)
            withExtendedLifetime(src) {}
        case (_, let acc?):
            // From the host, or from another device through the host; the staging copy lives until the copy is made.
            let src = try onHost().contiguous()
            try acc.upload(src.storage.pointer + src.offset * dtype.itemSize, to: out.address, byteCount: bytes)
            withExtendedLifetime(src) {}
        case (nil, nil):
            try out.assign(from: self)
        }
        return out
    }

    /// This tensor's data on the host: itself when it is there already, else a contiguous copy.
    public func onHost() throws(TensorError) -> Tensor { try transferred(to: backend.hostBackend) }

    /// Adds one to the only element of a one-element int64 tensor, where it lives (no trip to the host).
    public func increment() throws(TensorError) {
        guard let acc = accelerator else { storeInt(loadInt(offset) &+ 1, offset); return }
        guard dtype == .int64 else { throw .runtime("increment() needs an int64 tensor") }
        try acc.addInt64(address, 1)
    }

    /// Device `assign(from:)`: same shape, both on this device.
    func deviceAssign(from src: Tensor, _ acc: any Accelerator) throws(TensorError) {
        guard src.accelerator != nil else { try assign(from: try src.transferred(to: backend)); return }
        if src.dtype != dtype {
            guard dtype == .float32, [.uint8, .bool, .int64].contains(src.dtype) else {
                throw .runtime("converting \(src.dtype.name) to \(dtype.name) does not run on \(device) tensors in dlx yet: move the tensor with .cpu() first")
            }
            let s = try src.contiguous()
            let staged = isContiguous ? self : try empty(shape)
            try acc.toFloat(s.address, from: s.dtype, staged.address, scale: 1, count: count)
            if staged !== self { try deviceAssign(from: staged, acc) }
            return
        }
        if isContiguous && src.isContiguous {
            try acc.copy(src.address, to: address, byteCount: count * dtype.itemSize)
            return
        }
        guard isContiguous else {
            // A strided destination (x[...] = y on a view, slice gradients): element by element.
            guard dtype.itemSize == 4, !Tensor.overlapsItself(shape, strides) else {
                throw .runtime("writing into this view does not run on \(device) tensors in dlx yet: move the tensor with .cpu() first")
            }
            try acc.copyStrided(src.address, address, try Tensor.layout(shape, src.strides, strides))
            return
        }
        try acc.gather(src.address, address, try Tensor.layout(src.shape, src.strides), elementSize: dtype.itemSize)
    }

    /// A kernel's view of shape and strides, with dimensions merged where memory allows (six at most).
    static func layout(_ shape: [Int], _ a: [Int], _ b: [Int]? = nil) throws(TensorError) -> StridedLayout {
        let sets = b.map { [a, $0] } ?? [a]
        let merged = coalesce(shape, sets)
        guard merged.shape.count <= StridedLayout.maxRank else {
            throw .runtime("tensors of more than \(StridedLayout.maxRank) strided dimensions do not run on the GPU in dlx yet")
        }
        return StridedLayout(shape: merged.shape, a: merged.strides[0], b: b == nil ? nil : merged.strides[1])
    }

    /// Device fill of a contiguous float32 tensor, or of zeros for any dtype.
    func deviceFill(_ value: Double, _ acc: any Accelerator) throws(TensorError) {
        guard isContiguous else { throw .runtime("fill_ on a strided view does not run on \(device) tensors in dlx yet") }
        if count == 0 { return }
        if dtype == .float32 { try acc.fill(address, Float(value), count: count); return }
        let bytes = count * dtype.itemSize, start = offset * dtype.itemSize
        let wholeWords = bytes % 4 == 0 && start % 4 == 0, wholeStorage = start == 0 && bytes == storage.byteCount
        guard value == 0, wholeWords || wholeStorage else {
            throw .runtime("fill_ with \(value) on a \(dtype.name) tensor does not run on \(device) tensors in dlx yet")
        }
        try acc.zero(address, words: (bytes + 3) / 4)   // a whole storage's block holds whole words
    }
}

extension Tensor {
    /// Whether two positions of a view share memory (a stride of 0 on a dimension longer than 1):
    /// such a view cannot be written element by element in parallel.
    static func overlapsItself(_ shape: [Int], _ strides: [Int]) -> Bool {
        zip(shape, strides).contains { $0.0 > 1 && $0.1 == 0 }
    }
}
