import DLXEngine

/// `import numpy as np` for `np.random`: NumPy's legacy generator (`seed`, `rand`, `randn`, `random`,
/// `uniform`, `normal`, `randint`, `permutation`, `shuffle`, `choice`) and `default_rng(seed)` (`random`,
/// `integers`, `uniform`), drawing NumPy's numbers (`DLXEngine.NumPyRandomState`, `PCG64`), as ndarrays
/// (float64 and int64). The rest of `numpy` is NumpyModule.swift's `numpyCoreMembers`.
extension Interpreter {
    func numpyMembers() -> [String: Value] {
        numpyCoreMembers().merging(["random": .object(namespace("numpy.random")!)]) { _, b in b }
    }

    func numpyRandomMembers() -> [String: Value] {
        let box = LegacyRandom(NumPyRandomState(seed: UInt32.random(in: 0...UInt32.max)))
        var m: [String: Value] = [:]
        func add(_ name: String, _ body: @escaping (inout Arguments, Interpreter, LegacyRandom) throws(DLXError) -> Value) {
            m[name] = function(name) { a, i throws(DLXError) in try body(&a, i, box) }
        }
        add("seed") { a, i, box throws(DLXError) in
            let v = try a.get(0, "seed") ?? Value.none
            box.state = NumPyRandomState(seed: v.isNone ? UInt32.random(in: 0...UInt32.max) : try i.numpySeed(v))
            return Value.none
        }
        add("rand") { a, i, box throws(DLXError) in
            let dims = try i.toShapeIfAny(a.rest(from: 0))
            return try i.numpyDoubles(dims) { box.state.nextDouble() }
        }
        add("randn") { a, i, box throws(DLXError) in
            let dims = try i.toShapeIfAny(a.rest(from: 0))
            return try i.numpyDoubles(dims) { box.state.nextGauss() }
        }
        for name in ["random", "random_sample", "sample", "ranf"] {
            add(name) { a, i, box throws(DLXError) in try i.numpyDoubles(try i.numpySize(&a, 0)) { box.state.nextDouble() } }
        }
        add("uniform") { a, i, box throws(DLXError) in
            let low = try a.get(0, "low").map { v throws(DLXError) in try i.toDouble(v, "low") } ?? 0
            let high = try a.get(1, "high").map { v throws(DLXError) in try i.toDouble(v, "high") } ?? 1
            return try i.numpyDoubles(try i.numpySize(&a, 2)) { low + (high - low) * box.state.nextDouble() }
        }
        add("normal") { a, i, box throws(DLXError) in
            let loc = try a.get(0, "loc").map { v throws(DLXError) in try i.toDouble(v, "loc") } ?? 0
            let scale = try a.get(1, "scale").map { v throws(DLXError) in try i.toDouble(v, "scale") } ?? 1
            guard scale >= 0 else { throw .value("scale < 0") }
            return try i.numpyDoubles(try i.numpySize(&a, 2)) { loc + scale * box.state.nextGauss() }
        }
        add("randint") { a, i, box throws(DLXError) in
            let (low, high) = try i.numpyBounds(&a)
            _ = try a.get(3, "dtype")
            return try i.numpyInts(try i.numpySize(&a, 2)) { box.state.randint(low, high) }
        }
        add("permutation") { a, i, box throws(DLXError) in
            let x = try a.required(0, "x")
            if case .int(let n) = x { return try i.numpyArray(box.state.permutation(n).map(Int64.init), [Swift.max(n, 0)]) }
            let t = try i.numpyTensor(x)
            guard t.rank > 0 else { throw DLXError("IndexError", "x must be an integer or at least 1-dimensional") }
            let order = box.state.permutation(t.shape[0])
            return try NDArrayObject.make(try i.engine { () throws(TensorError) in
                try t.index([.tensor(Tensor.from(order.map(Int64.init), shape: [order.count], on: i.session.backend))])
            })
        }
        add("shuffle") { a, i, box throws(DLXError) in
            let x = try a.required(0, "x")
            if case .list(let l) = x { box.state.shuffle(&l.items); return Value.none }
            guard case .object(let arr as NDArrayObject) = x, arr.tensor.rank > 0 else {
                throw .type("shuffle takes a list or a 1-d or larger array, not \(x.typeName)")
            }
            let order = box.state.permutation(arr.tensor.shape[0])
            try i.engine { () throws(TensorError) in
                let picked = try arr.tensor.index([.tensor(Tensor.from(order.map(Int64.init), shape: [order.count], on: i.session.backend))])
                try arr.tensor.backend.autograd.with(enabled: false) { () throws(TensorError) in try arr.tensor.copy(from: picked) }
            }
            return Value.none
        }
        add("choice") { a, i, box throws(DLXError) in try i.numpyChoice(&a, &box.state) }
        m["default_rng"] = function("default_rng") { a, i throws(DLXError) in
            let v = try a.get(0, "seed") ?? Value.none
            let seed: UInt64
            if v.isNone { seed = UInt64.random(in: 0...UInt64.max) } else {
                let n = try i.toInt(v, "seed")
                guard n >= 0 else { throw .value("expected non-negative integer") }
                seed = UInt64(n)
            }
            return .object(NumpyGenerator(PCG64(seed: seed)))
        }
        return m
    }

