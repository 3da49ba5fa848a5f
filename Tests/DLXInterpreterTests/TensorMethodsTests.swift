import Testing
@testable import DLXInterpreter

@Suite struct TensorMethodsTests {
    @Test func tolistChecksItsSizeFirst() throws {
        let h = Harness()
        #expect(try h.repr("torch.zeros(2, 0).tolist()") == "[[], []]")
        // 2**31 empty lists, or 2**40 numbers from a broadcast view: a MemoryError before anything is made.
        #expect(h.error("torch.zeros(2**31, 0).tolist()")?.message == "the result would hold 2147483648 items, more than dlx allows (10000000)")
        #expect(h.error("torch.zeros(1).expand(2**20, 2**20).tolist()")?.type == "MemoryError")
    }
}
