import Testing
@testable import DLXInterpreter

/// np.random's errors through the language (the streams themselves: Tests/python/numpy_random_streams.py).
@Suite struct NumpyRandomTests {
    let h = Harness()

    @Test func badArgumentsAreNumPysErrors() throws {
        try h.run("import numpy as np")
        #expect(h.raised("np.random.seed(-1)") == "ValueError: Seed must be between 0 and 2**32 - 1")
        #expect(h.raised("np.random.randint(5, 5)") == "ValueError: low >= high")
        #expect(h.raised("np.random.choice(0)") == "ValueError: a must be greater than 0 unless no samples are taken")
        #expect(h.raised("np.random.choice(3, 5, replace=False)") == "ValueError: Cannot take a larger sample than population when 'replace=False'")
        #expect(h.raised("np.random.default_rng(0).normal(0, -1)") == "ValueError: scale < 0")
        #expect(h.raised("np.random.default_rng(0).exponential()")?.hasPrefix("NotImplementedError") == true)
    }
}
