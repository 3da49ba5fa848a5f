import Testing
import Foundation

/// The lessons' GPU code paths through the real shell, on the emulated GPU (DLX_CUDA_EMULATE=1) and, for
/// lesson 1's loop, on the CUDA driver that runs dlx's kernel sources on the CPU: lesson 1's hand-written
/// loop and lesson 2's network with `fit(device=...)` run with every tensor on the device and give the
/// CPU's numbers. Subsets of MNIST keep the (slow, reference) kernels quick.
@Suite struct GPULessonTests {
    static let setup = """
        from torch.utils.data import Subset
        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        _ = torch.manual_seed(0)
        train_set = torchvision.datasets.MNIST("./data/", train=True, transform=transforms.ToTensor())
        train_loader = DataLoader(Subset(train_set, list(range(256))), batch_size=32, shuffle=True)

        """

    /// The numbers in a run's output, in order.
    static func numbers(_ text: String) -> [Double] {
        text.split(whereSeparator: { " ,()[]:=\n".contains($0) }).compactMap { Double($0) }
    }

    static func sameNumbers(_ gpu: String, _ cpu: String, rel: Double) -> Bool {
        let a = numbers(gpu.replacingOccurrences(of: "cuda:0", with: "cpu")), b = numbers(cpu)
        return a.count == b.count && !a.isEmpty && zip(a, b).allSatisfy { abs($0 - $1) <= rel * max(abs($1), 1) }
    }

    @Test func lessonOnesHandWrittenLoopRunsOnTheDevice() throws {
        let script = Self.setup + """
            model = nn.Sequential(nn.Flatten(), nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))
            model = model.to(device)
            print(next(model.parameters()).device)
            loss_function = nn.CrossEntropyLoss()
            optimizer = torch.optim.Adam(model.parameters())
            for epoch in range(2):
                loss = 0
                correct = 0
                for x, y in train_loader:
                    x, y = x.to(device), y.to(device)
                    output = model(x)
                    optimizer.zero_grad()
                    batch_loss = loss_function(output, y)
                    batch_loss.backward()
                    optimizer.step()
                    loss += batch_loss.item()
                    pred = output.argmax(dim=1, keepdim=True)
                    correct += pred.eq(y.view_as(pred)).sum().item()
                print("epoch", epoch, round(loss, 4), correct)
            print(output.device, model(x[:2]).argmax(dim=1).tolist())

            """
        // On the emulated GPU; then through the real CUDA launches and kernel code on the CPU-run driver, on
        // 64 images (its threads are costly, and other tests run beside it).
        var runs: [(environment: [String: String], script: String)] = [(["DLX_CUDA_EMULATE": "1"], script)]
        if let driver = cudaOnCPUDriver {
            runs.append((["DLX_CUDA_LIBRARY": driver], script.replacingOccurrences(of: "range(256)", with: "range(64)")))
        }
        for run in runs {
            let cpu = try runDLX(["-"], stdin: run.script)
            #expect(cpu.stderr == "" && cpu.stdout.hasPrefix("cpu\n"))
            let gpu = try runDLX(["-"], stdin: run.script, environment: run.environment)
            #expect(gpu.stderr == "", "\(run.environment): \(gpu.stderr)")
            #expect(gpu.stdout.hasPrefix("cuda:0\n") && gpu.stdout.contains("cuda:0 ["))
            #expect(Self.sameNumbers(gpu.stdout, cpu.stdout, rel: 1e-3), "\(run.environment): \(gpu.stdout)\nvs\n\(cpu.stdout)")
        }
    }

    @Test func lessonTwosNetworkFitsOnTheDevice() throws {
        let script = Self.setup + """
            model = nn.Sequential(
                nn.Conv2d(1, 8, 3, stride=1, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2, stride=2),
                nn.Conv2d(8, 12, 3, stride=1, padding=1), nn.BatchNorm2d(12), nn.ReLU(), nn.Dropout(.2), nn.MaxPool2d(2, stride=2),
                nn.Flatten(), nn.Linear(12 * 7 * 7, 32), nn.Dropout(.3), nn.ReLU(), nn.Linear(32, 10))
            h = fit(model, train_loader, train_loader, epochs=2, device=device)
            print(h.train_loss, h.valid_acc)
            print(model[1].running_var.device, model[1].num_batches_tracked.item())
            print(evaluate(model, train_loader))

            """
        let gpu = try runDLX(["-"], stdin: script, environment: ["DLX_CUDA_EMULATE": "1"])
        let cpu = try runDLX(["-"], stdin: script)
        #expect(gpu.stderr == "" && cpu.stderr == "")
        #expect(gpu.stdout.contains("cuda:0 16"))
        #expect(cpu.stdout.contains("cpu 16"))
        // Drop the epoch lines' timings; everything else must agree: losses within 2e-3, and accuracies (of 256
        // images; the convolutions' float sums are ordered differently on the two devices) within two images.
        func results(_ s: String) -> [Double] {
            Self.numbers(s.replacingOccurrences(of: "cuda:0", with: "cpu").split(separator: "\n").filter { !$0.hasPrefix("Epoch") }
                .joined(separator: "\n"))
        }
        let (a, b) = (results(gpu.stdout), results(cpu.stdout))   // [l1, l2] [acc1, acc2] / device 16 / (loss, acc)
        #expect(a.count == 7 && b.count == 7)
        for (i, (x, y)) in zip(a, b).enumerated() {
            let tolerance = [2, 3, 6].contains(i) ? 2.0 / 256 : 2e-3 * max(abs(y), 1)
            #expect(abs(x - y) <= tolerance, "number \(i): \(gpu.stdout)\nvs\n\(cpu.stdout)")
        }
    }
}
