import Testing
@testable import DLXInterpreter

/// "Did you mean", as Python 3.12 adds it to errors that reach the top: close names, attributes, `self.x`.
@Suite struct SuggestionTests {
    let h = Harness()

    @Test func aMisspeltNameSuggestsTheClosestDefinedOne() throws {
        try h.run("model = 1")
        #expect(h.raised("modle") == "NameError: name 'modle' is not defined. Did you mean: 'model'?")
        #expect(h.raised("prnt(1)") == "NameError: name 'prnt' is not defined. Did you mean: 'print'?")
        #expect(h.raised("zzzzzz") == "NameError: name 'zzzzzz' is not defined")
    }

    @Test func aMisspeltAttributeSuggestsFromDir() throws {
        #expect(h.raised("torch.zeros(2).sizee") == "AttributeError: 'Tensor' object has no attribute 'sizee'. Did you mean: 'size'?")
        #expect(h.raised("torch.tensr") == "AttributeError: module 'torch' has no attribute 'tensr'. Did you mean: 'tensor'?")
        #expect(h.raised("nn.Linear(2, 3).wieght") == "AttributeError: 'Linear' object has no attribute 'wieght'. Did you mean: 'weight'?")
    }

    @Test func aMisspeltModuleSuggestsOneDlxProvides() {
        #expect(h.raised("import troch") == "ModuleNotFoundError: No module named 'troch'. Did you mean: 'torch'?")
        #expect(h.raised("import torchvison") == "ModuleNotFoundError: No module named 'torchvison'. Did you mean: 'torchvision'?")
    }

    /// The libraries dlx does not have name what it offers instead.
    @Test func missingLibrariesPointToWhatDlxOffers() {
        #expect(h.raised("import pandas as pd") == "ModuleNotFoundError: No module named 'pandas' (dlx reads tables without pandas: load csv(\"file.csv\"))")
    }

    @Test func anInstanceAttributeUsedAsANameSuggestsSelf() throws {
        try h.run("""
            class A:
                def __init__(self):
                    self.value = 3
                def f(self):
                    return value
            """)
        #expect(h.raised("A().f()") == "NameError: name 'value' is not defined. Did you mean: 'self.value'?")
    }

    /// Inside the program the message is Python's own: `str(e)` has no suggestion, and hasattr stays cheap.
    @Test func caughtErrorsKeepThePlainMessage() throws {
        let out = try h.run("""
            model = 1
            try:
                modle
            except NameError as e:
                print(e)
            print(hasattr(torch.zeros(1), "sizee"))
            """)
        #expect(out == "name 'modle' is not defined\nFalse\n")
    }

    @Test func closestNameFollowsPythonsDistance() {
        #expect(Interpreter.closestName(to: "Modle", among: ["model", "mode"]) == "mode")
        #expect(Interpreter.closestName(to: "lenght", among: ["length", "len"]) == "length")
        #expect(Interpreter.closestName(to: "x", among: ["y"]) == nil)
    }
}

/// PyTorch's wording and order for the mistakes learners make first.
@Suite struct PyTorchMessageTests {
    let h = Harness()

    @Test func aMisspeltKeywordIsReportedBeforeTheParameterItMissed() {
        #expect(h.raised("nn.Conv2d(1, 25, kernel=3)") == "TypeError: Conv2d.__init__() got an unexpected keyword argument 'kernel'. Did you mean: 'kernel_size'?")
        #expect(h.raised("nn.Linear(1, 2, bia=True)") == "TypeError: Linear.__init__() got an unexpected keyword argument 'bia'. Did you mean: 'bias'?")
        #expect(h.raised("try:\n    nn.Linear(1, 2, bia=True)\nexcept TypeError as e:\n    print(e)\n    raise ValueError('x')") == "ValueError: x")
        #expect(h.raised("nn.Linear(3)") == "TypeError: Linear.__init__() missing 1 required positional argument: 'out_features'")
    }

    @Test func anIndexOutOfRangeNamesItsDimension() {
        #expect(h.raised("torch.zeros(1, 2, 28)[0, 0, 28]") == "IndexError: index 28 is out of bounds for dimension 2 with size 28")
        #expect(h.raised("torch.zeros(1, 2, 28)[..., 30]") == "IndexError: index 30 is out of bounds for dimension 2 with size 28")
        #expect(h.raised("torch.zeros(1, 2, 28)[:, 5]") == "IndexError: index 5 is out of bounds for dimension 1 with size 2")
    }

    @Test func numpySpellingsOfDimAreAccepted() throws {
        #expect(try h.repr("torch.ones(2, 3).sum(axis=1, keepdims=True).shape") == "torch.Size([2, 1])")
        #expect(try h.repr("torch.ones(2, 3).mean(axis=0)") == "tensor([1., 1., 1.])")
    }

    @Test func aUint8ImageIsADtypeErrorWhateverItsShape() {
        let mlp = "seq(flatten(), linear(784, 10))"
        #expect(h.raised("\(mlp)(torch.zeros(28, 28, dtype=torch.uint8))") == "RuntimeError: mat1 and mat2 must have the same dtype, but got Byte and Float")
        #expect(h.raised("nn.Conv2d(1, 2, 3)(torch.zeros(1, 1, 8, 8, dtype=torch.uint8))") == "RuntimeError: Input type (unsigned char) and bias type (float) should be the same")
        #expect(h.raised("nn.Conv2d(1, 2, 3, bias=False)(torch.zeros(1, 1, 8, 8, dtype=torch.float64))") == "RuntimeError: expected scalar type Double but found Float")
    }
}
