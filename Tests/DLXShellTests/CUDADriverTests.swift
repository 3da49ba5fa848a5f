import Testing
import Foundation

/// The CUDA driver is loaded at run time; without one (or with a broken one) dlx runs on the CPU and
/// says why. Fake drivers compiled from Tests/Fixtures/fake-libcuda.c stand in for real ones.
@Suite struct CUDADriverTests {
    /// A C compiler for the fakes: the Swift toolchain's clang, or the system's cc.
    static let compiler: String? = ["/usr/bin/clang", "/usr/bin/cc", "/usr/bin/gcc"].first { FileManager.default.isExecutableFile(atPath: $0) }
        ?? (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { String($0) + "/clang" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }

    static func fake(_ define: String?) throws -> String? {
        guard let compiler else { return nil }
        let out = try scratchDirectory("cuda-\(define ?? "gpu")-\(UUID().uuidString)") + "/libcuda.so.1"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: compiler)
        p.arguments = ["-shared", "-fPIC", "-o", out, repositoryRoot + "/Tests/Fixtures/fake-libcuda.c"] + (define.map { ["-D" + $0] } ?? [])
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? out : nil
    }

    static let script = "print(torch.cuda.is_available(), torch.cuda.device_count())\ntorch.zeros(2).cuda()\n"

    @Test func noLibraryMeansCPUWithTheReason() throws {
        let r = try runDLX(["-"], stdin: Self.script, environment: ["DLX_CUDA_LIBRARY": "/nonexistent/libcuda.so.1"])
        #expect(r.stdout == "False 0\n")
        #expect(r.stderr == "<stdin>:2:1: error: RuntimeError: CUDA is not available: libcuda.so.1 not found\n")
        let v = try runDLX(["--version"], environment: ["DLX_CUDA_LIBRARY": "/nonexistent/libcuda.so.1"])
        #expect(v.stdout.contains("CUDA: not available (libcuda.so.1 not found); dlx runs on the CPU"))
    }

    @Test func aLibraryWithoutTheDriverSymbolsIsNotADriver() throws {
        guard let lib = try Self.fake("PARTIAL") else { return }
        let r = try runDLX(["-"], stdin: Self.script, environment: ["DLX_CUDA_LIBRARY": lib])
        #expect(r.stdout == "False 0\n")
        #expect(r.stderr.contains("CUDA is not available: \(lib) has no cuDriverGetVersion"))
    }

    @Test func cuInitFailureIsReportedInTheDriversWords() throws {
        guard let lib = try Self.fake("NO_DEVICE") else { return }
        let r = try runDLX(["-"], stdin: Self.script, environment: ["DLX_CUDA_LIBRARY": lib])
        #expect(r.stderr.contains("CUDA is not available: cuInit failed: CUDA_ERROR_NO_DEVICE (100): no CUDA-capable device is detected"))
        let hidden = try runDLX(["--version"], environment: ["DLX_CUDA_LIBRARY": lib, "CUDA_VISIBLE_DEVICES": ""])
        #expect(hidden.stdout.contains("CUDA: not available (CUDA_VISIBLE_DEVICES is empty"))
    }

    /// A working driver is found and named; the first use of the device reports the driver's error (the
    /// fake cannot make a context) in the driver's words.
    @Test func aDriverWithADeviceIsNamedAndItsErrorsAreReported() throws {
        guard let lib = try Self.fake(nil) else { return }
        let r = try runDLX(["-"], stdin: "print(torch.cuda.device_count(), torch.cuda.get_device_name(0))\n" + Self.script,
                           environment: ["DLX_CUDA_LIBRARY": lib])
        #expect(r.stdout == "1 Fake GPU\nTrue 1\n")
        #expect(r.stderr == "<stdin>:3:1: error: RuntimeError: CUDA error: cuDevicePrimaryCtxRetain failed: CUDA_ERROR_UNKNOWN (999): unknown error\n")
        let v = try runDLX(["--version"], environment: ["DLX_CUDA_LIBRARY": lib])
        #expect(v.stdout.contains("CUDA: driver 12.4 (\(lib)), Fake GPU (sm_80)"))
    }

    /// The real GPU path without a GPU: dlx's kernel sources compiled for the host behind a driver that
    /// runs each CUDA thread as a thread (Tests/Fixtures/cuda-on-cpu.cpp). `dlx cuda-selftest` then runs
    /// every op of the lessons through CUDAAccelerator's launches and the kernels' own code, against the CPU.
    @Test func theKernelsAndTheirLaunchesAgreeWithTheCPUOnACUDAOnCPUDriver() throws {
        guard let driver = cudaOnCPUDriver else { return }   // no C++ compiler and library here
        let r = try runDLX(["cuda-selftest", "--no-timing"], environment: ["DLX_CUDA_LIBRARY": driver])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("device 0: CUDA on the CPU (test driver), sm_80"))
        #expect(r.stdout.contains(" checks, 0 failed\n"), "\(r.stdout)")
        #expect(!r.stdout.contains("FAIL"))
    }

    /// The self-test names the device, then reports the first driver error in the driver's words.
    @Test func selfTestReportsDriverErrors() throws {
        let none = try runDLX(["cuda-selftest"], environment: ["DLX_CUDA_LIBRARY": "/nonexistent/libcuda.so.1"])
        #expect(none.status == 1)
        #expect(none.stdout == "CUDA is not available: libcuda.so.1 not found\n")
        guard let lib = try Self.fake(nil) else { return }
        let r = try runDLX(["cuda-selftest"], environment: ["DLX_CUDA_LIBRARY": lib])
        #expect(r.status == 1)
        #expect(r.stdout.contains("device 0: Fake GPU, sm_80, 108 SMs\n"))
        #expect(r.stdout.contains("error: CUDA error: cuDevicePrimaryCtxRetain failed: CUDA_ERROR_UNKNOWN (999): unknown error"))
    }
}
