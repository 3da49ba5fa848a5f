/// Reverse-mode automatic differentiation over a dynamic graph, as PyTorch's autograd: each
/// differentiable op records a node with its inputs and a backward rule; `backward()` walks the
/// nodes in reverse topological order and accumulates gradients into the leaves' `.grad`.
public final class GradNode: @unchecked Sendable {
    /// PyTorch's name for the node, shown as `grad_fn=<AddBackward0>`.
    public let name: String
    let inputs: [Tensor]
    /// (gradient of the output, the output) -> one gradient per input (nil where an input needs none).
    /// The output comes as an argument so that a rule never holds its own output (no cycle).
    /// Dropped after use, which frees the tensors it saved.
    var rule: ((Tensor, Tensor) throws(TensorError) -> [Tensor?])?

    init(name: String, inputs: [Tensor], rule: @escaping (Tensor, Tensor) throws(TensorError) -> [Tensor?]) {
        self.name = name; self.inputs = inputs; self.rule = rule
    }
}

extension Tensor {
    /// Records this freshly computed tensor as the output of a differentiable op, when grad mode is on and
    /// an input requires grad. Never call it on a tensor an op returned unchanged.
    @discardableResult
    func recorded(_ name: String, _ inputs: [Tensor], _ rule: @escaping (Tensor, Tensor) throws(TensorError) -> [Tensor?]) -> Tensor {
        guard backend.autograd.enabled, inputs.contains(where: { $0.requiresGrad }) else { return self }
        requiresGrad = true
        gradFn = GradNode(name: name, inputs: inputs, rule: rule)
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
            let started = profile == nil ? 0 : Trainer.now()
            let inputGrads = try rule(g, t)
            if !retainGraph { node.rule = nil }
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
    func derive(_ name: String, _ inputs: [Tensor], _ body: () throws(TensorError) -> Tensor,
                rule: @escaping (Tensor, Tensor) throws(TensorError) -> [Tensor?]) throws(TensorError) -> Tensor {
        let needs = backend.autograd.enabled && inputs.contains { $0.requiresGrad }
        guard needs else { return try body() }
        let out = try backend.autograd.with(enabled: false, body)
        if inputs.contains(where: { $0 === out }) { return out }
        return out.recorded(name, inputs, rule)
    }
}
