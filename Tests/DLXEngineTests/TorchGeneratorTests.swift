import Foundation
import Testing
@testable import DLXEngine

/// Tests/Fixtures/rng/rng.json (made by make.py beside it with PyTorch 2.15, CPython 3.11 and NumPy 2.4): the
/// streams each of four seeds gives.
nonisolated(unsafe) let rngFixture: [String: Any] = {
    let data = try! Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Tests/Fixtures/rng/rng.json"))
    return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
}()

let rngSeeds = ["0", "1", "42", "12345"]

/// The entries of one library for one seed.
func rngEntries(_ library: String, _ seed: String) -> [String: Any] {
    (rngFixture[library] as! [String: Any])[seed] as! [String: Any]
}

/// The numbers as the fixture writes them (through their text: Foundation's JSON reader may hold a long decimal
/// in a form whose doubleValue is not the nearest double).
func fixtureDoubles(_ v: Any?) -> [Double] { (v as! [NSNumber]).map { Double($0.stringValue) ?? $0.doubleValue } }
func fixtureInts(_ v: Any?) -> [Int] { (v as! [NSNumber]).map(\.intValue) }

/// How many float32 steps apart a and b are (0: the same bits).
func ulps(_ a: Float, _ b: Float) -> Int {
    func key(_ x: Float) -> Int { let i = Int(Int32(bitPattern: x.bitPattern)); return i < 0 ? Int(Int32.min) - i : i }
    return Swift.abs(key(a) - key(b))
}

@Suite struct TorchGeneratorTests {
    func generator(_ seed: String) -> Generator { Generator(seed: UInt64(seed)!) }

    func floats(_ t: Tensor) throws -> [Float] { try t.contiguous().doubles().map(Float.init) }

    @Test(arguments: rngSeeds) func uniformDrawsArePyTorchsToTheBit(seed: String) throws {
        let r = rngEntries("torch", seed)
        var g = generator(seed)
        #expect(try floats(Tensor.rand([5], generator: &g, on: backend)) == fixtureDoubles(r["rand(5)"]).map(Float.init))
        g = generator(seed)
        #expect(try floats(Tensor.rand([3, 7], generator: &g, on: backend)) == fixtureDoubles(r["rand(3, 7)"]).map(Float.init))
        g = generator(seed)
        #expect(try Tensor.rand([5], dtype: .float64, generator: &g, on: backend).doubles() == fixtureDoubles(r["rand(5, dtype=float64)"]))
        g = generator(seed)
        let u = try Tensor.empty([6], on: backend)
        try u.uniform(-2, 3, generator: &g)
        #expect(try floats(u) == fixtureDoubles(r["empty(6).uniform_(-2, 3)"]).map(Float.init))
        g = generator(seed)
        let twice = try floats(Tensor.rand([2], generator: &g, on: backend)) + floats(Tensor.rand([2], generator: &g, on: backend))
        #expect(twice == fixtureDoubles(r["rand(2) twice"]).map(Float.init))
    }

    /// Normal draws: the scalar path (fewer than 16) and the blockwise Box-Muller; the fixture allows PyTorch's
    /// vectorised rounding 1 ulp, and dlx's float32 blocks reproduce it exactly.
    @Test(arguments: rngSeeds) func normalDrawsArePyTorchs(seed: String) throws {
        let r = rngEntries("torch", seed)
        for (key, shape) in [("randn(5)", [5]), ("randn(17)", [17]), ("randn(100)", [100])] {
            var g = generator(seed)
            let got = try floats(Tensor.randn(shape, generator: &g, on: backend))
            let want = fixtureDoubles(r[key]).map(Float.init)
            #expect(zip(got, want).allSatisfy { ulps($0, $1) <= 1 }, "\(key)")
            #expect(got == want, "\(key) bit for bit")
        }
        var g = generator(seed)
        let n = try Tensor.empty([20], on: backend)
        try n.normal(1, 0.5, generator: &g)
        #expect(try floats(n) == fixtureDoubles(r["empty(20).normal_(1, 0.5)"]).map(Float.init))
        g = generator(seed)
        let d = try Tensor.randn([4, 5], dtype: .float64, generator: &g, on: backend).doubles()
        let want = fixtureDoubles(r["randn(4, 5, dtype=float64)"])
        #expect(zip(d, want).allSatisfy { $0 == $1 || Swift.abs($0 - $1) <= $1.ulp })
    }

    @Test(arguments: rngSeeds) func integersAndPermutationsArePyTorchs(seed: String) throws {
        let r = rngEntries("torch", seed)
        var g = generator(seed)
        #expect(try Tensor.randint(0, 10, [20], generator: &g, on: backend).int64s().map(Int.init) == fixtureInts(r["randint(0, 10, (20,))"]))
        g = generator(seed)
        #expect(try Tensor.randint(-5, 1_000_000, [8], generator: &g, on: backend).int64s().map(Int.init) == fixtureInts(r["randint(-5, 1000000, (8,))"]))
        for (key, n) in [("randperm(10)", 10), ("randperm(1000)[:20]", 1000), ("randperm(60000)[:20]", 60000)] {
            g = generator(seed)
            #expect(Array(g.permutation(n).prefix(20)) == fixtureInts(r[key]), "\(key)")
        }
    }

