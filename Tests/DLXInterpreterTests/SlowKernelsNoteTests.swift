import Testing
@testable import DLXInterpreter

/// Issue 22: without OpenBLAS an epoch takes a minute instead of a second; at a terminal `%time`, `%timeit` and
/// `fit` say why (the stderr notice is said once by the shell), while scripts print what Python prints.
@Suite struct SlowKernelsNoteTests {
    @Test func timingsAtATerminalSayTheReferenceKernelsRan() throws {
        let h = Harness()
        h.session.backend.blasLibraries = []
        h.session.isTerminal = true
        let note = "Note: OpenBLAS not found (install libopenblas0): using slow reference kernels\n"
        #expect(try h.run("%time y = torch.ones(3, 3) @ torch.ones(3, 3)").hasSuffix(note))
        #expect(try h.run("%timeit torch.ones(2, 2) @ torch.ones(2, 2)").hasSuffix(note))
        let fit = try h.run("""
        x = torch.randn(32, 4)
        loader = DataLoader(torch.utils.data.TensorDataset(x, (x[:, 0] > 0).long()), batch_size=16)
        r = fit(seq(linear(4, 2)), loader, epochs=2, lr=0.1)
        """)
        #expect(fit.components(separatedBy: note).count == 2, "\(fit)")   // once, after the first epoch
        h.session.isTerminal = false
        #expect(try !h.run("%time y = torch.ones(3, 3) @ torch.ones(3, 3)").contains("Note:"))
    }

    @Test func withOpenBLASThereIsNoNote() throws {
        let h = Harness()
        h.session.isTerminal = true
        let out = try h.run("%time y = torch.ones(3, 3) @ torch.ones(3, 3)")
        #expect(out.contains("Note:") == h.session.backend.usesReferenceKernels)
    }
}
