#if canImport(Glibc)
import Glibc
#endif
import DLXEngine

/// CPython's draws from the engine's Mersenne Twister (`Modules/_randommodule.c`), so that `random.seed(n)`
/// gives the numbers Python gives.
extension MersenneTwister {
    /// `random()`: 53 bits from two draws.
    mutating func random() -> Double { res53() }

    /// `getrandbits(k)` for k <= 64: 32-bit words least significant first, the last one's extra bits dropped.
    mutating func bits(_ k: Int) -> UInt64 {
        if k == 0 { return 0 }
        if k <= 32 { return UInt64(next32() >> (32 - k)) }
        let low = UInt64(next32())
        return low | (UInt64(next32() >> (64 - k)) << 32)
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
