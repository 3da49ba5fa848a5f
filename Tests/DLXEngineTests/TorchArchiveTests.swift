import Testing
import Foundation
@testable import DLXEngine

/// torch.save's archive: dlx reads what PyTorch 2.15 wrote and writes it again byte for byte.
@Suite struct TorchArchiveTests {
    typealias F = SerializationFixtures

    @Test func readsEveryDtypeWithViewsSharingTheirStorage() throws {
        let (root, arena, _) = try F.load(try F.bytes("tensors.pt"))
        let expected = F.expected["tensors.pt"] as! [String: Any]
        let strides = expected["strides"] as! [String: [Int]], offsets = expected["storage_offset"] as! [String: Int]
        var loaded: [String: Tensor] = [:]
        for (key, e) in expected where key != "note" && key != "strides" && key != "storage_offset" {
            guard case .tensor(let t)? = F.value(root, key) else { Issue.record("no tensor \(key)"); continue }
            let e = e as! [String: Any]
            #expect(t.dtype.repr == e["dtype"] as! String, "\(key)")
            #expect(t.shape == e["shape"] as! [Int], "\(key)")
            #expect(t.strides == strides[key], "\(key)")
            #expect(t.offset == offsets[key], "\(key)")
            #expect(try t.doubles().reduce(0, +) == e["sum"] as! Double, "\(key)")
            #expect(try t.doubles().prefix(5).map { $0 } == (e["first"] as! [NSNumber]).map { $0.doubleValue }, "\(key)")
            loaded[key] = t
        }
        for view in ["row", "transposed", "strided"] { #expect(loaded[view]!.storage === loaded["base"]!.storage) }
        withExtendedLifetime(arena) {}
    }

    @Test func writesTheArchivePyTorchWroteByteForByte() throws {
        for name in ["tensors.pt", "cnn_state_dict.pt", "checkpoint.pt", "mlp_model.pt"] {
            let original = try F.bytes(name)
            let (root, arena, _) = try F.load(original, weightsOnly: name != "mlp_model.pt")
            if name == "mlp_model.pt" { continue }   // modules: see the interpreter's tests
            let w = TorchArchiveWriter()
            let out = try F.out(root, w)
            let id = String(decoding: try F.record(original, ".data/serialization_id"), as: UTF8.self)
            let archive = try w.archive(out, name: TorchArchive.archiveName(forPath: name), serialization: id)
            #expect(PickleWriter.pickle(out) == (try F.record(original, "data.pkl")), "\(name)")
            #expect(archive.bytes == original, "\(name)")
            withExtendedLifetime(arena) {}
        }
    }

    @Test func savesToAFileAtomicallyAndReadsItBack() throws {
        let path = try scratchDirectory("archive-save") + "/weights.pth"
        let base = try tensor((0..<12).map(Float.init), [3, 4])
        let w = TorchArchiveWriter()
        let row = base.view(shape: [4], strides: [1], offset: 4)
        try w.save(.dict([(.string("base"), try w.tensor(base)), (.string("row"), try w.tensor(row)),
                          (.string("n"), .int(-70000)), (.string("big"), .int(1 << 40)), (.string("x"), .float(0.1))]), to: path)
        let reader = try ZipReader(FileSource(path: path))
        #expect(reader.entries.map(\.name) == ["weights/data.pkl", "weights/.format_version", "weights/.storage_alignment",
                                               "weights/byteorder", "weights/data/0", "weights/version", "weights/.data/serialization_id"])
        let (root, arena) = try TorchLoader(reader: reader, weightsOnly: true, host: backend).load()
        guard case .tensor(let b)? = F.value(root, "base"), case .tensor(let r)? = F.value(root, "row") else { Issue.record("tensors"); return }
        #expect(b.storage === r.storage && r.offset == 4)
        #expect(try r.doubles() == [4, 5, 6, 7])
        if case .int(let n)? = F.value(root, "n") { #expect(n == -70000) } else { Issue.record("n") }
        if case .int(let n)? = F.value(root, "big") { #expect(n == 1 << 40) } else { Issue.record("big") }
        if case .float(let x)? = F.value(root, "x") { #expect(x == 0.1) } else { Issue.record("x") }
        withExtendedLifetime(arena) {}
    }

    @Test func theArchiveNameIsTheFilesNameWithoutFolderAndExtension() {
        #expect(TorchArchive.archiveName(forPath: "runs/best.pt") == "best")
        #expect(TorchArchive.archiveName(forPath: "model") == "model")
        #expect(TorchArchive.archiveName(forPath: "a.b.pth") == "a.b")
        #expect(TorchArchive.archiveName(forPath: "dir/.pt") == "archive")
    }

    @Test func storagesAreAlignedTo64BytesAsPyTorchAlignsThem() throws {
        let w = TorchArchiveWriter()
        let archive = try w.archive(.list([try w.tensor(try tensor([1, 2, 3], [3])), try w.tensor(try longs([7], [1]))]), name: "x")
        let bytes = archive.bytes
        let reader = try ZipReader(MemorySource(bytes))
        for e in reader.entries { #expect(try reader.dataOffset(e) % 64 == 0, "\(e.name)") }
        #expect(String(decoding: try F.record(bytes, ".storage_alignment"), as: UTF8.self) == "64")
        #expect(String(decoding: try F.record(bytes, "version"), as: UTF8.self) == "3\n")
    }

    @Test func viewsOfOneStorageAsTwoDtypesAreRefusedAsPyTorchRefusesThem() throws {
        let w = TorchArchiveWriter()
        let f = try tensor([1, 2], [2])
        _ = try w.tensor(f)
        let asInt = Tensor(storage: f.storage, shape: [2], strides: [1], offset: 0, dtype: .int32)
        #expect(throws: TensorError.runtime("Cannot save multiple tensors or storages that view the same data as different types")) {
            _ = try w.tensor(asInt)
        }
    }
}
