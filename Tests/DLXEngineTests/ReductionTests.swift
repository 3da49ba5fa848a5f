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

/// Reductions read the elements in place: a broadcast view or a tensor near the memory limit needs no copy.
@Suite struct ReductionMemoryTests {
    @Test func reductionsOfABroadcastViewUnderATightLimit() throws {
        let small = CPUBackend(memoryLimit: 1 << 20)
        let base = try Tensor.from([Float(1), 7, 3], shape: [3], on: small)
        let x = try base.expand(to: [1 << 16, 3])   // 196,608 elements: 1.5 MB as Doubles, more than the limit
        #expect(try x.reduce(.argmax).int64s() == [1])
        #expect(try x.reduce(.max).doubles() == [7])
        #expect(try x.reduce(.sum).doubles() == [11 * 65536])
        let (values, indices) = try x.reduce(.max, dim: 1, keepdim: false)
        #expect(values.shape == [1 << 16])
        #expect(try values.reduce(.min).doubles() == [7])
        #expect(try indices!.reduce(.max).int64s() == [1])
        let ints = try base.to(.int64).expand(to: [1 << 16, 3])
        #expect(try ints.reduce(.sum, dim: 0, keepdim: false).values.int64s() == [65536, 7 * 65536, 3 * 65536])
    }

    @Test func emptyRowsGiveTheReductionsIdentity() throws {
        let e = try Tensor.zeros([3, 0], dtype: .int64, on: backend)
        #expect(try e.reduce(.sum, dim: 1, keepdim: false).values.int64s() == [0, 0, 0])
        #expect(try e.reduce(.prod, dim: 1, keepdim: false).values.int64s() == [1, 1, 1])
        #expect(try Tensor.zeros([2, 0], dtype: .float64, on: backend).reduce(.mean, dim: 1, keepdim: false).values.doubles().allSatisfy(\.isNaN))
    }

    @Test func nanWinsAndTheFirstExtremeIsKept() throws {
        let t = try tensor([1, 5, 5, .nan, 9], [5])
        #expect(try t.to(.float64).reduce(.argmax).int64s() == [3])
        #expect(try tensor([1, 5, 5, 2], [4]).t().reduce(.argmax).int64s() == [1])
    }
}
