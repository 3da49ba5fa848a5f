import Foundation
import Testing

/// Models leaving dlx for other tools, checked by those tools (from PyPI, in scripts/test's virtual
/// environment): ONNX files pass `onnx.checker` and give dlx's outputs in `onnxruntime` (1e-5) for other batch
/// sizes too; safetensors files are the `safetensors` library's own bytes and read back both ways.
/// Each test says why it skips where the packages are missing.
@Suite struct ModelExchangeTests {
    /// nil when Python has `modules`, else why the test skips.
    static func missing(_ modules: String) -> String? {
        guard testPython != nil else { return "no python3" }
        guard let r = try? runPython("import \(modules)"), r.status == 0 else {
            return "Python lacks \(modules) (scripts/test installs them into .build/test-python)"
        }
        return nil
    }

    /// Runs a dlx script that exports `model` (built by `setup`) on `x`, and saves x and the model's output in
    /// eval mode as JSON; then checks the file with onnx and runs it in onnxruntime on x and on a batch of
    /// three copies of x. Returns what the checker printed.
    func exportAndCheck(_ name: String, setup: String, export: String) throws -> String? {
        if let why = Self.missing("onnx, onnxruntime, numpy") { print("skipped \(name): \(why)"); return nil }
        let dir = try scratchDirectory("onnx-" + name)
        let script = setup + "\n" + export + """

            model.eval()
            with torch.no_grad():
                y = model(x)
            import json
            json.dump({"x": x.tolist(), "y": y.tolist()}, open("io.json", "w"))
            print("exported")
            """
        try script.write(toFile: dir + "/export.py", atomically: true, encoding: .utf8)
        let r = try runDLX(["export.py"], directory: dir)
        #expect(r.status == 0 && r.stdout.hasSuffix("exported\n"), "\(r.stdout)\(r.stderr)")
        let check = try runPython("""
            import json, sys, numpy as np, onnx, onnxruntime as ort
            path, io = sys.argv[1], sys.argv[2]
            m = onnx.load(path)
            onnx.checker.check_model(m, full_check=True)
            d = json.load(open(io))
            s = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
            x = np.array(d["x"], dtype=np.float32)
            expected = np.array(d["y"], dtype=np.float32)
            name = s.get_inputs()[0].name
            y = s.run(None, {name: x})[0]
            y3 = s.run(None, {name: np.concatenate([x, x, x])})[0]
            print(m.ir_version, m.opset_import[0].version, m.producer_name, name, s.get_outputs()[0].name,
                  np.abs(y - expected).max() <= 1e-5, y3.shape[0] == 3 * x.shape[0], np.abs(y3[-len(x):] - expected).max() <= 1e-5)
            print(" ".join(n.op_type for n in m.graph.node))
            print(" ".join(i.name for i in m.graph.initializer))
            """, [dir + "/model.onnx", dir + "/io.json"])
        #expect(check.status == 0, "\(check.output)")
        return check.output
    }

