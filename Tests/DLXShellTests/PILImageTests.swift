import Testing
import Foundation

/// torchvision's MNIST without a transform gives PIL images, as it does in PyTorch: the script and what
/// the reference Python printed for it are in Tests/Fixtures/images (mnist-pil.py, mnist-pil.out).
@Suite struct PILImageTests {
    @Test func mnistWithoutATransformGivesWhatTorchvisionGives() throws {
        let folder = repositoryRoot + "/Tests/Fixtures/images"
        let expected = try String(contentsOfFile: folder + "/mnist-pil.out", encoding: .utf8)
        let dir = try scratchDirectory("mnist-pil")
        let r = try runDLX([folder + "/mnist-pil.py"], directory: dir)
        #expect(r.stdout == expected, "stderr:\n\(r.stderr)")
        #expect(r.status == 0)
    }

    /// dlx's own `load mnist` still gives tensors, and its DataLoader batches them.
    @Test func dlxsOwnLoadStillGivesTensors() throws {
        let r = try runDLX(["-c", "x = load mnist[0]\nprint(type(x).__name__, x.shape)\nds = load mnist.test\nprint(type(ds[0][0]).__name__)"])
        #expect(r.stdout == "Tensor torch.Size([1, 28, 28])\nTensor\n", "\(r.stderr)")
    }

    /// A corrupt file opened in a script is Pillow's error, and dlx goes on with the next cell's code.
    @Test func hostileFilesAreErrorsNotCrashes() throws {
        let folder = repositoryRoot + "/Tests/Fixtures/images/"
        for name in ["truncated.png", "bad-crc.png", "huge.png", "truncated.jpg", "not-an-image.png"] {
            let r = try runDLX(["-c", "from PIL import Image\ntry:\n    Image.open('\(folder + name)')\nexcept Exception as e:\n    print(type(e).__name__)"])
            #expect(r.status == 0, "\(name): \(r.stderr)")
            #expect(["OSError\n", "UnidentifiedImageError\n", "DecompressionBombError\n"].contains(r.stdout), "\(name): \(r.stdout)")
        }
    }
}

/// tqdm's bar: silent in a pipe (real tqdm writes it to stderr, which make-expected does not record), in
/// tqdm's format in place at a terminal, left on its own line when it ends.
@Suite struct TqdmTests {
    @Test func inAPipeOnlyTheLoopsOutputIsWritten() throws {
        let r = try runDLX(["-c", "from tqdm import tqdm\nfor i in tqdm(range(3), desc='x'):\n    print(i)"])
        #expect(r.stdout == "0\n1\n2\n")
        #expect(r.stderr == "")
    }

    @Test func atATerminalTheBarIsTqdmsAndStays() throws {
        let t = try ScreenTests.shell(columns: 60)
        #expect(t.expect(ScreenTests.prompt(1)))
        t.send("from tqdm import tqdm; import time\r")
        #expect(t.expect(ScreenTests.prompt(2)))
        t.send("for i in tqdm(range(40), desc='train'): time.sleep(0.01)\r")
        #expect(t.expect(ScreenTests.prompt(3)), "transcript: \(t.transcript.suffix(400).debugDescription)")
        // "\r\n" is one Character in Swift: the pty's line ends first, then the bar's redraws.
        let text = t.transcript.replacingOccurrences(of: "\r\n", with: "\n")
        for segment in text.split(separator: "\r") where segment.contains("train:") {
            let visible = segment.replacingOccurrences(of: "\u{1B}[K", with: "").split(separator: "\n").first ?? ""
            #expect(visible.count <= 59, "\(visible)")
        }
        #expect(t.transcript.contains("train: 100%|"), "\(t.transcript.suffix(400).debugDescription)")
        #expect(t.transcript.contains("| 40/40 [00:0"))
        guard ScreenTests.hasEmulator else { return }
        let screen = try ScreenTests.screen(t, columns: 60)
        #expect(screen.contains { $0.hasPrefix("train: 100%|█") && $0.contains("40/40") }, "\(screen.joined(separator: "\n"))")
    }

    /// A loop left by an error leaves its bar where it stopped, and the error starts on a line of its own.
    @Test func anErrorInTheLoopEndsTheBarsLine() throws {
        let t = try ScreenTests.shell(columns: 60)
        #expect(t.expect(ScreenTests.prompt(1)))
        t.send("from tqdm import tqdm\r")
        #expect(t.expect(ScreenTests.prompt(2)))
        t.send("for i in tqdm(range(10), desc='work'): 1 / (i - 3)\r")
        #expect(t.expect(ScreenTests.prompt(3)), "transcript: \(t.transcript.suffix(400).debugDescription)")
        guard ScreenTests.hasEmulator else { return }
        let screen = try ScreenTests.screen(t, columns: 60)
        #expect(screen.contains { $0.hasPrefix("work:  30%|") && $0.contains("3/10") }, "\(screen.joined(separator: "\n"))")
        #expect(screen.contains { $0.hasPrefix("ZeroDivisionError") }, "\(screen.joined(separator: "\n"))")
    }
}
