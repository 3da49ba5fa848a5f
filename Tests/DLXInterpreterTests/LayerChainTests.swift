import Testing
@testable import DLXInterpreter

/// A chain of layer calls in a user's forward runs through the engine's fused ops (as a Sequential's
/// layers do), with the results of calling the layers one by one.
@Suite struct LayerChainTests {
    static let setup = """
    _ = torch.manual_seed(0)
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(8, 8, 3, padding=1)
            self.bn = nn.BatchNorm2d(8)
            self.drop = nn.Dropout(0.25)
            self.pool = nn.MaxPool2d(2, stride=2)
        def forward(self, x):
            return self.pool(self.drop(F.relu(self.bn(self.conv(x)))))
        def stepwise(self, x):
            x = self.conv(x)
            x = self.bn(x)
            x = F.relu(x)
            x = self.drop(x)
            return self.pool(x)
    net = Net()
    x = torch.randn(4, 8, 6, 6)
    """

    @Test func aChainGivesTheValuesAndGradientsOfItsLayersCalledOneByOne() throws {
        let h = Harness()
        try h.run(Self.setup + "\n" + """
        _ = torch.manual_seed(1)
        y1 = net(x)
        y1.sum().backward()
        g1 = net.conv.weight.grad.clone()
        net.zero_grad()
        _ = torch.manual_seed(1)
        y2 = net.stepwise(x)
        y2.sum().backward()
        g2 = net.conv.weight.grad.clone()
        """)
        // Both forms of the forward run as one chain (nested calls, and statements passing x along).
        #expect(h.session.layerChainRuns == 2)
        #expect(try h.repr("(y1 != y2).sum().item() == 0, y1.shape") == "(True, torch.Size([4, 8, 3, 3]))")
        #expect(try h.repr("bool((g1 - g2).abs().max() <= 1e-5 * g2.abs().max())") == "True")
    }

    /// The layers called one at a time at the top level (no chain there: each statement runs as written) give
    /// the same output as the chained forward.
    @Test func aChainGivesWhatTheLayersGiveOneAtATime() throws {
        let h = Harness()
        try h.run(Self.setup + "\n" + """
        net.eval()
        y1 = net(x)
        a = net.conv(x)
        a = net.bn(a)
        a = F.relu(a)
        a = net.drop(a)
        a = net.pool(a)
        """)
        #expect(h.session.layerChainRuns == 1)
        #expect(try h.repr("(y1 != a).sum().item() == 0") == "True")
    }

    @Test func chainsInEvalModeAndWithOtherCallsKeepTheirMeaning() throws {
        let h = Harness()
        try h.run(Self.setup + "\n" + """
        net.eval()
        same = (net(x) != net.stepwise(x)).sum().item() == 0
        shape = tuple(torch.flatten(net(x), 1).shape)
        words = str(len(list(range(3))))
        """)
        #expect(try h.repr("same, shape, words") == "(True, (4, 72), '3')")
    }
}