    @Test func theLessonMLPExportsAndRunsInOnnxruntime() throws {
        let out = try exportAndCheck("mlp", setup: """
            torch.manual_seed(0)
            model = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))
            x = torch.rand(4, 1, 28, 28)
            """, export: """
            torch.onnx.export(model, x, "model.onnx", input_names=["input"], output_names=["output"],
                              dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=17)
            """)
        guard let out else { return }
        #expect(out == """
            10 17 dlx input output True True True
            Flatten Gemm Relu Gemm
            1.weight 1.bias 3.weight 3.bias

            """)
    }

    @Test func theLessonCNNExportsWithBatchNormInInferenceAndDropoutLeftOut() throws {
        let out = try exportAndCheck("cnn", setup: """
            torch.manual_seed(0)
            model = nn.Sequential(
                nn.Conv2d(1, 25, 3, stride=1, padding=1), nn.BatchNorm2d(25), nn.ReLU(), nn.MaxPool2d(2, stride=2),
                nn.Conv2d(25, 50, 3, stride=1, padding=1), nn.BatchNorm2d(50), nn.ReLU(), nn.Dropout(.2), nn.MaxPool2d(2, stride=2),
                nn.Conv2d(50, 75, 3, stride=1, padding=1), nn.BatchNorm2d(75), nn.ReLU(), nn.MaxPool2d(2, stride=2),
                nn.Flatten(), nn.Linear(75 * 3 * 3, 512), nn.Dropout(.3), nn.ReLU(), nn.Linear(512, 10))
            opt = torch.optim.Adam(model.parameters())
            for step in range(2):   # BatchNorm's running statistics move away from 0 and 1
                xb = torch.rand(8, 1, 28, 28); yb = torch.randint(0, 10, (8,))
                loss = F.cross_entropy(model(xb), yb); opt.zero_grad(); loss.backward(); opt.step()
            x = torch.rand(4, 1, 28, 28)
            """, export: """
            torch.onnx.export(model, x, "model.onnx", input_names=["images"], output_names=["logits"],
                              dynamic_axes={"images": {0: "batch"}, "logits": {0: "batch"}})
            assert model.training   # the export ran in eval mode and gave the training mode back
            """)
        guard let out else { return }
        let lines = out.split(separator: "\n")
        #expect(lines.first == "10 17 dlx images logits True True True")
        #expect(lines.count > 1 && lines[1] == "Conv BatchNormalization Relu MaxPool Conv BatchNormalization Relu MaxPool Conv "
                + "BatchNormalization Relu MaxPool Flatten Gemm Relu Gemm")
        #expect(lines.count > 2 && lines[2].hasPrefix("0.weight 0.bias 1.weight 1.bias 1.running_mean 1.running_var 4.weight"))
    }

    /// A user module whose forward mixes layers, functions and views: Sigmoid, Tanh, LogSoftmax, functional
    /// pooling, adaptive pooling, dropout and a Softmax layer, with dynamic axes given as a list.
    @Test func aUserModuleWithFunctionalCallsExports() throws {
        let out = try exportAndCheck("net", setup: """
            class Net(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
                    self.bn1 = nn.BatchNorm2d(8)
                    self.conv2 = nn.Conv2d(8, 16, 3)
                    self.pool = nn.AdaptiveAvgPool2d((2, 2))
                    self.drop = nn.Dropout(0.25)
                    self.fc1 = nn.Linear(16 * 2 * 2, 32)
                    self.fc2 = nn.Linear(8, 10)
                    self.soft = nn.Softmax(dim=1)

                def forward(self, x):
                    x = F.relu(self.bn1(self.conv1(x)))
                    x = F.max_pool2d(x, 2)
                    x = torch.tanh(self.conv2(x))
                    x = self.pool(x)
                    x = x.view(x.size(0), -1)
                    x = self.drop(F.relu(self.fc1(x)))
                    x = torch.sigmoid(x)
                    x = F.avg_pool2d(x.view(-1, 1, 4, 8), 2).flatten(1)
                    return F.log_softmax(self.soft(self.fc2(x)), dim=1)

            torch.manual_seed(0)
            model = Net()
            x = torch.rand(3, 1, 28, 28)
            """, export: """
            torch.onnx.export(model, (x,), "model.onnx", input_names=["x"], output_names=["y"], dynamic_axes={"x": [0], "y": [0]})
            """)
        guard let out else { return }
        #expect(out == """
            10 17 dlx x y True True True
            Conv BatchNormalization Relu MaxPool Conv Tanh AveragePool Flatten Gemm Relu Sigmoid Reshape AveragePool Flatten Gemm Softmax LogSoftmax
            conv1.weight conv1.bias bn1.weight bn1.bias bn1.running_mean bn1.running_var conv2.weight conv2.bias fc1.weight fc1.bias /Constant_output_0 fc2.weight fc2.bias

            """)
    }

    /// dlx's `save_file` writes the library's bytes for the same tensors (every dtype dlx has, metadata), and
    /// the library reads them back; the library's file reads in dlx.
    @Test func safetensorsFilesAreTheLibrarysBytesBothWays() throws {
        if let why = Self.missing("safetensors, numpy") { print("skipped safetensors interop: \(why)"); return }
        let dir = try scratchDirectory("safetensors-interop")
        let make = try runPython("""
            import numpy as np, safetensors.numpy as st
            st.save_file({"a": np.arange(6, dtype=np.float32).reshape(2, 3), "c": np.array([1, 0, 1], dtype=np.bool_),
                          "z": np.array([5, 6], dtype=np.int64)}, "\(dir)/lib.safetensors")
            """)
        #expect(make.status == 0, "\(make.output)")
        let r = try runDLX(["-c", """
            from safetensors.torch import save_file, load_file
            t = {"w": torch.arange(12.).view(3, 4) / 7, "b": torch.tensor([1.5, -2.0], dtype=torch.float64),
                 "steps": torch.tensor([3, -1, 1 << 40]), "n": torch.tensor([7, 8], dtype=torch.int32),
                 "img": torch.tensor([[0, 255]], dtype=torch.uint8), "mask": torch.tensor([True, False, True]), "s": torch.tensor(2.5)}
            save_file(t, "dlx.safetensors", metadata={"format": "pt"})
            back = load_file("lib.safetensors")
            print(list(back), [str(v.dtype) for v in back.values()], back["a"].sum().item(), back["c"].tolist())
            """], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "['z', 'a', 'c'] ['torch.int64', 'torch.float32', 'torch.bool'] 15.0 [True, False, True]\n")
        let check = try runPython("""
            import numpy as np, sys, safetensors.numpy as st
            from safetensors import safe_open
            d = st.load_file(sys.argv[1])
            t = {"w": (np.arange(12, dtype=np.float32).reshape(3, 4) / np.float32(7)).astype(np.float32),
                 "b": np.array([1.5, -2.0]), "steps": np.array([3, -1, 1 << 40]), "n": np.array([7, 8], dtype=np.int32),
                 "img": np.array([[0, 255]], dtype=np.uint8), "mask": np.array([True, False, True]), "s": np.array(2.5, dtype=np.float32)}
            same = all(d[k].dtype == v.dtype and d[k].shape == v.shape and np.array_equal(d[k], v) for k, v in t.items())
            with safe_open(sys.argv[1], framework="np") as f:
                meta = f.metadata()
            print(same, meta, st.save(t, metadata={"format": "pt"}) == open(sys.argv[1], "rb").read())
            """, [dir + "/dlx.safetensors"])
        #expect(check.output == "True {'format': 'pt'} True\n", "\(check.output)")
    }
}
