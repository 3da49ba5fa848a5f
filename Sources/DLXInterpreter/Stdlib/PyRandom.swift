#if canImport(Glibc)
import Glibc
#endif
import DLXEngine

/// Python's `random` module: CPython 3.11's algorithms over its Mersenne Twister, so a seed gives Python's
/// numbers. The module's functions are the methods of one `Random` per session, as in CPython.
extension Interpreter {
    static let randomFunctions = ["seed", "random", "getrandbits", "randrange", "randint", "choice", "choices", "shuffle",
                                  "sample", "uniform", "triangular", "gauss", "normalvariate", "lognormvariate",
                                  "expovariate", "paretovariate", "weibullvariate", "getstate", "setstate"]

    func randomMembers() -> [String: Value] {
        let shared = RandomObject(RandomObject.timeKey())
        var m: [String: Value] = [:]
        for name in Interpreter.randomFunctions { m[name] = shared.method(name) }
        m["Random"] = .object(TypeObject("Random", qualified: "random.Random") { a, i throws(DLXError) in
            .object(RandomObject(try RandomObject.key(try a.get(0, "x") ?? Value.none, i)))
        })
        return m
    }
}

/// `random.Random`: a generator and the spare normal deviate `gauss` keeps.
final class RandomObject: PyObject {
    var mt: MersenneTwister
    var gaussNext: Double? = nil

    init(_ key: [UInt32]) { mt = MersenneTwister(key: key) }

    var typeName: String { "Random" }
    var qualifiedName: String { "random.Random" }
    var attributeNames: [String] { Interpreter.randomFunctions }

    func attribute(_ name: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        Interpreter.randomFunctions.contains(name) ? method(name) : nil
    }

    /// Some entropy for `seed()` without an argument: the clock and a fresh object's address.
    static func timeKey() -> [UInt32] {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let probe = ListBox([])
        let address = UInt64(UInt(bitPattern: ObjectIdentifier(probe).hashValue))
        return MersenneTwister.words(UInt64(ts.tv_sec)) + MersenneTwister.words(UInt64(ts.tv_nsec)) + MersenneTwister.words(address)
    }

    /// The key `random.seed(a)` gives `init_by_array`: an int's magnitude, a float's hash, a string's bytes
    /// and SHA-512 digest (version 2).
    static func key(_ a: Value, _ i: Interpreter, version: Int = 2) throws(DLXError) -> [UInt32] {
        switch a {
        case .none: return timeKey()
        case .int(let n): return MersenneTwister.words(n.magnitude.toUInt64)
        case .bool(let b): return [b ? 1 : 0]
        case .float(let f):
            guard let h = MersenneTwister.pythonHash(f) else { return timeKey() }
            return MersenneTwister.words(UInt64(bitPattern: Int64(h)))
        case .string(let s):
            let bytes = Array(s.utf8)
            if version == 1 {
                var x: UInt64 = bytes.isEmpty ? 0 : UInt64(s.unicodeScalars.first!.value) << 7
                for c in s.unicodeScalars { x = (1000003 &* x) ^ UInt64(c.value) }
                x ^= UInt64(s.unicodeScalars.count)
                return MersenneTwister.words(x == UInt64.max ? 2 : x)
            }
            return MersenneTwister.words(bigEndian: bytes + SHA512.digest(bytes))
        default:
            throw .type("The only supported seed types are: None,\nint, float, str, bytes, and bytearray.")
        }
    }

    func method(_ name: String) -> Value {
        .object(BuiltinFunction(name, method: true) { [self] a, i throws(DLXError) in try call(name, &a, i) })
    }

    private func below(_ n: Int) -> Int { Int(mt.below(UInt64(n))) }

