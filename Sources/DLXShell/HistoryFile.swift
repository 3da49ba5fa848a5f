#if canImport(Glibc)
import Glibc
#endif
import DLXEngine
import DLXInterpreter

/// The prompt's history file (`~/.dlx_history`), read and written only here. After a header line, one entry
/// per line, a multi-line cell's newlines and backslashes escaped (`\n`, `\\`), so that Up after a restart
/// recalls the whole cell; a file without the header (GNU readline's format, from earlier versions) is read
/// a line per entry and rewritten with the header at the first new entry. Each new entry is appended in one
/// write, under a lock that every dlx session takes, so sessions writing at once interleave whole entries;
/// when the file passes its bound by a twentieth it is trimmed to its newest `limit` lines by an atomic
/// rewrite (AtomicFile: on a full disk the old file stays whole). Nothing a session appended is lost
/// unless it is older than the newest `limit` lines.
struct HistoryFile {
    let path: String
    let limit: Int
    /// Injected write errors (tests): of the appends, of the trims. DLX_TEST_WRITE_ERROR by default.
    var faults = (append: AtomicFile.injectedFault, trim: AtomicFile.injectedFault)

    static let header = "# dlx history 2"

    /// The entries, oldest first (nothing when there is no file).
    func load() -> [String] {
        guard let text = TextFiles.read(path) else { return [] }
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.first == HistoryFile.header else { return lines }
        return lines.dropFirst().map(HistoryFile.unescape)
    }

    static func escape(_ entry: String) -> String {
        var out = ""
        for c in entry {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    static func unescape(_ line: String) -> String {
        var out = "", escaped = false
        for c in line {
            if escaped { out.append(c == "n" ? "\n" : c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }

    /// The whole file for `entries`, with its header.
    private static func text(_ entries: some Sequence<String>) -> String {
        ([header] + entries.map(escape)).joined(separator: "\n") + "\n"
    }

    /// True when the file is missing, empty or already has the header.
    private func isCurrentFormat() -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var first = [UInt8](repeating: 0, count: HistoryFile.header.utf8.count + 1)
        let n = first.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return n <= 0 || first.prefix(n) == Array((HistoryFile.header + "\n").utf8).prefix(n)
    }

    /// Appends `entry`; false when it could not be written (the file is left as it was: a part of the line
    /// that went out before a full disk stopped it is cut off again).
    @discardableResult
    func append(_ entry: String) -> Bool {
        locked {
            if !isCurrentFormat() {
                guard (try? AtomicFile.write(HistoryFile.text(load()), to: path, fault: faults.trim)) != nil else { return false }
            }
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return false }
            var st = stat()
            let size = fstat(fd, &st) == 0 ? st.st_size : -1
            var writes = 0
            let bytes = Array(((size == 0 ? HistoryFile.header + "\n" : "") + HistoryFile.escape(entry) + "\n").utf8)
            let code = bytes.withUnsafeBytes { AtomicFile.writeAll(fd, $0, &writes, faults.append) }
            if code != 0 && size >= 0 { _ = ftruncate(fd, size) }
            close(fd)
            guard code == 0 else { return false }
            if lineCount() > limit + 1 + Swift.max(1, limit / 20) {
                _ = try? AtomicFile.write(HistoryFile.text(load().suffix(limit)), to: path, fault: faults.trim)
            }
            return true
        }
    }

    /// The number of lines in the file, counted without making strings of them (it is read at every entry).
    private func lineCount() -> Int {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var count = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            buffer.withUnsafeBytes { (b: UnsafeRawBufferPointer) -> Void in
                guard let base = b.baseAddress else { return }
                var offset = 0
                while offset < n, let hit = memchr(base + offset, 10, n - offset) {
                    count += 1
                    offset = UnsafeRawPointer(hit) - base + 1
                }
            }
        }
        return count
    }

    /// Runs `body` holding the history's lock (a file beside it: the history itself is replaced when trimmed,
    /// so a lock on it would not hold across the rename).
    private func locked(_ body: () -> Bool) -> Bool {
        let fd = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd >= 0 { while flock(fd, LOCK_EX) != 0 && errno == EINTR {} }
        defer { if fd >= 0 { close(fd) } }
        return body()
    }
}
