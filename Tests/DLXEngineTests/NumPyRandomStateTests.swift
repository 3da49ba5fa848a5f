import Foundation
import Testing
@testable import DLXEngine

/// NumPy's legacy generator against rng.json's "numpy" streams (NumPy 2.4).
@Suite struct NumPyRandomStateTests {
    @Test(arguments: rngSeeds) func legacyStreamsAreNumPys(seed: String) {
        let r = rngEntries("numpy", seed)
        var rs = NumPyRandomState(seed: UInt32(seed)!)
        #expect((0..<3).map { _ in rs.nextDouble() } == fixtureDoubles(r["np.random.rand(3)"]))
        let gauss = (0..<3).map { _ in rs.nextGauss() }, want = fixtureDoubles(r["np.random.randn(3)"])
        #expect(zip(gauss, want).allSatisfy { $0 == $1 || Swift.abs($0 - $1) <= $1.ulp }, "\(gauss) \(want)")
        #expect((0..<5).map { _ in Int(rs.randint(0, 10)) } == fixtureInts(r["np.random.randint(0, 10, 5)"]))
        #expect(rs.permutation(10) == fixtureInts(r["np.random.permutation(10)"]))
    }

    @Test func theGaussianPairIsKeptForTheNextDraw() {
        var a = NumPyRandomState(seed: 5), b = NumPyRandomState(seed: 5)
        _ = a.nextGauss()
        let second = a.nextGauss()
        var x1 = 0.0, x2 = 0.0, r2 = 0.0
        repeat { x1 = 2 * b.nextDouble() - 1; x2 = 2 * b.nextDouble() - 1; r2 = x1 * x1 + x2 * x2 } while r2 >= 1 || r2 == 0
        #expect(second == (-2 * log(r2) / r2).squareRoot() * x1)
        #expect(a.nextDouble() == b.nextDouble())
    }

    @Test func maskedRejectionCoversWideRanges() {
        var rs = NumPyRandomState(seed: 1)
        #expect((0..<100).allSatisfy { _ in rs.masked(5) <= 5 })
        #expect((0..<100).allSatisfy { _ in rs.masked(1 << 40) <= 1 << 40 })
        #expect(rs.masked(0) == 0)
    }
}
