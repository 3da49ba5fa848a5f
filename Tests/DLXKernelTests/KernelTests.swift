import Foundation
import Testing
@testable import DLXKernel
import DLXShell
import TestSupport

/// The dlx executable built beside this test bundle.
let dlxPath: String = {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("dlx").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir.deleteLastPathComponent()
    }
    return repositoryRoot + "/.build/debug/dlx"
}()

/// Runs a program; returns its exit status and its output and errors together.
func run(_ program: String, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: program)
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["DLX_DATA"] = repositoryRoot + "/data"
    for (k, v) in environment { env[k] = v }
    p.environment = env
    if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The test virtual environment's Python when it has Jupyter's client libraries; otherwise nil, and
/// the reason is printed once.
let jupyterPython: String? = {
    guard let python = ProcessInfo.processInfo.environment["DLX_TEST_PYTHON"], FileManager.default.isExecutableFile(atPath: python) else {
        print("skipping the Jupyter kernel's client tests: DLX_TEST_PYTHON is not set (scripts/test sets it)")
        return nil
    }
    let modules = ["jupyter_client", "jupyter_kernel_test", "nbclient", "nbformat"]
    guard let check = try? run(python, ["-c", modules.map { "import \($0)" }.joined(separator: "; ")]), check.status == 0 else {
        print("skipping the Jupyter kernel's client tests: \(python) lacks one of \(modules.joined(separator: ", ")) (scripts/test installs them)")
        return nil
    }
    return python
}()

/// The kernelspec installed under a scratch prefix, for the client libraries to find through JUPYTER_PATH.
let jupyterPath: String? = {
    guard let dir = try? scratchDirectory("kernelspec"), let r = try? run(dlxPath, ["kernel", "install", "--prefix", dir]),
          r.status == 0 else { return nil }
    return dir + "/share/jupyter"
}()

@Suite(.serialized) struct KernelTests {
    /// RFC 4231's second HMAC-SHA256 test case.
    @Test func signsWithHMACSHA256() {
        let signer = Signer(key: "Jefe")
        let data = Array("what do ya want for nothing?".utf8)
        #expect(signer.sign([data]) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(signer.sign([Array(data.prefix(10)), Array(data.dropFirst(10))]) == signer.sign([data]))
        let good = Array(signer.sign([data]).utf8)
        #expect(signer.verify(good, [data]))
        var forged = good
        forged[0] = forged[0] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        #expect(!signer.verify(forged, [data]))
        #expect(!signer.verify(Array(good.dropLast()), [data]))
        #expect(!signer.verify([], [data]))
        #expect(!Signer(key: "other").verify(good, [data]))
    }