    /// `np.random.seed(n)`: an integer in [0, 2^32).
    func numpySeed(_ v: Value) throws(DLXError) -> UInt32 {
        let n = try toInt(v, "seed")
        guard let s = UInt32(exactly: n) else { throw .value("Seed must be between 0 and 2**32 - 1") }
        return s
    }

    /// `rand(d0, d1, ...)`'s dimensions; nil for none (a scalar).
    func toShapeIfAny(_ dims: [Value]) throws(DLXError) -> [Int]? {
        dims.isEmpty ? nil : try toShape(dims, "rand")
    }

    /// A `size=` argument: None (a scalar), an int or a tuple.
    func numpySize(_ a: inout Arguments, _ index: Int) throws(DLXError) -> [Int]? {
        guard let v = try a.get(index, "size"), !v.isNone else { return nil }
        if case .int(let n) = v { return [n] }
        return try toShape([v], "size")
    }

    /// randint's and integers' (low, high): one bound is high with low 0.
    func numpyBounds(_ a: inout Arguments) throws(DLXError) -> (Int64, Int64) {
        let first = try toInt(try a.required(0, "low"), "low")
        let second = try a.get(1, "high").flatMap { v throws(DLXError) -> Int? in v.isNone ? nil : try toInt(v, "high") }
        let (low, high) = second.map { (first, $0) } ?? (0, first)
        guard low < high else { throw .value("low >= high") }
        return (Int64(low), Int64(high))
    }

    func numpyDoubles(_ shape: [Int]?, _ draw: () -> Double) throws(DLXError) -> Value {
        guard let shape else { return .float(draw()) }
        let n = try checkedCount(shape)
        let values = (0..<n).map { _ in draw() }
        return try NDArrayObject.make(try engine { () throws(TensorError) in try Tensor.from(values, shape: shape, dtype: .float64, on: session.backend) })
    }

    func numpyInts(_ shape: [Int]?, _ draw: () -> Int64) throws(DLXError) -> Value {
        guard let shape else { return .int(Int(draw())) }
        let n = try checkedCount(shape)
        return try numpyArray((0..<n).map { _ in draw() }, shape)
    }

    func numpyArray(_ values: [Int64], _ shape: [Int]) throws(DLXError) -> Value {
        try NDArrayObject.make(try engine { () throws(TensorError) in try Tensor.from(values, shape: shape, on: session.backend) })
    }

