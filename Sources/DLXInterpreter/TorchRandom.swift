import DLXEngine

/// PyTorch's random state: `torch.manual_seed`, `seed`, `initial_seed`, `get_rng_state`/`set_rng_state`,
/// `torch.Generator`, `torch.random.fork_rng`, and `randint`/`randperm` with `generator=`. The numbers are
/// PyTorch's CPU generator's (`DLXEngine.Generator`), so a seed gives PyTorch's numbers.
extension Interpreter {
    func torchRandomMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        m["manual_seed"] = function("manual_seed") { a, i throws(DLXError) in
            i.session.generator = Generator(seed: try i.seedArgument(try a.required(0, "seed")))
            return .object(GeneratorObject())
        }
        m["seed"] = function("seed") { _, i throws(DLXError) in
            let s = UInt64.random(in: 0...UInt64.max)
            i.session.generator = Generator(seed: s)
            return .int(Int(bitPattern: UInt(s)))
        }
        m["initial_seed"] = function("initial_seed") { _, i throws(DLXError) in .int(Int(bitPattern: UInt(i.session.generator.seed))) }
        m["get_rng_state"] = function("get_rng_state") { _, i throws(DLXError) in try i.stateTensor(i.session.generator) }
        m["set_rng_state"] = function("set_rng_state") { a, i throws(DLXError) in
            i.session.generator = try i.generatorFromState(try a.required(0, "new_state"))
            return Value.none
        }
        m["Generator"] = .object(TypeObject("Generator", qualified: "torch._C.Generator") { a, i throws(DLXError) in
            if let d = try a.get(0, "device"), !d.isNone, try i.toDevice(d) != .cpu {
                throw DLXError("RuntimeError", "dlx's generators are CPU generators (PyTorch's CPU generator's numbers); use torch.Generator()")
            }
            return .object(GeneratorObject(own: Generator(seed: Generator.defaultSeed)))
        })
        m["default_generator"] = .object(GeneratorObject())
        m["randint"] = function("randint") { a, i throws(DLXError) in try i.randint(&a) }
        m["randperm"] = function("randperm") { a, i throws(DLXError) in try i.randperm(&a) }
        return m
    }

    /// `torch.random`: the seeding functions again, and `fork_rng`.
    func torchRandomModule() -> [String: Value] {
        let top = torchRandomMembers()
        var m: [String: Value] = [:]
        for name in ["manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state", "default_generator"] { m[name] = top[name] }
        m["fork_rng"] = function("fork_rng") { a, i throws(DLXError) in
            _ = try a.get(0, "devices"); _ = try a.get(2, "_caller"); _ = try a.get(3, "_devices_kw"); _ = try a.get(4, "device_type")
            let enabled = try a.get(1, "enabled").map { v throws(DLXError) in try i.truthy(v) } ?? true
            return .object(ForkRNG(enabled: enabled))
        }
        return m
    }

    /// A seed as `manual_seed` takes one: any Python int from -2^63 up (negative ones wrap to 64 bits), or a
    /// float (truncated, as `int()` does).
    func seedArgument(_ v: Value) throws(DLXError) -> UInt64 {
        switch v {
        case .float(let f):
            guard f.isFinite else { throw .value("cannot convert float \(f.isNaN ? "NaN" : "infinity") to integer") }
            guard f >= -9.223372036854775808e18 && f < 1.8446744073709552e19 else { throw .value("Overflow when unpacking long long") }
            return f < 0 ? UInt64(bitPattern: Int64(f)) : UInt64(f)
        default: return UInt64(bitPattern: Int64(try toInt(v, "seed")))
        }
    }

    /// The `generator=` argument: a `torch.Generator`, or nil (None, absent) for the session's.
    func generatorArgument(_ a: inout Arguments, _ index: Int? = nil) throws(DLXError) -> GeneratorObject? {
        guard let v = try a.get(index, "generator"), !v.isNone else { return nil }
        guard case .object(let g as GeneratorObject) = v else {
            throw .type("expected a torch.Generator as generator=, not \(v.typeName)")
        }
        return g
    }

    /// Runs engine work on the generator `g` stands for (the session's when nil or the default generator).
    func drawing<T>(from g: GeneratorObject?, _ body: (inout Generator) throws(TensorError) -> T) throws(DLXError) -> T {
        guard let g, var own = g.own else { return try drawing(body) }
        g.own = nil   // the one copy, mutated in place
        defer { g.own = own }
        return try engine { () throws(TensorError) in try body(&own) }
    }

    /// The end of a shuffled pass over a loader given `generator=`: PyTorch's RandomSampler, run to its end,
    /// takes its remainder from one more `randperm(n)` on that generator (even when the remainder is empty).
    func endOfPass(_ g: GeneratorObject?, shuffle: Bool, count n: Int, done: inout Bool) throws(DLXError) {
        guard !done else { return }
        done = true
        if let g, shuffle { _ = try drawing(from: g) { gen throws(TensorError) in gen.permutation(n) } }
    }

    /// The state as PyTorch's `get_rng_state()` gives it: a uint8 tensor of 5056 bytes.
    func stateTensor(_ g: Generator) throws(DLXError) -> Value {
        .tensor(try engine { () throws(TensorError) in
            try Tensor.from(g.stateBytes.map { Int64($0) }, shape: [Generator.stateByteCount], on: session.backend).to(.uint8)
        })
    }

    func generatorFromState(_ v: Value) throws(DLXError) -> Generator {
        guard case .tensor(let t) = v, t.dtype == .uint8 else { throw .type("RNG state must be a torch.ByteTensor") }
        let bytes = try engine { () throws(TensorError) in try t.contiguous().int64s() }.map { UInt8(truncatingIfNeeded: $0) }
        return try engine { () throws(TensorError) in try Generator(stateBytes: bytes) }
    }

    /// `torch.randint(low=0, high, size, *, generator=None, dtype=torch.int64, device=None, requires_grad=False)`.
    func randint(_ a: inout Arguments) throws(DLXError) -> Value {
        // randint(high, size) or randint(low, high, size): the size is the first positional that is not an int.
        let positional = a.rest(from: 0)
        let ints = positional.prefix { if case .int = $0 { return true }; return false }
        var low = 0, high: Int
        if ints.count >= 2 {
            low = try toInt(ints[0], "low"); high = try toInt(ints[1], "high")
        } else if let h = ints.first {
            if let l = try a.get(nil, "low") { low = try toInt(l, "low") }
            high = try toInt(h, "high")
        } else {
            if let l = try a.get(nil, "low") { low = try toInt(l, "low") }
            high = try toInt(try a.required(nil, "high"), "high")
        }
        let sizeArg: Value
        if ints.count < positional.count { sizeArg = positional[ints.count] } else {
            guard let s = try a.get(nil, "size") else { throw .type("randint() missing required argument 'size'") }
            sizeArg = s
        }
        let shape = try toShape([sizeArg], "randint")
        let dtype = try a.get(nil, "dtype").flatMap { v throws(DLXError) -> DType? in v.isNone ? nil : try toDType(v) } ?? .int64
        let g = try generatorArgument(&a)
        let target = try deviceArgument(&a)
        let t = try drawing(from: g) { gen throws(TensorError) in try Tensor.randint(low, high, shape, dtype: dtype, generator: &gen, on: target) }
        return .tensor(t)
    }

    /// `torch.randperm(n, *, generator=None, dtype=torch.int64, device=None, requires_grad=False)`.
    func randperm(_ a: inout Arguments) throws(DLXError) -> Value {
        let n = try toInt(try a.required(0, "n"), "n")
        guard n >= 0 else { throw DLXError("RuntimeError", "n must be non-negative, got\(n)") }
        let dtype = try a.get(nil, "dtype").flatMap { v throws(DLXError) -> DType? in v.isNone ? nil : try toDType(v) } ?? .int64
        let g = try generatorArgument(&a)
        _ = try a.get(nil, "pin_memory"); _ = try a.get(nil, "layout")
        let grad = try a.get(nil, "requires_grad").map { v throws(DLXError) in try truthy(v) } ?? false
        let target = try deviceArgument(&a)
        // The permutation and its tensor (8 bytes a value each) must fit the memory limit.
        let (bytes, overflow) = n.multipliedReportingOverflow(by: 16)
        guard !overflow else { throw DLXError("RuntimeError", "Storage size calculation overflowed with sizes=[\(n)]") }
        try engine { () throws(TensorError) in try session.backend.checkHostMemory(byteCount: bytes) }
        let order = try drawing(from: g) { gen throws(TensorError) in gen.permutation(n) }
        let t = try engine { () throws(TensorError) in
            try Tensor.from(order.map(Int64.init), shape: [n], on: session.backend).to(dtype).transferred(to: target)
        }
        if grad { try setRequiresGrad(t, true) }
        return .tensor(t)
    }
}

