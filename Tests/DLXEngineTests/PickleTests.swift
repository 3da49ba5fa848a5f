import Testing
import Foundation
@testable import DLXEngine

/// Hostile and broken pickles and archives: clear errors, never a crash, never code run, never an
/// allocation beyond what the file holds.
@Suite struct PickleTests {
    typealias F = SerializationFixtures

    /// An archive holding `pickle` as its data.pkl and `records` as data/K.
    func archive(_ pickle: [UInt8], _ records: [(String, [UInt8])] = []) throws -> [UInt8] {
        var z = ZipWriter()
        try z.add("a/data.pkl", bytes: pickle)
        for (k, b) in records { try z.add("a/data/" + k, bytes: b) }
        try z.add("a/version", bytes: Array("3\n".utf8))
        z.finish()
        return z.bytes
    }

    func error(_ bytes: [UInt8], weightsOnly: Bool = true) -> TensorError? {
        do { _ = try F.load(bytes, weightsOnly: weightsOnly); return nil } catch { return error }
    }

    /// A tensor of `count` float32 elements in storage "0" (holding `stored` elements), with this geometry.
    func tensorPickle(offset: Int, size: [Int], stride: [Int], count: Int) -> [UInt8] {
        let w = PickleWriter.pickle(.reduce(.global("torch._utils", "_rebuild_tensor_v2"), [
            .persistent(.tuple([.string("storage"), .global("torch", "FloatStorage"), .string("0"), .string("cpu"), .int(count)])),
            .int(offset), .tuple(size.map { .int($0) }), .tuple(stride.map { .int($0) }), .bool(false),
            .reduce(.global("collections", "OrderedDict"), [])]))
        return w
    }

    @Test func globalsOutsideTheAllowlistAreRefusedInPyTorchsWords() throws {
        let system = try archive([0x80, 2] + Array("cos\nsystem\n".utf8) + [0x58, 2, 0, 0, 0, 0x6c, 0x73, 0x85, 0x52, 0x2e])
        #expect(error(system) == TensorError(.unpickling, "Trying to load unsupported GLOBAL os.system whose module os is blocked."))
        let e = error(system, weightsOnly: false)
        #expect(e?.kind == .unpickling && e!.message.hasPrefix("Unsupported global: GLOBAL os.system"))
        let eval = try archive([0x80, 2] + Array("c__builtin__\neval\n".utf8) + [0x2e])
        #expect(error(eval)?.message.hasPrefix("Unsupported global: GLOBAL eval was not an allowed global by default.") == true)
        let module = try archive([0x80, 2] + Array("ctorch.nn.modules.linear\nLinear\n".utf8) + [0x29, 0x81, 0x2e])
        #expect(error(module)?.message.hasPrefix("Unsupported global: GLOBAL torch.nn.modules.linear.Linear was not an allowed global") == true)
        #expect(error(module, weightsOnly: false) == nil)
    }

    @Test func unknownOpcodesEmptyAndRandomInputsAreErrors() throws {
        #expect(error(try archive([0x80, 2, 0x07])) == TensorError(.unpickling, "Unsupported operand 7"))
        #expect(error(try archive([0x80, 2, 0x4b])) == TensorError(.eof, "Ran out of input"))
        #expect(error(try archive([])) == TensorError(.eof, "Ran out of input"))
        #expect(error(try archive([0x2e])) == TensorError(.unpickling, "unpickling stack underflow"))
        #expect(error(try archive([0x80, 2, 0x65, 0x2e])) == TensorError(.unpickling, "could not find MARK"))
        #expect(error(try archive([0x80, 2, 0x68, 9, 0x2e])) == TensorError(.unpickling, "Memo value not found at index 9"))
        #expect(error(try archive([0x80, 2, 0x58, 0xff, 0xff, 0xff, 0x7f, 0x2e])) == TensorError(.unpickling, "String is too long"))
        #expect(error(try archive([0x80, 2, 0x4b, 1, 0x4b, 2, 0x61, 0x2e]))?.message == "Can only append to lists, but got int")
        #expect(error([]) == ZipReader.noDirectory)
        var g = SystemRandomNumberGenerator()
        #expect(error((0..<5000).map { _ in UInt8.random(in: 0...255, using: &g) }) == ZipReader.noDirectory)
    }

