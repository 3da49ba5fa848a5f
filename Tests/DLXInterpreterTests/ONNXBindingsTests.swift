import Foundation
import Testing
@testable import DLXInterpreter

/// `torch.onnx.export` in the language: the export leaves the model as it was, and what dlx cannot export is
/// an error that names it. (The files themselves are checked by onnx and onnxruntime in ModelExchangeTests.)
@Suite struct ONNXBindingsTests {
    let h = Harness()

    @Test func exportingKeepsTheModelsModeAndWritesAFile() throws {
        let dir = try scratchDirectory("onnx-bindings")
        let out = try h.run("""
            import torch.nn as nn
            m = nn.Sequential(nn.Linear(4, 3), nn.Dropout(0.5), nn.ReLU())
            x = torch.rand(2, 4)
            print(torch.onnx.export(m, x, '\(dir)/m.onnx'), m.training, m[1].training)
            _ = m.eval()
            torch.onnx.export(m, (x,), '\(dir)/m.onnx', input_names=['x'], output_names=['y'], dynamic_axes={'x': [0]}, opset_version=17,
                              dynamo=False, verbose=False)
            print(m.training)
            """)
        #expect(out == "None True True\nFalse\n")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/m.onnx"))
        #expect(bytes.prefix(2) == Data([0x08, 10]))   // ir_version 10 first
    }

    @Test func whatDlxCannotExportIsNamed() throws {
        let dir = try scratchDirectory("onnx-errors")
        let net = { (body: String) in """
            import torch.nn as nn
            class Net(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc = nn.Linear(4, 2)
                def forward(self, x):
                    return \(body)
            torch.onnx.export(Net(), torch.rand(2, 4), '\(dir)/n.onnx')
            """ }
        let supported = "(dlx exports Linear, Conv2d, BatchNorm2d, ReLU, Sigmoid, Tanh, Softmax, LogSoftmax, MaxPool2d, AvgPool2d, "
            + "AdaptiveAvgPool2d, Flatten, Dropout, view and reshape)"
        h.expectErrors([
            (net("self.fc(x).exp()"), "RuntimeError", "torch.onnx.export: dlx cannot export Tensor.exp " + supported),
            (net("self.fc(x) * 2"), "RuntimeError",
             "torch.onnx.export: dlx cannot follow the forward from its input to its output: a tensor of shape torch.Size([2, 2]) (made by "
             + "MulBackward0) comes from an operation dlx does not export (dlx exports layers and functions applied one after another to the input)"),
            (net("(self.fc(x), x)"), "NotImplementedError", "dlx exports models whose forward returns one tensor (this one returned tuple)"),
            ("torch.onnx.export(3, torch.rand(2), '\(dir)/n.onnx')", "TypeError", "torch.onnx.export() expects an nn.Module, not int"),
            ("torch.onnx.export(torch.nn.Linear(2, 2), torch.rand(2), '\(dir)/n.onnx', opset_version=9)", "ValueError",
             "dlx exports ONNX opset versions 13 to 21, not 9"),
            ("torch.onnx.export(torch.nn.Linear(2, 2), torch.rand(2), '\(dir)/none/n.onnx')", "FileNotFoundError",
             "[Errno 2] No such file or directory: '\(dir)/none/n.onnx'"),
        ])
        #expect(!FileManager.default.fileExists(atPath: dir + "/n.onnx"))
    }
}
