import Foundation
@_exported import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The dlx executable built beside this test bundle.
let dlxPath: String = {
    let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var dir = exe.deletingLastPathComponent()
    // The bundle may be `.../debug/dlxPackageTests.xctest` (a file) or a directory inside it.
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("dlx").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir.deleteLastPathComponent()
    }
    return repositoryRoot + "/.build/debug/dlx"
}()

struct RunResult {
    var stdout: String
    /// Standard error without the notice that no BLAS library was found, which depends on the machine.
    var stderr: String { rawStderr.replacingOccurrences(of: missingBLASNotice, with: "") }
    /// Standard error as it came.
    var rawStderr: String
    var status: Int32
}

/// What dlx says on a machine without OpenBLAS (DataFolders.missingBLASNotice).
let missingBLASNotice = "dlx: OpenBLAS not found (install libopenblas0): using slow reference kernels\n"

/// Runs dlx with arguments and standard input, as a grader's pipe would.
func runDLX(_ arguments: [String], stdin input: String = "", environment: [String: String] = [:],
            directory: String = scratchRoot) throws -> RunResult {
    try runProgram(dlxPath, arguments, stdin: input, environment: environment, directory: directory)
}

/// Runs a program (dlx, or one that starts dlx) as runDLX does, DLX_DATA set.
func runProgram(_ path: String, _ arguments: [String], stdin input: String = "", environment: [String: String] = [:],
                directory: String = scratchRoot) throws -> RunResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    p.currentDirectoryURL = URL(fileURLWithPath: directory)
    var env = ProcessInfo.processInfo.environment
    env["DLX_DATA"] = repositoryRoot + "/data"
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
    p.standardInput = inPipe
    p.standardOutput = outPipe
    p.standardError = errPipe
    try p.run()
    inPipe.fileHandleForWriting.write(input.data(using: .utf8)!)
    try inPipe.fileHandleForWriting.close()
    // Read both streams to the end before waiting, so a large output cannot block the child.
    final class Box: @unchecked Sendable { var data = Data() }
    let err = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { err.data = errPipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let out = outPipe.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return RunResult(stdout: String(decoding: out, as: UTF8.self), rawStderr: String(decoding: err.data, as: UTF8.self),
                     status: p.terminationStatus)
}

/// Tests/Fixtures/cuda-on-cpu.cpp built as a libcuda.so.1 (once per test run): a CUDA driver that runs
/// dlx's kernel sources on the CPU. Nil where no C++ compiler and standard library are installed.
let cudaOnCPUDriver: String? = {
    let candidates = ["/usr/bin/clang++", "/usr/bin/c++", "/usr/bin/g++"]
        + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { String($0) + "/clang++" }
    guard let cxx = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }),
          let dir = try? scratchDirectory("cuda-on-cpu") else { return nil }
    let out = dir + "/libcuda.so.1"
    let p = Process()
    p.executableURL = URL(fileURLWithPath: cxx)
    p.arguments = ["-std=c++17", "-O1", "-shared", "-fPIC", "-pthread", "-I", repositoryRoot + "/Sources/CUDAKernels", "-o", out,
                   repositoryRoot + "/Tests/Fixtures/cuda-on-cpu.cpp"]
    guard (try? p.run()) != nil else { return nil }
    p.waitUntilExit()
    return p.terminationStatus == 0 ? out : nil
}()

/// The Python that reads dlx's files back independently: scripts/test's virtual environment (with
/// nbformat) when it set DLX_TEST_PYTHON, else a python3 on the PATH; nil without one.
let testPython: String? = {
    if let p = ProcessInfo.processInfo.environment["DLX_TEST_PYTHON"], FileManager.default.isExecutableFile(atPath: p) { return p }
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let p = String(dir) + "/python3"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}()

/// Runs Python code with arguments; returns its exit status and output.
func runPython(_ code: String, _ arguments: [String] = []) throws -> (status: Int32, output: String) {
    guard let python = testPython else { return (-1, "no python3") }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    p.arguments = ["-c", code] + arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}
