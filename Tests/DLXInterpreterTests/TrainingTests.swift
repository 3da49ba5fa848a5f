import Testing
@testable import DLXInterpreter

@Suite struct TrainingTests {
    let h = Harness()

    @Test func backwardFillsGradAndReprsShowGradFn() throws {
        try h.run("x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\ny = (x * x).sum()")
        #expect(try h.repr("y") == "tensor(14., grad_fn=<SumBackward0>)")
        try h.run("y.backward()")
        #expect(try h.repr("x.grad") == "tensor([2., 4., 6.])")
        #expect(try h.repr("x.is_leaf, y.is_leaf") == "(True, False)")
        #expect(try h.repr("y.grad_fn").hasPrefix("<SumBackward0 object at 0x"))
        #expect(try h.repr("x.detach().requires_grad") == "False")
    }

    @Test func lossReprMatchesPyTorchs() throws {
        try h.run("torch.manual_seed(0)\nmodel = nn.Sequential(nn.Flatten(), nn.Linear(4, 3))\nout = model(torch.ones(2, 1, 2, 2))")
        #expect(try h.repr("nn.CrossEntropyLoss()(out, torch.tensor([0, 2]))").hasSuffix(", grad_fn=<NllLossBackward0>)"))
        #expect(try h.repr("out").hasSuffix("grad_fn=<AddmmBackward0>)"))
    }

    @Test func noGradBlocksRecordAndRestore() throws {
        try h.run("""
        w = torch.ones(2, requires_grad=True)
        with torch.no_grad():
            a = w * 2
        b = w * 2
        """)
        #expect(try h.repr("a.requires_grad, b.requires_grad") == "(False, True)")
    }

    @Test func inPlaceChangesToWatchedLeavesAreRefused() throws {
        try h.run("w = torch.ones(2, requires_grad=True)")
        #expect(h.error("w += 1")?.message == "a leaf Variable that requires grad is being used in an in-place operation.")
        try h.run("with torch.no_grad():\n    w -= 0.5\n")
        #expect(try h.repr("w") == "tensor([0.5000, 0.5000], requires_grad=True)")
    }

    @Test func optimizersStepAndZeroGrad() throws {
        try h.run("""
        w = torch.tensor([1.0, -2.0], requires_grad=True)
        opt = torch.optim.SGD([w], lr=0.1)
        loss = (w * w).sum()
        loss.backward()
        opt.step()
        opt.zero_grad()
        """)
        #expect(try h.repr("w") == "tensor([ 0.8000, -1.6000], requires_grad=True)")
        #expect(try h.repr("w.grad") == "None")
        #expect(try h.repr("torch.optim.Adam([w])").hasPrefix("Adam (\nParameter Group 0\n    amsgrad: False"))
        #expect(h.error("torch.optim.Adam([w], lr=-1)")?.type == "ValueError")
    }

