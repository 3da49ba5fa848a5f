import Testing
@testable import DLXInterpreter

@Suite struct TorchBindingTests {
    let h = Harness()

    @Test func tensorMethodsFromTheLesson() throws {
        try h.run("x = torch.tensor([[1, 2, 3], [4, 5, 6]])")
        #expect(try h.repr("x.size()") == "torch.Size([2, 3])")
        #expect(try h.repr("x.size(1)") == "3")
        #expect(try h.repr("x[None, :].shape") == "torch.Size([1, 2, 3])")
        #expect(try h.repr("x[:, None].shape") == "torch.Size([2, 1, 3])")
        #expect(try h.repr("x.unsqueeze(0).shape") == "torch.Size([1, 2, 3])")
        #expect(try h.repr("nn.Flatten()(x[None, :])") == "tensor([[1, 2, 3, 4, 5, 6]])")
        #expect(try h.repr("x.sum()") == "tensor(21)")
        #expect(try h.repr("x.float().mean()") == "tensor(3.5000)")
        #expect(try h.repr("x.argmax(dim=1, keepdim=True)") == "tensor([[2],\n        [2]])")
        #expect(try h.repr("x.max(dim=1)") == "torch.return_types.max(\nvalues=tensor([3, 6]),\nindices=tensor([2, 2]))")
        #expect(try h.repr("x.tolist()") == "[[1, 2, 3], [4, 5, 6]]")
        #expect(try h.repr("x[0, 1].item()") == "2")
        #expect(try h.repr("(x > 2).sum().item()") == "4")
        #expect(try h.repr("x[x > 4]") == "tensor([5, 6])")
        #expect(try h.repr("x.t().contiguous().view(-1)") == "tensor([1, 4, 2, 5, 3, 6])")
        #expect(try h.repr("x.dtype") == "torch.int64")
        #expect(try h.repr("x.float() @ torch.ones(3)") == "tensor([ 6., 15.])")
    }

    @Test func viewsShareMemoryAsInPyTorch() throws {
        try h.run("a = torch.zeros(2, 3)\nb = a[0]\nb[1] = 5\nc = a.view(6)\nc += 1")
        #expect(try h.repr("a") == "tensor([[1., 6., 1.],\n        [1., 1., 1.]])")
    }

    @Test func creationFunctions() throws {
        #expect(try h.repr("torch.zeros((2, 2), dtype=torch.long)") == "tensor([[0, 0],\n        [0, 0]])")
        #expect(try h.repr("torch.full((2,), 7)") == "tensor([7, 7])")
        #expect(try h.repr("torch.eye(2)") == "tensor([[1., 0.],\n        [0., 1.]])")
        #expect(try h.repr("torch.arange(0, 1, 0.25)") == "tensor([0.0000, 0.2500, 0.5000, 0.7500])")
        #expect(try h.repr("torch.cat([torch.ones(1), torch.zeros(2)])") == "tensor([1., 0., 0.])")
        #expect(try h.repr("torch.stack([torch.ones(2), torch.zeros(2)]).shape") == "torch.Size([2, 2])")
        #expect(try h.repr("torch.randint(0, 10, (5,)).shape") == "torch.Size([5])")
        #expect(try h.repr("torch.zeros_like(torch.ones(2, dtype=torch.uint8))") == "tensor([0, 0], dtype=torch.uint8)")
    }

    @Test func manualSeedMakesRandomnessRepeatable() throws {
        try h.run("torch.manual_seed(7)\na = torch.rand(3)\ntorch.manual_seed(7)\nb = torch.rand(3)\nc = torch.rand(3)")
        #expect(try h.repr("bool((a == b).sum() == 3)") == "True")
        #expect(try h.repr("bool((a == c).sum() == 3)") == "False")
    }

    @Test func devicesAndCuda() throws {
        #expect(try h.repr("torch.device('cpu')") == "device(type='cpu')")
        #expect(try h.repr("torch.cuda.is_available()") == "False")
        #expect(try h.repr("torch.zeros(1).to('cpu').device") == "device(type='cpu')")
        let e = h.error("torch.zeros(1).cuda()")
        #expect(e?.type == "RuntimeError")
        #expect(e?.message.hasPrefix("CUDA is not available") == true)
    }

