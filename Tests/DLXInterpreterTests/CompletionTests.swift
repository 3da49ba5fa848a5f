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
        #expect(h.interpreter.completions(for: "transforms.To", line: "") == ["transforms.ToTensor"])
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
}
