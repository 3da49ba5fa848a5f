#if canImport(Glibc)
import Glibc
#endif

/// Every file dlx writes goes through here. A whole file (a notebook, a picture, `%save`, grading results,
/// the dataset cache) is written to a temporary file in the target's folder, flushed to the disk, renamed
/// over the target and the folder flushed too: a crash, a kill or a full disk leaves either the old file or
/// the new one, never a truncated mix, and on an error the old file stays and the temporary one goes.
/// A stream written record by record (`--json FILE`) is a `RecordFile`: each record goes out in one
/// write, and the first error is reported.
///
/// Files the user's code writes are charged to its DiskQuota (`quota`): the interpreter passes the
/// session's, through Interpreter.writeFile.
///
/// For tests, DLX_TEST_WRITE_ERROR=ERRNO[:N] makes the N-th write (default the first) of each file fail
/// with ERRNO after half its bytes went out, as a disk that fills up does.
public enum AtomicFile {
    /// Why a write failed: an errno and the path, which `description` puts in Python's words.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public let code: Int32
        public let path: String
        public init(code: Int32, path: String) { self.code = code; self.path = path }
        /// `[Errno 28] No space left on device: 'path'`, as Python's OSError says it.
        public var description: String { "[Errno \(code)] \(String(cString: strerror(code))): '\(path)'" }
    }

    public static func write(_ bytes: [UInt8], to path: String, quota: DiskQuota? = nil, fault: Fault? = injectedFault) throws(Failure) {
        let code = bytes.withUnsafeBytes { write([$0], to: path, quota: quota, fault: fault) }
        if code != 0 { throw Failure(code: code, path: path) }
    }

    public static func write(_ text: String, to path: String, quota: DiskQuota? = nil, fault: Fault? = injectedFault) throws(Failure) {
        try write(Array(text.utf8), to: path, quota: quota, fault: fault)
    }

    /// Writes `parts`, one after another, as the whole file; 0, or the errno of the step that failed.
    /// `fault` injects an error (the N-th write fails with that errno): DLX_TEST_WRITE_ERROR by default.
    public static func write(_ parts: [UnsafeRawBufferPointer], to path: String, quota: DiskQuota? = nil,
                             fault: Fault? = injectedFault) -> Int32 {
        let target = resolvedTarget(path)
        var st = stat()
        let exists = stat(target, &st) == 0
        if exists && (st.st_mode & S_IFMT) == S_IFDIR { return EISDIR }
        // The quota is charged what the file adds, before anything is written (and given back on an error).
        let added = parts.reduce(0) { $0 + $1.count } - (exists && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : 0)
        if let quota {
            let code = quota.charge(added)
            if code != 0 { return code }
        }
        let code = replace(parts, target: target, existing: exists ? st : nil, fault: fault)
        if code != 0 { _ = quota?.charge(-added) }
        return code
    }

    private static func replace(_ parts: [UnsafeRawBufferPointer], target: String, existing: stat?, fault: Fault?) -> Int32 {
        let exists = existing != nil
        let st = existing ?? stat()
        // A device or a pipe (`--ipynb /dev/stdout`) is written in place: there is no file to replace.
        if exists && (st.st_mode & S_IFMT) != S_IFREG { return writeInPlace(parts, to: target, fault: fault) }
        let (folder, name) = split(target)
        removeStaleTemporaries(of: name, in: folder)
        let temporary = folder + "/" + temporaryPrefix(name) + "\(getpid())" + temporarySuffix
        var fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        if fd < 0 && errno == EEXIST {   // left by a process of this id that died: this process's now
            unlink(temporary)
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        }
        if fd < 0 { return errno }
        if exists { fchmod(fd, st.st_mode & 0o7777) }   // a replaced file keeps its permissions
        var writes = 0
        var code: Int32 = 0
        for part in parts where code == 0 { code = writeAll(fd, part, &writes, fault) }
        if code == 0 && fsync(fd) != 0 { code = errno }
        if close(fd) != 0 && code == 0 { code = errno }
        if code == 0 && rename(temporary, target) != 0 { code = errno }
        if code != 0 { unlink(temporary); return code }
        syncFolder(folder)
        return 0
    }

    private static func writeInPlace(_ parts: [UnsafeRawBufferPointer], to target: String, fault: Fault?) -> Int32 {
        let fd = open(target, O_WRONLY | O_CLOEXEC)
        if fd < 0 { return errno }
        var writes = 0, code: Int32 = 0
        for part in parts where code == 0 { code = writeAll(fd, part, &writes, fault) }
        if close(fd) != 0 && code == 0 { code = errno }
        return code
    }

    /// The file a write replaces: a symbolic link's target (so that the link stays a link), else the path.
    static func resolvedTarget(_ path: String) -> String {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK, let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    static func temporaryPrefix(_ name: String) -> String { "." + name + "." }
    static let temporarySuffix = ".dlx-tmp"

    /// Removes temporary files left by dlx processes that were killed mid-write: those of `name`, or of any
    /// file in the folder (nil); with `legacy`, also the `NAME.PID.tmp` files of earlier dlx versions.
    public static func removeStaleTemporaries(of name: String?, in folder: String, legacy: Bool = false) {
        let prefix = name.map(temporaryPrefix) ?? "."
        for entry in Directory.names(in: folder) ?? [] {
            var pidText: Substring? = nil
            if entry.hasPrefix(prefix), entry.hasSuffix(temporarySuffix) {
                pidText = entry.dropLast(temporarySuffix.count).split(separator: ".").last
            } else if legacy, entry.hasSuffix(".tmp") {
                pidText = entry.dropLast(4).split(separator: ".").last
            }
            guard let pidText, let pid = Int32(pidText), pid > 0, pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(folder + "/" + entry)
        }
    }

    /// Makes the rename itself durable. Some file systems cannot sync a folder; nothing is lost then.
    static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Writes all of `bytes` (retrying short writes and interrupted calls); 0 or an errno. `writes` counts
    /// the writes of one file, for the injected fault.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, _ writes: inout Int, _ fault: Fault?) -> Int32 {
        guard var p = bytes.baseAddress else { return 0 }
        var left = bytes.count
        while left > 0 {
            writes += 1
            if let fault, fault.at == writes {
                _ = Glibc.write(fd, p, left / 2)
                return fault.code
            }
            let n = Glibc.write(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            p += n
            left -= n
        }
        return 0
    }

    /// An injected write error: the `at`-th write of a file fails with `code`, after half its bytes.
    public struct Fault: Sendable {
        public let code: Int32, at: Int
        public init(code: Int32, at: Int = 1) { self.code = code; self.at = at }
    }

    /// DLX_TEST_WRITE_ERROR=ERRNO[:N], read on each write.
    public static var injectedFault: Fault? {
        guard let v = getenv("DLX_TEST_WRITE_ERROR").map({ String(cString: $0) }) else { return nil }
        let fields = v.split(separator: ":")
        guard let code = fields.first.flatMap({ Int32($0) }) else { return nil }
        return Fault(code: code, at: fields.count > 1 ? Int(fields[1]) ?? 1 : 1)
    }
}

