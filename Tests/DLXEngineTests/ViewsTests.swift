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

@Suite struct ExpandLimitTests {
    @Test func expandChecksCountsAndNegativeSizes() throws {
        let one = try Tensor.zeros([1], on: backend)
        #expect(throws: TensorError.runtime("numel: integer multiplication overflow")) { try one.expand(to: [1 << 40, 1 << 40]) }
        #expect(throws: TensorError.runtime("The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0")) {
            try one.expand(to: [-1, 3])
        }
        #expect(throws: TensorError.runtime("The expanded size of the tensor (-2) isn't allowed in a leading, non-existing dimension 0")) {
            try one.expand(to: [-2, 1])
        }
        #expect(throws: TensorError.runtime("Trying to create tensor with negative dimension -2: [3, -2]")) { try one.expand(to: [3, -2]) }
        #expect(try Tensor.zeros([1, 3], on: backend).expand(to: [2, -1]).shape == [2, 3])
        // Zeros do not hide an overflow of the other sizes (flatten and unsqueeze multiply them).
        #expect(throws: TensorError.self) { try one.expand(to: [1 << 40, 1 << 40, 0]) }
        let huge = try one.expand(to: [1 << 31, 1 << 31])
        #expect(huge.count == 1 << 62)
        #expect(try huge.flatten().shape == [1 << 62])
    }

    @Test func viewsOfEmptyTensorsCheckTheirStrides() throws {
        let e = try Tensor.zeros([0], on: backend)
        #expect(throws: TensorError.runtime("Stride calculation overflowed")) { try e.reshape([0, 1 << 62, 4]) }
        #expect(try e.reshape([0, 1 << 40]).shape == [0, 1 << 40])
    }

    @Test func narrowBoundsDoNotOverflow() throws {
        let x = try Tensor.zeros([4], on: backend)
        #expect(throws: TensorError.self) { try x.narrow(0, 1 << 62, 1 << 62) }
        #expect(try x.narrow(0, 1, 3).shape == [3])
    }
}
