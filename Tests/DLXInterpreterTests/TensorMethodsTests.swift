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

    /// Issue 22: this gave a silently wrong x.grad; PyTorch raises.
    @Test func backwardAfterAnInPlaceChangeToASavedTensorRaises() throws {
        let h = Harness()
        try h.run("x = torch.ones(3, requires_grad=True)\ny = x * 2\nz = (y * y).sum()\nwith torch.no_grad():\n    y += 100\n")
        let e = h.error("z.backward()")
        #expect(e?.type == "RuntimeError")
        #expect(e?.message.hasPrefix("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of MulBackward0, is at version 1; expected version 0 instead. Hint:") == true)
        #expect(try h.repr("x.grad") == "None")
        // Ops that saved nothing are indifferent, as in PyTorch.
        try h.run("w = x * 2\nv = (w + w).sum()\nw[0] = 5\nv.backward()\n")
        #expect(try h.repr("x.grad") == "tensor([4., 4., 4.])")
    }
}
