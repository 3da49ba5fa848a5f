import Foundation
import Testing
@testable import DLXEngine

/// The safetensors format: the reference file safetensors 0.8 wrote, dlx's own files (the library's bytes),
/// and headers that lie, which are errors and never crashes or large allocations.
@Suite struct SafeTensorsTests {
    static let fixture = repositoryRoot + "/Tests/Fixtures/serialization/mlp.safetensors"

    /// The lesson MLP's state dict as the library wrote it: names, dtypes, shapes, sums and first values
    /// as expected.json (made by PyTorch) records them.
    @Test func readsTheReferenceFileAsExpectedJSONDescribesIt() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Tests/Fixtures/serialization/expected.json"))
        let expected = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let tensors = expected["mlp.safetensors"] as! [String: [String: Any]]
        let file = try SafeTensorsFile(path: SafeTensorsTests.fixture)
        #expect(Set(file.entries.map(\.name)) == Set(tensors.keys))
        #expect(file.entries.map(\.name) == ["1.bias", "1.weight", "3.bias", "3.weight", "5.bias", "5.weight"])
        #expect(file.metadata == nil)
        for (name, info) in tensors {
            let t = try file.tensor(name, on: backend)
            #expect(t.dtype == .float32)
            #expect(t.shape == info["shape"] as! [Int])
            let values = try t.doubles()
            let sum = values.reduce(0, +)
            #expect(abs(sum - (info["sum"] as! Double)) < 1e-6 * max(1, abs(sum)), "\(name)")
            // Compared as float32 (Foundation's JSON reading rounds the last digits of a double).
            #expect(values.prefix(5).map(Float.init) == (info["first"] as! [Double]).map(Float.init), "\(name)")
        }
    }

    /// What dlx writes for the same tensors is the library's file, byte for byte.
    @Test func savingTheReferenceTensorsAgainGivesTheSameBytes() throws {
        let file = try SafeTensorsFile(path: SafeTensorsTests.fixture)
        let tensors = try file.entries.reversed().map { ($0.name, try file.tensor($0, on: backend)) }
        let path = scratchFile(".safetensors")
        try SafeTensors.write(tensors, metadata: nil, to: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(contentsOf: URL(fileURLWithPath: SafeTensorsTests.fixture)))
    }

    /// Every dtype, empty and 0-d tensors, metadata: in the library's order (widest dtype first, then by name),
    /// and back unchanged.
    @Test func everyDTypeRoundTripsInTheLibrarysOrder() throws {
        let tensors: [(String, Tensor)] = [
            ("z", try Tensor.from([Int64](repeating: 0, count: 3), shape: [3], dtype: .uint8, on: backend)),
            ("a", try Tensor.from([1.5, 2.5], shape: [2], dtype: .float64, on: backend)),
            ("b", try Tensor.from([Int64]([1, 0]), shape: [2], dtype: .bool, on: backend)),
            ("c", try Tensor.from([Int64]([0, 1, 2]), shape: [3], dtype: .int32, on: backend)),
            ("d", try Tensor.from([Int64]([0, -1, 1 << 40]), shape: [3], dtype: .int64, on: backend)),
            ("e", try tensor([1, 2, 3, 4], [2, 2])),
            ("s", try tensor([3], [])),
            ("empty", try tensor([], [0, 3])),
        ]
        let bytes = try SafeTensors.serialize(tensors, metadata: [("format", "pt")])
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        var header = String(decoding: bytes[8..<8 + headerLength], as: UTF8.self)
        while header.hasSuffix(" ") { header.removeLast() }
        #expect(header == #"{"__metadata__":{"format":"pt"},"d":{"dtype":"I64","shape":[3],"data_offsets":[0,24]},"#
            + #""a":{"dtype":"F64","shape":[2],"data_offsets":[24,40]},"e":{"dtype":"F32","shape":[2,2],"data_offsets":[40,56]},"#
            + #""empty":{"dtype":"F32","shape":[0,3],"data_offsets":[56,56]},"s":{"dtype":"F32","shape":[],"data_offsets":[56,60]},"#
            + #""c":{"dtype":"I32","shape":[3],"data_offsets":[60,72]},"z":{"dtype":"U8","shape":[3],"data_offsets":[72,75]},"#
            + #""b":{"dtype":"BOOL","shape":[2],"data_offsets":[75,77]}}"#)
        #expect(headerLength % 8 == 0)
        let back = try SafeTensorsFile(bytes: bytes)
        #expect(back.metadata?.map { $0.0 + "=" + $0.1 } == ["format=pt"])
        for (name, t) in tensors {
            let r = try back.tensor(name, on: backend)
            #expect(r.dtype == t.dtype && r.shape == t.shape)
            #expect(try r.doubles() == t.doubles(), "\(name)")
        }
    }

    /// As the library: tensors on one storage are refused (they would come back apart), and so are views
    /// that are not contiguous; a contiguous view alone is saved as its own elements.
    @Test func sharedStorageAndNonContiguousTensorsAreRefused() throws {
        let a = try tensor([1, 2, 3, 4], [4])
        #expect {
            try SafeTensors.serialize([("a", a), ("b", a.view(shape: [2], strides: [1], offset: 0))], metadata: nil)
        } throws: { error in
            let e = error as! SafeTensors.Failure
            return e.type == "RuntimeError" && e.message.contains("Some tensors share memory") && e.message.contains("[{'a', 'b'}]")
        }
        let m = try tensor([1, 2, 3, 4, 5, 6], [2, 3])
        #expect {
            try SafeTensors.serialize([("t", m.view(shape: [3, 2], strides: [1, 3], offset: 0))], metadata: nil)
        } throws: { error in
            let e = error as! SafeTensors.Failure
            return e.type == "ValueError" && e.message.hasPrefix("You are trying to save a non contiguous tensor: `t`")
        }
        let tail = a.view(shape: [3], strides: [1], offset: 1)
        let r = try SafeTensorsFile(bytes: try SafeTensors.serialize([("t", tail)], metadata: nil)).tensor("t", on: backend)
        #expect(try r.doubles() == [2, 3, 4])
    }

    /// A header in JSON text with the given data bytes after it.
    static func file(_ header: String, _ data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
        let h = Array(header.utf8)
        return withUnsafeBytes(of: (length ?? UInt64(h.count)).littleEndian) { Array($0) } + h + data
    }

    static func problem(_ bytes: [UInt8]) -> String? {
        do { _ = try SafeTensorsFile(bytes: bytes); return nil } catch { return error.message }
    }

    /// Files that lie: each refused with the library's message (checked against safetensors 0.8).
    @Test func lyingHeadersAreTheLibrarysErrors() {
        let f32 = { (shape: String, offsets: String) in #"{"a":{"dtype":"F32","shape":"# + shape + #","data_offsets":"# + offsets + "}}" }
        let cases: [([UInt8], String)] = [
            ([], "header too small"),
            ([1, 2], "header too small"),
            (SafeTensorsTests.file("{}", length: 200_000_000), "header too large"),
            (SafeTensorsTests.file("{}", length: 100), "invalid header length"),
            (SafeTensorsTests.file(f32("[2]", "[0,8]"), [0, 0, 0, 0]), "incomplete metadata, file not fully covered"),
            (SafeTensorsTests.file(f32("[3]", "[0,8]"), [UInt8](repeating: 0, count: 8)), "invalid shape, data type, or offset for tensor"),
            (SafeTensorsTests.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                                   [UInt8](repeating: 0, count: 12)), "invalid offset for tensor `b`"),
            (SafeTensorsTests.file(f32("[1]", "[4,0]"), [0, 0, 0, 0]), "invalid offset for tensor `a`"),
            (SafeTensorsTests.file(f32("[1]", "[4,8]"), [UInt8](repeating: 0, count: 8)), "invalid offset for tensor `a`"),
            (SafeTensorsTests.file(f32("[1]", "[0,4]"), [UInt8](repeating: 0, count: 8)), "incomplete metadata, file not fully covered"),
            (SafeTensorsTests.file(f32("[4611686018427387904,4611686018427387904]", "[0,4]"), [0, 0, 0, 0]),
             "overflow computing buffer size from shape and/or element type"),
            (SafeTensorsTests.file(f32("[-1]", "[0,4]"), [0, 0, 0, 0]), "invalid JSON in header: invalid value: integer `-1`, expected usize"),
            (SafeTensorsTests.file(f32("[1]", "[0.0,4]"), [0, 0, 0, 0]), "invalid JSON in header: invalid type: floating point `0.0`, expected usize"),
            (SafeTensorsTests.file(#"{"a":{"dtype":"F32","shape":[1]}}"#, [0, 0, 0, 0]), "invalid JSON in header: missing field `data_offsets`"),
            (SafeTensorsTests.file(#"{"a":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]), "invalid JSON in header: unknown variant `F33`"),
            (SafeTensorsTests.file("{not json}"), "invalid JSON in header: key must be a string at line 1 column 2"),
            (SafeTensorsTests.file(""), "invalid JSON in header: EOF while parsing a value at line 1 column 0"),
            (SafeTensorsTests.file(#"{"__metadata__":{"a":1}}"#), "invalid JSON in header: invalid type: integer `1`, expected a string"),
            (SafeTensorsTests.file(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)),
             "invalid JSON in header: recursion limit exceeded"),
            (SafeTensorsTests.file("{\"\u{FF}\":1}").enumerated().map { $0.offset == 10 ? 0xFF : $0.element }, "invalid UTF-8 in header"),
        ]
        for (bytes, message) in cases {
            let got = SafeTensorsTests.problem(bytes)
            #expect(got?.hasPrefix("Error while deserializing: " + message) == true, "\(message): got \(got ?? "no error")")
        }
        // What the library accepts: unknown fields, leading spaces, a repeated key (the last wins).
        #expect(SafeTensorsTests.problem(SafeTensorsTests.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":[{}]}}"#, [0, 0, 0, 0])) == nil)
        #expect(SafeTensorsTests.problem(SafeTensorsTests.file("  {}")) == nil)
    }

    /// Dtypes of the format that dlx does not have are an error naming them, when the tensor is read.
    @Test func aDTypeDlxLacksIsAClearError() throws {
        let file = try SafeTensorsFile(bytes: SafeTensorsTests.file(#"{"a":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}"#, [0, 0x3C]))
        #expect { _ = try file.tensor("a", on: backend) } throws: { error in
            (error as! SafeTensors.Failure).message.contains("dtype F16, which dlx does not have")
        }
        #expect { _ = try file.tensor("b", on: backend) } throws: { error in
            (error as! SafeTensors.Failure).message == "File does not contain tensor b"
        }
    }

    /// Mutated copies of a real file (bytes flipped, cut short, lengths rewritten): each one reads or is an
    /// error, and whatever reads holds tensors within the file.
    @Test func mutatedFilesReadOrFailCleanly() throws {
        let tensors: [(String, Tensor)] = [
            ("w", try tensor((0..<24).map(Float.init), [2, 3, 4])), ("b", try tensor([1, 2], [2])),
            ("i", try Tensor.from([Int64]([1, 2, 3]), shape: [3], dtype: .int64, on: backend)),
            ("m", try Tensor.from([Int64]([1, 0, 1]), shape: [3], dtype: .bool, on: backend)),
        ]
        let original = try SafeTensors.serialize(tensors, metadata: [("format", "pt"), ("note", "a\"b")])
        var g = Generator(seed: 18)
        var read = 0, refused = 0
        let start = Date()
        for round in 0..<20000 {
            var bytes = original
            switch round % 5 {
            case 0:   // a few random bytes changed
                for _ in 0..<(1 + Int(g.random64() % 4)) { bytes[Int(g.random64() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: g.random64()) }
            case 1:   // cut short
                bytes = Array(bytes.prefix(Int(g.random64() % UInt64(bytes.count))))
            case 2:   // the length field rewritten
                let n = g.random64() % 3 == 0 ? g.random64() : g.random64() % 400
                bytes.replaceSubrange(0..<8, with: withUnsafeBytes(of: n.littleEndian) { Array($0) })
            case 3:   // a digit of the header changed (offsets and shapes)
                let digits = bytes.indices.filter { $0 >= 8 && $0 < 8 + 300 && (48...57).contains(bytes[$0]) }
                bytes[digits[Int(g.random64() % UInt64(digits.count))]] = 48 + UInt8(g.random64() % 10)
            default:  // a header byte changed into JSON punctuation
                let punctuation = Array("{}[]\",:-.e ".utf8)
                bytes[8 + Int(g.random64() % 200)] = punctuation[Int(g.random64() % UInt64(punctuation.count))]
            }
            do {
                let file = try SafeTensorsFile(bytes: bytes)
                for e in file.entries {
                    do {
                        let t = try file.tensor(e, on: backend)
                        #expect(t.count * t.dtype.itemSize <= bytes.count)
                    } catch {
                        #expect(error.type == "TypeError")   // a dtype dlx lacks
                    }
                }
                read += 1
            } catch {
                #expect(error.type == "SafetensorError")
                refused += 1
            }
        }
        #expect(read > 0 && refused > 0)
        #expect(Date().timeIntervalSince(start) < 30)
    }
}