    @Test func picklesNested100000DeepAreFreedWithoutRecursion() throws {
        // 100,000 nested lists and 100,000 nested tuples: read with an explicit stack and freed without recursion.
        var lists: [UInt8] = [0x80, 2]
        for _ in 0..<100_000 { lists += [0x5d] }
        for _ in 0..<99_999 { lists += [0x61] }
        lists += [0x2e]
        let (v, arena, _) = try F.load(try archive(lists))
        #expect(v.node?.kind == .list)
        withExtendedLifetime(arena) {}
        let tuples = [0x80, 2, 0x29] + [UInt8](repeating: 0x85, count: 100_000) + [0x2e]
        _ = try F.load(try archive(tuples))
        // A list that holds itself.
        _ = try F.load(try archive([0x80, 2, 0x5d, 0x71, 0, 0x68, 0, 0x61, 0x2e]))
    }

    @Test func tensorsMustLieInsideTheirStorage() throws {
        let floats = [UInt8](repeating: 0, count: 12)
        func load(_ p: [UInt8]) throws -> TensorError? { error(try archive(p, [("0", floats)])) }
        #expect(try load(tensorPickle(offset: 0, size: [3], stride: [1], count: 3)) == nil)
        #expect(try load(tensorPickle(offset: 1, size: [3], stride: [1], count: 3))?.message
                == "setStorage: sizes [3], strides [1], storage offset 1, and itemsize 4 requiring a storage size of 16 are out of bounds for storage of size 12")
        #expect(try load(tensorPickle(offset: 0, size: [2], stride: [5], count: 3))?.message.hasPrefix("setStorage: sizes [2], strides [5]") == true)
        #expect(try load(tensorPickle(offset: 0, size: [3], stride: [-1], count: 3))?.message
                == "as_strided: Negative strides are not supported at the moment, got strides: [-1]")
        #expect(try load(tensorPickle(offset: 0, size: [-1], stride: [1], count: 3))?.message
                == "Trying to create tensor with negative dimension -1: [-1]")
        #expect(try load(tensorPickle(offset: 0, size: [1 << 40, 1 << 40], stride: [1, 1], count: 3))?.message
                == "Storage size calculation overflowed with sizes=[1099511627776, 1099511627776]")
        #expect(try load(tensorPickle(offset: 0, size: [1 << 61, 2], stride: [1 << 62, 1 << 62], count: 3))?.message.hasPrefix("setStorage:") == true)
        #expect(try load(tensorPickle(offset: -1, size: [1], stride: [1], count: 3)) != nil)
        // The persistent id says more elements than the record holds: refused before anything is allocated.
        #expect(try load(tensorPickle(offset: 0, size: [3], stride: [1], count: 1 << 60))?.message.hasPrefix("record size (12 bytes) does not match") == true)
        #expect(try load(tensorPickle(offset: 0, size: [3], stride: [1], count: 4))?.message
                == "record size (12 bytes) does not match expected size (16 bytes = 16 elements * 1 bytes/element) for dtype Byte")
        #expect(error(try archive(tensorPickle(offset: 0, size: [3], stride: [1], count: 3)))?.message.hasPrefix("PytorchStreamReader failed locating file data/0: file not found") == true)
    }

    @Test func truncatedOrDamagedArchivesAreErrors() throws {
        let good = try F.bytes("tensors.pt")
        #expect(error(Array(good.prefix(good.count / 2))) == ZipReader.noDirectory)
        #expect(error(Array(good.dropLast(10))) == ZipReader.noDirectory)
        // A flipped byte in a storage fails its CRC-32.
        var flipped = good
        let r = try ZipReader(MemorySource(good))
        flipped[try r.dataOffset(r.entry("tensors/data/0")!)] ^= 0xff
        #expect(error(flipped)?.message.hasPrefix("PytorchStreamReader failed reading file tensors/data/0: the CRC-32") == true)
        // No data.pkl.
        var z = ZipWriter()
        try z.add("a/version", bytes: [0x33])
        z.finish()
        #expect(error(z.bytes)?.message.hasPrefix("PytorchStreamReader failed locating file data.pkl: file not found") == true)
    }
}
