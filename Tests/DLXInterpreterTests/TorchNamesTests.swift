import Testing
@testable import DLXInterpreter

/// PyTorch names that learners' code calls, with what PyTorch 2.15 printed for the same code.
@Suite struct TorchNamesTests {
    let h = Harness()

    @Test func versionAndBackendsSayWhatDlxIs() throws {
        #expect(try h.repr("torch.__version__") == "'2.15.0'")
        #expect(try h.repr("torch.backends.cudnn.is_available(), torch.backends.mps.is_available(), torch.backends.mps.is_built()")
                == "(False, False, False)")
        try h.run("torch.backends.cudnn.benchmark = True")
        #expect(try h.repr("torch.backends.cudnn.benchmark") == "True")
        #expect(try h.repr("torch.get_default_dtype()") == "torch.float32")
    }

    @Test func theAcceleratorFollowsTheCUDAProbe() throws {
        let cuda = try h.repr("torch.cuda.is_available()")
        #expect(try h.repr("torch.accelerator.is_available()") == cuda)
        #expect(try h.repr("torch.accelerator.current_accelerator()") == (cuda == "True" ? "device(type='cuda')" : "None"))
        #expect(try h.repr("torch.accelerator.device_count()") == h.repr("torch.cuda.device_count()"))
    }

    @Test func inPlaceMethodsChangeTheTensorAndReturnIt() throws {
        try h.run("""
        t = torch.tensor([1.0, -2.0, 3.0])
        r = t.add_(1).mul_(2).sub_(torch.tensor([1.0, 1.0, 1.0])).div_(2)
        u = torch.ones(2, 2)
        u.add_(torch.eye(2), alpha=2)
        i = torch.tensor([1, 2, 3])
        i.add_(2, alpha=3)
        """)
        #expect(try h.repr("r is t, t") == "(True, tensor([ 1.5000, -1.5000,  3.5000]))")
        #expect(try h.repr("t.clamp_(min=0.0, max=3.0)") == "tensor([1.5000, 0.0000, 3.0000])")
        #expect(try h.repr("u") == "tensor([[3., 1.],\n        [1., 3.]])")
        #expect(try h.repr("i") == "tensor([7, 8, 9])")
        #expect(h.error("i.add_(0.5)")?.message == "result type Float can't be cast to the desired output type Long")
        #expect(h.error("torch.ones(2, requires_grad=True).add_(1)")?.message
                == "a leaf Variable that requires grad is being used in an in-place operation.")
    }

    /// `x *= 3` on a recorded tensor goes through autograd as PyTorch's in-place ops do (w.grad = 6, not 2).
    @Test func inPlaceOpsOnRecordedTensorsKeepTheGradientExact() throws {
        try h.run("""
        w = torch.ones(2, requires_grad=True)
        x = w * 2
        x *= 3
        x.sum().backward()
        g1 = w.grad
        w.grad = None
        y = w * w
        y.add_(1).mul_(w)
        y.sum().backward()
        """)
        #expect(try h.repr("g1, w.grad") == "(tensor([6., 6.]), tensor([4., 4.]))")
        #expect(try h.repr("y") == "tensor([2., 2.], grad_fn=<MulBackward0>)")
    }

    @Test func outWritesIntoTheGivenTensor() throws {
        try h.run("o = torch.empty(3)\nr = torch.add(torch.tensor([1.0, 2.0, 3.0]), 1, out=o)")
        #expect(try h.repr("r is o, o") == "(True, tensor([2., 3., 4.]))")
        var warnings = ""
        h.session.writeStandardError = { warnings += $0 }
        try h.run("o2 = torch.zeros(2)\ntorch.mul(torch.ones(3), 2, out=o2)")
        #expect(try h.repr("o2") == "tensor([2., 2., 2.])")
        #expect(warnings.contains("UserWarning: An output with one or more elements was resized since it had shape [2]"))
        #expect(h.error("torch.add(torch.ones(1), 1.5, out=torch.zeros(1, dtype=torch.long))")?.message
                == "result type Float can't be cast to the desired output type Long")
    }

    @Test func scatterResizeSortAndFriends() throws {
        #expect(try h.repr("torch.zeros(3, 4).scatter_(1, torch.tensor([[1], [0], [3]]), 1.0)")
                == "tensor([[0., 1., 0., 0.],\n        [1., 0., 0., 0.],\n        [0., 0., 0., 1.]])")
        #expect(try h.repr("torch.zeros(2, 3).scatter_(0, torch.tensor([[1, 0, 1]]), torch.tensor([[5.0, 6.0, 7.0]]))")
                == "tensor([[0., 6., 0.],\n        [5., 0., 7.]])")
        #expect(try h.repr("torch.zeros(10).scatter_(0, torch.tensor(3), value=1)") == "tensor([0., 0., 0., 1., 0., 0., 0., 0., 0., 0.])")
        #expect(try h.repr("torch.arange(6.).resize_(2, 2)") == "tensor([[0., 1.],\n        [2., 3.]])")
        #expect(try h.repr("torch.tensor([[3, 1], [2, 5]]).sort(dim=0, descending=True)")
                == "torch.return_types.sort(\nvalues=tensor([[3, 5],\n        [2, 1]]),\nindices=tensor([[0, 1],\n        [1, 0]]))")
        #expect(try h.repr("torch.tensor([1.0, float('nan'), float('inf')]).isfinite(), torch.tensor([[True, False]]).all(dim=1), torch.tensor([0, 2]).any()")
                == "(tensor([ True, False, False]), tensor([False]), tensor(True))")
        #expect(try h.repr("torch.clamp(torch.tensor([1, 5, 9]), 2, 6), torch.tensor([0.5, 1.5]).clip(max=1)")
                == "(tensor([2, 5, 6]), tensor([0.5000, 1.0000]))")
        #expect(try h.repr("torch.div(torch.tensor([7, -7]), 2, rounding_mode='trunc'), torch.div(torch.tensor([7.5, -7.5]), 2, rounding_mode='trunc')")
                == "(tensor([ 3, -3]), tensor([ 3., -3.]))")
        #expect(try h.repr("torch.zeros(2).new_full((2, 2), 3), torch.ones(1, dtype=torch.long).new_tensor([1.5])")
                == "(tensor([[3., 3.],\n        [3., 3.]]), tensor([1]))")
        #expect(try h.repr("torch.equal(torch.ones(2), torch.ones(2)), torch.tensor([[1, 2]]).flip(-1)") == "(True, tensor([[2, 1]]))")
    }

    @Test func legacyTypesAndRandperm() throws {
        #expect(try h.repr("torch.LongTensor([1, 2]), torch.FloatTensor(2, 3).shape, torch.LongTensor(2).dtype")
                == "(tensor([1, 2]), torch.Size([2, 3]), torch.int64)")
        #expect(try h.repr("isinstance(torch.tensor([1]), torch.LongTensor), isinstance(torch.tensor([1.0]), torch.LongTensor)") == "(True, False)")
        #expect(try h.repr("sorted(torch.randperm(6).tolist()), torch.randperm(3).dtype") == "([0, 1, 2, 3, 4, 5], torch.int64)")
        #expect(try h.repr("torch.true_divide(torch.tensor(7), torch.tensor(2))") == "tensor(3.5000)")
        #expect(try h.repr("torch.eye(2, requires_grad=True)") == "tensor([[1., 0.],\n        [0., 1.]], requires_grad=True)")
    }

    @Test func binaryCrossEntropyMatchesPyTorch() throws {
        try h.run("""
        p = torch.tensor([0.9, 0.2, 0.6, 0.4], requires_grad=True)
        t = torch.tensor([1.0, 0.0, 1.0, 0.0])
        l = F.binary_cross_entropy(p, t)
        l.backward()
        x = torch.tensor([2.0, -1.0, 0.5, -0.5], requires_grad=True)
        l2 = F.binary_cross_entropy_with_logits(x, t, pos_weight=torch.tensor(2.0), reduction="sum")
        l2.backward()
        """)
        #expect(try h.repr("round(l.item(), 6), [round(v, 6) for v in p.grad.tolist()], l.grad_fn.name()")
                == "(0.337539, [-0.277778, 0.3125, -0.416667, 0.416667], 'BinaryCrossEntropyBackward0')")
        #expect(try h.repr("round(l2.item(), 6), [round(v, 6) for v in x.grad.tolist()]")
                == "(1.989349, [-0.238406, 0.268941, -0.755081, 0.377541])")
        #expect(try h.repr("nn.BCEWithLogitsLoss(), nn.BCELoss(reduction='sum')") == "(BCEWithLogitsLoss(), BCELoss())")
        #expect(try h.repr("F.binary_cross_entropy(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 0.0]), reduction='none')") == "tensor([100., 100.])")
        #expect(h.error("F.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([1.0]))")?.message == "all elements of input should be between 0 and 1")
        #expect(h.error("F.binary_cross_entropy_with_logits(torch.tensor([0.5]), torch.tensor([[1.0]]))")?.message
                == "Target size (torch.Size([1, 1])) must be the same as input size (torch.Size([1]))")
    }

    @Test func zeroDimTensorsFormatTheirItem() throws {
        try h.run("z = torch.tensor(3.14159)")
        #expect(try h.repr("f'{z:.3f}', f'{torch.tensor(5)}', '{:.1f}'.format(torch.tensor(0.25)), format(z, '')")
                == "('3.142', '5', '0.2', '3.141590118408203')")
        #expect(try h.repr("'%s' % z, '%.2f' % z, '%5s|' % torch.tensor(1), '%d' % torch.tensor(7), '%5s|' % '0', '%-6s|' % 'ab', '%x' % 255")
                == "('tensor(3.1416)', '3.14', 'tensor(1)|', '7', '    0|', 'ab    |', 'ff')")
        #expect(try h.repr("['a', 'b', 'c'][torch.tensor(2)]") == "'c'")
    }

    @Test func logSoftmaxWithoutDimWarnsAndPicksPyTorchsDim() throws {
        var warnings = ""
        h.session.writeStandardError = { warnings += $0 }
        #expect(try h.repr("F.log_softmax(torch.tensor([[1.0, 2.0], [3.0, 5.0]]))") == "tensor([[-1.3133, -0.3133],\n        [-2.1269, -0.1269]])")
        #expect(try h.repr("F.softmax(torch.tensor([1.0, 2.0]))") == "tensor([0.2689, 0.7311])")
        #expect(warnings.contains("UserWarning: Implicit dimension choice for log_softmax has been deprecated. Change the call to include dim=X as an argument.\n"))
        #expect(warnings.contains("Implicit dimension choice for softmax"))
    }

    @Test func retainGraphAllowsASecondBackward() throws {
        try h.run("""
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        y = (w * w).sum()
        y.backward(retain_graph=True)
        y.backward()
        """)
        #expect(try h.repr("w.grad") == "tensor([4., 8.])")
        #expect(h.error("y.backward()")?.message.hasPrefix("Trying to backward through the graph a second time") == true)
    }

    @Test func configMagicIsAccepted() throws {
        #expect(try h.run("%config InlineBackend.figure_format = 'retina'") == "")
    }

    @Test func numpyGivesAnArrayWithNumPysText() throws {
        #expect(try h.repr("torch.tensor([[1, 2]]).numpy().tolist(), torch.tensor([1, 10]).numpy()") == "([[1, 2]], array([ 1, 10]))")
        #expect(try h.repr("torch.tensor([0.1, -2.25, 3]).numpy()") == "array([ 0.1 , -2.25,  3.  ], dtype=float32)")
        #expect(try h.run("print(torch.tensor([[1, 2], [30, 4]]).numpy(), torch.tensor([1]).numpy().dtype)") == "[[ 1  2]\n [30  4]] int64\n")
        #expect(h.error("torch.ones(1, requires_grad=True).numpy()")?.message
                == "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
    }

    @Test func calculateGainAndFunctionNames() throws {
        #expect(try h.repr("nn.init.calculate_gain('relu'), nn.init.calculate_gain('tanh'), nn.init.calculate_gain('linear')")
                == "(1.4142135623730951, 1.6666666666666667, 1)")
        #expect(try h.repr("nn.init.xavier_uniform_.__name__, torch.zeros.__name__") == "('xavier_uniform_', 'zeros')")
    }
}

