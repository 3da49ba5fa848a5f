import Testing
@testable import DLXEngine

/// In-place updates (with autograd's history moved as PyTorch's in-place ops do), clamp, sort, scatter and
/// resize; expected values printed by PyTorch 2.15.
@Suite struct InPlaceTests {
    @Test func inPlaceMultiplyOfARecordedTensorScalesTheGradient() throws {
        let w = try Tensor.ones([2], on: backend)
        w.requiresGrad = true
        let x = try w.scaled(2)
        try x.updateInPlace { v throws(TensorError) in try v.scaled(3) }
        try x.reduce(.sum).backward()
        #expect(try w.grad!.doubles() == [6, 6])
        #expect(try x.doubles() == [6, 6])
    }

    @Test func inPlaceOpsKeepTheShapeAndDType() throws {
        let t = try longs([1, 2, 3], [3])
        #expect(throws: TensorError.runtime("result type Float can't be cast to the desired output type Long")) {
            try t.updateInPlace { v throws(TensorError) in try Tensor.binary(.add, .tensor(v), .scalar(.float(0.5))) }
        }
        #expect(throws: TensorError.runtime("output with shape [3] doesn't match the broadcast shape [2, 3]")) {
            try t.updateInPlace { v throws(TensorError) in try Tensor.binary(.add, .tensor(v), .tensor(try Tensor.zeros([2, 3], dtype: .int64, on: backend))) }
        }
        let leaf = try tensor([1], [1])
        leaf.requiresGrad = true
        #expect(throws: TensorError.self) { try leaf.updateInPlace { v throws(TensorError) in v } }
    }

    @Test func clampPassesTheGradientInsideTheRange() throws {
        let a = try tensor([1, -2, 3], [3])
        a.requiresGrad = true
        let b = try a.scaled(2).clamp(min: .float(-1), max: .float(4))
        try b.times(b).reduce(.sum).backward()
        #expect(try b.doubles() == [2, -1, 4])
        #expect(try a.grad!.doubles() == [8, 0, 0])
        #expect(b.gradFn?.name == "ClampBackward1")
    }

    @Test func sortGivesValuesIndicesAndTheGradientBack() throws {
        let v = try tensor([3, 1, 2, 0.5, 9, -1], [2, 3])
        v.requiresGrad = true
        let (s, i) = try v.sort(dim: 1)
        try s.times(try tensor([1, 2, 3], [3])).reduce(.sum).backward()
        #expect(try s.doubles() == [1, 2, 3, -1, 0.5, 9])
        #expect(try i.int64s() == [1, 2, 0, 2, 0, 1])
        #expect(try v.grad!.doubles() == [3, 1, 2, 2, 3, 1])
        #expect(try tensor([2, 5, 5, 1], [4]).sort(descending: true).indices.int64s() == [1, 2, 0, 3])
    }

    @Test func scatterWritesAlongADimension() throws {
        let z = try Tensor.zeros([3, 4], on: backend)
        try z.scatter(dim: 1, index: try longs([1, 0, 3], [3, 1]), source: .scalar(.float(1)))
        #expect(try z.doubles() == [0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1])
        let one = try Tensor.zeros([10], on: backend)
        try one.scatter(dim: 0, index: try longs([7], []).reshape([]), source: .scalar(.int(1)))   // a 0-d index
        #expect(try one.doubles()[7] == 1)
        #expect(throws: TensorError.index("index 4 is out of bounds for dimension 1 with size 4")) {
            try z.scatter(dim: 1, index: try longs([4], [1, 1]), source: .scalar(.int(1)))
        }
    }

    @Test func resizeKeepsTheElementsInOrderAndGrows() throws {
        let r = try Tensor.arange(0, 6, 1, dtype: .float32, on: backend)
        try r.resize([2, 2])
        #expect(r.shape == [2, 2])
        #expect(try r.doubles() == [0, 1, 2, 3])
        try r.resize([3, 3])
        #expect(try r.doubles() == [0, 1, 2, 3, 4, 5, 0, 0, 0])
    }
}
