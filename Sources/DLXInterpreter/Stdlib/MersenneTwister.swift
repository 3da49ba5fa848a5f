#if canImport(Glibc)
import Glibc
#endif

/// CPython's Mersenne Twister (`Modules/_randommodule.c`): the same state, seeding and draws, so that
/// `random.seed(n)` gives the numbers Python gives.
struct MersenneTwister {
    static let n = 624, m = 397
    var state = [UInt32](repeating: 0, count: MersenneTwister.n)
    var index = MersenneTwister.n + 1

    init(key: [UInt32]) { seed(key: key) }

    mutating func seed(_ s: UInt32) {
        state[0] = s
        for i in 1..<Self.n {
            state[i] = 1812433253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = Self.n
    }

    /// `init_by_array`: what `random.seed(n)` does with n's 32-bit words, least significant first.
    mutating func seed(key: [UInt32]) {
        let key = key.isEmpty ? [0] : key
        seed(19650218)
        var i = 1, j = 0
        for _ in 0..<max(Self.n, key.count) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1664525)) &+ key[j] &+ UInt32(truncatingIfNeeded: j)
            i += 1; j += 1
            if i >= Self.n { state[0] = state[Self.n - 1]; i = 1 }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<(Self.n - 1) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1566083941)) &- UInt32(i)
            i += 1
            if i >= Self.n { state[0] = state[Self.n - 1]; i = 1 }
        }
        state[0] = 0x8000_0000
    }

    /// `genrand_uint32`.
    mutating func next() -> UInt32 {
        if index >= Self.n {
            if index == Self.n + 1 { seed(5489) }
            for k in 0..<Self.n {
                let y = (state[k] & 0x8000_0000) | (state[(k + 1) % Self.n] & 0x7fff_ffff)
                state[k] = state[(k + Self.m) % Self.n] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_b0df)
            }
            index = 0
        }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// `random()`: 53 bits from two draws.
    mutating func random() -> Double {
        let a = Double(next() >> 5), b = Double(next() >> 6)
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)
    }

    /// `getrandbits(k)` for k <= 64: 32-bit words least significant first, the last one's extra bits dropped.
    mutating func bits(_ k: Int) -> UInt64 {
        if k == 0 { return 0 }
        if k <= 32 { return UInt64(next() >> (32 - k)) }
        let low = UInt64(next())
        return low | (UInt64(next() >> (64 - k)) << 32)
    }

    /// `_randbelow_with_getrandbits`: a uniform integer in [0, n), n > 0.
    mutating func below(_ n: UInt64) -> UInt64 {
        let k = 64 - n.leadingZeroBitCount
        var r = bits(k)
        while r >= n { r = bits(k) }
        return r
    }
}

extension MersenneTwister {
    /// The 32-bit words of a non-negative integer, least significant first (`[0]` for zero).
    static func words(_ n: UInt64) -> [UInt32] {
        n >> 32 == 0 ? [UInt32(n)] : [UInt32(truncatingIfNeeded: n), UInt32(n >> 32)]
    }

    /// The words of a big-endian byte string read as one integer (`int.from_bytes(b)`), least significant first.
    static func words(bigEndian bytes: [UInt8]) -> [UInt32] {
        var out: [UInt32] = []
        var end = bytes.count
        while end > 0 {
            var w: UInt32 = 0
            for b in bytes[max(0, end - 4)..<end] { w = w << 8 | UInt32(b) }
            out.append(w)
            end -= 4
        }
        while out.count > 1, out.last == 0 { out.removeLast() }
        return out
    }

    /// CPython's `hash(x)` of a float (`_Py_HashDouble`), for `random.seed(1.5)`; nil for NaN, whose hash is
    /// its address in CPython.
    static func pythonHash(_ v: Double) -> Int? {
        let bits = 61, modulus: UInt64 = (1 << 61) - 1
        if v.isNaN { return nil }
        if v.isInfinite { return v > 0 ? 314159 : -314159 }
        var e: Int32 = 0
        var m = frexp(v, &e)   // v = m * 2^e, 0.5 <= |m| < 1
        var e2 = Int(e)
        var sign: UInt64 = 1
        if m < 0 { sign = UInt64.max; m = -m }   // -1 as an unsigned multiplier
        var x: UInt64 = 0
        while m != 0 {
            x = ((x << 28) & modulus) | x >> UInt64(bits - 28)
            m *= 268435456.0
            e2 -= 28
            let y = UInt64(m)
            m -= Double(y)
            x += y
            if x >= modulus { x -= modulus }
        }
        let ee = e2 >= 0 ? e2 % bits : bits - 1 - ((-1 - e2) % bits)
        x = ((x << UInt64(ee)) & modulus) | x >> UInt64(bits - ee)
        x = x &* sign
        if x == UInt64.max { x = UInt64.max - 1 }
        return Int(bitPattern: UInt(x))
    }
}
