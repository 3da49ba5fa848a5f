/// NumPy's `default_rng(seed)`: a SeedSequence spreads the seed into PCG64's 128-bit state and increment;
/// `random()` takes 53 bits of a 64-bit draw and `integers` uses Lemire's bounded method on 32-bit halves,
/// so a seed gives NumPy's numbers.
public struct PCG64: Sendable {
    var state: (hi: UInt64, lo: UInt64)
    let increment: (hi: UInt64, lo: UInt64)
    /// The unused high half of the last 64-bit draw, for the next 32-bit one.
    var spare32: UInt32? = nil

    static let multiplier: (hi: UInt64, lo: UInt64) = (0x2360_ED05_1FC6_5DA4, 0x4385_DF64_9FCC_F645)

    /// `default_rng(seed)` for a non-negative integer seed.
    public init(seed: UInt64) {
        let w = PCG64.seedSequence(seed, words: 8)
        func u64(_ k: Int) -> UInt64 { UInt64(w[2 * k]) | UInt64(w[2 * k + 1]) << 32 }
        let initState = (hi: u64(0), lo: u64(1)), initSeq = (hi: u64(2), lo: u64(3))
        increment = (hi: initSeq.hi << 1 | initSeq.lo >> 63, lo: initSeq.lo << 1 | 1)
        state = (0, 0)
        step()
        state = PCG64.add(state, initState)
        step()
    }

    /// SeedSequence(seed).generate_state(words, uint32): the seed's 32-bit words mixed into a pool of four,
    /// then hashed out.
    static func seedSequence(_ seed: UInt64, words: Int) -> [UInt32] {
        let entropy: [UInt32] = seed >> 32 == 0 ? [UInt32(seed)] : [UInt32(truncatingIfNeeded: seed), UInt32(seed >> 32)]
        var hashConst: UInt32 = 0x43b0_d7e5
        func hashmix(_ v: UInt32) -> UInt32 {
            var value = v ^ hashConst
            hashConst = hashConst &* 0x931e_8875
            value = value &* hashConst
            return value ^ (value >> 16)
        }
        func mix(_ x: UInt32, _ y: UInt32) -> UInt32 {
            let r = 0xca01_f9dd &* x &- 0x4973_f715 &* y
            return r ^ (r >> 16)
        }
        var pool = (0..<4).map { hashmix($0 < entropy.count ? entropy[$0] : 0) }
        for src in 0..<4 { for dst in 0..<4 where src != dst { pool[dst] = mix(pool[dst], hashmix(pool[src])) } }
        for src in 4..<Swift.max(4, entropy.count) { for dst in 0..<4 { pool[dst] = mix(pool[dst], hashmix(entropy[src])) } }
        var out: [UInt32] = []
        var h: UInt32 = 0x8b51_f9dd
        for k in 0..<words {
            var v = pool[k % 4] ^ h
            h = h &* 0x58f3_8ded
            v = v &* h
            out.append(v ^ (v >> 16))
        }
        return out
    }

    static func add(_ a: (hi: UInt64, lo: UInt64), _ b: (hi: UInt64, lo: UInt64)) -> (hi: UInt64, lo: UInt64) {
        let (lo, carry) = a.lo.addingReportingOverflow(b.lo)
        return (a.hi &+ b.hi &+ (carry ? 1 : 0), lo)
    }

    mutating func step() {
        let m = PCG64.multiplier
        let (high, low) = state.lo.multipliedFullWidth(by: m.lo)
        let hi = high &+ state.lo &* m.hi &+ state.hi &* m.lo
        state = PCG64.add((hi, low), increment)
    }

    /// The next 64-bit word (XSL-RR output of the advanced state).
    public mutating func next64() -> UInt64 {
        step()
        let x = state.hi ^ state.lo
        let rot = UInt64(state.hi >> 58)
        return x >> rot | x << ((64 - rot) & 63)
    }

    /// A 32-bit word: the low half of a 64-bit draw, its high half kept for the next call.
    public mutating func next32() -> UInt32 {
        if let s = spare32 { spare32 = nil; return s }
        let v = next64()
        spare32 = UInt32(v >> 32)
        return UInt32(truncatingIfNeeded: v)
    }

    /// `random()`: 53 bits in [0, 1).
    public mutating func nextDouble() -> Double { Double(next64() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

    /// `integers(low, high)`: low..<high by Lemire's method (32-bit words for ranges below 2^32).
    public mutating func integer(_ low: Int64, _ high: Int64) -> Int64 {
        let range = UInt64(bitPattern: high &- low) &- 1   // inclusive
        if range == 0 { return low }
        if range <= 0xFFFF_FFFF {
            if range == 0xFFFF_FFFF { return low &+ Int64(next32()) }
            let excl = UInt32(range) &+ 1
            var m = UInt64(next32()) &* UInt64(excl)
            var leftover = UInt32(truncatingIfNeeded: m)
            if leftover < excl {
                let threshold = (UInt32.max &- UInt32(range)) % excl
                while leftover < threshold {
                    m = UInt64(next32()) &* UInt64(excl)
                    leftover = UInt32(truncatingIfNeeded: m)
                }
            }
            return low &+ Int64(m >> 32)
        }
        if range == UInt64.max { return low &+ Int64(bitPattern: next64()) }
        let excl = range &+ 1
        var (hi, lo) = next64().multipliedFullWidth(by: excl)
        if lo < excl {
            let threshold = (UInt64.max &- range) % excl
            while lo < threshold { (hi, lo) = next64().multipliedFullWidth(by: excl) }
        }
        return low &+ Int64(bitPattern: hi)
    }
}
