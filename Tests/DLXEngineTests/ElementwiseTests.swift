import Testing
@testable import DLXEngine

@Suite struct ElementwiseTests {
    /// Broadcast float32 ops through the backend's row kernel agree with the reference kernel applied
    /// element by element.
    @Test(arguments: [([3, 4], [4]), ([2, 3, 4], [3, 1]), ([5, 1], [1, 6]), ([4], [4]), ([2, 3], [])])
    func broadcastMatchesReference(_ shapes: ([Int], [Int])) throws {
        let a = try randomTensor(shapes.0, seed: 11), b = try randomTensor(shapes.1, seed: 12)
        for (op, k) in [(ElementwiseOp.add, BinaryKernel.add), (.sub, .sub), (.mul, .mul), (.div, .div), (.maximum, .max)] {
            let out = try Tensor.binary(op, .tensor(a), .tensor(b))
            let shape = try Tensor.broadcastShape(a.shape, b.shape)
            let x = try a.expand(to: shape).doubles(), y = try b.expand(to: shape).doubles()
            let ref = zip(x, y).map { Double(ReferenceKernels.binary(k, Float($0), Float($1))) }
            #expect(out.shape == shape)
            #expect(try close(out.doubles(), ref), "op \(op)")
        }
    }

    @Test func unaryKernelsMatchReference() throws {
        let x = try randomTensor([257], seed: 13)
        for (op, k) in [(Tensor.UnaryOp.exp, UnaryKernel.exp), (.relu, .relu), (.sigmoid, .sigmoid), (.tanh, .tanh), (.abs, .abs), (.neg, .neg)] {
            let y = try x.unary(op)
            let ref = try x.doubles().map { Double(ReferenceKernels.unary(k, Float($0))) }
            #expect(try close(y.doubles(), ref, rel: 1e-5, abs: 1e-6), "op \(op)")
        }
    }

    @Test func promotionFollowsPyTorch() throws {
        let ints = try longs([1, 2], [2]), floats = try tensor([1, 2], [2])
        #expect(try Tensor.binary(.add, .tensor(ints), .scalar(.float(0.5))).dtype == .float32)
        #expect(try Tensor.binary(.add, .tensor(ints), .scalar(.int(1))).dtype == .int64)
        #expect(try Tensor.binary(.div, .tensor(ints), .tensor(ints)).dtype == .float32)
        #expect(try Tensor.binary(.mul, .tensor(floats), .tensor(ints)).dtype == .float32)
        let bytes = try Tensor.from([Int64(200)], shape: [1], dtype: .uint8, on: backend)
        #expect(try Tensor.binary(.add, .tensor(bytes), .scalar(.int(100))).int64s() == [44])  // uint8 wraps
        #expect(try Tensor.binary(.lt, .tensor(floats), .scalar(.float(1.5))).dtype == .bool)
    }

    @Test func integerFloorDivisionAndModuloArePythons() throws {
        let a = try longs([7, -7, 7, -7], [4]), b = try longs([2, 2, -2, -2], [4])
        #expect(try Tensor.binary(.floorDiv, .tensor(a), .tensor(b)).int64s() == [3, -4, -4, 3])
        #expect(try Tensor.binary(.mod, .tensor(a), .tensor(b)).int64s() == [1, 1, -1, -1])
    }

    @Test func integerDivisionByZeroIsAnErrorNotATrap() throws {
        let a = try longs([1], [1]), z = try longs([0], [1])
        #expect(throws: TensorError.self) { try Tensor.binary(.floorDiv, .tensor(a), .tensor(z)) }
    }

    @Test func incompatibleShapesAreReported() throws {
        let a = try tensor([1, 2, 3], [3]), b = try tensor([1, 2], [2])
        #expect(throws: TensorError.runtime("The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0")) {
            try Tensor.binary(.add, .tensor(a), .tensor(b))
        }
    }

    @Test func softmaxRowsSumToOneAndLogSoftmaxMatches() throws {
        let x = try randomTensor([4, 10], seed: 14)
        let p = try x.softmax(1)
        let sums = try p.reduce(.sum, dim: 1, keepdim: false).values.doubles()
        #expect(close(sums, [1, 1, 1, 1]))
        let lp = try x.softmax(1, log: true)
        #expect(try close(lp.doubles(), p.doubles().map { _log($0) }, rel: 1e-5, abs: 1e-5))
    }
}