    /// Linear and Conv2d initialise as PyTorch's reset_parameters: kaiming_uniform_(a=sqrt(5)), then the bias.
    @Test(arguments: rngSeeds) func layerInitialisationIsPyTorchs(seed: String) throws {
        let r = rngEntries("torch", seed)
        var g = generator(seed)
        let l = try Linear(784, 512, backend: backend, generator: &g)
        #expect(try Array(floats(l.weight).prefix(5)) == fixtureDoubles(r["nn.Linear(784, 512).weight[0, :5]"]).map(Float.init))
        #expect(try Array(floats(l.bias!).prefix(5)) == fixtureDoubles(r["nn.Linear(784, 512).bias[:5]"]).map(Float.init))
        let sum = try l.weight.doubles().reduce(0, +), wantSum = fixtureDoubles([r["nn.Linear(784, 512).weight.sum"]!])[0]
        #expect(Swift.abs(sum - wantSum) < 1e-9)
        g = generator(seed)
        let c = try Conv2d(1, 25, kernelSize: IntPair(3), backend: backend, generator: &g)
        #expect(try Array(floats(c.weight).prefix(9)) == fixtureDoubles(r["nn.Conv2d(1, 25, 3).weight[0]"]).map(Float.init))
        #expect(try Array(floats(c.bias!).prefix(5)) == fixtureDoubles(r["nn.Conv2d(1, 25, 3).bias[:5]"]).map(Float.init))
        g = generator(seed)
        let mlp = [try Linear(784, 512, backend: backend, generator: &g), try Linear(512, 512, backend: backend, generator: &g),
                   try Linear(512, 10, backend: backend, generator: &g)]
        let sums = try mlp.flatMap { [$0.weight, $0.bias!] }.map { try $0.doubles().reduce(0, +) }
        let want = fixtureDoubles(r["lesson MLP: sum of each parameter"])
        #expect(zip(sums, want).allSatisfy { Swift.abs($0 - $1) < 1e-9 })
    }

    /// A DataLoader pass draws its base seed, then RandomSampler's seed, then randperm on a generator so seeded.
    @Test(arguments: rngSeeds) func dataLoaderOrdersArePyTorchs(seed: String) throws {
        let r = rngEntries("torch", seed)
        var g = generator(seed)
        let order = g.passOrder(100, shuffle: true)!
        let batches = stride(from: 0, to: 100, by: 10).map { Array(order[$0..<($0 + 10)]) }
        #expect(batches == (r["DataLoader(range(100), batch_size=10, shuffle=True): first epoch"] as! [[Int]]))
        g = generator(seed)
        let first = Array(g.passOrder(60000, shuffle: true)!.prefix(32)), second = Array(g.passOrder(60000, shuffle: true)!.prefix(32))
        #expect([first, second] == (r["DataLoader(60000 items, batch 32, shuffle): first 2 batches of epochs 1 and 2"] as! [[Int]]))
    }

    @Test func aPassInOrderStillDrawsItsBaseSeed() {
        var a = Generator(seed: 7), b = Generator(seed: 7)
        #expect(a.passOrder(10, shuffle: false) == nil)
        _ = b.random64()
        #expect(a.random() == b.random())
    }

    /// PyTorch's `get_rng_state()` after `manual_seed(3)` and after one scalar normal draw (which leaves its
    /// sine half in the state).
    @Test func stateBytesArePyTorchsLayout() throws {
        var g = Generator(seed: 3)
        var b = g.stateBytes
        #expect(b.count == 5056)
        #expect(Array(b[0..<24]) == [3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(b[24..<40]) == [3, 0, 0, 0, 0, 0, 0, 0, 0x30, 0x9C, 0x16, 0x44, 0, 0, 0, 0])   // 3, 1142332464
        _ = g.nextNormal()
        b = g.stateBytes
        #expect(b[8] == 109 && b[9] == 2 && b[16] == 4)   // left 621, next 4
        #expect(Double(bitPattern: b[5024..<5032].reversed().reduce(0) { $0 << 8 | UInt64($1) }) == 0.17483339327910358)
        #expect(b[5040] == 1)
        var restored = try Generator(stateBytes: b)
        #expect(restored.nextNormal() == g.nextNormal())
        #expect(restored.random64() == g.random64())
        #expect(throws: TensorError.runtime("Expected a CPUGeneratorImplState of size 5056 but found the input RNG state size to be 100")) {
            try Generator(stateBytes: Array(b.prefix(100)))
        }
        b[8] = 0; b[9] = 0
        #expect(throws: TensorError.runtime("Invalid mt19937 state")) { try Generator(stateBytes: b) }
    }

    @Test func aFreshGeneratorHasPyTorchsDefaultSeed() {
        let g = Generator(seed: Generator.defaultSeed)
        #expect(Array(g.stateBytes.prefix(8)) == [1, 209, 156, 241, 48, 61, 0, 0])
    }

    @Test func scalarNormalsKeepTheirSecondHalf() {
        var g = Generator(seed: 0), h = Generator(seed: 0)
        let a = g.nextNormal(), b = g.nextNormal()
        let u1 = h.nextDouble(), u2 = h.nextDouble()
        let r = (-2 * log1p(-u2)).squareRoot()
        #expect(a == r * cos(2 * Double.pi * u1) && b == r * sin(2 * Double.pi * u1))
    }

    @Test func uniformBoundsInTheWrongOrderAreAnError() throws {
        var g = Generator(seed: 0)
        let t = try Tensor.empty([3], on: backend)
        #expect(throws: TensorError.runtime("uniform_ expects to return a [from, to) range, but found from=3 > to=1")) { try t.uniform(3, 1, generator: &g) }
    }
}
