#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// NumPy's legacy generator (`np.random.seed`, `rand`, `randn`, `randint`, `permutation`, `shuffle`,
/// `choice`): MT19937 seeded as PyTorch seeds it, with NumPy's legacy transformations, so a seed gives
/// NumPy's numbers.
public struct NumPyRandomState: Sendable {
    var mt: MersenneTwister
    /// The second deviate of the last polar Box-Muller pair.
    var gauss: Double? = nil

    /// `np.random.seed(n)` for 0 <= n < 2^32.
    public init(seed: UInt32) { mt = MersenneTwister(seed: seed) }

    /// `random_sample`: a double in [0, 1) from 27 + 26 bits.
    public mutating func nextDouble() -> Double { mt.res53() }

    /// `legacy_gauss`: the polar method, the second value kept for the next call.
    public mutating func nextGauss() -> Double {
        if let g = gauss { gauss = nil; return g }
        var x1 = 0.0, x2 = 0.0, r2 = 0.0
        repeat {
            x1 = 2 * nextDouble() - 1
            x2 = 2 * nextDouble() - 1
            r2 = x1 * x1 + x2 * x2
        } while r2 >= 1 || r2 == 0
        let f = (-2 * log(r2) / r2).squareRoot()
        gauss = f * x1
        return f * x2
    }

    /// Two words, the first as the high half.
    mutating func next64() -> UInt64 { UInt64(mt.next32()) << 32 | UInt64(mt.next32()) }

    /// A uniform integer in 0...range by masked rejection (`randint`'s legacy way, and `random_interval`).
    public mutating func masked(_ range: UInt64) -> UInt64 {
        if range == 0 { return 0 }
        var mask = range
        for s in [1, 2, 4, 8, 16, 32] as [UInt64] { mask |= mask >> s }
        if range <= 0xFFFF_FFFF {
            while true { let v = UInt64(mt.next32()) & mask; if v <= range { return v } }
        }
        while true { let v = next64() & mask; if v <= range { return v } }
    }

    /// `randint(low, high)`: low..<high.
    public mutating func randint(_ low: Int64, _ high: Int64) -> Int64 {
        low &+ Int64(bitPattern: masked(UInt64(bitPattern: high &- low) &- 1))
    }

    /// `shuffle`: from the last element down, a swap with one at or before it.
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, Int(masked(UInt64(i)))) }
    }

    /// `permutation(n)`.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<Swift.max(n, 0))
        shuffle(&p)
        return p
    }
}
