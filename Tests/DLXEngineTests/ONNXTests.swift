import Foundation
import Testing
@testable import DLXEngine

/// The ONNX writer: protobuf's wire format, and a traced Sequential written as the graph PyTorch's exporter
/// writes, read back here with a small protobuf reader. (onnx's checker and onnxruntime check whole files
/// in ModelExchangeTests.)
@Suite struct ONNXTests {
    /// A protobuf message's fields: (number, varint value or bytes).
    enum Field { case varint(UInt64), bytes([UInt8]), fixed32(UInt32) }

    static func fields(_ b: [UInt8]) -> [(Int, Field)] {
        var out: [(Int, Field)] = []
        var k = 0
        func varint() -> UInt64 {
            var v: UInt64 = 0, shift: UInt64 = 0
            while true {
                let byte = b[k]; k += 1
                v |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return v }
                shift += 7
            }
        }
        while k < b.count {
            let key = varint()
            switch key & 7 {
            case 0: out.append((Int(key >> 3), .varint(varint())))
            case 2:
                let n = Int(varint())
                out.append((Int(key >> 3), .bytes(Array(b[k..<k + n]))))
                k += n
            case 5:
                out.append((Int(key >> 3), .fixed32(UInt32(b[k]) | UInt32(b[k + 1]) << 8 | UInt32(b[k + 2]) << 16 | UInt32(b[k + 3]) << 24)))
                k += 4
            default: Issue.record("wire type \(key & 7)"); return out
            }
        }
        return out
    }

    static func strings(_ fs: [(Int, Field)], _ n: Int) -> [String] {
        fs.compactMap { f, v in if f == n, case .bytes(let b) = v { return String(decoding: b, as: UTF8.self) }; return nil }
    }

    static func messages(_ fs: [(Int, Field)], _ n: Int) -> [[(Int, Field)]] {
        fs.compactMap { f, v in if f == n, case .bytes(let b) = v { return fields(b) }; return nil }
    }

    static func varints(_ fs: [(Int, Field)], _ n: Int) -> [Int64] {
        fs.compactMap { f, v in if f == n, case .varint(let x) = v { return Int64(bitPattern: x) }; return nil }
    }

    @Test func varintsAndNegativeNumbersAreProtobufs() {
        var w = ProtoWriter()
        w.int(1, 300)
        w.int(2, -1)
        w.float(3, 1)
        w.string(4, "é")
        #expect(w.bytes == [0x08, 0xAC, 0x02, 0x10] + [UInt8](repeating: 0xFF, count: 9) + [0x01, 0x1D, 0, 0, 0x80, 0x3F, 0x22, 2, 0xC3, 0xA9])
    }

    /// A Sequential traced through the forward observer becomes Flatten, Gemm, Relu, Gemm with its parameters
    /// as initializers under their state-dict names, the batch axis named, opset 17 and IR version 10.
    @Test func aTracedSequentialIsTheGraphPyTorchWrites() throws {
        var g = Generator(seed: 1)
        let fc1 = try Linear(12, 5, backend: backend, generator: &g), fc2 = try Linear(5, 3, backend: backend, generator: &g)
        let model = Sequential([Flatten(), fc1, Activation(.relu), try Dropout(p: 0.5), fc2])
        model.setTraining(false)
        var steps: [ONNXExport.Step] = []
        var context = ForwardContext(generator: g) { m, x, y in if x !== y { steps.append(.init(.layer(m), input: x, output: y)) } }
        let x = try randomTensor([2, 3, 4], seed: 2)
        let y = try model(x, &context)
        var options = ONNXExport.Options()
        options.dynamicAxes = ["input": [0: "batch"], "output": [0: "batch"]]
        let bytes = try ONNXExport.model(model, input: x, output: y, steps: steps, options: options)

        let m = ONNXTests.fields(bytes)
        #expect(ONNXTests.varints(m, 1) == [10])
        #expect(ONNXTests.strings(m, 2) == ["dlx"])
        #expect(ONNXTests.messages(m, 8).map { ONNXTests.varints($0, 2) } == [[17]])
        let graph = ONNXTests.messages(m, 7)[0]
        let nodes = ONNXTests.messages(graph, 1)
        #expect(nodes.map { ONNXTests.strings($0, 4) } == [["Flatten"], ["Gemm"], ["Relu"], ["Gemm"]])
        #expect(nodes.map { ONNXTests.strings($0, 1) } == [["input"], ["/0/Flatten_output_0", "1.weight", "1.bias"],
                                                          ["/1/Gemm_output_0"], ["/2/Relu_output_0", "4.weight", "4.bias"]])
        #expect(ONNXTests.strings(nodes[3], 2) == ["output"])
        let initializers = ONNXTests.messages(graph, 5)
        #expect(initializers.map { ONNXTests.strings($0, 8) } == [["1.weight"], ["1.bias"], ["4.weight"], ["4.bias"]])
        #expect(ONNXTests.varints(initializers[0], 1) == [5, 12] && ONNXTests.varints(initializers[0], 2) == [1])
        let raw = initializers[0].compactMap { f, v -> [UInt8]? in if f == 9, case .bytes(let b) = v { return b }; return nil }[0]
        let weights = try fc1.weight.doubles().map { Float($0) }
        #expect(raw == weights.withUnsafeBytes { Array($0) })
        // The input's type: float, dims batch x 3 x 4.
        let input = ONNXTests.messages(graph, 11)[0]
        let tensorType = ONNXTests.messages(ONNXTests.messages(input, 2)[0], 1)[0]
        let dims = ONNXTests.messages(ONNXTests.messages(tensorType, 2)[0], 1)
        #expect(ONNXTests.varints(tensorType, 1) == [1])
        #expect(dims.map { ONNXTests.strings($0, 2) + ONNXTests.varints($0, 1).map(String.init) } == [["batch"], ["3"], ["4"]])
    }

    /// A Linear on more than two dimensions is a MatMul with the transposed weight and an Add, as PyTorch writes
    /// it, and a Flatten that keeps two dimensions a Reshape that copies them (so that the batch stays dynamic).
    @Test func aLinearOnThreeDimensionsIsAMatMulAndAnAdd() throws {
        var g = Generator(seed: 4)
        let fc = try Linear(6, 2, backend: backend, generator: &g)
        let model = Sequential([Flatten(startDim: 2), fc])
        var steps: [ONNXExport.Step] = []
        var context = ForwardContext(generator: g) { m, x, y in steps.append(.init(.layer(m), input: x, output: y)) }
        let x = try randomTensor([2, 3, 2, 3], seed: 5)
        let y = try model(x, &context)
        let graph = ONNXTests.messages(ONNXTests.fields(try ONNXExport.model(model, input: x, output: y, steps: steps, options: .init())), 7)[0]
        #expect(ONNXTests.messages(graph, 1).map { ONNXTests.strings($0, 4) } == [["Reshape"], ["MatMul"], ["Add"]])
        let initializers = ONNXTests.messages(graph, 5)
        #expect(initializers.map { ONNXTests.strings($0, 8) } == [["/0/Constant_output_0"], ["onnx::MatMul_1.weight"], ["1.bias"]])
        #expect(initializers.map { ONNXTests.varints($0, 1) } == [[3], [6, 2], [2]])
        let shape = initializers[0].compactMap { f, v -> [UInt8]? in if f == 9, case .bytes(let b) = v { return b }; return nil }[0]
        #expect(shape == ([0, 0, -1] as [Int64]).withUnsafeBytes { Array($0) })
    }

    /// A forward whose output comes from something not recorded (arithmetic) is an error naming the autograd node.
    @Test func aGapInTheTraceIsAnError() throws {
        var g = Generator(seed: 1)
        let fc = try Linear(4, 2, backend: backend, generator: &g)
        let x = try randomTensor([3, 4], seed: 3)
        var context = ForwardContext(generator: g)
        let y = try fc(x, &context)
        let doubled = try Tensor.binary(.mul, .tensor(y), .tensor(y))
        #expect {
            _ = try ONNXExport.model(fc, input: x, output: doubled, steps: [.init(.layer(fc), input: x, output: y)], options: .init())
        } throws: { error in
            (error as! TensorError).message.contains("a tensor of shape torch.Size([3, 2]) (made by MulBackward0)")
        }
        #expect {
            _ = try ONNXExport.model(fc, input: x, output: y, steps: [.init(.layer(fc), input: x, output: y)], options: { var o = ONNXExport.Options(); o.opset = 7; return o }())
        } throws: { error in
            (error as! TensorError).message == "dlx exports ONNX opset versions 13 to 21, not 7"
        }
    }
}
