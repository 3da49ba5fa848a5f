#if canImport(Glibc)
import Glibc
#endif
import DLXEngine

/// `dlx cuda-selftest`: on a machine with an NVIDIA driver, loads every embedded PTX module, runs every
/// op of the lessons on the GPU and on the CPU and compares them (DeviceChecks: outputs and gradients,
/// relative 1e-4), then times the sgemm kernel. Without a driver it says why and exits 1.
/// scripts/gpu-check runs it on the GPU machine. With DLX_CUDA_EMULATE=1 the emulated GPU stands in.
enum CUDASelfTest {
    /// `timing: false` (`--no-timing`) skips the sgemm timings (the tests' CPU-run kernels would take hours).
    static func main(timing: Bool = true) -> Int32 {
        let (library, environment) = DataFolders.cudaSettings()
        let host = CPUBackend()
        let accelerator: any Accelerator
        if DataFolders.emulateCUDA {
            accelerator = EmulatedAccelerator()
            Output.stdout("emulated GPU (DLX_CUDA_EMULATE=1)\n")
        } else {
            let driver: CUDADriver
            switch CUDADriver.probe(library: library, environment: environment) {
            case .available(let d): driver = d
            case .unavailable(let why):
                Output.stdout("CUDA is not available: \(why)\n")
                return 1
            }
            Output.stdout("driver \(driver.versionText) (\(driver.library))\n")
            for d in driver.devices {
                Output.stdout("device \(d.ordinal): \(d.name), sm_\(d.computeCapability.major)\(d.computeCapability.minor), \(d.multiprocessors) SMs\n")
            }
            do {
                let gpu = try CUDAAccelerator(driver: driver)
                for module in CUDAKernels.modules.keys.sorted() {
                    for name in CUDAKernels.modules[module]! { _ = try gpu.gpu.function(module, name) }
                    Output.stdout("module \(module): loaded, \(CUDAKernels.modules[module]!.count) kernels found\n")
                }
                accelerator = gpu
            } catch {
                Output.stdout("error: \(error.message)\n")
                return 1
            }
        }
        let device = DeviceBackend(accelerator: accelerator, host: host)
        var failures = 0
        let checks = DeviceChecks.all(host: host)
        for c in checks {
            let r = DeviceChecks.run(c, device: device, host: host)
            if !r.passed { failures += 1 }
            let detail = r.problem.map { "   (\($0))" } ?? NumberFormat.format("   (max rel error %.2e)", r.worst)
            Output.stdout("\(r.passed ? "ok  " : "FAIL") \(c.name)\(detail)\n")
            Output.flush()
        }
        if timing, let cuda = accelerator as? CUDAAccelerator {
            do { try timeGemm(cuda) } catch {
                Output.stdout("error: \(error.message)\n")
                failures += 1
            }
        }
        Output.stdout("\(checks.count) checks, \(failures) failed\n")
        return failures == 0 ? 0 : 1
    }

    /// sgemm GFLOP/s on square products (the kernel runs asynchronously: timed between synchronizations).
    static func timeGemm(_ gpu: CUDAAccelerator) throws(TensorError) {
        for size in [1024, 4096] {
            let bytes = size * size * 4
            let a = try gpu.allocate(byteCount: bytes), b = try gpu.allocate(byteCount: bytes), c = try gpu.allocate(byteCount: bytes)
            defer { for p in [a, b, c] { gpu.free(p) } }
            try gpu.fill(a, 0.5, count: size * size)
            try gpu.fill(b, 0.25, count: size * size)
            let p = DeviceGemm(transA: false, transB: false, m: size, n: size, k: size, alpha: 1, beta: 0, a: a, lda: size, b: b, ldb: size, c: c, ldc: size)
            try gpu.gemm(p)   // warm-up
            try gpu.synchronize()
            let reps = size == 1024 ? 20 : 5
            let start = Trainer.now()
            for _ in 0..<reps { try gpu.gemm(p) }
            try gpu.synchronize()
            let seconds = (Trainer.now() - start) / Double(reps)
            var corner: Float = 0
            try gpu.download(c, to: &corner, byteCount: 4)
            let right = corner == Float(size) * 0.125
            Output.stdout("sgemm \(size)^3: " + NumberFormat.format("%.1f GFLOP/s", 2 * pow(Double(size), 3) / seconds / 1e9)
                          + (right ? "" : "  (WRONG: c[0] = \(corner))") + "\n")
            if !right { throw .runtime("sgemm gave a wrong product") }
        }
    }
}
