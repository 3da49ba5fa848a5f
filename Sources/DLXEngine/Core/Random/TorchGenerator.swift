#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The engine's random number generator: PyTorch 2.15's CPU generator (`CPUGeneratorImpl`), an MT19937
/// seeded with the seed's low 32 bits, with PyTorch's ways of turning its words into numbers, so that a
/// seed gives the numbers PyTorch gives. A session owns one (`torch.manual_seed`); `torch.Generator()`
/// objects are more of them.
public struct Generator: Sendable {
    var mt: MersenneTwister
    /// The seed it was seeded with (`initial_seed()`), all 64 bits.
    public private(set) var seed: UInt64
    /// The second value of the last scalar Box-Muller pair, which the next scalar normal draw returns.
    var nextDoubleNormal: Double? = nil
    /// Kept for the state's layout (PyTorch's float normal distribution); dlx draws none.
    var nextFloatNormal: Float? = nil

    /// PyTorch's seed for a fresh `torch.Generator()`.
    public static let defaultSeed: UInt64 = 67_280_421_310_721

    public init(seed: UInt64) {
        self.seed = seed
        mt = MersenneTwister(seed: UInt32(truncatingIfNeeded: seed))
    }

    /// One 32-bit word (`random()`).
    @inline(__always)
    public mutating func random() -> UInt32 { mt.next32() }

    /// Two words, the first as the high half (`random64()`).
    @inline(__always)
    public mutating func random64() -> UInt64 {
        let hi = UInt64(mt.next32())
        return hi << 32 | UInt64(mt.next32())
    }

    /// Uniform in [0, 1) from a word's low 24 bits, exactly a Float (`uniform_real_distribution<float>`).
    @inline(__always)
    public mutating func nextFloat() -> Float { Float(random() & 0xFF_FFFF) * (1.0 / 16_777_216.0) }

    /// Uniform in [0, 1) from 53 bits of `random64()` (`uniform_real_distribution<double>`).
    @inline(__always)
    public mutating func nextDouble() -> Double {
        Double(random64() & (1 << 53 - 1)) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `torch.empty(1).uniform_(from, to).item()`: one float32 draw, as a double.
    public mutating func uniformFloat(_ from: Double, _ to: Double) -> Double {
        var v: Float = 0
        fillUniform(&v, count: 1, from: from, to: to)
        return Double(v)
    }

    /// A standard normal deviate as PyTorch draws one element at a time (`normal_distribution<double>`):
    /// Box-Muller over two doubles, the sine half kept for the next call.
    public mutating func nextNormal() -> Double {
        if let v = nextDoubleNormal { nextDoubleNormal = nil; return v }
        let u1 = nextDouble(), u2 = nextDouble()
        let r = (-2 * log1p(-u2)).squareRoot()
        let theta = 2 * Double.pi * u1
        nextDoubleNormal = r * sin(theta)
        return r * cos(theta)
    }

    /// A uniform integer in 0..<bound (bound > 0) as `random_(from, to)` and `randint` draw it: one word
    /// modulo the range below 2^28, else `random64()` modulo it (PyTorch's threshold and its small modulo
    /// bias included).
    public mutating func nextInt(below bound: Int) -> Int { Int(nextInteger(range: UInt64(bound))) }

    /// The same over any 64-bit range (`randint(-2**62, 2**62)` spans more than an Int).
    public mutating func nextInteger(range: UInt64) -> UInt64 {
        range >= 1 << 28 ? random64() % range : UInt64(random()) % range
    }

    /// `torch.empty((), dtype=torch.int64).random_()`: a non-negative Int64 (what the DataLoader and
    /// RandomSampler draw as seeds).
    public mutating func nextInt63() -> Int64 { Int64(random64() & (UInt64.max >> 1)) }

    /// `randperm(n)` on the CPU: a swap with a later element for each position, one word modulo the rest
    /// (below 2^32 / 20 elements; above, the inside-out shuffle on `random64()`).
    public mutating func permutation(_ n: Int) -> [Int] {
        guard n > 0 else { return [] }
        var p = [Int](repeating: 0, count: n)
        p.withUnsafeMutableBufferPointer { b in
            if n < Int(UInt32.max / 20) {
                for i in 0..<n { b[i] = i }
                var i = 0
                words(n - 1) { w, count in
                    for k in 0..<count {
                        let z = Int(w[k] % UInt32(n - i))
                        b.swapAt(i, z + i)
                        i += 1
                    }
                }
            } else {
                for i in 0..<n {
                    let z = Int(random64() % UInt64(i + 1))
                    b[i] = b[z]
                    b[z] = i
                }
            }
        }
        return p
    }

    /// The next `count` words, handed to `body` a block at a time (a block is what `count` calls of
    /// `random()` would give, drawn faster).
    @inline(__always)
    mutating func words(_ count: Int, _ body: (UnsafePointer<UInt32>, Int) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 624) { buffer in
            let w = buffer.baseAddress!
            var done = 0
            while done < count {
                let c = Swift.min(624, count - done)
                mt.fill(w, count: c)
                body(w, c)
                done += c
            }
        }
    }

