#if canImport(Glibc)
import Glibc
#endif
import DLXEngine

/// What untrusted code may do: time per cell and in all, and (with a sandbox) which files it may touch.
/// The shell sets these for `--timeout`, `--total-timeout` and `--sandbox`; `dlx grade` sets all of them.
public struct Limits {
    /// Seconds one cell may run before it stops with TimeoutError.
    public var cellSeconds: Double? = nil
    /// Seconds the whole run may take.
    public var totalSeconds: Double? = nil
    public var sandbox: Sandbox? = nil
    /// The grader set a memory limit (--max-memory): a MemoryError past it is not the submission's to catch.
    public var memoryLimited = false

    public init() {}
}

/// Reads only under the working directory and the data folders, writes only under the working
/// directory, never the files named in `hidden` (the grading key), and no system access (environment,
/// `%cd`). Paths are resolved through symbolic links before they are checked.
public struct Sandbox {
    public let root: String
    public let readable: [String]
    public let hidden: [String]

    public init(root: String, readable: [String], hidden: [String] = []) {
        self.root = Sandbox.resolve(root) ?? root
        self.readable = readable.compactMap(Sandbox.resolve)
        self.hidden = hidden.compactMap(Sandbox.resolve)
    }

    /// The real path of `path`, or of its parent joined with its last component when it does not exist yet.
    static func resolve(_ path: String) -> String? {
        if let p = realpath(path, nil) { defer { free(p) }; return String(cString: p) }
        let slash = path.lastIndex(of: "/")
        let parent = slash.map { path[..<$0].isEmpty ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard name != "..", name != ".", let p = realpath(parent, nil) else { return nil }
        defer { free(p) }
        let base = String(cString: p)
        return (base == "/" ? "" : base) + "/" + name
    }

    static func inside(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder == "/" ? "/" : folder + "/")
    }

    func allows(_ path: String, write: Bool) -> Bool {
        guard let real = Sandbox.resolve(path) else { return false }
        if hidden.contains(where: { Sandbox.inside(real, $0) }) { return false }
        if Sandbox.inside(real, root) { return true }
        return !write && readable.contains { Sandbox.inside(real, $0) }
    }
}

extension Session {
    /// Throws PermissionError unless the sandbox (if any) lets this session read `path`.
    public func checkRead(_ path: String) throws(DLXError) {
        guard let s = limits.sandbox, !s.allows(path, write: false) else { return }
        throw DLXError("PermissionError", "[sandbox] reading '\(path)' is not allowed: only files under the working directory and the data folders")
    }

    public func checkWrite(_ path: String) throws(DLXError) {
        guard let s = limits.sandbox, !s.allows(path, write: true) else { return }
        throw DLXError("PermissionError", "[sandbox] writing '\(path)' is not allowed: only files under the working directory")
    }

    /// Throws PermissionError for `what` (a magic, an environment read) inside a sandbox.
    public func checkSystemAccess(_ what: String) throws(DLXError) {
        guard limits.sandbox != nil else { return }
        throw DLXError("PermissionError", "[sandbox] \(what) is not allowed")
    }

    /// Starts the clock for one cell (and, on the first call, for the whole run).
    public func startCell() {
        let now = Trainer.now()
        if runStarted == nil { runStarted = now }
        cellStarted = now
        // Long engine operations (a large product, a convolution) stop by themselves at the same moment
        // (a millisecond later, so that pendingStop then names the limit).
        var deadline = Double.infinity
        if let limit = limits.cellSeconds { deadline = now + limit + 1e-3 }
        if let limit = limits.totalSeconds, let start = runStarted { deadline = Swift.min(deadline, start + limit + 1e-3) }
        backend.cancellation.deadline = deadline
    }

    /// Starts the run's clock afresh (`dlx grade` gives the key's checks their own time).
    public func restartClock() { runStarted = nil }

    /// The error that should stop the running cell now, if any: Ctrl-C, or a time limit.
    public func pendingStop() -> DLXError? {
        if interruptRequested() { return DLXError("KeyboardInterrupt", "") }
        guard limits.cellSeconds != nil || limits.totalSeconds != nil else { return nil }
        let now = Trainer.now()
        // The grader's limits: no except clause of the submission's can catch them.
        if let limit = limits.cellSeconds, let start = cellStarted, now - start > limit {
            var e = DLXError("TimeoutError", "the cell ran for more than \(Session.seconds(limit)) (--timeout)")
            e.catchable = false
            return e
        }
        if let limit = limits.totalSeconds, let start = runStarted, now - start > limit {
            var e = DLXError("TimeoutError", "the run took more than \(Session.seconds(limit)) in all (--total-timeout)")
            e.catchable = false
            return e
        }
        return nil
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }
}
