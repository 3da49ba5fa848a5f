import DLXEngine

/// Python's `copy`. `copy` makes a new container of the same items (a tensor: a new tensor on the same
/// storage, as PyTorch's pickling rebuild gives; a module: the same parameters and children); `deepcopy`
/// copies all the way down with a memo, so shared and self-containing structures keep their shape, and
/// copies a model with fresh parameter tensors.
extension Interpreter {
    func copyMembers() -> [String: Value] {
        [
            "copy": function("copy") { a, i throws(DLXError) in
                var copier = Copier(i, deep: false)
                return try copier.copy(try a.required(0, "x"), depth: 0)
            },
            "deepcopy": function("deepcopy") { a, i throws(DLXError) in
                _ = try a.get(1, "memo")
                var copier = Copier(i, deep: true)
                return try copier.copy(try a.required(0, "x"), depth: 0)
            },
            "Error": .object(TypeObject("Error", qualified: "copy.Error")),
        ]
    }
}

private struct Copier {
    let interpreter: Interpreter
    let deep: Bool
    /// Copies made so far, by the original's identity (the originals stay alive through the call).
    var memo: [ObjectIdentifier: Value] = [:]

    init(_ interpreter: Interpreter, deep: Bool) { self.interpreter = interpreter; self.deep = deep }

    /// Python's recursion limit, about: deeper nesting is a RecursionError rather than a crash.
    static let maxDepth = 990

    mutating func item(_ v: Value, _ depth: Int) throws(DLXError) -> Value {
        deep ? try copy(v, depth: depth + 1) : v
    }

    mutating func copy(_ v: Value, depth: Int) throws(DLXError) -> Value {
        guard depth < Copier.maxDepth else { throw .recursion(" while calling a Python object") }
        switch v {
        case .list(let l):
            if let done = memo[ObjectIdentifier(l)] { return done }
            let out = ListBox([])
            memo[ObjectIdentifier(l)] = .list(out)
            for x in l.items { out.items.append(try item(x, depth)) }
            return .list(out)
        case .dict(let d):
            if let done = memo[ObjectIdentifier(d)] { return done }
            let out = DictBox()
            out.flavor = d.flavor
            memo[ObjectIdentifier(d)] = .dict(out)
            for (k, x) in zip(d.keys, d.values) { try out.set(try item(k, depth), try item(x, depth)) }
            return .dict(out)
        case .tuple(let items):
            guard deep else { return v }
            var out: [Value] = []
            for x in items { out.append(try item(x, depth)) }
            return .tuple(out)
        case .tensor(let t): return .tensor(try tensor(t))
        case .module(let m): return .module(try module(m, depth))
        case .object(let o): return try object(o, depth)
        default: return v   // numbers, strings, None, sizes, dtypes, devices, slices: immutable
        }
    }

    mutating func tensor(_ t: Tensor) throws(DLXError) -> Tensor {
        if case .tensor(let done)? = memo[ObjectIdentifier(t)] { return done }
        let out: Tensor
        if deep {
            guard t.gradFn == nil else {
                throw DLXError("RuntimeError", "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment.  If you were attempting to deepcopy a module, this may be because of a torch.nn.utils.weight_norm usage, see https://github.com/pytorch/pytorch/pull/103001")
            }
            out = try interpreter.engine { () throws(TensorError) in
                try t.backend.autograd.with(enabled: false) { () throws(TensorError) in try t.clone() }
            }
            if let g = t.grad { out.grad = try tensor(g) }
        } else {
            out = t.detached()
        }
        out.requiresGrad = t.requiresGrad
        out.isParameter = t.isParameter
        memo[ObjectIdentifier(t)] = .tensor(out)
        return out
    }