    /// The number of elements of a size, within the memory limit (8 bytes each).
    func checkedCount(_ shape: [Int]) throws(DLXError) -> Int {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .value("negative dimensions are not allowed") }
        let n = try engine { () throws(TensorError) in try Tensor.checkedCount(shape) }
        try engine { () throws(TensorError) in try session.backend.checkHostMemory(byteCount: n * 8) }
        return n
    }

    /// An array argument as a tensor: an ndarray, a tensor, or a list of numbers.
    func numpyTensor(_ v: Value) throws(DLXError) -> Tensor {
        if case .object(let arr as NDArrayObject) = v { return arr.tensor }
        if case .tensor(let t) = v { return t }
        return try tensorData(v, dtype: nil)
    }

    /// `choice(a, size=None, replace=True, p=None)`: NumPy's legacy ways (randint with replacement, a
    /// permutation's prefix without, the cumulative probabilities' search with p).
    func numpyChoice(_ a: inout Arguments, _ rs: inout NumPyRandomState) throws(DLXError) -> Value {
        let population = try a.required(0, "a")
        let size = try numpySize(&a, 1)
        let replace = try a.get(2, "replace").map { v throws(DLXError) in try truthy(v) } ?? true
        let pv = try a.get(3, "p").flatMap { $0.isNone ? nil : $0 }
        let n: Int
        if case .int(let k) = population { n = k } else { n = try length(population) }
        guard n > 0 else {
            if case .int = population { throw .value("a must be greater than 0 unless no samples are taken") }
            throw .value("a cannot be empty unless no samples are taken")
        }
        let count = size.map { $0.reduce(1, *) } ?? 1
        var idx: [Int]
        if let pv {
            let p = try numpyTensor(pv)
            let probs = try engine { () throws(TensorError) in try p.contiguous().doubles() }
            guard probs.count == n else { throw .value("'a' and 'p' must have same size") }
            guard probs.allSatisfy({ $0 >= 0 }) else { throw .value("probabilities are not non-negative") }
            guard replace else { throw DLXError("NotImplementedError", "np.random.choice with p and replace=False is not supported by dlx") }
            var cdf: [Double] = [], total = 0.0
            for x in probs { total += x; cdf.append(total) }
            cdf = cdf.map { $0 / total }
            idx = (0..<count).map { _ in
                let u = rs.nextDouble()
                var lo = 0, hi = cdf.count
                while lo < hi { let mid = (lo + hi) / 2; if cdf[mid] <= u { lo = mid + 1 } else { hi = mid } }
                return lo
            }
        } else if replace {
            idx = (0..<count).map { _ in Int(rs.randint(0, Int64(n))) }
        } else {
            guard count <= n else { throw .value("Cannot take a larger sample than population when 'replace=False'") }
            idx = Array(rs.permutation(n).prefix(count))
        }
        if case .int = population {
            return size == nil ? .int(idx[0]) : try numpyArray(idx.map(Int64.init), size!)
        }
        if size == nil { return try getItem(population, [.int(idx[0])]) }
        let t = try numpyTensor(population)
        return try NDArrayObject.make(try engine { () throws(TensorError) in
            try t.index([.tensor(Tensor.from(idx.map(Int64.init), shape: [idx.count], on: session.backend))]).reshape(size! + t.shape.dropFirst())
        })
    }
}

/// The legacy generator's state, shared by the `np.random` functions of one session.
final class LegacyRandom {
    var state: NumPyRandomState
    init(_ state: NumPyRandomState) { self.state = state }
}

/// `np.random.default_rng(seed)`: a `Generator` on PCG64.
final class NumpyGenerator: PyObject {
    var pcg: PCG64
    init(_ pcg: PCG64) { self.pcg = pcg }
    var typeName: String { "Generator" }
    var qualifiedName: String { "numpy.random._generator.Generator" }
    func repr(_ i: Interpreter) -> String { "Generator(PCG64)" }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "random":
            return i.method(name) { [self] a, i throws(DLXError) in try i.numpyDoubles(try i.numpySize(&a, 0)) { pcg.nextDouble() } }
        case "uniform":
            return i.method(name) { [self] a, i throws(DLXError) in
                let low = try a.get(0, "low").map { v throws(DLXError) in try i.toDouble(v, "low") } ?? 0
                let high = try a.get(1, "high").map { v throws(DLXError) in try i.toDouble(v, "high") } ?? 1
                return try i.numpyDoubles(try i.numpySize(&a, 2)) { low + (high - low) * pcg.nextDouble() }
            }
        case "integers":
            return i.method(name) { [self] a, i throws(DLXError) in
                let endpoint = try a.get(4, "endpoint").map { v throws(DLXError) in try i.truthy(v) } ?? false
                var (low, high) = try i.numpyBounds(&a)
                if endpoint { high += 1 }
                _ = try a.get(3, "dtype")
                return try i.numpyInts(try i.numpySize(&a, 2)) { pcg.integer(low, high) }
            }
        case "normal":
            return i.method(name) { [self] a, i throws(DLXError) in
                let loc = try a.get(0, "loc").map { v throws(DLXError) in try i.toDouble(v, "loc") } ?? 0
                let scale = try a.get(1, "scale").map { v throws(DLXError) in try i.toDouble(v, "scale") } ?? 1
                guard scale >= 0 else { throw .value("scale < 0") }
                return try i.numpyDoubles(try i.numpySize(&a, 2)) { loc + scale * pcg.standardNormal() }
            }
        case "standard_normal":
            return i.method(name) { [self] a, i throws(DLXError) in
                if let d = try a.get(1, "dtype"), try i.str(d) != "float64" {
                    throw DLXError("NotImplementedError", "dlx's Generator.standard_normal draws float64 only")
                }
                return try i.numpyDoubles(try i.numpySize(&a, 0)) { pcg.standardNormal() }
            }
        case "choice", "permutation", "shuffle", "exponential":
            return i.method(name) { _, _ throws(DLXError) in
                throw DLXError("NotImplementedError", "dlx's default_rng has random, uniform, integers, normal and standard_normal; Generator.\(name) is not supported")
            }
        default: return nil
        }
    }
    var attributeNames: [String] { ["integers", "normal", "random", "standard_normal", "uniform"] }
}
