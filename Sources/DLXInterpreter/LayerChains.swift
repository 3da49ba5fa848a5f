import DLXFrontEnd
import DLXEngine

/// Chains of layer calls written inside one another, as a user's `forward` writes them:
/// `self.pool(F.relu(self.bn1(self.conv1(x))))`. The layers run through the engine's `Sequential.run`, which
/// fuses what it can (a convolution's statistics for its batch norm, batch norm with ReLU, with dropout and
/// pooling), so a model written as a class trains as fast as the same layers in an `nn.Sequential`.
/// Callees are evaluated outermost first and the input last, as Python evaluates them; results are the same
/// as calling the layers one by one.
extension Interpreter {
    /// The value of a call expression that is such a chain; nil (with nothing evaluated) for any other call.
    func layerChain(_ e: Expr) throws(DLXError) -> Value? {
        // Syntactically: at least two nested one-argument calls of names or attributes.
        var calleeExprs: [Expr] = []
        var node = e
        while case .call(let callee, let args) = node.kind, args.count == 1, case .positional = args[0].kind,
              Interpreter.isPlainLookup(callee) {
            calleeExprs.append(callee)
            node = args[0].value
        }
        guard calleeExprs.count >= 2 else { return nil }
        var callees: [Value] = []
        for c in calleeExprs { callees.append(try eval(c)) }
        var value = try eval(node)
        // Innermost first: runs of layers go through Sequential.run together; anything else is called as usual.
        var k = callees.count - 1
        while k >= 0 {
            var run: [Module] = []
            while k >= 0, let m = chainLayer(callees[k]) { run.append(m); k -= 1 }
            if !run.isEmpty {
                guard case .tensor(let x) = value else {
                    // Not a tensor: let the layers report it as they do.
                    for m in run { var a = Arguments([value]); value = try call(.module(m), &a) }
                    continue
                }
                try checkInterrupt()
                if run.count > 1 { session.layerChainRuns += 1 }
                var context = forwardContext ?? ForwardContext(generator: session.generator)
                defer { if forwardContext != nil { forwardContext = context } else { session.generator = context.generator } }
                value = .tensor(try engine { () throws(TensorError) in try Sequential.run(run, x, &context) })
                continue
            }
            var a = Arguments([value])
            value = try call(callees[k], &a)
            k -= 1
        }
        return value
    }

    /// Consecutive statements that pass one variable through layer calls, as tutorials write a forward:
    /// `x = self.conv1(x)`, `x = self.bn1(x)`, `x = F.relu(x)`, `x = self.pool(x)`. Their calls, nested into one
    /// expression (`x = self.pool(F.relu(self.bn1(self.conv1(x))))`), run as one chain: the variable, the
    /// chain and how many statements it covers; nil for anything else (then each runs as written).
    func statementChain(_ body: [Stmt], _ start: Int) -> (String, Expr, Int)? {
        func step(_ s: Stmt) -> (String, Expr)? {
            guard case .assign(let targets, let value) = s.kind, targets.count == 1, case .name(let v) = targets[0].kind,
                  case .call = value.kind else { return nil }
            // One-argument calls of lookups down to the variable itself.
            var node = value
            while case .call(let callee, let args) = node.kind, args.count == 1, case .positional = args[0].kind,
                  Interpreter.isPlainLookup(callee) {
                node = args[0].value
            }
            guard case .name(v) = node.kind else { return nil }
            return (v, value)
        }
        guard let (name, first) = step(body[start]) else { return nil }
        var chain = first
        var k = start + 1
        while k < body.count, let (v, next) = step(body[k]), v == name {
            chain = Interpreter.substitute(next, name, chain)
            k += 1
        }
        return k - start >= 2 ? (name, chain, k - start) : nil
    }

    /// `outer` with its innermost use of `name` replaced by `inner`.
    static func substitute(_ outer: Expr, _ name: String, _ inner: Expr) -> Expr {
        guard case .call(let callee, let args) = outer.kind else { return inner }
        var arg = args[0]
        arg.value = substitute(arg.value, name, inner)
        return Expr(.call(callee, [arg]), outer.span)
    }

    /// `name`, `self.layer`, `F.relu`: lookups without side effects worth keeping apart.
    static func isPlainLookup(_ e: Expr) -> Bool {
        switch e.kind {
        case .name: return true
        case .attribute(let base, _): return isPlainLookup(base)
        default: return false
        }
    }

    /// The engine layer a callee stands for: a built-in module, or `F.relu` / `torch.relu` as a ReLU.
    private func chainLayer(_ v: Value) -> Module? {
        switch v {
        case .module(let m):
            if m is UserModule || m is Loss { return nil }
            return m
        case .object(let f as BuiltinFunction) where f.helpKey == "torch.nn.functional.relu" || f.helpKey == "torch.relu":
            return session.reluLayer
        default:
            return nil
        }
    }
}
