#if canImport(Glibc)
import Glibc
#endif

/// Reading scripts: the command line's FILE and standard input, and `%run`.
public enum TextFiles {
    /// The file's text, or nil (with errno set) when it cannot be read or is a directory.
    public static func read(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var st = stat()
        if fstat(fileno(f), &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { errno = EISDIR; return nil }
        return readAll(f)
    }

    /// Everything left in an open stream, decoded as UTF-8.
    public static func readAll(_ f: UnsafeMutablePointer<FILE>) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
