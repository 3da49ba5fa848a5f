import Testing
import Foundation
@testable import DLXEngine

/// A deterministic mutation fuzzer over PyTorch's files: bytes flipped, inserted and deleted, in the
/// archive and (re-wrapped in a sound archive, so that the CRC passes) in the pickle itself. The reader
/// may only throw: a trap, a hang or an unbounded allocation fails the run.
@Suite struct SerializationFuzzTests {
    typealias F = SerializationFixtures

    /// SplitMix64: the same mutations on every run.
    struct Mixer: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    static func mutate(_ input: [UInt8], _ g: inout Mixer, near: Range<Int>? = nil) -> [UInt8] {
        var b = input
        for _ in 0..<Int.random(in: 1...4, using: &g) {
            let range = near ?? 0..<Swift.max(b.count, 1)
            let at = b.isEmpty ? 0 : Swift.min(Int.random(in: range, using: &g), b.count - 1)
            switch Int.random(in: 0..<6, using: &g) {
            case 0: if !b.isEmpty { b[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &g)) }
            case 1: if !b.isEmpty { b[at] = UInt8.random(in: 0...255, using: &g) }
            case 2: b.insert(UInt8.random(in: 0...255, using: &g), at: Swift.min(at, b.count))
            case 3: if !b.isEmpty { b.remove(at: at) }
            case 4: if !b.isEmpty { b[at] = [0x00, 0xff, 0x7f, 0x80][Int.random(in: 0..<4, using: &g)] }
            default: b = Array(b.prefix(at))
            }
        }
        return b
    }

    static func read(_ bytes: [UInt8], weightsOnly: Bool) -> Bool {
        do { _ = try F.load(bytes, weightsOnly: weightsOnly); return true } catch { return false }
    }

    @Test func mutatedFilesOnlyEverThrow() throws {
        var g = Mixer(state: 2024)
        let files = [try F.bytes("tensors.pt"), Array(try F.bytes("cnn_state_dict.pt"))]
        let pickles = try files.map { try F.record($0, "data.pkl") } + [try F.record(try F.bytes("mlp_model.pt"), "data.pkl")]
        let deadline = Date().addingTimeInterval(3)
        var runs = 0, loaded = 0
        while Date() < deadline {
            runs += 1
            let weightsOnly = runs % 3 != 0
            if runs % 2 == 0 {
                // The archive: mostly around its directory and headers, where the structure is.
                let file = files[runs % 4 == 0 ? 1 : 0]
                let tail = Swift.max(file.count - 4096, 0)..<file.count
                let mutated = SerializationFuzzTests.mutate(file, &g, near: runs % 8 == 0 ? nil : tail)
                if SerializationFuzzTests.read(mutated, weightsOnly: weightsOnly) { loaded += 1 }
            } else {
                // The pickle, in a sound archive with the storages of its file.
                let k = Int.random(in: 0..<pickles.count, using: &g)
                let source = k == 2 ? try F.bytes("mlp_model.pt") : files[k]
                let reader = try ZipReader(MemorySource(source))
                var z = ZipWriter()
                try z.add("a/data.pkl", bytes: SerializationFuzzTests.mutate(pickles[k], &g))
                for e in reader.entries where e.name.contains("/data/") {
                    try z.add("a/data/" + e.name.split(separator: "/").last!, bytes: try reader.bytes(e.name))
                }
                z.finish()
                if SerializationFuzzTests.read(z.bytes, weightsOnly: weightsOnly || k != 2) { loaded += 1 }
            }
        }
        #expect(runs > 50)
        print("serialization fuzz: \(runs) mutated files, \(loaded) still loaded, the rest refused with errors")
    }
}