    /// On a GPU (the emulated one here): tensors, layers and models move as in PyTorch and print their device.
    @Test func tensorsAndModelsMoveToTheGPU() throws {
        let g = Harness()
        g.session.emulateCUDA = true
        #expect(try g.repr("torch.cuda.is_available(), torch.cuda.device_count()") == "(True, 1)")
        try g.run("device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')\nx = torch.tensor([[1., -2.], [3., 4.]])")
        #expect(try g.repr("x.to(device)") == "tensor([[ 1., -2.],\n        [ 3.,  4.]], device='cuda:0')")
        #expect(try g.repr("x.cuda().device, x.cuda(0).cpu().device, x.to('cuda:0').device") == "(device(type='cuda', index=0), device(type='cpu'), device(type='cuda', index=0))")
        #expect(try g.repr("torch.zeros(2, device=device)") == "tensor([0., 0.], device='cuda:0')")
        #expect(try g.repr("(x.to(device) * 2).sum().item()") == "12.0")
        #expect(try g.repr("nn.Linear(2, 3, device=device).weight.device") == "device(type='cuda', index=0)")
        try g.run("model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2))\nopt = torch.optim.Adam(model.parameters())")
        #expect(try g.repr("model.to(device) is model, next(model.parameters()).device") == "(True, device(type='cuda', index=0))")
        try g.run("loss = nn.CrossEntropyLoss()(model(x.to(device)), torch.tensor([0, 1]).to(device))\nloss.backward()\nopt.step()")
        #expect(try g.repr("loss.device, model[0].weight.grad.device") == "(device(type='cuda', index=0), device(type='cuda', index=0))")
        let mixed = g.error("model(x)")
        #expect(mixed?.type == "RuntimeError")
        #expect(mixed?.message == "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!")
        let unsupported = g.error("x.to(device)[torch.tensor([0])]")
        #expect(unsupported?.message.contains("does not run on cuda:0 tensors in dlx yet") == true)
        #expect(try g.repr("model.cpu()[0].weight.device") == "device(type='cpu')")
    }

    @Test func modelsRunAndCountParameters() throws {
        try h.run("model = seq(flatten(), linear(784, 512), relu(), linear(512, 512), relu(), linear(512, 10))")
        #expect(try h.repr("sum(p.numel() for p in model.parameters())") == "669706")
        #expect(try h.repr("model(torch.zeros(4, 1, 28, 28)).shape") == "torch.Size([4, 10])")
        #expect(try h.repr("len(model)") == "6")
        #expect(try h.repr("model[1]") == "Linear(in_features=784, out_features=512, bias=True)")
        #expect(try h.repr("[n for n, p in model.named_parameters()][:2]") == "['1.weight', '1.bias']")
        #expect(try h.repr("model[1].weight.shape") == "torch.Size([512, 784])")
        #expect(try h.repr("type(model[1].weight)") == "<class 'torch.nn.parameter.Parameter'>")
    }

    @Test func summaryPrintsTorchsummarysTable() throws {
        try h.run("model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))")
        let out = try h.run("summary(model, (1, 28, 28))")
        #expect(out == """
        ----------------------------------------------------------------
                Layer (type)               Output Shape         Param #
        ================================================================
                   Flatten-1                  [-1, 784]               0
                    Linear-2                   [-1, 10]           7,850
        ================================================================
        Total params: 7,850
        Trainable params: 7,850
        Non-trainable params: 0
        ----------------------------------------------------------------
        Input size (MB): 0.00
        Forward/backward pass size (MB): 0.01
        Params size (MB): 0.03
        Estimated Total Size (MB): 0.04
        ----------------------------------------------------------------

        """)
    }

    @Test func datasetsAndLoaders() throws {
        try h.run("ds = load mnist.test\nds.transform = transforms.ToTensor()\nloader = DataLoader(ds, batch_size=100)")
        #expect(try h.repr("len(ds), len(loader)") == "(10000, 100)")
        #expect(try h.repr("ds[0][1]") == "7")
        #expect(try h.repr("ds[0][0].shape") == "torch.Size([1, 28, 28])")
        try h.run("x, y = next(iter(loader))")
        #expect(try h.repr("x.shape, y.shape, y.dtype") == "(torch.Size([100, 1, 28, 28]), torch.Size([100]), torch.int64)")
        #expect(try h.repr("(load mnist[0]).shape") == "torch.Size([1, 28, 28])")
        #expect(try h.repr("load mnist[0]").hasPrefix("tensor([[[0.0000, 0.0000"))
        #expect(try h.repr("(load mnist)[0][0].dtype") == "torch.uint8")
    }

    @Test func normalizeAndComposeReprs() throws {
        #expect(try h.repr("transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])")
                == "Compose(\n    ToTensor()\n    Normalize(mean=(0.1307,), std=(0.3081,))\n)")
    }

    @Test func torchvisionDatasetReprShowsATransformGivenAtConstruction() throws {
        try h.run("ds = torchvision.datasets.MNIST('./data/', train=False, transform=transforms.Compose([transforms.ToTensor()]))")
        #expect(try h.repr("ds") == """
        Dataset MNIST
            Number of datapoints: 10000
            Root location: ./data/
            Split: Test
            StandardTransform
        Transform: Compose(
                       ToTensor()
                   )
        """)
    }
}
