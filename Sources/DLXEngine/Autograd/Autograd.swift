/// Reverse-mode automatic differentiation over a dynamic graph, as PyTorch's autograd: each
/// differentiable op records a node with its inputs and a backward rule; `backward()` walks the
/// nodes in reverse topological order and accumulates gradients into the leaves' `.grad`.
public final class GradNode: @unchecked Sendable {
    /// PyTorch's name for the node, shown as `grad_fn=<AddBackward0>`.
    public let name: String
    private(set) var inputs: [Tensor]
    /// (gradient of the output, the output) -> one gradient per input (nil where an input needs none).
    /// The output comes as an argument so that a rule never holds its own output (no cycle).
    /// Dropped after use, which frees the tensors it saved.
    private(set) var rule: ((Tensor, Tensor) throws(TensorError) -> [Tensor?])?
    /// The tensors the rule reads, with their versions when they were saved (PyTorch's SavedVariable).
    private var saved: [SavedTensor]

    init(name: String, inputs: [Tensor], saved: [SavedTensor], rule: @escaping (Tensor, Tensor) throws(TensorError) -> [Tensor?]) {
        self.name = name; self.inputs = inputs; self.saved = saved; self.rule = rule
    }

    /// Frees what the rule saved, after use.
    func dropRule() { rule = nil; saved = [] }

    /// PyTorch's error when a tensor the rule needs was changed in place after it was saved (its storage's
    /// version moved on): the rule would compute a wrong gradient. `output` is this node's output.
    func checkSavedVersions(output: Tensor) throws(TensorError) {
        for s in saved {
            let now = (s.storage ?? output.storage).version
            guard now != s.version else { continue }
            let type = "torch." + (s.device == .cpu ? "" : "cuda.") + s.dtype.pytorchScalarName + "Tensor"
            let shape = "[" + s.shape.map(String.init).joined(separator: ", ") + "]"
            throw .runtime("one of the variables needed for gradient computation has been modified by an inplace operation: "
                + "[\(type) \(shape)]" + (s.producer.map { ", which is output 0 of \($0)," } ?? "")
                + " is at version \(now); expected version \(s.version) instead. Hint: enable anomaly detection to find the "
                + "operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).")
        }
    }

    /// Frees the graph behind this node with an explicit stack instead of recursion: released one by one,
    /// a chain of two million nodes would nest two million deinits and overflow the thread's stack. The
    /// nodes of inputs that die with this node are moved to a local list and stripped there, so that
    /// each one's own deinit finds nothing left to free. Nodes or tensors still referenced elsewhere
    /// (a tensor the user kept, a `grad_fn` object) are left alone.
    deinit {
        dropRule()   // the tensors it saved, which are also inputs, stay held by `inputs`
        var pending: [GradNode] = []
        GradNode.detach(&inputs, into: &pending)
        while var node = pending.popLast() {
            guard isKnownUniquelyReferenced(&node) else { continue }
            node.dropRule()
            GradNode.detach(&node.inputs, into: &pending)
        }
    }

    /// Empties `inputs`, moving the node of each input that is about to die onto `pending`.
    private static func detach(_ inputs: inout [Tensor], into pending: inout [GradNode]) {
        while var t = inputs.popLast() {
            if isKnownUniquelyReferenced(&t), let node = t.gradFn {
                t.gradFn = nil
                pending.append(node)
            }
        }
    }
}

/// A tensor a backward rule reads, as it was when the op saved it: its storage's version then, and what the
/// error names if it has changed since (its type, shape and the node that made it).
struct SavedTensor {
    /// nil for the node's own output (which the node must not hold).
    let storage: Storage?
    let version: Int
    let shape: [Int], dtype: DType, device: Device
    let producer: String?

    init(_ t: Tensor) {
        storage = t.storage; version = t.storage.version
        shape = t.shape; dtype = t.dtype; device = t.device; producer = t.gradFn?.name
    }

    init(output t: Tensor, of node: String) {
        storage = nil; version = t.storage.version
        shape = t.shape; dtype = t.dtype; device = t.device; producer = node
    }
}

extension Tensor {
    /// PyTorch's `_version`: how many in-place changes this tensor's storage has had (views share it).
    public var version: Int { storage.version }

    /// Records an in-place change to this tensor's elements, so that a backward rule that saved it (or a
    /// view of its storage) can tell. Every in-place op calls it.
    public func bumpVersion() { storage.version &+= 1 }

    /// Records this freshly computed tensor as the output of a differentiable op, when grad mode is on and
    /// an input requires grad. Never call it on a tensor an op returned unchanged. `saving` names the
    /// tensors the rule reads (and `savingOutput` the output), whose versions backward checks.
    @discardableResult
    func recorded(_ name: String, _ inputs: [Tensor], saving: [Tensor?] = [], savingOutput: Bool = false,
                  _ rule: @escaping (Tensor, Tensor) throws(TensorError) -> [Tensor?]) -> Tensor {
        guard backend.autograd.enabled, inputs.contains(where: { $0.requiresGrad }) else { return self }
        requiresGrad = true
        var saved = saving.compactMap { $0.map(SavedTensor.init) }
        if savingOutput { saved.append(SavedTensor(output: self, of: name)) }
        gradFn = GradNode(name: name, inputs: inputs, saved: saved, rule: rule)
        return self
    }

