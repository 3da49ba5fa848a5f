import Testing
import DLXEngine
@testable import DLXInterpreter

/// The ndarray's NumPy semantics through the language: NumPy's promotion (not PyTorch's), memory shared
/// with tensors and views, in-place operators, NumPy scalars. (The broad coverage is in
/// Tests/python/numpy_*.py, checked against NumPy 2.x.)
@Suite struct NumpyArrayTests {
    let h = Harness()

    init() throws { try h.run("import numpy as np\nimport torch") }

    @Test func numpyPromotionTable() {
        #expect(DType.numpyPromote(.int64, .float32) == .float64)
        #expect(DType.numpyPromote(.int32, .float32) == .float64)
        #expect(DType.numpyPromote(.uint8, .float32) == .float32)
        #expect(DType.numpyPromote(.bool, .float32) == .float32)
        #expect(DType.numpyPromote(.uint8, .int32) == .int32)
        #expect(DType.numpyPromote(.float32, .float64) == .float64)
        #expect(DType.numpyPromote(.bool, .bool) == .bool)
    }

    @Test func integerTrueDivisionGivesFloat64() throws {
        #expect(try h.repr("(np.array([1, 2]) / np.array([2, 4])).dtype") == "dtype('float64')")
        #expect(try h.repr("np.int64(3) / 2") == "np.float64(1.5)")
    }

    /// A Python float takes a float array's dtype, an int array becomes float64; a NumPy scalar's dtype counts.
    @Test func pythonNumbersAreWeakNumpyScalarsAreNot() throws {
        #expect(try h.repr("(np.ones(2, dtype=np.float32) + 1.5).dtype") == "dtype('float32')")
        #expect(try h.repr("(np.arange(2) + 1.5).dtype") == "dtype('float64')")
        #expect(try h.repr("(np.arange(2, dtype=np.int32) + 7).dtype") == "dtype('int32')")
        #expect(try h.repr("(np.ones(2, dtype=np.float32) * np.float64(2)).dtype") == "dtype('float64')")
        #expect(try h.repr("np.float32(1) + 1.0") == "np.float32(2.0)")
        #expect(h.raised("np.ones(2, dtype=np.uint8) + 300") == "OverflowError: Python integer 300 out of bounds for uint8")
    }

    @Test func comparisonsGiveBoolArraysAndNumpyBools() throws {
        #expect(try h.repr("(np.arange(3) > 0).tolist()") == "[False, True, True]")
        #expect(try h.repr("np.arange(3)[1] == 1") == "np.True_")
    }

    @Test func tensorNumpySharesMemoryBothWays() throws {
        try h.run("t = torch.zeros(3)\nn = t.numpy()\nn[0] = 5\nt[2] = 7")
        #expect(try h.repr("t.tolist(), n.tolist()") == "([5.0, 0.0, 7.0], [5.0, 0.0, 7.0])")
        try h.run("a = np.arange(3.0)\ns = torch.from_numpy(a)\ns += 1")
        #expect(try h.repr("a.tolist()") == "[1.0, 2.0, 3.0]")
        try h.run("c = torch.tensor(a)\nc[0] = 100")
        #expect(try h.repr("a[0]") == "np.float64(1.0)")
    }

    @Test func slicesAreViewsAndInPlaceOperatorsWriteThrough() throws {
        try h.run("m = np.zeros((2, 3))\ncol = m[:, 1]\ncol += 4\nr = m[::-1]\nr[0, 0] = 9\nalias = m\nm *= 2")
        #expect(try h.repr("m.tolist()") == "[[0.0, 8.0, 0.0], [18.0, 8.0, 0.0]]")
        #expect(try h.repr("alias is m") == "True")
        try h.run("k = np.arange(4)\nk[k > 1] = 0\nk[[0, 1]] = [7, 8]")
        #expect(try h.repr("k.tolist()") == "[7, 8, 0, 0]")
    }

    @Test func inPlaceOperatorsKeepTheDtype() throws {
        #expect(h.raised("i = np.arange(3)\ni += 0.5")
                == "UFuncTypeError: Cannot cast ufunc 'add' output from dtype('float64') to dtype('int64') with casting rule 'same_kind'")
        #expect(h.raised("np.ones((2, 3)) + np.ones(4)") == "ValueError: operands could not be broadcast together with shapes (2,3) (4,) ")
    }

    @Test func numpyScalarsActAsPythonNumbers() throws {
        try h.run("x = np.array([1.5, 2.5]).sum()\nk = np.arange(5)[3]")
        #expect(try h.run("print(x, float(x), int(k), f'{x:.2f}', [0, 1, 2, 3][k], list(range(k)))") == "4.0 4.0 3 4.00 3 [0, 1, 2]\n")
        #expect(try h.repr("x, k") == "(np.float64(4.0), np.int64(3))")
    }
}