    /// A module of the same type and configuration: with copies of its parameters, buffers and children
    /// (deep), or with the same ones (shallow).
    mutating func module(_ m: Module, _ depth: Int) throws(DLXError) -> Module {
        if case .module(let done)? = memo[ObjectIdentifier(m)] { return done }
        func param(_ t: Tensor) throws(DLXError) -> Tensor { deep ? try tensor(t) : t }
        func parameter(_ t: Tensor?) throws(DLXError) -> Tensor? { try t.map { x throws(DLXError) in try param(x) } }
        var g = Generator(seed: 0)   // the new layer's own draws are replaced at once; the session's generator is untouched
        let out: Module
        do {
            switch m {
            case let s as Sequential:
                var children: [Module] = []
                for c in s.modules { children.append(deep ? try module(c, depth + 1) : c) }
                out = Sequential(children)
            case let l as Linear:
                let c = try Linear(l.inFeatures, l.outFeatures, bias: l.bias != nil, backend: l.weight.backend, generator: &g)
                c.weight = try param(l.weight); c.bias = try parameter(l.bias)
                out = c
            case let l as Conv2d:
                let c = try Conv2d(l.inChannels, l.outChannels, kernelSize: l.kernelSize, stride: l.stride, padding: l.padding,
                                   dilation: l.dilation, bias: l.bias != nil, backend: l.weight.backend, generator: &g)
                c.weight = try param(l.weight); c.bias = try parameter(l.bias)
                out = c
            case let b as BatchNorm:
                let c = try BatchNorm(dims: b.dims, b.numFeatures, eps: b.eps, momentum: b.momentum, affine: b.weight != nil,
                                      backend: b.runningMean.backend)
                c.weight = try parameter(b.weight); c.bias = try parameter(b.bias)
                c.runningMean = try param(b.runningMean); c.runningVar = try param(b.runningVar)
                c.batchesTracked = try param(b.batchesTracked)
                out = c
            case let d as Dropout:
                let c = try Dropout(p: d.p)
                c.channelwise = d.channelwise
                out = c
            case let a as Activation: out = Activation(a.kind)
            case let s as Softmax: out = Softmax(dim: s.dim, log: s.log)
            case let f as Flatten: out = Flatten(startDim: f.startDim, endDim: f.endDim)
            case let p as MaxPool2d: out = try MaxPool2d(kernelSize: p.kernelSize, stride: p.stride, padding: p.padding, dilation: p.dilation)
            case let p as AvgPool2d: out = try AvgPool2d(kernelSize: p.kernelSize, stride: p.stride, padding: p.padding)
            case let p as AdaptiveAvgPool2d: out = AdaptiveAvgPool2d(outputSize: p.outputSize)
            case let l as Loss: out = Loss(l.kind, reduction: l.reduction)
            default:
                throw DLXError("TypeError", "copy of a \(m.typeName) module is not supported in dlx")
            }
        } catch let e as TensorError {
            throw DLXError(e)
        } catch let e as DLXError {
            throw e
        } catch {
            throw DLXError("RuntimeError", "\(error)")
        }
        out.training = m.training
        memo[ObjectIdentifier(m)] = .module(out)
        return out
    }

    mutating func object(_ o: any PyObject, _ depth: Int) throws(DLXError) -> Value {
        if let done = memo[ObjectIdentifier(o)] { return done }
        let out: Value
        switch o {
        case is BuiltinFunction, is UserFunction, is TypeObject, is Namespace, is GetterObject, is CachedFunction:
            return .object(o)   // as CPython copies functions, classes and modules: itself
        case let t as NamedTupleValue:   // a tuple subclass: copied through pickling, so a new object even when shallow
            var items: [Value] = []
            for x in t.values { items.append(try item(x, depth)) }
            out = .object(NamedTupleValue(t.shape, items))
        case let d as DequeObject:
            var items: [Value] = []
            for x in d.items { items.append(try item(x, depth)) }
            out = .object(DequeObject(items, maxlen: d.maxlen))
        case let p as PartialObject:
            var args: [Value] = [], keywords: [(String, Value)] = []
            for x in p.arguments { args.append(try item(x, depth)) }
            for (k, x) in p.keywords { keywords.append((k, try item(x, depth))) }
            out = .object(PartialObject(try item(p.function, depth), args, keywords))
        case let r as RandomObject:
            let c = RandomObject([0])
            c.mt = r.mt
            c.gaussNext = r.gaussNext
            out = .object(c)
        case is RangeObject:
            return .object(o)
        default:
            throw .type("cannot pickle '\(o.typeName)' object")
        }
        memo[ObjectIdentifier(o)] = out
        return out
    }
}