    /// `tensor.backward(gradient=None, retain_graph=False)`: without `retainGraph` each rule is dropped after
    /// use (freeing what it saved), so a second backward through the same graph is PyTorch's error.
    /// `profile`, when given, is told each backward rule's name and the seconds it took (for benchmarks).
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false, profile: ((String, Double) -> Void)? = nil) throws(TensorError) {
        guard requiresGrad else {
            throw .runtime("element 0 of tensors does not require grad and does not have a grad_fn")
        }
        let seed: Tensor
        if let gradient {
            guard gradient.shape == shape else {
                throw .runtime("Mismatch in shape: grad_output[0] has a shape of \(TensorPrinter.sizeRepr(gradient.shape)) and output[0] has a shape of \(TensorPrinter.sizeRepr(shape)).")
            }
            seed = try gradient.to(.float32)
        } else {
            guard count == 1 else { throw .runtime("grad can be implicitly created only for scalar outputs") }
            seed = try Tensor.ones(shape, on: backend)
        }
        try backend.autograd.with(enabled: false) { () throws(TensorError) in try Tensor.propagate(from: self, seed, retainGraph, profile) }
    }

    private static func propagate(from root: Tensor, _ seed: Tensor, _ retainGraph: Bool, _ profile: ((String, Double) -> Void)?) throws(TensorError) {
        // Reverse topological order by an iterative depth-first search (deep graphs must not overflow the stack).
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Bool)] = [(root, false)]
        while let (t, expanded) = stack.popLast() {
            if expanded { order.append(t); continue }
            guard visited.insert(ObjectIdentifier(t)).inserted else { continue }
            stack.append((t, true))
            for input in t.gradFn?.inputs ?? [] where input.requiresGrad && !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed]
        for t in order.reversed() {
            guard let g = grads.removeValue(forKey: ObjectIdentifier(t)) else { continue }
            guard let node = t.gradFn else {
                try t.accumulateGrad(g)
                continue
            }
            guard let rule = node.rule else {
                throw .runtime("Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.")
            }
            try node.checkSavedVersions(output: t)
            let started = profile == nil ? 0 : Trainer.now()
            let inputGrads = try rule(g, t)
            if !retainGraph { node.dropRule() }
            if let profile { profile(node.name, Trainer.now() - started) }
            for (input, ig) in zip(node.inputs, inputGrads) {
                guard input.requiresGrad, let ig else { continue }
                let key = ObjectIdentifier(input)
                if let existing = grads[key] {
                    grads[key] = try Tensor.binary(.add, .tensor(existing), .tensor(ig))
                } else {
                    grads[key] = ig
                }
            }
        }
    }

    /// Adds `g` into this leaf's `.grad` (in place, as PyTorch accumulates).
    private func accumulateGrad(_ g: Tensor) throws(TensorError) {
        let incoming = try g.shape == shape ? g : g.sumTo(shape)
        if grad == nil, incoming.isFreshGradient, incoming.dtype == .float32, incoming.isContiguous, incoming.offset == 0 {
            incoming.isFreshGradient = false
            grad = incoming
            return
        }
        if let existing = grad, existing.shape == shape, existing.dtype == .float32, existing.isContiguous,
           existing.device == incoming.device {
            let x = try incoming.to(.float32).contiguous()
            existing.bumpVersion()
            if let acc = existing.accelerator {
                try acc.axpby(existing.address, x.address, alpha: 1, beta: 1, count: count)
            } else {
                let e = existing.f32, p = x.f32
                for i in 0..<count { e[i] += p[i] }
            }
        } else {
            // The leaf owns its gradient: never alias a tensor of the graph.
            let fresh = try Tensor.empty(shape, on: backend)
            try fresh.assign(from: try incoming.to(.float32))
            grad = fresh
        }
    }

    /// Sums a broadcast gradient back to `shape` (the inverse of broadcasting).
    public func sumTo(_ target: [Int]) throws(TensorError) -> Tensor {
        if shape == target { return self }
        var g = self
        while g.rank > target.count {
            g = try g.reduce(.sum, dim: 0, keepdim: false).values
        }
        for d in 0..<target.count where target[d] == 1 && g.shape[d] != 1 {
            g = try g.reduce(.sum, dim: d, keepdim: true).values
        }
        return g.shape == target ? g : try g.reshape(target)
    }

    /// A tensor sharing this one's data but cut from the graph (`detach()`).
    public func detached() -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
    }
}

extension Tensor {
    /// Runs an op's forward with recording off (its inner steps build no nodes), then records the
    /// result as one node with `rule`, unless the op handed back one of its inputs unchanged.
    func derive(_ name: String, _ inputs: [Tensor], saving: [Tensor?] = [], savingOutput: Bool = false,
                _ body: () throws(TensorError) -> Tensor,
                rule: @escaping (Tensor, Tensor) throws(TensorError) -> [Tensor?]) throws(TensorError) -> Tensor {
        let needs = backend.autograd.enabled && inputs.contains { $0.requiresGrad }
        guard needs else { return try body() }
        let out = try backend.autograd.with(enabled: false, body)
        if inputs.contains(where: { $0 === out }) { return out }
        return out.recorded(name, inputs, saving: saving, savingOutput: savingOutput, rule)
    }
}