    private func call(_ name: String, _ a: inout Arguments, _ i: Interpreter) throws(DLXError) -> Value {
        func real(_ index: Int, _ key: String, _ def: Double? = nil) throws(DLXError) -> Double {
            if let def, try a.get(index, key) == nil { return def }
            return try i.realArgument(try a.required(index, key))
        }
        switch name {
        case "seed":
            let version = try a.get(1, "version").map { v throws(DLXError) in try i.indexArgument(v) } ?? 2
            mt.seed(key: try RandomObject.key(try a.get(0, "a") ?? Value.none, i, version: version))
            gaussNext = nil
            return Value.none
        case "random": return .float(mt.random())
        case "getrandbits":
            let k = try i.indexArgument(try a.required(0, "k"))
            guard k >= 0 else { throw .value("number of bits must be non-negative") }
            guard k <= 63 else { throw DLXError("OverflowError", "getrandbits(\(k)): dlx integers have 64 bits (at most getrandbits(63))") }
            return .int(Int(mt.bits(k)))
        case "randrange":
            return .int(try randrange(try a.required(0, "start"), try a.get(1, "stop"), try a.get(2, "step"), i))
        case "randint":
            let lo = try a.required(0, "a"), hi = try a.required(1, "b")
            return .int(try randrange(lo, try i.binaryOp(.add, hi, .int(1)), nil, i))
        case "choice":
            let seq = try a.required(0, "seq")
            let n = try i.length(seq)
            guard n > 0 else { throw DLXError("IndexError", "Cannot choose from an empty sequence") }
            return try i.getItem(seq, [.int(below(n))])
        case "shuffle":
            let x = try a.required(0, "x")
            guard case .list(let l) = x else {
                let n = try i.length(x)
                for k in stride(from: n - 1, to: 0, by: -1) {
                    let j = below(k + 1)
                    let (vk, vj) = (try i.getItem(x, [.int(k)]), try i.getItem(x, [.int(j)]))
                    try i.setItem(x, [.int(k)], vj)
                    try i.setItem(x, [.int(j)], vk)
                }
                return Value.none
            }
            for k in stride(from: l.items.count - 1, to: 0, by: -1) { l.items.swapAt(k, below(k + 1)) }
            return Value.none
        case "sample": return try sample(&a, i)
        case "choices": return try choices(&a, i)
        case "uniform":
            let lo = try real(0, "a"), hi = try real(1, "b")
            return .float(lo + (hi - lo) * mt.random())
        case "triangular":
            var low = try real(0, "low", 0), high = try real(1, "high", 1)
            let mode = try a.get(2, "mode")
            var u = mt.random()
            var c = 0.5
            if let mode, !mode.isNone {
                guard high != low else { return .float(low) }
                c = (try i.realArgument(mode) - low) / (high - low)
            }
            if u > c { u = 1 - u; c = 1 - c; swap(&low, &high) }
            return .float(low + (high - low) * (u * c).squareRoot())
        case "normalvariate", "lognormvariate":
            let mu = try real(0, "mu", name == "normalvariate" ? 0 : nil), sigma = try real(1, "sigma", name == "normalvariate" ? 1 : nil)
            let magic = 4 * exp(-0.5) / 2.0.squareRoot()
            var z: Double
            while true {
                let u1 = mt.random(), u2 = 1 - mt.random()
                z = magic * (u1 - 0.5) / u2
                if z * z / 4 <= -log(u2) { break }
            }
            return .float(name == "normalvariate" ? mu + z * sigma : exp(mu + z * sigma))
        case "gauss":
            let mu = try real(0, "mu", 0), sigma = try real(1, "sigma", 1)
            var z: Double
            if let next = gaussNext {
                z = next
                gaussNext = nil
            } else {
                let x2pi = mt.random() * 2 * Double.pi
                let g2rad = (-2 * log(1 - mt.random())).squareRoot()
                z = cos(x2pi) * g2rad
                gaussNext = sin(x2pi) * g2rad
            }
            return .float(mu + z * sigma)
        case "expovariate":
            let lambd = try real(0, "lambd")
            guard lambd != 0 else { throw DLXError("ZeroDivisionError", "float division by zero") }
            return .float(-log(1 - mt.random()) / lambd)
        case "paretovariate":
            let alpha = try real(0, "alpha")
            return .float(pow(1 - mt.random(), -1 / alpha))
        case "weibullvariate":
            let alpha = try real(0, "alpha"), beta = try real(1, "beta")
            return .float(alpha * pow(-log(1 - mt.random()), 1 / beta))
        case "getstate":
            let words = mt.state.map { Value.int(Int($0)) } + [.int(mt.pythonIndex)]
            return .tuple([.int(3), .tuple(words), gaussNext.map { .float($0) } ?? Value.none])
        default:   // setstate
            let state = try a.required(0, "state")
            guard case .tuple(let parts) = state, parts.count == 3, case .tuple(let words) = parts[1], words.count == MersenneTwister.n + 1 else {
                throw .value("state with version 3 passed to Random.setstate() of version 3")
            }
            var s: [UInt32] = []
            for w in words.prefix(MersenneTwister.n) {
                guard case .int(let v) = w, let u = UInt32(exactly: v) else { throw DLXError("OverflowError", "Python int too large to convert to C unsigned long") }
                s.append(u)
            }
            let index = try i.indexArgument(words[MersenneTwister.n])
            guard let restored = MersenneTwister(state: s, pythonIndex: index) else { throw .value("invalid state") }
            mt = restored
            gaussNext = parts[2].isNone ? nil : try i.realArgument(parts[2])
            return Value.none
        }
    }

    /// An integer argument of randrange: ints, and floats that are whole numbers (deprecated in 3.11).
    private func rangeArgument(_ v: Value, _ what: String, _ i: Interpreter) throws(DLXError) -> Int {
        if case .float(let f) = v {
            guard f == f.rounded(.towardZero), let n = Int(exactly: f) else {
                if !f.isFinite { throw DLXError(f.isNaN ? "ValueError" : "OverflowError", "cannot convert float \(NumberFormat.pythonRepr(f)) to integer") }
                throw .value("non-integer \(what) for randrange()")
            }
            return n
        }
        return try i.indexArgument(v)
    }

