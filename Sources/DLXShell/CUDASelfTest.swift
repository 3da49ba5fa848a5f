#if canImport(Glibc)
import Glibc
#endif
import DLXEngine
import CKernels

/// `dlx cuda-selftest`: on a machine with an NVIDIA driver, loads every embedded PTX module and runs the
/// kernels against the CPU's kernels on the same inputs (relative 1e-4), then times the sgemm. Without a
/// driver it says why and exits 1. scripts/gpu-check runs it on the GPU machine.
enum CUDASelfTest {
    static func main() -> Int32 {
        let (library, environment) = DataFolders.cudaSettings()
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
            let gpu = try CUDADevice(driver: driver)
            var failures = 0, checks = 0
            for module in CUDAKernels.modules.keys.sorted() {
                _ = try gpu.load(module)
                for name in CUDAKernels.modules[module]! { _ = try gpu.function(module, name) }
                Output.stdout("module \(module): loaded, \(CUDAKernels.modules[module]!.count) kernels found\n")
            }
            func report(_ name: String, _ got: [Float], _ want: [Float], rel: Float = 1e-4) {
                checks += 1
                var worst: Float = 0
                var ok = got.count == want.count
                for (g, w) in zip(got, want) {
                    let err = Swift.abs(g - w) / Swift.max(Swift.abs(w), 1e-3)
                    if !(err <= rel) && !(g.isNaN && w.isNaN) { ok = false }
                    if err.isFinite { worst = Swift.max(worst, err) }
                }
                if !ok { failures += 1 }
                Output.stdout("\(ok ? "ok  " : "FAIL") \(name)" + NumberFormat.format("   (max rel error %.2e)", Double(worst)) + "\n")
                Output.flush()
            }
            var rng = Generator(seed: 7)
            func random(_ n: Int) -> [Float] { (0..<n).map { _ in Float(rng.nextNormal()) } }

            // Elementwise.
            let n = 10_000, x = random(n)
            let dx = try gpu.upload(x), dy = try gpu.allocate(n * 4)
            let blocks = (n + 255) / 256
            try gpu.launch("elementwise", "fill", blocks: blocks, [.pointer(dy), .float(3.5), .int64(Int64(n))])
            report("fill", try gpu.download(dy, count: n), [Float](repeating: 3.5, count: n))
            for (name, f) in [("relu", { (v: Float) in v > 0 ? v : 0 }), ("exp", { (v: Float) in Float(Glibc.exp(Double(v))) }),
                              ("tanh", { (v: Float) in Float(Glibc.tanh(Double(v))) })] {
                try gpu.launch("elementwise", "unary_" + name, blocks: blocks, [.pointer(dx), .pointer(dy), .int64(Int64(n))])
                report("unary_" + name, try gpu.download(dy, count: n), x.map(f))
            }
            // Broadcast add: (3, 4) + (1, 4).
            let a = random(12), b = random(4)
            let da = try gpu.upload(a), db = try gpu.upload(b), dc = try gpu.allocate(12 * 4)
            try gpu.launch("elementwise", "binary_add", [.pointer(da), .pointer(db), .pointer(dc),
                                                         .bytes(CUDADevice.broadcast(shape: [3, 4], a: [4, 1], b: [0, 1])), .int64(12)])
            report("binary_add (broadcast)", try gpu.download(dc, count: 12), (0..<12).map { a[$0] + b[$0 % 4] })
            // Row sums and log-softmax, one block per row.
            let rows = 5, cols = 1000, m = random(rows * cols)
            let dm = try gpu.upload(m), dr = try gpu.allocate(rows * 4), ds = try gpu.allocate(rows * cols * 4)
            try gpu.launch("reduce", "sum_rows", blocks: rows, [.pointer(dm), .pointer(dr), .int64(Int64(rows)), .int64(Int64(cols)), .float(1)])
            report("sum_rows", try gpu.download(dr, count: rows), (0..<rows).map { r in m[(r * cols)..<((r + 1) * cols)].reduce(0, +) }, rel: 1e-3)
            try gpu.launch("softmax", "softmax_rows", blocks: rows, [.pointer(dm), .pointer(ds), .int64(Int64(rows)), .int64(Int64(cols)), .int32(1)])
            let logSoftmax = (0..<rows).flatMap { r -> [Float] in
                let row = Array(m[(r * cols)..<((r + 1) * cols)]), mx = row.max()!
                let lse = Float(Glibc.log(row.reduce(0.0) { $0 + Glibc.exp(Double($1 - mx)) })) + mx
                return row.map { $0 - lse }
            }
            report("softmax_rows (log)", try gpu.download(ds, count: rows * cols), logSoftmax)
            // sgemm in every transpose combination against the reference kernel.
            let (gm, gn, gk) = (70, 50, 33)
            let ga = random(gm * gk), gb = random(gk * gn)
            let dga = try gpu.upload(ga), dgb = try gpu.upload(gb), dgc = try gpu.allocate(gm * gn * 4)
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                try gpu.launch("sgemm", "sgemm", threads: 256, grid: ((gn + 63) / 64, (gm + 63) / 64),
                               [.int32(ta ? 1 : 0), .int32(tb ? 1 : 0), .int32(Int32(gm)), .int32(Int32(gn)), .int32(Int32(gk)), .float(1),
                                .pointer(dga), .int32(Int32(ta ? gm : gk)), .pointer(dgb), .int32(Int32(tb ? gk : gn)), .float(0),
                                .pointer(dgc), .int32(Int32(gn))])
                var want = [Float](repeating: 0, count: gm * gn)
                ga.withUnsafeBufferPointer { pa in gb.withUnsafeBufferPointer { pb in want.withUnsafeMutableBufferPointer { pc in
                    ReferenceKernels.gemm(GemmParameters(transA: ta, transB: tb, m: gm, n: gn, k: gk, alpha: 1, beta: 0,
                                                         a: pa.baseAddress!, lda: ta ? gm : gk, b: pb.baseAddress!, ldb: tb ? gk : gn,
                                                         c: pc.baseAddress!, ldc: gn))
                } } }
                report("sgemm transA=\(ta) transB=\(tb)", try gpu.download(dgc, count: gm * gn), want, rel: 1e-3)
            }
            // Dropout: the same seed gives the CPU's mask.
            try gpu.launch("optim", "dropout", blocks: blocks, [.pointer(dx), .pointer(dy), .int64(Int64(n)), .int64(1), .uint32(1234),
                                                                 .uint32(UInt32(0.8 * 16_777_216)), .float(1.25)])
            var cpu = [Float](repeating: 0, count: n)
            dlx_dropout(x, &cpu, 0, n, 1, 1234, UInt32(0.8 * 16_777_216), 1.25)
            report("dropout (same mask as the CPU)", try gpu.download(dy, count: n), cpu)
            for p in [dx, dy, da, db, dc, dm, dr, ds, dga, dgb, dgc] { gpu.free(p) }
            try layers(gpu, random) { name, got, want, rel in report(name, got, want, rel: rel) }

