import Testing
@testable import DLXEngine

@Suite struct CreationTests {
    @Test func catRefusesZeroDimensionalTensors() throws {
        let a = try Tensor.zeros([], on: backend), b = try Tensor.zeros([2], on: backend)
        #expect(throws: TensorError.runtime("zero-dimensional tensor (at position 0) cannot be concatenated")) { try Tensor.cat([a, a], dim: 0) }
        #expect(throws: TensorError.runtime("zero-dimensional tensor (at position 1) cannot be concatenated")) { try Tensor.cat([b, a], dim: 0) }
        #expect(try Tensor.cat([b, b], dim: 0).shape == [4])
        #expect(try Tensor.stack([a, a], dim: 0).shape == [2])
    }

    @Test func arangeSizesThatCannotBeMadeAreErrors() throws {
        #expect(throws: TensorError.runtime("invalid size, possible overflow?")) { try Tensor.arange(0, 1e30, 1e-30, dtype: .float32, on: backend) }
        #expect(throws: TensorError.self) { try Tensor.arange(0, 0x1p62, 1, dtype: .float32, on: backend) }   // a MemoryError
        #expect(try Tensor.arange(0, 1, 0.25, dtype: .float32, on: backend).doubles() == [0, 0.25, 0.5, 0.75])
    }
}
