import Testing
@testable import DLXEngine

@Suite struct MatmulTests {
    /// The gemm the backend runs (OpenBLAS where installed) agrees with the naive reference kernel,
    /// for every combination of transposed operands.
    @Test(arguments: [(1, 1, 1), (3, 5, 4), (32, 784, 64), (17, 33, 9), (64, 512, 10)])
    func backendGemmMatchesReference(_ dims: (Int, Int, Int)) throws {
        let (m, k, n) = dims
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = try randomTensor(ta ? [k, m] : [m, k], seed: 1), b = try randomTensor(tb ? [n, k] : [k, n], seed: 2)
            var fast = [Float](repeating: 0, count: m * n), slow = fast
            fast.withUnsafeMutableBufferPointer { c in
                backend.gemm(GemmParameters(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 1, beta: 0,
                                            a: a.f32, lda: ta ? m : k, b: b.f32, ldb: tb ? k : n, c: c.baseAddress!, ldc: n))
            }
            slow.withUnsafeMutableBufferPointer { c in
                ReferenceKernels.gemm(GemmParameters(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 1, beta: 0,
                                                     a: a.f32, lda: ta ? m : k, b: b.f32, ldb: tb ? k : n, c: c.baseAddress!, ldc: n))
            }
            #expect(close(fast.map(Double.init), slow.map(Double.init), rel: 1e-4, abs: 1e-4), "transA \(ta) transB \(tb)")
        }
    }

    @Test func transposedViewsNeedNoCopyAndGiveTheSameProduct() throws {
        let a = try randomTensor([6, 4], seed: 3), b = try randomTensor([6, 5], seed: 4)
        let viaView = try a.transpose(0, 1).matmul(b)            // (4, 6) @ (6, 5)
        let viaCopy = try a.transpose(0, 1).contiguous().matmul(b)
        #expect(try close(viaView.doubles(), viaCopy.doubles()))
    }

    @Test func shapeMismatchUsesPyTorchWords() throws {
        let x = try Tensor.zeros([1, 784], on: backend), w = try Tensor.zeros([512, 10], on: backend)
        #expect(throws: TensorError.runtime("mat1 and mat2 shapes cannot be multiplied (1x784 and 512x10)")) { try x.matmul(w) }
    }

    @Test func vectorAndBatchedForms() throws {
        let v = try tensor([1, 2, 3], [3])
        #expect(try v.matmul(v).doubles() == [14])
        let m = try tensor([1, 0, 0, 1, 1, 1], [2, 3])
        #expect(try m.matmul(v).doubles() == [1, 6])
        let batch = try randomTensor([4, 2, 3], seed: 5), w = try randomTensor([3, 5], seed: 6)
        let out = try batch.matmul(w)
        #expect(out.shape == [4, 2, 5])
        #expect(try close(try out.select(0, 2).doubles(), try batch.select(0, 2).matmul(w).doubles()))
    }

    @Test func linearForwardEqualsMatmulPlusBias() throws {
        var g = Generator(seed: 9)
        let layer = try Linear(7, 3, backend: backend, generator: &g)
        let x = try randomTensor([5, 7], seed: 10)
        let y = try Tensor.linearForward(x, weight: layer.weight, bias: layer.bias)
        let ref = try Tensor.binary(.add, .tensor(x.matmul(layer.weight.t())), .tensor(layer.bias!))
        #expect(try close(y.doubles(), ref.doubles()))
    }

    @Test func integerMatmulStaysInteger() throws {
        let a = try longs([1, 2, 3, 4], [2, 2])
        let p = try a.matmul(a)
        #expect(p.dtype == .int64)
        #expect(try p.int64s() == [7, 10, 15, 22])
    }
}