            // Timing: a 1024^3 product.
            let big = 1024, ba = try gpu.upload(random(big * big)), bb = try gpu.upload(random(big * big)), bc = try gpu.allocate(big * big * 4)
            let args: [CUDADevice.Argument] = [.int32(0), .int32(0), .int32(Int32(big)), .int32(Int32(big)), .int32(Int32(big)), .float(1),
                                               .pointer(ba), .int32(Int32(big)), .pointer(bb), .int32(Int32(big)), .float(0), .pointer(bc), .int32(Int32(big))]
            try gpu.launch("sgemm", "sgemm", grid: (big / 64, big / 64), args)   // warm-up
            let start = Trainer.now(), reps = 10
            for _ in 0..<reps { try gpu.launch("sgemm", "sgemm", grid: (big / 64, big / 64), args) }
            let seconds = (Trainer.now() - start) / Double(reps)
            Output.stdout(NumberFormat.format("sgemm 1024^3: %.1f GFLOP/s", 2 * pow(Double(big), 3) / seconds / 1e9) + "\n")
            for p in [ba, bb, bc] { gpu.free(p) }
            Output.stdout("\(checks) checks, \(failures) failed\n")
            return failures == 0 ? 0 : 1
        } catch {
            Output.stdout("error: \(error.message)\n")
            return 1
        }
    }
}