/// torchvision: Lambda, the functional ops, batches, target_transform (values torchvision printed).
@Suite struct TransformNamesTests {
    let h = Harness()

    @Test func lambdaTakesAnyValueAndComposes() throws {
        try h.run("""
        from torchvision import transforms
        double = transforms.Lambda(lambda x: x * 2)
        pipeline = transforms.Compose([transforms.Lambda(lambda x: x + 1), transforms.Lambda(lambda x: x.float() / 4)])
        """)
        #expect(try h.repr("double(torch.tensor([1, 2])), double(3), pipeline(torch.tensor([1, 3])), type(double).__name__, double")
                == "(tensor([2, 4]), 6, tensor([0.5000, 1.0000]), 'Lambda', Lambda())")
        #expect(h.error("transforms.Lambda(3)")?.message == "Argument lambd should be callable, got 'int'")
    }

    @Test func functionalOpsMatchTorchvision() throws {
        try h.run("import torchvision.transforms.functional as TF\nx = torch.arange(20.).reshape(1, 4, 5)")
        #expect(try h.repr("TF.rotate(x, 90).tolist()") == "[[[4.0, 4.0, 14.0, 14.0, 0.0], [2.0, 2.0, 12.0, 12.0, 0.0], [2.0, 2.0, 12.0, 12.0, 0.0], [0.0, 0.0, 10.0, 10.0, 0.0]]]")
        #expect(try h.repr("TF.resize(x, [2, 3]).tolist()")
                == "[[[4.0, 5.5714287757873535, 7.142857074737549], [11.85714340209961, 13.428570747375488, 15.0]]]")
        #expect(try h.repr("TF.resize(x, 2).shape, TF.hflip(x)[0, 0].tolist(), TF.vflip(x)[0, :, 0].tolist()")
                == "(torch.Size([1, 2, 2]), [4.0, 3.0, 2.0, 1.0, 0.0], [15.0, 10.0, 5.0, 0.0])")
        #expect(try h.repr("TF.normalize(torch.ones(1, 2, 2), [0.5], [0.5]).sum(), TF.to_tensor(torch.zeros(2, 2, dtype=torch.uint8)).shape")
                == "(tensor(4.), torch.Size([1, 2, 2]))")
    }

    @Test func v2TransformsTakeABatch() throws {
        try h.run("""
        import torchvision.transforms.v2 as v2
        batch = torch.rand(4, 1, 28, 28)
        aug = v2.Compose([v2.RandomHorizontalFlip(p=1.0), v2.RandomRotation(0)])
        """)
        #expect(try h.repr("aug(batch).shape, torch.equal(aug(batch), batch.flip(-1))") == "(torch.Size([4, 1, 28, 28]), True)")
        #expect(try h.repr("v2.RandomResizedCrop(14)(batch).shape") == "torch.Size([4, 1, 14, 14])")
    }

    @Test func mnistAppliesTargetTransform() throws {
        try h.run("""
        import torchvision
        from torchvision import transforms
        ds = torchvision.datasets.MNIST("./data/", train=False, transform=transforms.Compose([transforms.ToTensor(), transforms.Lambda(lambda x: x.view(-1))]),
                                        target_transform=lambda y: torch.zeros(10).scatter_(0, torch.tensor(y), value=1))
        x, y = ds[0]
        xb, yb = next(iter(DataLoader(ds, batch_size=4)))
        """)
        #expect(try h.repr("x.shape, y") == "(torch.Size([784]), tensor([0., 0., 0., 0., 0., 0., 0., 1., 0., 0.]))")
        #expect(try h.repr("xb.shape, yb.shape, yb[0].argmax()") == "(torch.Size([4, 784]), torch.Size([4, 10]), tensor(7))")
    }
}