    // MARK: filling tensors' memory in PyTorch's element order

    /// `uniform_(from, to)` of float32: from + u * (to - from), fused as PyTorch's compiled kernel is (the
    /// product of two floats is exact in a double, so one rounding of the sum gives the fused result but
    /// when from is far larger than to - from, where a double rounding can differ, about once in 2^29).
    public mutating func fillUniform(_ p: UnsafeMutablePointer<Float>, count: Int, from: Double, to: Double) {
        let lo = Double(Float(from)), width = Double(Float(to) - Float(from))
        var i = 0
        words(count) { w, c in
            for k in 0..<c { p[i + k] = Float(lo + Double(w[k] & 0xFF_FFFF) * (1.0 / 16_777_216.0) * width) }
            i += c
        }
    }

    /// `uniform_(from, to)` of float64: 53 bits of two words each.
    public mutating func fillUniform(_ p: UnsafeMutablePointer<Double>, count: Int, from: Double, to: Double) {
        let width = to - from
        var i = 0
        words(2 * count) { w, c in
            for k in stride(from: 0, to: c, by: 2) {
                let bits = (UInt64(w[k]) << 32 | UInt64(w[k + 1])) & (1 << 53 - 1)
                p[i] = from.addingProduct(Double(bits) * (1.0 / 9_007_199_254_740_992.0), width)
                i += 1
            }
        }
    }

    /// `normal_(mean, std)` of float32: 16 or more elements take PyTorch's blockwise Box-Muller (all
    /// uniforms first, then blocks of 16 with the last 16 redrawn when 16 does not divide the count);
    /// fewer, one scalar draw each.
    public mutating func fillNormal(_ p: UnsafeMutablePointer<Float>, count: Int, mean: Double, std: Double) {
        guard count >= 16 else {
            for i in 0..<count { p[i] = Float(nextNormal() * std + mean) }
            return
        }
        let m = Float(mean), s = Float(std)
        blockwise(p, count: count, uniforms: { g, q, n in g.fillUniform(q, count: n, from: 0, to: 1) }) {
            BoxMuller.block16($0, mean: m, std: s)
        }
    }

    /// `normal_(mean, std)` of float64: the same blocks with the C library's log, cos and sin.
    public mutating func fillNormal(_ p: UnsafeMutablePointer<Double>, count: Int, mean: Double, std: Double) {
        guard count >= 16 else {
            for i in 0..<count { p[i] = nextNormal() * std + mean }
            return
        }
        blockwise(p, count: count, uniforms: { g, q, n in g.fillUniform(q, count: n, from: 0, to: 1) }) {
            BoxMuller.block16($0, mean: mean, std: std)
        }
    }

    /// `normal_fill`'s order: count (>= 16) uniforms, blocks of 16, and when 16 does not divide the count, the
    /// last 16 drawn again and made normal again.
    private mutating func blockwise<T>(_ p: UnsafeMutablePointer<T>, count: Int,
                                       uniforms: (inout Generator, UnsafeMutablePointer<T>, Int) -> Void,
                                       block: (UnsafeMutablePointer<T>) -> Void) {
        uniforms(&self, p, count)
        var i = 0
        while i + 16 <= count { block(p + i); i += 16 }
        if count % 16 != 0 {
            uniforms(&self, p + count - 16, 16)
            block(p + count - 16)
        }
    }

    /// `bernoulli_(p)` of a float tensor: 1 where a 53-bit uniform is below p, one `random64()` each.
    public mutating func nextBernoulli(_ p: Double) -> Bool { nextDouble() < p }

    /// What a pass of PyTorch's `DataLoader` draws as it starts: its iterator's base seed (one `random_()`,
    /// drawn shuffled or not), then, shuffling, RandomSampler's order: `randperm(n)` from a generator seeded
    /// with another `random_()`, or (`own`: the loader was given `generator=`) from this generator itself.
    /// nil: the pass is in order.
    public mutating func passOrder(_ n: Int, shuffle: Bool, own: Bool = false) -> [Int]? {
        _ = nextInt63()
        guard shuffle else { return nil }
        if own { return permutation(n) }
        var sampler = Generator(seed: UInt64(nextInt63()))
        return sampler.permutation(n)
    }
}
