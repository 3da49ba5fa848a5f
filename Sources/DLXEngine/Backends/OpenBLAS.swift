#if canImport(Glibc)
import Glibc
#endif
import CSupport

/// OpenBLAS, loaded at run time. Loading late lets dlx choose the kernel core first: OpenBLAS reads
/// OPENBLAS_CORETYPE once, when it initialises, and Debian's 0.3.21 falls back to slow generic kernels on
/// CPUs newer than itself. A core type the user set is kept.
final class OpenBLAS: @unchecked Sendable {
    typealias SgemmFn = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float,
                                        UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32, Float,
                                        UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias NameFn = @convention(c) () -> UnsafeMutablePointer<CChar>?

    let sgemm: SgemmFn
    let library: String
    let coreName: String
    let config: String

    /// Candidate libraries, most specific first. libblas.so.3 is Debian's alternative, often OpenBLAS too.
    static let candidates = ["libopenblas.so.0", "libopenblas.so", "libblas.so.3"]

    static func load(_ candidates: [String]) -> OpenBLAS? {
        if candidates.isEmpty { return nil }
        if getenv("OPENBLAS_CORETYPE") == nil, let core = preferredCore() {
            setenv("OPENBLAS_CORETYPE", core, 0)
        }
        // dlx splits large products across cores itself (OpenBLAS's own threads scale poorly on the
        // small, batch-sized products of training), so each call into OpenBLAS runs on one thread. Said
        // before loading, OpenBLAS starts no threads at all: started and then told to use one, they stay
        // and spin in sched_yield, taking a few percent of the cores from the training threads.
        setenv("OPENBLAS_NUM_THREADS", "1", 0)
        for name in candidates {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let symbol = dlsym(handle, "cblas_sgemm") else { dlclose(handle); continue }
            let sgemm = unsafeBitCast(symbol, to: SgemmFn.self)
            func text(_ fn: String) -> String {
                guard let s = dlsym(handle, fn) else { return "" }
                guard let p = unsafeBitCast(s, to: NameFn.self)() else { return "" }
                return String(cString: p).trimmingCharacters(in: " ")
            }
            // Also when OPENBLAS_NUM_THREADS was set otherwise by the user.
            if let s = dlsym(handle, "openblas_set_num_threads") {
                typealias SetThreads = @convention(c) (Int32) -> Void
                unsafeBitCast(s, to: SetThreads.self)(1)
            }
            return OpenBLAS(sgemm: sgemm, library: name, coreName: text("openblas_get_corename"),
                            config: text("openblas_get_config"))
        }
        return nil
    }

    private init(sgemm: @escaping SgemmFn, library: String, coreName: String, config: String) {
        self.sgemm = sgemm; self.library = library; self.coreName = coreName; self.config = config
    }

    /// The OpenBLAS core for this CPU, where the CPU can run it and the OS saves its registers.
    static func preferredCore() -> String? {
        let f = Int(dlx_cpu_features())
        if f & Int(DLX_CPU_AVX512) != 0 { return "SkylakeX" }
        if f & Int(DLX_CPU_AVX2) != 0 && f & Int(DLX_CPU_FMA) != 0 {
            return f & Int(DLX_CPU_AMD) != 0 ? "Zen" : "Haswell"
        }
        return nil
    }

    func run(_ p: GemmParameters) {
        // CblasRowMajor = 101, CblasNoTrans = 111, CblasTrans = 112
        sgemm(101, p.transA ? 112 : 111, p.transB ? 112 : 111, Int32(p.m), Int32(p.n), Int32(p.k), p.alpha,
              p.a, Int32(p.lda), p.b, Int32(p.ldb), p.beta, p.c, Int32(p.ldc))
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
