import Testing
import Foundation
@testable import DLXInterpreter
import DLXEngine

/// torch.save / torch.load through the language: PyTorch's files, whole models, hostile files, the
/// sandbox, map_location, and fit's checkpoints.
@Suite struct TorchSaveTests {
    static let fixtures = repositoryRoot + "/Tests/Fixtures/serialization/"

    func harness() throws -> Harness {
        let h = Harness()
        try h.run("import torch\nimport torch.nn as nn")
        return h
    }

    @Test func loadsPyTorchsStateDictsCheckpointsAndModels() throws {
        let h = try harness()
        let out = try h.run("""
            sd = torch.load("\(Self.fixtures)cnn_state_dict.pt")
            print(type(sd).__name__, len(sd), sd["1.num_batches_tracked"], sd._metadata["1"])
            ck = torch.load("\(Self.fixtures)checkpoint.pt", map_location="cpu")
            print(sorted(ck), ck["epoch"], ck["optimizer_state_dict"]["state"][0]["step"])
            m = torch.load("\(Self.fixtures)mlp_model.pt", weights_only=False)
            print(type(m).__name__, m[1], m[1].weight.requires_grad, type(m[1].weight).__name__)
            """)
        #expect(out == """
            OrderedDict 25 tensor(3) {'version': 2}
            ['epoch', 'loss', 'model_state_dict', 'optimizer_state_dict'] 3 tensor(3.)
            Sequential Linear(in_features=784, out_features=512, bias=True) True Parameter

            """)
    }

    @Test func aPickledModuleNeedsWeightsOnlyFalseAsInPyTorch() throws {
        let h = try harness()
        let e = h.error("torch.load(\"\(Self.fixtures)mlp_model.pt\")")
        #expect(e?.type == "UnpicklingError")
        #expect(e?.message.hasPrefix("Weights only load failed. This file can still be loaded, to do so you have two options") == true)
        #expect(e?.message.contains("WeightsUnpickler error: Unsupported global: GLOBAL torch.nn.modules.container.Sequential was not an allowed global by default.") == true)
    }

    @Test func userModulesTravelWholeByTheirClassName() throws {
        let h = try harness()
        let path = scratchFile(".pt")
        let out = try h.run("""
            class Net(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc = nn.Linear(3, 2)
                    self.scale = 2.0
                    self.register_buffer("offset", torch.ones(2))
                def forward(self, x):
                    return self.fc(x) * self.scale + self.offset
            net = Net()
            x = torch.ones(1, 3)
            before = net(x)
            torch.save(net, "\(path)")
            back = torch.load("\(path)", weights_only=False)
            print(type(back).__name__, back.scale, torch.equal(back(x), before), back is net)
            """)
        #expect(out == "Net 2.0 True False\n")
        // Without the class in the session, the file's global is refused by name.
        let fresh = try harness()
        #expect(fresh.error("torch.load(\"\(path)\", weights_only=False)")?.message.hasPrefix("Unsupported global: GLOBAL __main__.Net") == true)
    }

    @Test func hostileAndBrokenFilesAreClearErrors() throws {
        let h = try harness()
        let dir = try scratchDirectory("torch-load-bad")
        FileManager.default.createFile(atPath: dir + "/empty.pt", contents: Data())
        FileManager.default.createFile(atPath: dir + "/random.pt", contents: Data([7, 1, 2, 3]))
        // A pickle that would run os.system, in a sound archive.
        let pickle: [UInt8] = [0x80, 2] + Array("cos\nsystem\n".utf8) + [0x58, 2, 0, 0, 0, 0x6c, 0x73, 0x85, 0x52, 0x2e]
        FileManager.default.createFile(atPath: dir + "/evil.pt", contents: Data(try ZipArchives.archive(pickle)))
        #expect(h.raised("torch.load('\(dir)/empty.pt')") == "EOFError: ")
        #expect(h.raised("torch.load('\(dir)/empty.pt', weights_only=False)") == "EOFError: Ran out of input")
        #expect(h.raised("torch.load('\(dir)/random.pt', weights_only=False)") == "UnpicklingError: invalid load key, '\\x07'.")
        #expect(h.error("torch.load('\(dir)/random.pt')")?.message.hasSuffix("\n\nUnsupported operand 7\n\nCheck the documentation of torch.load to learn more about types accepted by default with weights_only https://pytorch.org/docs/stable/generated/torch.load.html.") == true)
        #expect(h.raised("torch.load('\(dir)/missing.pt')") == "FileNotFoundError: [Errno 2] No such file or directory: '\(dir)/missing.pt'")
        let evil = h.error("torch.load('\(dir)/evil.pt')")
        #expect(evil?.type == "UnpicklingError")
        #expect(evil?.message.contains("Trying to load unsupported GLOBAL os.system whose module os is blocked.") == true)
        #expect(h.error("torch.load('\(dir)/evil.pt', weights_only=False)")?.message.hasPrefix("Unsupported global: GLOBAL os.system") == true)
        #expect(h.raised("torch.save(lambda x: x, '\(dir)/f.pt')") == "TypeError: cannot pickle 'function' object")
    }

    @Test func aWholeModelIsPickledAsPyTorchPicklesIt() throws {
        let h = try harness()
        let path = scratchFile(".pt")
        try h.run("torch.save(torch.load('\(Self.fixtures)mlp_model.pt', weights_only=False), '\(path)')")
        func pickle(_ file: String) throws -> [UInt8] {
            let r = try ZipReader(FileSource(path: file))
            return try r.bytes(r.entries.first { $0.name.hasSuffix("/data.pkl") }!.name)
        }
        #expect(try pickle(path) == (try pickle(Self.fixtures + "mlp_model.pt")))
    }

    @Test func deepValuesAreRecursionErrorsNotCrashes() throws {
        let h = try harness()
        let path = scratchFile(".pt")
        let deep = scratchFile(".pt")
        let nested = [0x80, 2] + [UInt8](repeating: 0x5d, count: 100_000) + [UInt8](repeating: 0x61, count: 99_999) + [0x2e]
        FileManager.default.createFile(atPath: deep, contents: Data(try ZipArchives.archive(nested)))
        #expect(h.error("torch.load('\(deep)')")?.type == "RecursionError")
        #expect(h.error("""
            x = []
            for _ in range(5000):
                x = [x]
            torch.save(x, "\(path)")
            """)?.type == "RecursionError")
    }

    @Test func theSandboxRulesReadsAndWrites() throws {
        let h = try harness()
        let inside = try scratchDirectory("torch-sandbox"), outside = try scratchDirectory("torch-sandbox-out")
        h.session.limits.sandbox = Sandbox(root: inside, readable: [])
        #expect(h.error("torch.save({'a': 1}, '\(outside)/x.pt')")?.type == "PermissionError")
        #expect(h.error("torch.load('\(Self.fixtures)tensors.pt')")?.type == "PermissionError")
        try h.run("torch.save({'a': torch.ones(2)}, '\(inside)/x.pt')\nprint(torch.load('\(inside)/x.pt'))")
        #expect(h.output == "{'a': tensor([1., 1.])}\n")
    }

    @Test func mapLocationMovesStoragesOfAGPUFile() throws {
        let h = try harness()
        h.session.emulateCUDA = true
        let path = scratchFile(".pt")
        let out = try h.run("""
            torch.save(nn.Linear(2, 3).to("cuda").state_dict(), "\(path)")
            print(torch.load("\(path)")["weight"].device, torch.load("\(path)", map_location="cpu")["weight"].device,
                  torch.load("\(path)", map_location={"cuda:0": "cpu"})["bias"].device)
            """)
        #expect(out == "cuda:0 cpu cpu\n")
        let cpuOnly = try harness()
        #expect(cpuOnly.error("torch.load('\(path)')")?.message.hasPrefix("Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False.") == true)
    }

    @Test func fitKeepsTheBestEpochAndResumesFromIt() throws {
        let h = try harness()
        let dir = try scratchDirectory("fit-checkpoint")
        try h.run("""
            from torch.utils.data import TensorDataset, DataLoader
            torch.manual_seed(0)
            x = torch.randn(64, 4); y = (x[:, 0] > 0).long()
            train = DataLoader(TensorDataset(x, y), batch_size=16)
            valid = DataLoader(TensorDataset(x[:32], y[:32]), batch_size=16)
            def make():
                torch.manual_seed(1)
                model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
                opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
                return model, opt
            model, opt = make()
            h = fit(model, train, valid, epochs=4, optimizer=opt, checkpoint="\(dir)/best.pt")
            """)
        let out = try h.run("""
            ck = torch.load("\(dir)/best.pt")
            print(sorted(ck), ck["epoch"] == h.best_epoch, ck["history"]["epoch"] == list(range(1, h.best_epoch + 1)))
            print(ck["valid_acc"] == max(h.valid_acc[:h.best_epoch]), "kept epoch" in repr(h))
            model2, opt2 = make()
            h2 = fit(model2, train, valid, epochs=4, optimizer=opt2, resume="\(dir)/best.pt")
            print(h2.epochs == [1, 2, 3, 4], h2.train_loss[h.best_epoch:] == h.train_loss[h.best_epoch:] or h.best_epoch == 4)
            """)
        #expect(out.hasPrefix("['epoch', 'history', 'model_state_dict', 'optimizer_state_dict', 'valid_acc'] True True\nTrue True\nresumed from epoch"))
        #expect(out.hasSuffix("True True\n"))
    }
}

/// Small archives for tests.
enum ZipArchives {
    static func archive(_ pickle: [UInt8]) throws -> [UInt8] {
        var z = ZipWriter()
        try z.add("a/data.pkl", bytes: pickle)
        z.finish()
        return z.bytes
    }
}