    /// The rates PyTorch 2.15 printed for the same schedules (get_last_lr() after each step).
    @Test func schedulersFollowPyTorchsRates() throws {
        try h.run("""
        from torch.optim.lr_scheduler import StepLR, CosineAnnealingLR
        w = torch.ones(2, requires_grad=True)
        opt = torch.optim.Adam([w])
        s = StepLR(opt, step_size=1, gamma=0.3)
        c = CosineAnnealingLR(torch.optim.SGD([w], lr=0.1), T_max=3)
        m = torch.optim.lr_scheduler.MultiStepLR(torch.optim.SGD([w], lr=1.0), [2, 4, 4])
        e = torch.optim.lr_scheduler.ExponentialLR(torch.optim.SGD([w], lr=0.1), 0.5)
        def rates(sched, n):
            out = []
            for i in range(n):
                sched.step()
                out.append(sched.get_last_lr()[0])
            return out
        """)
        #expect(try h.repr("s.get_last_lr(), s.last_epoch") == "([0.001], 0)")
        #expect(try h.repr("rates(s, 4)") == "[0.0003, 8.999999999999999e-05, 2.6999999999999996e-05, 8.099999999999999e-06]")
        #expect(try h.repr("opt.param_groups[0]['lr'], s.last_epoch") == "(8.099999999999999e-06, 4)")
        #expect(try h.repr("rates(c, 7)") == "[0.07500000000000001, 0.025000000000000015, 0.0, 0.024999999999999994, "
                + "0.07500000000000005, 0.10000000000000006, 0.07500000000000007]")
        #expect(try h.repr("rates(m, 5)") == "[1.0, 0.1, 0.1, 0.0010000000000000002, 0.0010000000000000002]")
        #expect(try h.repr("rates(e, 2)") == "[0.05, 0.025]")
        #expect(try h.repr("type(s)") == "<class 'torch.optim.lr_scheduler.StepLR'>")
        #expect(h.error("StepLR(opt, 0)")?.type == "ValueError")
        // A huge T_max is no overflow trap (PyTorch prints the same rate).
        #expect(try h.repr("rates(CosineAnnealingLR(torch.optim.SGD([w], lr=0.1), T_max=2**62), 1)") == "[0.1]")
        #expect(h.error("StepLR(w, 1)")?.message == "Tensor is not an Optimizer")
    }

    @Test func fitStepsTheSchedulerAfterEachEpoch() throws {
        try h.run("""
        x = torch.randn(64, 4)
        y = (x[:, 0] > 0).long()
        loader = DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=16)
        model = seq(linear(4, 2))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
        h = fit(model, loader, epochs=3, scheduler=sched)
        """)
        #expect(try h.repr("opt.param_groups[0]['lr'], sched.last_epoch") == "(0.0125, 3)")
        #expect(h.error("fit(model, loader, scheduler=sched, lr=0.1)")?.type == "ValueError")
        #expect(h.error("fit(model, loader, scheduler=sched, optimizer=torch.optim.SGD(model.parameters(), lr=1.0))")?.type == "ValueError")
        #expect(h.error("fit(model, loader, scheduler=opt)")?.type == "TypeError")
    }

    @Test func secondBackwardIsAClearError() throws {
        try h.run("w = torch.ones(2, requires_grad=True)\nl = (w * 3).sum()\nl.backward()")
        #expect(h.error("l.backward()")?.message.hasPrefix("Trying to backward through the graph a second time") == true)
        #expect(h.error("torch.ones(2).sum().backward()")?.message == "element 0 of tensors does not require grad and does not have a grad_fn")
    }

    @Test func fitTrainsAndReturnsAReadableHistory() throws {
        let out = try h.run("""
        _ = torch.manual_seed(1)
        data = load mnist.test
        data.transform = transforms.ToTensor()
        loader = DataLoader(data, batch_size=64, shuffle=True)
        model = seq(flatten(), linear(784, 64), relu(), linear(64, 10))
        h = fit(model, loader, loader, epochs=2)
        """)
        let lines = out.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("Epoch 1/2: train loss "))
        #expect(lines[1].contains(" | valid loss "))
        #expect(try h.repr("len(h), h.epochs") == "(2, [1, 2])")
        let acc = try h.repr("h.valid_acc[-1]")
        #expect((Double(acc) ?? 0) > 0.9, "valid accuracy \(acc)")
        #expect(try h.repr("h").hasPrefix("epoch  train_loss  train_acc  valid_loss  valid_acc  seconds\n    1"))
        let r = try h.repr("evaluate(model, loader)")
        #expect(r.hasPrefix("(0."))
    }

    @Test func handWrittenLoopRunsAsTheLessonWritesIt() throws {
        let out = try h.run("""
        _ = torch.manual_seed(2)
        data = load mnist.test
        data.transform = transforms.ToTensor()
        loader = DataLoader(data, batch_size=100, shuffle=True)
        model = nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))
        loss_function = nn.CrossEntropyLoss()
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
        N = len(loader.dataset)

        def get_batch_accuracy(output, y, N):
            pred = output.argmax(dim=1, keepdim=True)
            correct = pred.eq(y.view_as(pred)).sum().item()
            return correct / N

        def train():
            loss = 0
            accuracy = 0
            model.train()
            for x, y in loader:
                output = model(x)
                optimizer.zero_grad()
                batch_loss = loss_function(output, y)
                batch_loss.backward()
                optimizer.step()
                loss += batch_loss.item()
                accuracy += get_batch_accuracy(output, y, N)
            print('Train - Loss: {:.4f} Accuracy: {:.4f}'.format(loss, accuracy))
            return accuracy

        accuracies = [train() for epoch in range(2)]
        """)
        #expect(out.hasPrefix("Train - Loss: "))
        let acc = try h.repr("accuracies[-1]")
        #expect((Double(acc) ?? 0) > 0.88, "train accuracy \(acc)")
    }
}

@Suite struct DatasetBindingTests {
    let h = Harness()