/// A file written record by record as a run goes (`--json FILE`): each record goes out whole, in one
/// write, so that a reader or a crash never sees half a line; the first error is kept for the caller to
/// report, and later records are dropped.
public final class RecordFile {
    public let path: String
    private var fd: Int32
    private var writes = 0
    private let fault: AtomicFile.Fault?
    /// The length of the records written whole so far.
    private var committed: off_t = 0
    /// The first write error, nil while all is well.
    public private(set) var failure: AtomicFile.Failure? = nil

    /// Opens `path` for writing from its start. Unlike a whole file, a stream replaces its target as it
    /// goes: a reader follows it while the run lasts.
    public init(path: String, fault: AtomicFile.Fault? = AtomicFile.injectedFault) throws(AtomicFile.Failure) {
        self.path = path
        self.fault = fault
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        if fd < 0 { throw AtomicFile.Failure(code: errno, path: path) }
    }

    /// Appends one record; false once a write has failed.
    @discardableResult
    public func append(_ record: String) -> Bool {
        guard failure == nil else { return false }
        let bytes = Array(record.utf8)
        let code = bytes.withUnsafeBytes { AtomicFile.writeAll(fd, $0, &writes, fault) }
        guard code == 0 else {
            // Whatever part of the record went out is cut off again (where the file can be cut: not a pipe).
            _ = ftruncate(fd, committed)
            failure = AtomicFile.Failure(code: code, path: path)
            return false
        }
        committed += off_t(bytes.count)
        return true
    }

    /// Flushes to the disk and closes; the failure, if any write or the flush failed.
    public func close() -> AtomicFile.Failure? {
        guard fd >= 0 else { return failure }
        if failure == nil && fsync(fd) != 0 && errno != EINVAL { failure = AtomicFile.Failure(code: errno, path: path) }
        if Glibc.close(fd) != 0 && failure == nil { failure = AtomicFile.Failure(code: errno, path: path) }
        fd = -1
        return failure
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }
}
