/// MT19937, the Mersenne Twister of Matsumoto and Nishimura: the one generator under PyTorch's CPU
/// generator (`at::mt19937`), CPython's `random` and NumPy's legacy `RandomState`. They differ only in how
/// they seed it and turn its 32-bit words into numbers, which their own types do.
///
/// The position is kept as PyTorch keeps it (`next`, the word to read, and `left`, one more than the words
/// left before the next twist), so that `torch.get_rng_state()` gives PyTorch's bytes.
public struct MersenneTwister: Sendable {
    public static let n = 624
    static let m = 397
    public internal(set) var state: [UInt32]
    /// The index of the next word to read.
    public internal(set) var next: Int
    /// Counts down to the next twist: the twist happens when a draw takes it to 0.
    public internal(set) var left: Int

    /// `init_genrand`: Knuth's linear recurrence from one 32-bit seed (PyTorch, `np.random.seed(n)`).
    public init(seed: UInt32) {
        state = [UInt32](repeating: 0, count: Self.n)
        next = 0; left = 1
        reseed(seed)
    }

    /// `init_by_array`: what CPython's `random.seed(n)` does with n's 32-bit words, least significant first.
    public init(key: [UInt32]) {
        self.init(seed: 19_650_218)
        seed(key: key)
    }

    /// A state read back from `get_state` (624 words and the position); nil when the words or position are
    /// not a Mersenne Twister's.
    public init?(state: [UInt32], next: Int, left: Int) {
        guard state.count == Self.n, (0...Self.n).contains(next), (1...Self.n).contains(left) else { return nil }
        self.state = state; self.next = next; self.left = left
    }

    mutating func reseed(_ s: UInt32) {
        state.withUnsafeMutableBufferPointer { st in
            st[0] = s
            for i in 1..<Self.n { st[i] = 1_812_433_253 &* (st[i - 1] ^ (st[i - 1] >> 30)) &+ UInt32(i) }
        }
        next = 0; left = 1
    }

    public mutating func seed(key: [UInt32]) {
        let key = key.isEmpty ? [0] : key
        reseed(19_650_218)
        state.withUnsafeMutableBufferPointer { st in
            var i = 1, j = 0
            for _ in 0..<Swift.max(Self.n, key.count) {
                st[i] = (st[i] ^ ((st[i - 1] ^ (st[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(truncatingIfNeeded: j)
                i += 1; j += 1
                if i >= Self.n { st[0] = st[Self.n - 1]; i = 1 }
                if j >= key.count { j = 0 }
            }
            for _ in 0..<(Self.n - 1) {
                st[i] = (st[i] ^ ((st[i - 1] ^ (st[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
                i += 1
                if i >= Self.n { st[0] = st[Self.n - 1]; i = 1 }
            }
            st[0] = 0x8000_0000
        }
        next = 0; left = 1
    }

    /// The next block of 624 words, eight at a time where the recurrence allows (a word depends on the next
    /// one and on the one 397 on, never on a word of its own group of eight).
    private mutating func twist() {
        state.withUnsafeMutableBufferPointer { b in
            let st = b.baseAddress!, n = Self.n, m = Self.m
            typealias V = SIMD8<UInt32>
            @inline(__always) func load(_ i: Int) -> V { UnsafeRawPointer(st + i).loadUnaligned(as: V.self) }
            @inline(__always) func store(_ v: V, _ i: Int) { UnsafeMutableRawPointer(st + i).storeBytes(of: v, as: V.self) }
            @inline(__always) func step(_ a: V, _ b: V, _ far: V) -> V {
                let y = (a & 0x8000_0000) | (b & 0x7fff_ffff)
                return far ^ (y &>> 1) ^ ((V(repeating: 0) &- (y & 1)) & 0x9908_b0df)
            }
            @inline(__always) func step(_ a: UInt32, _ b: UInt32, _ far: UInt32) -> UInt32 {
                let y = (a & 0x8000_0000) | (b & 0x7fff_ffff)
                return far ^ (y >> 1) ^ ((0 &- (y & 1)) & 0x9908_b0df)
            }
            var k = 0
            while k + 8 <= n - m { store(step(load(k), load(k + 1), load(k + m)), k); k += 8 }
            while k < n - m { st[k] = step(st[k], st[k + 1], st[k + m]); k += 1 }
            while k + 8 <= n - 1 { store(step(load(k), load(k + 1), load(k + m - n)), k); k += 8 }
            while k < n - 1 { st[k] = step(st[k], st[k + 1], st[k + m - n]); k += 1 }
            st[n - 1] = step(st[n - 1], st[0], st[m - 1])
        }
        left = Self.n
        next = 0
    }

    @inline(__always)
    static func temper(_ x: UInt32) -> UInt32 {
        var y = x
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// The next 32-bit word (`genrand_uint32`).
    @inline(__always)
    public mutating func next32() -> UInt32 {
        if left == 1 { twist(); left = Self.n + 1 }
        left -= 1
        let y = state.withUnsafeBufferPointer { $0[next] }
        next += 1
        return Self.temper(y)
    }

    /// The next `count` words into p: what `count` calls of `next32` give, a block at a time.
    public mutating func fill(_ p: UnsafeMutablePointer<UInt32>, count: Int) {
        var done = 0
        while done < count {
            if left == 1 { twist(); left = Self.n + 1 }
            let take = Swift.min(count - done, left - 1), start = next
            state.withUnsafeBufferPointer { b in
                let src = b.baseAddress! + start, dst = p + done
                var k = 0
                while k + 8 <= take {
                    var y = UnsafeRawPointer(src + k).loadUnaligned(as: SIMD8<UInt32>.self)
                    y ^= y &>> 11
                    y ^= (y &<< 7) & 0x9d2c_5680
                    y ^= (y &<< 15) & 0xefc6_0000
                    y ^= y &>> 18
                    UnsafeMutableRawPointer(dst + k).storeBytes(of: y, as: SIMD8<UInt32>.self)
                    k += 8
                }
                while k < take { dst[k] = Self.temper(src[k]); k += 1 }
            }
            next += take; left -= take; done += take
        }
    }

    /// CPython's and NumPy's double in [0, 1): 27 and 26 bits of two words (`genrand_res53`).
    public mutating func res53() -> Double {
        let a = Double(next32() >> 5), b = Double(next32() >> 6)
        return (a * 67_108_864.0 + b) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// CPython's position (`getstate()`'s last item): how many words of the current block were read; 624
    /// when the next draw twists.
    public var pythonIndex: Int { left == 1 ? Self.n : next }

    /// A state from CPython's `getstate()`: 624 words and the index; nil when they are not a state.
    public init?(state: [UInt32], pythonIndex index: Int) {
        guard state.count == Self.n, (0...Self.n).contains(index) else { return nil }
        self.state = state
        next = index; left = Self.n + 1 - index
        if index == Self.n { left = 1 }
    }
}