    @Test func messagesRoundTripAndUnsignedOnesAreRefused() throws {
        let signer = Signer(key: "k")
        let m = Message.make("execute_request", .object([("code", .string("1 + 1"))]), parent: nil, session: "s",
                             identities: [Array("client".utf8)])
        let frames = m.frames(signer: signer)
        let back = try Message.parse(frames, signer: signer)
        #expect(back.type == "execute_request")
        #expect(back.content["code"]?.stringValue == "1 + 1")
        #expect(back.identities == [Array("client".utf8)])
        #expect(throws: Message.Refusal.self) { try Message.parse(frames, signer: Signer(key: "wrong")) }
        var forged = frames
        forged[5] = Array(#"{"code": "evil()"}"#.utf8)
        #expect(throws: Message.Refusal.self) { try Message.parse(forged, signer: signer) }
        #expect(throws: Message.Refusal.self) { try Message.parse(Array(frames.prefix(4)), signer: signer) }
        #expect(throws: Message.Refusal.self) { try Message.parse([[1, 2, 3]], signer: signer) }
        let notJSON: [[UInt8]] = [Array("{".utf8), Array("{}".utf8), Array("{}".utf8), Array("{}".utf8)]
        #expect(throws: Message.Refusal.self) { try Message.parse([Message.delimiter, Array(signer.sign(notJSON).utf8)] + notJSON, signer: signer) }
    }

    @Test func uuidsAreVersion4() {
        let u = Signer.uuid()
        #expect(u.count == 36)
        #expect(Array(u)[14] == "4")
        #expect(Signer.uuid() != u)
    }

    @Test func timestampsAreISO8601() {
        let t = Message.timestamp()
        #expect(t.count == 27)
        #expect(t.hasSuffix("Z"))
        #expect(Array(t)[10] == "T")
    }

    @Test func connectionFilesAreChecked() throws {
        let dir = try scratchDirectory("connection")
        let good = #"{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "ip": "127.0.0.1", "key": "abc", "transport": "tcp", "signature_scheme": "hmac-sha256"}"#
        try good.write(toFile: dir + "/good.json", atomically: true, encoding: .utf8)
        guard case .success(let c) = Connection.read(dir + "/good.json") else { Issue.record("good connection file refused"); return }
        #expect(c.key == "abc")
        #expect(c.endpoint(c.iopubPort) == "tcp://127.0.0.1:2")
        for (name, text) in [("missing", #"{"shell_port": 1}"#), ("array", "[1]"), ("scheme", good.replacingOccurrences(of: "hmac-sha256", with: "hmac-md5")),
                             ("port", good.replacingOccurrences(of: "\"hb_port\": 5", with: "\"hb_port\": 70000"))] {
            try text.write(toFile: dir + "/\(name).json", atomically: true, encoding: .utf8)
            if case .success = Connection.read(dir + "/\(name).json") { Issue.record("\(name) accepted") }
        }
        let r = try run(dlxPath, ["kernel", "-f", dir + "/missing.json"])
        #expect(r.status == 2)
        #expect(r.output.contains("lacks a port"))
    }

    @Test func installWritesAKernelspecJupyterFinds() throws {
        let dir = try scratchDirectory("install")
        let r = try run(dlxPath, ["kernel", "install", "--prefix", dir])
        #expect(r.status == 0, "\(r.output)")
        let folder = dir + "/share/jupyter/kernels/dlx"
        let spec = try String(contentsOfFile: folder + "/kernel.json", encoding: .utf8)
        let json = try #require(JSON.parse(spec))
        #expect(json["argv"]?.arrayValue?.compactMap(\.stringValue).dropFirst() == ["kernel", "-f", "{connection_file}"])
        #expect(json["display_name"]?.stringValue == "dlx")
        #expect(json["language"]?.stringValue == "python")
        for size in [32, 64] {
            let png = try Data(contentsOf: URL(fileURLWithPath: folder + "/logo-\(size)x\(size).png"))
            #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            #expect(png[16..<24] == Data([0, 0, 0, UInt8(size), 0, 0, 0, UInt8(size)]))
        }
        if let python = jupyterPython {
            let list = try run(python, ["-c", "from jupyter_client.kernelspec import KernelSpecManager as M; print(sorted(M().find_kernel_specs()))"],
                               environment: ["JUPYTER_PATH": dir + "/share/jupyter"])
            #expect(list.output.contains("'dlx'"), "\(list.output)")
        }
        let home = try scratchDirectory("install-home")
        #expect(try run(dlxPath, ["kernel", "install", "--user"], environment: ["HOME": home, "JUPYTER_DATA_DIR": "", "XDG_DATA_HOME": ""]).status == 0)
        #expect(FileManager.default.fileExists(atPath: home + "/.local/share/jupyter/kernels/dlx/kernel.json"))
        #expect(try run(dlxPath, ["kernel", "uninstall", "--prefix", dir]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: folder))
        #expect(try run(dlxPath, ["kernel", "uninstall", "--prefix", dir]).status == 1)
        #expect(try run(dlxPath, ["kernel", "install", "--bogus"]).status == 2)
    }

    /// jupyter_kernel_test's conformance case, and interrupt, restart, input() and hostile input
    /// (Tests/kernel/test_dlx_kernel.py).
    @Test func passesJupyterKernelTestConformance() throws {
        guard let python = jupyterPython, let jupyterPath else { return }
        let r = try run(python, ["-m", "unittest", "-v", "test_dlx_kernel"], environment: ["JUPYTER_PATH": jupyterPath],
                        directory: repositoryRoot + "/Tests/kernel")
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("OK"))
    }

    /// Lesson 1 as a notebook through nbclient: the same text as at the terminal, and a PNG picture.
    @Test func runsLessonOneThroughNbclient() throws {
        guard let python = jupyterPython, let jupyterPath else { return }
        let dir = try scratchDirectory("lesson-notebook")
        let r = try run(python, [repositoryRoot + "/Tests/kernel/lesson_notebook.py", dlxPath, repositoryRoot + "/lessons/01-mnist.dlx", dir],
                        environment: ["JUPYTER_PATH": jupyterPath])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains(" 0 differ, 1 PNG pictures"), "\(r.output)")
    }
}
