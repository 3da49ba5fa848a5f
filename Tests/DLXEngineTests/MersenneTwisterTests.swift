import Testing
@testable import DLXEngine

@Suite struct MersenneTwisterTests {
    /// The reference implementation's first outputs for init_genrand(5489) (the default seed).
    @Test func defaultSeedGivesTheReferenceOutputs() {
        var mt = MersenneTwister(seed: 5489)
        #expect((0..<3).map { _ in mt.next32() } == [3_499_211_612, 581_869_302, 3_890_346_734])
    }

    /// CPython's random.seed(n) is init_by_array over n's words; random() takes 27 + 26 bits.
    @Test(arguments: rngSeeds) func pythonSeedingGivesCPythonsRandom(seed: String) {
        let r = rngEntries("python_random", seed)
        let n = UInt64(seed)!
        var mt = MersenneTwister(key: n >> 32 == 0 ? [UInt32(n)] : [UInt32(truncatingIfNeeded: n), UInt32(n >> 32)])
        #expect((0..<3).map { _ in mt.res53() } == fixtureDoubles(r["random() x3"]))
    }

    @Test func positionsRoundTripThroughPythonsIndex() {
        var mt = MersenneTwister(seed: 1)
        for _ in 0..<700 { _ = mt.next32() }
        var copy = MersenneTwister(state: mt.state, pythonIndex: mt.pythonIndex)!
        #expect((0..<1000).allSatisfy { _ in copy.next32() == mt.next32() })
        let fresh = MersenneTwister(seed: 9)
        #expect(fresh.pythonIndex == 624)
        #expect(MersenneTwister(state: fresh.state, pythonIndex: 625) == nil)
        // Index 0 (a block twisted, nothing read) reads the block from its first word, without a twist.
        var zero = MersenneTwister(state: fresh.state, pythonIndex: 0)!
        var tempered = fresh.state[0]
        tempered ^= tempered >> 11; tempered ^= (tempered << 7) & 0x9d2c_5680; tempered ^= (tempered << 15) & 0xefc6_0000; tempered ^= tempered >> 18
        #expect(zero.next32() == tempered)
    }
}
