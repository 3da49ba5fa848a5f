import Testing
@testable import DLXEngine

@Suite struct ViewsTests {
    @Test func reshapeOfContiguousTensorSharesStorage() throws {
        let x = try Tensor.arange(0, 6, 1, dtype: .float32, on: backend)
        let y = try x.reshape([2, -1])
        #expect(y.shape == [2, 3])
        #expect(y.storage === x.storage)
    }

    @Test func viewOfTransposeFailsButReshapeCopies() throws {
        let x = try Tensor.arange(0, 6, 1, dtype: .float32, on: backend).reshape([2, 3]).t()
        #expect(throws: TensorError.self) { try x.view([6]) }
        let y = try x.reshape([6])
        #expect(try y.doubles() == [0, 3, 1, 4, 2, 5])
    }

    @Test func badShapesAreErrors() throws {
        let x = try Tensor.zeros([6], on: backend)
        #expect(throws: TensorError.runtime("shape '[4, -1]' is invalid for input of size 6")) { try x.reshape([4, -1]) }
        #expect(throws: TensorError.runtime("only one dimension can be inferred")) { try x.reshape([-1, -1]) }
    }

    @Test func flattenUnsqueezeSqueeze() throws {
        let x = try Tensor.zeros([2, 1, 28, 28], on: backend)
        #expect(try x.flatten(1).shape == [2, 784])
        #expect(try x.unsqueeze(0).shape == [1, 2, 1, 28, 28])
        #expect(try x.unsqueeze(-1).shape == [2, 1, 28, 28, 1])
        #expect(try x.squeeze().shape == [2, 28, 28])
        #expect(try x.squeeze(0).shape == [2, 1, 28, 28])
        #expect(throws: TensorError.self) { try x.unsqueeze(6) }
    }

    @Test func permuteAndExpand() throws {
        let x = try Tensor.arange(0, 6, 1, dtype: .int64, on: backend).reshape([1, 2, 3])
        let p = try x.permute([2, 0, 1])
        #expect(p.shape == [3, 1, 2])
        #expect(try p.int64s() == [0, 3, 1, 4, 2, 5])
        #expect(try x.expand(to: [4, 2, 3]).int64s().count == 24)
        #expect(throws: TensorError.self) { try x.permute([0, 0, 1]) }
    }

    @Test func slicesClampAndStep() throws {
        let x = try Tensor.arange(0, 10, 1, dtype: .int64, on: backend)
        #expect(try x.slice(0, start: 2, stop: 100, step: 3).int64s() == [2, 5, 8])
        #expect(try x.slice(0, start: -3, stop: nil, step: 1).int64s() == [7, 8, 9])
        #expect(throws: TensorError.value("step must be greater than zero")) { try x.slice(0, start: nil, stop: nil, step: -1) }
    }
}