    private func randrange(_ start: Value, _ stop: Value?, _ step: Value?, _ i: Interpreter) throws(DLXError) -> Int {
        let istart = try rangeArgument(start, "arg 1", i)
        guard let stop, !stop.isNone else {
            if let step, !(step.isOne) { throw .type("Missing a non-None stop argument") }
            guard istart > 0 else { throw .value("empty range for randrange()") }
            return below(istart)
        }
        let istop = try rangeArgument(stop, "stop", i)
        let (width, overflow) = istop.subtractingReportingOverflow(istart)
        guard !overflow else { throw DLXError("OverflowError", "randrange(): the range is too wide for dlx (64-bit integers)") }
        let istep = try step.map { v throws(DLXError) in try rangeArgument(v, "step", i) } ?? 1
        if istep == 1 {
            guard width > 0 else { throw .value("empty range for randrange() (\(istart), \(istop), \(width))") }
            return istart + below(width)
        }
        guard istep != 0 else { throw .value("zero step for randrange()") }
        let n = istep > 0 ? floorDivide(width + istep - 1, istep) : floorDivide(width + istep + 1, istep)
        guard n > 0 else { throw .value("empty range for randrange()") }
        return istart + istep * below(n)
    }

    private func sample(_ a: inout Arguments, _ i: Interpreter) throws(DLXError) -> Value {
        let population = try a.required(0, "population")
        let k = try i.indexArgument(try a.required(1, "k"))
        if let counts = try a.get(nil, "counts"), !counts.isNone {
            let n = try i.length(population)
            var cumulative: [Int] = []
            for c in try i.iterateAll(counts) { cumulative.append((cumulative.last ?? 0) + (try i.indexArgument(c))) }
            guard cumulative.count == n else { throw .value("The number of counts does not match the population") }
            let total = cumulative.removeLast()
            guard total > 0 else { throw .value("Total of counts must be greater than zero") }
            var sub = Arguments([.object(RangeObject(start: 0, stop: total, step: 1)), .int(k)])
            guard case .list(let picks) = try sample(&sub, i) else { return Value.none }
            return .list(ListBox(try picks.items.map { s throws(DLXError) in
                try i.getItem(population, [.int(RandomObject.bisectRight(cumulative.map(Double.init), Double(try i.indexArgument(s))))])
            }))
        }
        switch population {
        case .list, .tuple, .string, .size, .object(is RangeObject): break
        default: throw .type("Population must be a sequence.  For dicts or sets, use sorted(d).")
        }
        let n = try i.length(population)
        guard k >= 0 && k <= n else { throw .value("Sample larger than population or is negative") }
        var setsize = 21
        if k > 5 { setsize += Int(pow(4, ceil(log(Double(k * 3)) / log(4.0)))) }
        var result: [Value] = []
        if n <= setsize {
            var pool = try i.iterateAll(population)
            for j in 0..<k {
                let r = below(n - j)
                result.append(pool[r])
                pool[r] = pool[n - j - 1]
            }
        } else {
            var selected = Set<Int>()
            for _ in 0..<k {
                var r = below(n)
                while selected.contains(r) { r = below(n) }
                selected.insert(r)
                result.append(try i.getItem(population, [.int(r)]))
            }
        }
        return .list(ListBox(result))
    }

    private func choices(_ a: inout Arguments, _ i: Interpreter) throws(DLXError) -> Value {
        let population = try a.required(0, "population")
        let weights = try a.get(1, "weights"), cumWeights = try a.get(nil, "cum_weights")
        let k = try a.get(nil, "k").map { v throws(DLXError) in try i.indexArgument(v) } ?? 1
        try i.reserve(k, .items, "choices()")
        let n = try i.length(population)
        var cumulative: [Double]
        switch (weights?.isNone ?? true, cumWeights?.isNone ?? true) {
        case (true, true):
            return .list(ListBox(try (0..<max(k, 0)).map { _ throws(DLXError) in
                try i.getItem(population, [.int(Int(floor(mt.random() * Double(n))))])
            }))
        case (false, true):
            cumulative = []
            for w in try i.iterateAll(weights!) { cumulative.append((cumulative.last ?? 0) + (try i.realArgument(w))) }
        case (true, false):
            cumulative = try i.iterateAll(cumWeights!).map { w throws(DLXError) in try i.realArgument(w) }
        default: throw .type("Cannot specify both weights and cumulative weights")
        }
        guard cumulative.count == n else { throw .value("The number of weights does not match the population") }
        let total = cumulative.last ?? 0
        guard total > 0 else { throw .value("Total of weights must be greater than zero") }
        guard total.isFinite else { throw .value("Total of weights must be finite") }
        return .list(ListBox(try (0..<max(k, 0)).map { _ throws(DLXError) in
            try i.getItem(population, [.int(RandomObject.bisectRight(cumulative, mt.random() * total, hi: n - 1))])
        }))
    }

    /// `bisect.bisect_right(a, x, 0, hi)`.
    static func bisectRight(_ a: [Double], _ x: Double, hi: Int? = nil) -> Int {
        var lo = 0, hi = hi ?? a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if x < a[mid] { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

/// Python's `//` on ints.
func floorDivide(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q
}

private extension UInt {
    var toUInt64: UInt64 { UInt64(self) }
}

private extension Value {
    var isOne: Bool { if case .int(1) = self { return true }; return false }
}
