import Testing
@testable import DLXInterpreter

@Suite struct CompletionTests {
    let h = Harness()

    @Test func namesKeywordsAndBuiltins() throws {
        try h.run("train_loader = 1\ntrain_set = 2")
        #expect(h.interpreter.completions(for: "train_", line: "") == ["train_loader", "train_set"])
        #expect(h.interpreter.completions(for: "pri", line: "").contains("print"))
        #expect(h.interpreter.completions(for: "whi", line: "") == ["while"])
    }

    @Test func attributesOfTheValueBeforeTheDot() throws {
        try h.run("x = torch.zeros(2)\nmodel = seq(linear(4, 2))")
        #expect(h.interpreter.completions(for: "x.uns", line: "") == ["x.unsqueeze"])
        #expect(h.interpreter.completions(for: "torch.ara", line: "") == ["torch.arange"])
        #expect(h.interpreter.completions(for: "nn.Lin", line: "") == ["nn.Linear"])
        #expect(h.interpreter.completions(for: "model.param", line: "") == ["model.parameters"])
        #expect(h.interpreter.completions(for: "transforms.ToT", line: "") == ["transforms.ToTensor"])
    }

    @Test func datasetsAfterLoadAndNothingThatNeedsACall() throws {
        #expect(h.interpreter.completions(for: "mn", line: "x = load ") == ["mnist", "mnist.test"])
        #expect(h.interpreter.completions(for: "f()", line: "").isEmpty)
        #expect(h.interpreter.completions(for: "undefined.x", line: "").isEmpty)
    }

    /// Inside a string, Tab completes file names relative to the working directory.
    @Test func fileNamesInsideAString() throws {
        let h = Harness()
        #expect(Interpreter.insideString("load csv(\"da"))
        #expect(!Interpreter.insideString("x = 'a' + b"))
        #expect(!Interpreter.insideString("x = 1  # it's"))
        let names = h.interpreter.completions(for: "/usr/sha", line: "show(x, \"")
        #expect(names == ["/usr/share/"])
        #expect(h.interpreter.completions(for: "/etc/host", line: "load csv('").contains("/etc/hostname"))
    }

    /// Only what can be typed follows a dot: a Sequential's children are `model[0]`, never `model.0`.
    @Test func onlyIdentifiersAfterADot() throws {
        try h.run("model = seq(flatten(), linear(784, 10))")
        let all = h.interpreter.completions(for: "model.", line: "")
        #expect(all.contains("model.train") && all.contains("model.append"))
        #expect(!all.contains { !Interpreter.isIdentifier(String($0.dropFirst("model.".count))) }, "\(all)")
        #expect(!all.contains("model.0") && !all.contains("model.1"))
        #expect(!all.contains { $0.hasPrefix("model._") })
        #expect(h.interpreter.completions(for: "model._", line: "").allSatisfy { $0.hasPrefix("model._") })
    }

    /// Bare names as IPython lists them: keywords, built-ins, globals; `_private` names only after `_`.
    @Test func bareNamesAsIPythonListsThem() throws {
        try h.run("_hidden = 1\nlambda_rate = 2\nx = 3")
        #expect(h.interpreter.completions(for: "lam", line: "") == ["lambda", "lambda_rate"])
        #expect(h.interpreter.completions(for: "ra", line: "").contains("raise"))
        #expect(h.interpreter.completions(for: "ra", line: "").contains("range"))
        #expect(h.interpreter.completions(for: "Non", line: "") == ["None"])
        #expect(!h.interpreter.completions(for: "", line: "").contains { $0.hasPrefix("_") })
        #expect(h.interpreter.completions(for: "_hid", line: "") == ["_hidden"])
    }

    /// Inside a call, Tab completes the callee's keyword arguments, from the same signature help shows.
    @Test func keywordArgumentsInsideACall() throws {
        #expect(h.interpreter.completions(for: "kern", line: "nn.Conv2d(1, 25, ") == ["kernel_size="])
        #expect(h.interpreter.completions(for: "s", line: "conv = nn.Conv2d(1, 25, 3, ").prefix(1) == ["stride="])
        #expect(!h.interpreter.completions(for: "s", line: "nn.Conv2d(1, 25, 3, stride=2, ").contains("stride="))
        #expect(h.interpreter.completions(for: "batch", line: "DataLoader(train_set, ").first == "batch_size=")
        #expect(h.interpreter.completions(for: "shuf", line: "DataLoader(f(a, b), batch_size=64, ").first == "shuffle=")
        try h.run("x = torch.zeros(2)\nmodel = seq(linear(2, 2))\ndef train(model, epochs=5, *, lr=0.1):\n    pass")
        #expect(h.interpreter.completions(for: "ep", line: "train(model, ") == ["epochs="])
        #expect(h.interpreter.completions(for: "l", line: "train(model, ").first == "lr=")
        #expect(h.interpreter.completions(for: "keep", line: "x.sum(0, ") == ["keepdim="])
        #expect(h.interpreter.completions(for: "mo", line: "model.train(") == ["mode=", "model"])
        try h.run("class Net(nn.Module):\n    def __init__(self, hidden=32):\n        super().__init__()")
        #expect(h.interpreter.completions(for: "hid", line: "Net(") == ["hidden="])
        // Not a call: an index, a tuple, a definition.
        #expect(h.interpreter.completions(for: "kern", line: "x[") == [])
        #expect(h.interpreter.completions(for: "kern", line: "(") == [])
        #expect(h.interpreter.completions(for: "ep", line: "def train(model, ") == [])
    }

    @Test func parameterNamesFromASignature() {
        #expect(Interpreter.parameterNames(inSignature: "nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0)")
                == ["in_channels", "out_channels", "kernel_size", "stride", "padding"])
        #expect(Interpreter.parameterNames(inSignature: "range(stop) / range(start, stop, step=1)") == ["stop", "start", "step"])
        #expect(Interpreter.parameterNames(inSignature: "Tensor.new_full(size, fill_value, *, dtype=None, layout=torch.strided) -> Tensor")
                == ["size", "fill_value", "dtype", "layout"])
        #expect(Interpreter.parameterNames(inSignature: "f(a=(1, 2), *args, b: int = 3, **kwargs)") == ["a", "b"])
    }
}