    @Test func tensorDatasetsSplitAndBatch() throws {
        try h.run("""
        x = torch.randn(100, 3)
        y = torch.randint(0, 2, (100,))
        ds = torch.utils.data.TensorDataset(x, y)
        a, b = torch.utils.data.random_split(ds, [80, 20])
        xb, yb = next(iter(DataLoader(a, batch_size=16)))
        """)
        #expect(try h.repr("len(a), len(b), len(ds)") == "(80, 20, 100)")
        #expect(try h.repr("xb.shape, yb.shape, yb.dtype") == "(torch.Size([16, 3]), torch.Size([16]), torch.int64)")
        #expect(try h.repr("[len(p) for p in torch.utils.data.random_split(ds, [0.75, 0.25])]") == "[75, 25]")
        #expect(h.error("torch.utils.data.random_split(ds, [10, 20])")?.type == "ValueError")
        #expect(try h.repr("torch.utils.data.Subset(load mnist.test, [0, 1, 2])[0][1]") == "7")
        // A split of an image set batches like the set itself: images stacked, labels as int64.
        try h.run("part, _ = torch.utils.data.random_split(load mnist.test, [0.9, 0.1])\npx, py = next(iter(DataLoader(part, batch_size=4)))")
        #expect(try h.repr("px.shape, py.dtype") == "(torch.Size([4, 28, 28]), torch.int64)")
    }

    @Test func fashionMNISTComesFromDebiansPackage() throws {
        try h.run("f = load fashion.test")
        #expect(try h.repr("len(f), f[0][1], f.classes[f[0][1]]") == "(10000, 9, 'Ankle boot')")
        #expect(try h.repr("torchvision.datasets.FashionMNIST('./data', train=True)").hasPrefix("Dataset FashionMNIST\n    Number of datapoints: 60000"))
    }
}

@Suite struct ConvolutionBindingTests {
    let h = Harness()

    @Test func theLessonsCNNRunsAndPrintsTorchsummarysTable() throws {
        try h.run("""
        model = nn.Sequential(
            nn.Conv2d(1, 25, 3, stride=1, padding=1), nn.BatchNorm2d(25), nn.ReLU(), nn.MaxPool2d(2, stride=2),
            nn.Conv2d(25, 50, 3, stride=1, padding=1), nn.BatchNorm2d(50), nn.ReLU(), nn.Dropout(.2), nn.MaxPool2d(2, stride=2),
            nn.Conv2d(50, 75, 3, stride=1, padding=1), nn.BatchNorm2d(75), nn.ReLU(), nn.MaxPool2d(2, stride=2),
            nn.Flatten(), nn.Linear(75 * 3 * 3, 512), nn.Dropout(.3), nn.ReLU(), nn.Linear(512, 10))
        """)
        let out = try h.run("summary(model, (1, 28, 28))")
        #expect(out.contains("            Conv2d-5           [-1, 50, 14, 14]          11,300"))
        #expect(out.contains("Total params: 396,917"))
        #expect(try h.repr("model(torch.zeros(2, 1, 28, 28)).shape") == "torch.Size([2, 10])")
        #expect(try h.repr("F.max_pool2d(torch.arange(16.).reshape(1, 1, 4, 4), 2)") == "tensor([[[[ 5.,  7.],\n          [13., 15.]]]])")
        #expect(h.error("nn.Conv2d(3, 8, 3)(torch.zeros(1, 1, 8, 8))")?.message.hasPrefix("Given groups=1, weight of size [8, 3, 3, 3]") == true)
    }
}

/// The progress bar's line fits the terminal (a full line would wrap and each redraw start a line lower).
@Suite struct ProgressLineTests {
    static let details = ["loss 0.2345", "acc 0.9345", "12,345 img/s", "12 s left"]

    @Test func theLineFitsEveryWidth() {
        for columns in [20, 40, 60, 80, 120, 200] {
            let line = Interpreter.progressLine(label: "Epoch 1/5", done: 469, total: 938, details: Self.details, columns: columns)
            #expect(line.count <= max(columns - 3, 20), "\(columns): \(line)")
            #expect(line.hasPrefix("Epoch 1/5 █"), "\(line)")
        }
    }

    @Test func detailsGoFromTheEndBeforeTheBarShrinksPastEightCells() {
        let wide = Interpreter.progressLine(label: "Epoch 1/5", done: 469, total: 938, details: Self.details, columns: 120)
        #expect(wide == "Epoch 1/5 " + String(repeating: "█", count: 12) + String(repeating: "·", count: 12)
                + " 469/938  loss 0.2345  acc 0.9345  12,345 img/s  12 s left")
        let narrow = Interpreter.progressLine(label: "Epoch 1/5", done: 469, total: 938, details: Self.details, columns: 60)
        #expect(narrow == "Epoch 1/5 " + String(repeating: "█", count: 7) + String(repeating: "·", count: 7)
                + " 469/938  loss 0.2345  acc 0.9345")
    }
}
