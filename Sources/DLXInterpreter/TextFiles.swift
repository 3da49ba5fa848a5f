#if canImport(Glibc)
import Glibc
#endif
import DLXEngine

/// Whole files: reading scripts (the command line's FILE, standard input, `%run`). What dlx writes goes
/// through `AtomicFile`.
public enum TextFiles {
    /// Scripts, keys, submissions and notebooks are text a person wrote: past this, a file is a mistake
    /// (`%run /dev/zero`, `yes | dlx`), and reading on would only end when memory does.
    public static let maxBytes = 64 << 20

    /// The file's text, or nil (with errno set) when it cannot be read, is a directory, or holds more than
    /// `maxBytes` (EFBIG).
    public static func read(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var st = stat()
        if fstat(fileno(f), &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { errno = EISDIR; return nil }
        return readAll(f)
    }

    /// Everything left in an open stream, decoded as UTF-8; nil (errno EFBIG) past `maxBytes`.
    public static func readAll(_ f: UnsafeMutablePointer<FILE>) -> String? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            bytes += buffer[0..<n]
            if bytes.count > maxBytes { errno = EFBIG; return nil }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Why `read` gave nil, in words.
    public static var failure: String { errno == EFBIG ? "larger than \(maxBytes >> 20) MiB" : String(cString: strerror(errno)) }

    /// The names in a folder (without `.` and `..`), sorted; nil when `path` is not a readable folder.
    public static func entries(of path: String) -> [String]? {
        Directory.names(in: path)?.sorted()
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

}

extension Interpreter {
    /// Writes a file the user asked for (`%save`, `show(x, file)`, `plot(h, file)`): inside the sandbox
    /// when there is one, atomically (the old file stays on any error), charged to the session's disk
    /// quota, and an OSError in Python's words when it fails. Every writer of the user's files comes here.
    func writeFile(_ bytes: [UInt8], to file: String) throws(DLXError) {
        try session.checkWrite(file)
        do { try AtomicFile.write(bytes, to: file, quota: session.diskQuota) } catch { throw DLXError("OSError", error.description) }
    }
}
