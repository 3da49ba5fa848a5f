#if canImport(Glibc)
import Glibc
#endif
import DLXInterpreter
import DLXEngine
import CSupport

/// The limits shared by `dlx`, `dlx test` and `dlx grade`: `--timeout`, `--total-timeout`, `--max-memory`,
/// `--max-output`, `--max-disk` and `--sandbox`.
struct RunLimits {
    var cellSeconds: Double? = nil
    var totalSeconds: Double? = nil
    var memoryMB: Int? = nil
    var maxOutputKB: Int? = nil
    /// `--max-disk MB`: what the files the code writes may take.
    var maxDiskMB: Int? = nil
    var sandbox = false
    /// `--sandbox-root DIR`: the folder the code runs in and may use (default: the working directory).
    var sandboxRoot: String? = nil
    /// Files the sandbox hides even under its root (the grading key; `--sandbox-hide PATH`).
    var hidden: [String] = []
    /// Folders the sandbox lets code read besides the working directory and the data folders.
    var readable: [String] = []

    enum Parsed { case taken, bad(String), notMine }

    /// Takes the option at `args[i]` (and its value, advancing `i`) when it is one of these.
    mutating func parse(_ args: [String], _ i: inout Int) -> Parsed {
        let a = args[i]
        func value() -> String? { i + 1 < args.count ? args[i + 1] : nil }
        switch a {
        case "--timeout", "--total-timeout":
            guard let v = value(), let s = Double(v), s > 0, s.isFinite else { return .bad("\(a) needs a number of seconds") }
            if a == "--timeout" { cellSeconds = s } else { totalSeconds = s }
        case "--max-memory":
            // Up to 2^30 MB (a petabyte): past it the byte counts would overflow.
            guard let v = value(), let mb = Int(v), mb > 0, mb <= 1 << 30 else { return .bad("--max-memory needs a number of megabytes (1 to 2^30)") }
            memoryMB = mb
        case "--max-output":
            guard let v = value(), let kb = Int(v), kb > 0, kb <= 1 << 40 else { return .bad("--max-output needs a number of kilobytes (1 to 2^40)") }
            maxOutputKB = kb
        case "--max-disk":
            guard let v = value(), let mb = Int(v), mb >= 0, mb <= 1 << 30 else { return .bad("--max-disk needs a number of megabytes (0 to 2^30)") }
            maxDiskMB = mb
        case "--sandbox": sandbox = true; return .taken
        case "--sandbox-root", "--sandbox-hide":
            guard let v = value(), !v.isEmpty else { return .bad("\(a) needs a path") }
            sandbox = true
            if a == "--sandbox-root" { sandboxRoot = v } else { hidden.append(RunLimits.absolutePath(v)) }
        default: return .notMine
        }
        i += 1
        return .taken
    }

    var memoryBytes: Int? { memoryMB.map { $0 << 20 } }

    /// `path` from the working directory as it is now, for paths named before `enterSandboxRoot` moves.
    static func absolutePath(_ path: String) -> String {
        path.hasPrefix("/") || path == "-" ? path : Interpreter.currentDirectory() + "/" + path
    }

    /// With `--sandbox-root DIR`, moves into DIR, where the code runs (the caller names its own files
    /// with absolutePath first); an error message when it cannot.
    func enterSandboxRoot() -> String? {
        guard let root = sandboxRoot else { return nil }
        guard chdir(root) == 0 else { return "cannot use the sandbox root '\(root)': \(String(cString: strerror(errno)))" }
        return nil
    }

    /// The arguments that give these limits to a child `dlx` process.
    var arguments: [String] {
        var a: [String] = []
        if let cellSeconds { a += ["--timeout", "\(cellSeconds)"] }
        if let totalSeconds { a += ["--total-timeout", "\(totalSeconds)"] }
        if let memoryMB { a += ["--max-memory", "\(memoryMB)"] }
        if let maxOutputKB { a += ["--max-output", "\(maxOutputKB)"] }
        if let maxDiskMB { a += ["--max-disk", "\(maxDiskMB)"] }
        if sandbox { a.append("--sandbox"); for h in hidden { a += ["--sandbox-hide", h] } }
        return a
    }

    /// Gives the session its time limits and sandbox, and the process its address-space limit: tensors
    /// stop at the session's memory limit with a MemoryError, and the rlimit (the limit plus room for
    /// dlx itself and its libraries) catches anything else that grows without bound.
    func apply(to session: Session) {
        var limits = Limits()
        limits.cellSeconds = cellSeconds
        limits.totalSeconds = totalSeconds
        if sandbox {
            limits.sandbox = Sandbox(root: Interpreter.currentDirectory(), readable: session.catalog.folders + ["/usr/share/datasets"] + readable, hidden: hidden)
        }
        limits.memoryLimited = memoryBytes != nil
        session.limits = limits
        session.diskQuota = maxDiskMB.map { DiskQuota(limit: $0 << 20) }
        // Under a sanitizer (scripts/check-sanitizers) the tensors' and builds' limit holds, without the backstop.
        if let bytes = memoryBytes, dlx_sanitizer() == nil {
            let cap = rlim_t(bytes + (3 << 30))
            var r = rlimit(rlim_cur: cap, rlim_max: cap)
            var old = rlimit()
            if getrlimit(RLIMIT_AS_VALUE, &old) == 0, old.rlim_max != rlim_t.max, old.rlim_max < cap { r = old }
            setrlimit(RLIMIT_AS_VALUE, &r)
        }
    }
}

#if canImport(Glibc)
let RLIMIT_AS_VALUE = __rlimit_resource_t(RLIMIT_AS.rawValue)
#endif
