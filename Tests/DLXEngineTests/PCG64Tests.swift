import Testing
@testable import DLXEngine

/// default_rng's PCG64 with its SeedSequence.
@Suite struct PCG64Tests {
    @Test(arguments: rngSeeds) func defaultRngStreamsAreNumPys(seed: String) {
        let r = rngEntries("numpy", seed)
        var g = PCG64(seed: UInt64(seed)!)
        #expect((0..<3).map { _ in g.nextDouble() } == fixtureDoubles(r["default_rng.random(3)"]))
        // default_rng.normal(size=3): NumPy's ziggurat, one 64-bit word a try, so the integers after it line up.
        // dlx computes the layer tables; NumPy's 37 narrowest layers differ by ~1e-14, hence the tolerance.
        let normals = (0..<3).map { _ in g.standardNormal() }
        for (mine, numpys) in zip(normals, fixtureDoubles(r["default_rng.normal(size=3)"])) {
            #expect(Swift.abs(mine - numpys) <= 1e-13 * Swift.abs(numpys), "\(mine) against NumPy's \(numpys)")
        }
        #expect((0..<5).map { _ in Int(g.integer(0, 10)) } == fixtureInts(r["default_rng.integers(0, 10, 5)"]))
    }

    /// SeedSequence(0).generate_state(4) and PCG64(0)'s first words, from NumPy.
    @Test func seedSequenceAndFirstWordsAreNumPys() {
        #expect(PCG64.seedSequence(0, words: 4) == [2_968_811_710, 3_677_149_159, 745_650_761, 2_884_920_346])
        var g = PCG64(seed: 0)
        #expect([g.next64(), g.next64()] == [0xa30f_ebcf_d9c2_825f, 0x4510_bdf8_82d9_d721])
    }

    @Test func integersUseLemiresMethod() {
        var g = PCG64(seed: 42)
        let draws = (0..<1000).map { _ in g.integer(-3, 7) }
        #expect(draws.allSatisfy { (-3..<7).contains($0) })
        #expect(Set(draws).count == 10)
        var h = PCG64(seed: 42)
        #expect((0..<20).allSatisfy { _ in (0..<(1 << 40)).contains(h.integer(0, 1 << 40)) })
    }
}