/// What `torch.manual_seed` returns and `torch.default_generator` is (the session's generator), and
/// `torch.Generator()`: a generator of its own, for `generator=` arguments.
final class GeneratorObject: PyObject {
    /// nil: the session's generator.
    var own: Generator?
    init(own: Generator? = nil) { self.own = own }
    var typeName: String { "Generator" }
    var qualifiedName: String { "torch._C.Generator" }

    private func current(_ i: Interpreter) -> Generator { own ?? i.session.generator }
    private func set(_ g: Generator, _ i: Interpreter) { if own != nil { own = g } else { i.session.generator = g } }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "manual_seed":
            return i.method(name) { [self] a, i throws(DLXError) in
                set(Generator(seed: try i.seedArgument(try a.required(0, "seed"))), i)
                return .object(self)
            }
        case "seed":
            return i.method(name) { [self] _, i throws(DLXError) in
                let s = UInt64.random(in: 0...UInt64.max)
                set(Generator(seed: s), i)
                return .int(Int(bitPattern: UInt(s)))
            }
        case "initial_seed":
            return i.method(name) { [self] _, i throws(DLXError) in .int(Int(bitPattern: UInt(current(i).seed))) }
        case "get_state":
            return i.method(name) { [self] _, i throws(DLXError) in try i.stateTensor(current(i)) }
        case "set_state":
            return i.method(name) { [self] a, i throws(DLXError) in
                set(try i.generatorFromState(try a.required(0, "new_state")), i)
                return .object(self)
            }
        case "device": return .device(.cpu)
        default: return nil
        }
    }
    var attributeNames: [String] { ["device", "get_state", "initial_seed", "manual_seed", "seed", "set_state"] }
}

/// `with torch.random.fork_rng():` — the session's generator is put back as it was when the block ends.
final class ForkRNG: PyObject, ContextManager {
    let enabled: Bool
    private var saved: [Generator] = []
    init(enabled: Bool) { self.enabled = enabled }
    var typeName: String { "_GeneratorContextManager" }
    var qualifiedName: String { "contextlib._GeneratorContextManager" }
    func enter(_ interpreter: Interpreter) -> Value {
        saved.append(interpreter.session.generator)
        return Value.none
    }
    func exit(_ interpreter: Interpreter) {
        guard let g = saved.popLast() else { return }
        if enabled { interpreter.session.generator = g }
    }
}
