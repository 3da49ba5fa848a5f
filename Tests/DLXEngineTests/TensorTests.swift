import Testing
@testable import DLXEngine

/// Sizes, strides and byte counts of tensors are computed with overflow checks: PyTorch's errors, never a trap.
@Suite struct TensorTests {
    @Test func creationSizesThatOverflowAreRuntimeErrors() throws {
        #expect(throws: TensorError.runtime("Storage size calculation overflowed with sizes=[1099511627776, 1099511627776]")) {
            try Tensor.zeros([1 << 40, 1 << 40], on: backend)
        }
        // A zero dimension keeps the count at 0, but the strides before it still overflow.
        #expect(throws: TensorError.runtime("Stride calculation overflowed")) { try Tensor.zeros([0, 1 << 62, 4], on: backend) }
        #expect(throws: TensorError.runtime("Trying to create tensor with negative dimension -1: [2, -1]")) {
            try Tensor.zeros([2, -1], on: backend)
        }
        // Counts that fit but bytes that do not (2**62 float32 elements).
        #expect(throws: TensorError.self) { try Tensor.empty([1 << 62], on: backend) }
        #expect(try Tensor.zeros([0, 1 << 40], on: backend).count == 0)
    }

    @Test func contiguousStridesAreChecked() throws {
        #expect(try Tensor.contiguousStrides([2, 3, 4]) == [12, 4, 1])
        #expect(try Tensor.contiguousStrides([0, 5]) == [5, 1])
        #expect(throws: TensorError.runtime("Stride calculation overflowed")) { try Tensor.contiguousStrides([1 << 32, 1 << 32]) }
    }

    @Test func hostArraysRespectTheMemoryLimit() throws {
        let small = CPUBackend(memoryLimit: 1 << 20)
        let x = try Tensor.zeros([1], on: small).expand(to: [1 << 20, 1 << 10])   // 2**30 elements, 4 bytes of storage
        #expect(throws: TensorError.self) { try x.doubles() }
        do { _ = try x.int64s(); Issue.record("expected a MemoryError") } catch { #expect(error.kind == .memory) }
        // Counts whose byte size overflows are refused the same way.
        #expect(throws: TensorError.self) { try small.checkHostArray(Int.max / 2, elementSize: 16) }
        #expect(try Tensor.zeros([4], on: small).doubles() == [0, 0, 0, 0])
    }

    @Test func pairedWalkFollowsBothLayouts() throws {
        let a = try Tensor.arange(0, 6, 1, dtype: .float32, on: backend).reshape([2, 3])
        let t = try a.t()
        var pairs: [[Int]] = []
        t.forEachOffset(with: try t.contiguous()) { pairs.append([$0, $1]) }
        #expect(pairs == [[0, 0], [3, 1], [1, 2], [4, 3], [2, 4], [5, 5]])
    }
}
