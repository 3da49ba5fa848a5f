import Testing
@testable import DLXInterpreter

/// Datasets of the user's own with the DataLoader: PyTorch's default_collate, and the batch gathered whole
/// for the `return self.x[i], self.y[i]` form, with the same batches as sample by sample.
@Suite struct UserDatasetTests {
    static let setup = """
    from torch.utils.data import Dataset, DataLoader
    class Pairs(Dataset):
        def __init__(self, x, y):
            self.x = x
            self.y = y
        def __len__(self):
            return len(self.x)
        def __getitem__(self, i):
            return self.x[i], self.y[i]
    class Stepwise(Pairs):
        def __getitem__(self, i):
            x = self.x[i]
            return x, self.y[i]
    class Mixed(Dataset):
        def __len__(self):
            return 3
        def __getitem__(self, i):
            return {"id": i, "score": i / 2, "name": "s" + str(i), "pair": (i, [i, i])}
    x = torch.arange(40.0).reshape(10, 2, 2)
    y = torch.arange(10) % 3

    """

    @Test func wholeBatchesEqualSampleBySampleBatches() throws {
        let h = Harness()
        try h.run(Self.setup + """
        _ = torch.manual_seed(3)
        fast = [b for b in DataLoader(Pairs(x, y), batch_size=4, shuffle=True)]
        _ = torch.manual_seed(3)
        slow = [b for b in DataLoader(Stepwise(x, y), batch_size=4, shuffle=True)]
        same = all((a[0] == b[0]).sum().item() == a[0].numel() and (a[1] == b[1]).sum().item() == a[1].numel() for a, b in zip(fast, slow))
        """)
        #expect(h.session.batchedFetches == 3)
        #expect(try h.repr("same, len(fast), [tuple(b[0].shape) for b in fast], fast[0][1].dtype") ==
                "(True, 3, [(4, 2, 2), (4, 2, 2), (2, 2, 2)], torch.int64)")
    }

    @Test func defaultCollateBatchesNumbersStringsDictsAndTuplesAsPyTorch() throws {
        let h = Harness()
        try h.run(Self.setup + "b = next(iter(DataLoader(Mixed(), batch_size=3)))")
        #expect(try h.repr("b") == "{'id': tensor([0, 1, 2]), 'score': tensor([0.0000, 0.5000, 1.0000], dtype=torch.float64), 'name': ['s0', 's1', 's2'], 'pair': [tensor([0, 1, 2]), [tensor([0, 1, 2]), tensor([0, 1, 2])]]}")
    }

    @Test func aDatasetThatFailsIsAnErrorNamingIt() throws {
        let h = Harness()
        try h.run(Self.setup + """
        class Broken(Dataset):
            def __len__(self):
                return 2
            def __getitem__(self, i):
                raise ValueError("bad sample")
        class Empty(Dataset):
            def __len__(self):
                return -1
        """)
        #expect(h.error("next(iter(DataLoader(Broken(), batch_size=2)))")?.message == "bad sample")
        #expect(h.error("DataLoader(Empty())")?.message == "__len__() should return >= 0")
    }
}
