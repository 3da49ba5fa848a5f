#if canImport(Glibc)
import Glibc
#endif
import DLXInterpreter

/// Where dlx looks for its data: `$DLX_DATA` first, then the `data/` folder of the installation or
/// checkout that holds the running executable, so `dlx` works from any working directory.
public enum DataFolders {
    static func discover() -> [String] {
        var folders: [String] = []
        if let env = getenv("DLX_DATA") { folders.append(String(cString: env)) }
        var dir = executableDirectory()
        for _ in 0..<6 {
            guard let d = dir else { break }
            for candidate in [d + "/data", d + "/share/dlx/data"] where access(candidate + "/mnist", R_OK) == 0 {
                folders.append(candidate)
            }
            dir = parent(d)
        }
        return folders
    }

    static func executableDirectory() -> String? {
        executablePath().flatMap(parent)
    }

    /// This program's own file, for starting copies of it (`dlx grade`).
    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func parent(_ path: String) -> String? {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return nil }
        return String(path[..<slash])
    }

    /// Where decompressed datasets are cached: $DLX_CACHE (empty: no cache), else $XDG_CACHE_HOME/dlx,
    /// else ~/.cache/dlx.
    static func cacheFolder() -> String? {
        if let c = getenv("DLX_CACHE") { let s = String(cString: c); return s.isEmpty ? nil : s }
        if let x = getenv("XDG_CACHE_HOME"), x.pointee != 0 { return String(cString: x) + "/dlx" }
        if let h = getenv("HOME"), h.pointee != 0 { return String(cString: h) + "/.cache/dlx" }
        return nil
    }

    /// A session with the data folders and the dataset cache of this installation.
    public static func session(memoryLimit: Int?, seed: UInt64) -> Session {
        let session = Session(dataFolders: discover(), memoryLimit: memoryLimit, seed: seed)
        session.catalog.cacheFolder = cacheFolder()
        (session.cudaLibrary, session.cudaEnvironment) = cudaSettings()
        session.emulateCUDA = emulateCUDA
        session.writeStandardError = { Output.stderr($0) }
        if let libraries = blasLibraries { session.backend.blasLibraries = libraries }
        session.backend.onMissingBLAS = { Output.stderr(missingBLASNotice) }
        // DLX_GC_THRESHOLD=1 collects cycles before every statement: how the tests check that the collector
        // never frees what a program still uses.
        if let t = getenv("DLX_GC_THRESHOLD").flatMap({ Int(String(cString: $0)) }), t > 0 { session.heap.setThreshold(t) }
        return session
    }

    /// Said once, at the first matrix product, when no BLAS library loads (an epoch then takes a minute
    /// instead of a second or two).
    static let missingBLASNotice = "dlx: " + Interpreter.slowKernels + "\n"

    /// $DLX_BLAS_LIBRARY: the one BLAS library to load instead of OpenBLAS's usual names, or `none` for
    /// dlx's reference kernels (tests, comparisons); nil when unset.
    static var blasLibraries: [String]? {
        guard let v = getenv("DLX_BLAS_LIBRARY").map({ String(cString: $0) }) else { return nil }
        return v.isEmpty || v == "none" ? [] : [v]
    }

    /// DLX_CUDA_EMULATE=1: `cuda` is the emulated GPU (host memory, the kernels' reference loops), so the
    /// GPU paths run, slowly, where there is no GPU (tests, CI).
    static var emulateCUDA: Bool { getenv("DLX_CUDA_EMULATE").map { String(cString: $0) == "1" } ?? false }

    /// The CUDA driver to load: `$DLX_CUDA_LIBRARY` (for tests and unusual installs) or libcuda.so.1;
    /// and CUDA_VISIBLE_DEVICES, which the driver reads too.
    static func cudaSettings() -> (String, [String: String]) {
        let library = getenv("DLX_CUDA_LIBRARY").map { String(cString: $0) } ?? "libcuda.so.1"
        var environment: [String: String] = [:]
        if let v = getenv("CUDA_VISIBLE_DEVICES") { environment["CUDA_VISIBLE_DEVICES"] = String(cString: v) }
        return (library.isEmpty ? "libcuda.so.1" : library, environment)
    }
}
