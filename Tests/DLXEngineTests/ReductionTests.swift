import Testing
@testable import DLXEngine

@Suite struct ReductionTests {
    let x: Tensor = try! tensor([3, 1, 4, 1, 5, 9, 2, 6, 5], [3, 3])

    @Test func wholeTensorReductions() throws {
        #expect(try x.reduce(.sum).doubles() == [36])
        #expect(try x.reduce(.max).doubles() == [9])
        #expect(try x.reduce(.argmax).int64s() == [5])
        #expect(try close(try x.reduce(.mean).doubles(), [4]))
    }

    @Test func alongADimensionWithIndices() throws {
        let (values, indices) = try x.reduce(.max, dim: 1, keepdim: false)
        #expect(try values.doubles() == [4, 9, 6])
        #expect(try indices?.int64s() == [2, 2, 1])
        #expect(try x.reduce(.argmax, dim: 1, keepdim: true).values.shape == [3, 1])
        #expect(try x.reduce(.sum, dim: 0, keepdim: false).values.doubles() == [6, 12, 18])
    }

    @Test func integerSumIsInt64AndMeanOfIntegersIsAnError() throws {
        let b = try Tensor.from([Int64(1), 1, 0], shape: [3], dtype: .bool, on: backend)
        let s = try b.reduce(.sum)
        #expect(s.dtype == .int64)
        #expect(try s.int64s() == [2])
        #expect(throws: TensorError.self) { try longs([1, 2], [2]).reduce(.mean) }
    }

    @Test func emptyMaxIsAnError() throws {
        #expect(throws: TensorError.self) { try Tensor.zeros([0], on: backend).reduce(.max) }
    }
}
