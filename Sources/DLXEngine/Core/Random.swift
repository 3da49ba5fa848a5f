/// The engine's random number generator (xoshiro256**, seeded through SplitMix64). A session owns one and
/// passes it to whatever draws random numbers, so `torch.manual_seed` makes a whole session reproducible.
public struct Generator: Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)
    public private(set) var seed: UInt64
    private var spareNormal: Double? = nil

    public init(seed: UInt64) {
        self.seed = seed
        var x = seed
        func splitmix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(&x), splitmix(&x), splitmix(&x), splitmix(&x))
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = (s.3 << 45) | (s.3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 24 random bits, exactly representable as a Float.
    @inline(__always)
    public mutating func nextFloat() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func nextDouble() -> Double { Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0) }

    /// Uniform integer in 0..<bound (bound > 0), without modulo bias.
    public mutating func nextInt(below bound: Int) -> Int {
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let r = next()
            if r < limit { return Int(r % b) }
        }
    }

    /// Standard normal (Box-Muller, caching the second value).
    public mutating func nextNormal() -> Double {
        if let v = spareNormal { spareNormal = nil; return v }
        var u = nextDouble()
        while u <= 0 { u = nextDouble() }
        let v = nextDouble()
        let r = (-2 * _log(u)).squareRoot()
        let theta = 2 * Double.pi * v
        spareNormal = r * _sin(theta)
        return r * _cos(theta)
    }

    /// A random permutation of 0..<n (Fisher-Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) {
            p.swapAt(i, nextInt(below: i + 1))
        }
        return p
    }
}
