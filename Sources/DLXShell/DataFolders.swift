#if canImport(Glibc)
import Glibc
#endif

/// Where dlx looks for its data: `$DLX_DATA` first, then the `data/` folder of the installation or
/// checkout that holds the running executable, so `dlx` works from any working directory.
enum DataFolders {
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
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return parent(String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    static func parent(_ path: String) -> String? {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return nil }
        return String(path[..<slash])
    }
}
