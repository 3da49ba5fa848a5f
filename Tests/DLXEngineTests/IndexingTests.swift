import Testing
@testable import DLXEngine

@Suite struct IndexingTests {
    let x: Tensor = try! Tensor.arange(0, 12, 1, dtype: .int64, on: backend).reshape([3, 4])

    @Test func basicIndexingGivesViews() throws {
        let row = try x.index([.int(1)])
        #expect(try row.int64s() == [4, 5, 6, 7])
        #expect(row.storage === x.storage)
        #expect(try x.index([.slice(nil, nil, 1), .int(-1)]).int64s() == [3, 7, 11])
        #expect(try x.index([.newAxis, .slice(nil, nil, 1)]).shape == [1, 3, 4])
        #expect(try x.index([.ellipsis, .newAxis]).shape == [3, 4, 1])
    }

    @Test func outOfRangeIndexIsAnIndexError() throws {
        #expect(throws: TensorError.index("index 3 is out of bounds for dimension 0 with size 3")) { try x.index([.int(3)]) }
        #expect(throws: TensorError.index("too many indices for tensor of dimension 2")) { try x.index([.int(0), .int(0), .int(0)]) }
    }

    @Test func integerTensorGathersRows() throws {
        let idx = try longs([2, 0, 2], [3])
        let g = try x.index([.tensor(idx)])
        #expect(g.shape == [3, 4])
        #expect(try g.int64s() == [8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11])
        let cols = try x.index([.slice(nil, nil, 1), .tensor(try longs([0, 3], [2]))])
        #expect(try cols.int64s() == [0, 3, 4, 7, 8, 11])
    }

    /// The row-copy gather (contiguous rows) and the general element gather (rows that are not contiguous)
    /// give the same tensors, for float and integer data and negative indices.
    @Test func rowGatherMatchesTheGeneralGather() throws {
        let base = try Tensor.arange(0, 60, 1, dtype: .float32, on: backend).reshape([5, 3, 4])
        let turned = try base.transpose(1, 2)
        let idx = try longs([4, 0, -1, 2, 2], [5])
        #expect(try Tensor.gatherRows(turned, 0, idx) == nil)
        let general = try turned.index([.tensor(idx)])
        let rows = try turned.contiguous().index([.tensor(idx)])
        #expect(try Tensor.gatherRows(turned.contiguous(), 0, idx) != nil)
        #expect(general.shape == [5, 4, 3] && rows.shape == [5, 4, 3])
        #expect(try general.doubles() == rows.doubles())
        #expect(throws: TensorError.index("index 5 is out of bounds for dimension 0 with size 5")) {
            try base.index([.tensor(try longs([5], [1]))])
        }
    }

    @Test func booleanMaskSelectsAndAssigns() throws {
        let m = try Tensor.binary(.gt, .tensor(x), .scalar(.int(8)))
        #expect(try x.index([.tensor(m)]).int64s() == [9, 10, 11])
        let y = try x.clone()
        try y.indexPut([.tensor(m)], .scalar(.int(0)))
        #expect(try y.int64s() == [0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0])
    }

    @Test func assigningThroughASliceWritesTheBase() throws {
        let y = try Tensor.zeros([2, 3], on: backend)
        try y.indexPut([.int(1)], .tensor(try tensor([1, 2, 3], [3])))
        #expect(try y.doubles() == [0, 0, 0, 1, 2, 3])
    }
}
