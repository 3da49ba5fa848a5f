import Testing
import Foundation

/// Files dlx writes with torch.save, read back by an independent reader: describe_pt.py (next to the
/// fixtures), which reads torch.save's zip format with a restricted unpickler and no PyTorch, must find
/// in them what PyTorch's own files hold (expected.json).
@Suite struct TorchFileTests {
    static let fixtures = repositoryRoot + "/Tests/Fixtures/serialization/"

    func describe(_ path: String, views: Bool = false) throws -> Any? {
        let r = try runPython("import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')",
                              [Self.fixtures + "describe_pt.py", path] + (views ? ["--views"] : []))
        #expect(r.status == 0, "\(r.output)")
        return try JSONSerialization.jsonObject(with: Data(r.output.utf8))
    }

    @Test func pythonReadsWhatDLXWroteAsPyTorchWroteIt() throws {
        guard testPython != nil else { print("skipped: no python3 to read dlx's files with"); return }
        let dir = try scratchDirectory("torch-files")
        let r = try runDLX(["-c", """
            import torch
            f = "\(Self.fixtures)"
            torch.save(torch.load(f + "cnn_state_dict.pt"), "\(dir)/cnn.pt")
            torch.save(torch.load(f + "checkpoint.pt"), "\(dir)/checkpoint.pt")
            torch.save(torch.load(f + "tensors.pt"), "\(dir)/tensors.pt")
            torch.save(torch.load(f + "mlp_model.pt", weights_only=False), "\(dir)/mlp_model.pt")
            """])
        #expect(r.status == 0, "\(r.stderr)")
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "expected.json"))) as! [String: Any]
        #expect((try describe(dir + "/cnn.pt") as? NSDictionary) == (expected["cnn_state_dict.pt"] as! NSDictionary))
        // (expected.json's sums are PyTorch's pairwise sums; the reader's own are sequential: compare reader to reader.)
        #expect((try describe(dir + "/checkpoint.pt") as? NSDictionary) == (try describe(Self.fixtures + "checkpoint.pt") as? NSDictionary))
        // Every dtype, and views keep their strides and offsets in the one storage they share.
        let tensors = try describe(dir + "/tensors.pt", views: true) as! [String: Any]
        let e = expected["tensors.pt"] as! [String: Any]
        let strides = e["strides"] as! [String: Any], offsets = e["storage_offset"] as! [String: Any]
        for (key, value) in e where !["note", "strides", "storage_offset"].contains(key) {
            var want = value as! [String: Any]
            want["stride"] = strides[key]; want["storage_offset"] = offsets[key]
            #expect((tensors[key] as? NSDictionary) == (want as NSDictionary), "\(key)")
        }
        // A whole model: the module classes PyTorch names, and its weights.
        let model = try describe(dir + "/mlp_model.pt") as! [String: Any]
        #expect(model["module"] as? String == "Sequential")
        let layers = model["_modules"] as! [String: Any]
        #expect((layers["1"] as! [String: Any])["module"] as? String == "Linear")
        let sd = (expected["mlp_model.pt"] as! [String: Any])["state_dict"] as! [String: Any]
        let weight = ((layers["1"] as! [String: Any])["_parameters"] as! [String: Any])["weight"] as? NSDictionary
        #expect(weight == (sd["1.weight"] as! NSDictionary))
    }
}
