#if canImport(Glibc)
import Glibc
#endif
import DLXInterpreter
import DLXFrontEnd

/// One submission as `dlx grade` found it: its path (the id in the results), the folder it was found in,
/// and what error messages call it (its path relative to that folder), or why it is not graded.
struct Submission: Equatable {
    /// As given, or the folder joined with the file's name.
    let path: String
    /// The submissions folder: the directory given, or the folder of a file given itself.
    let folder: String
    /// The path relative to `folder`: what the submission's own error messages show.
    let name: String

    init(path: String, folder: String) {
        self.path = path
        self.folder = folder
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        name = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path.split(separator: "/").last.map(String.init) ?? path
    }

    /// Files as given; directories replaced by the .dlx files in them, in name order.
    static func expand(_ paths: [String]) -> [Submission] {
        var out: [Submission] = []
        for p in paths {
            guard TextFiles.isDirectory(p), let names = TextFiles.entries(of: p) else {
                let slash = p.lastIndex(of: "/")
                let folder = slash.map { p[..<$0].isEmpty ? "/" : String(p[..<$0]) } ?? "."
                out.append(Submission(path: p, folder: folder))
                continue
            }
            let dir = p.hasSuffix("/") ? String(p.dropLast()) : p
            out += names.filter { ($0.hasSuffix(".dlx") || $0.hasSuffix(".ipynb")) && !$0.hasPrefix(".") }.map { Submission(path: dir + "/" + $0, folder: dir.isEmpty ? "/" : dir) }
        }
        return out
    }

    /// The `index`-th of `count` shards (`--shard K/N`): every N-th submission of the list sorted by path,
    /// starting at the K-th (from 0), so that N runs with K = 0...N-1 grade each submission exactly once.
    static func shard(_ all: [Submission], index: Int, count: Int) -> [Submission] {
        all.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
            .enumerated().filter { $0.offset % count == index }.map(\.element)
    }

    /// Why this submission is not graded, or nil: a link (as unpacked student archives can hold) to a file
    /// outside the submissions folder, or the key itself, is never run.
    func refusal(key: String) -> String? {
        guard let real = GradeChild.absolute(path) else { return nil }   // unreadable: the child says why
        if let k = GradeChild.absolute(key), k == real { return "the submission '\(Submission.escaped(name))' is the key; not graded" }
        guard let home = GradeChild.absolute(folder) else { return nil }
        if real != home && !real.hasPrefix(home == "/" ? "/" : home + "/") {
            return "the submission '\(Submission.escaped(name))' is a link to a file outside the submissions folder; not graded"
        }
        return nil
    }

    /// A file name as it can be printed in a table or a message: backslashes, control characters (a
    /// newline or a carriage return would forge rows, an escape sequence would rewrite the terminal) and
    /// invisible format characters escaped as in Python's string literals.
    static func escaped(_ s: String) -> String { PythonText.escaped(s) }
}

/// Work folders of `dlx grade`: `$TMPDIR/dlx-grade-PID-XXXXXX` (`/tmp` without TMPDIR), named by the
/// grader's process id, so that the next `dlx grade` removes those of a grader that was killed (its process
/// is gone).
enum GradeWorkFolders {
    static let parent: String = {
        guard let t = getenv("TMPDIR").map({ String(cString: $0) }), t.hasPrefix("/"), TextFiles.isDirectory(t) else { return "/tmp" }
        return t.count > 1 && t.hasSuffix("/") ? String(t.dropLast()) : t
    }()
    static let prefix = "dlx-grade-"

    /// A fresh, empty folder for one submission, or nil.
    static func make() -> String? {
        var template = Array("\(parent)/\(prefix)\(getpid())-XXXXXX".utf8CString)
        guard let dir = mkdtemp(&template) else { return nil }
        return String(cString: dir)
    }

    /// Removes the work folders (this user's) of graders that are no longer running.
    static func removeStale() {
        guard let names = TextFiles.entries(of: parent) else { return }
        for name in names where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0, pid != getpid() else { continue }
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }
            var st = stat()
            let path = parent + "/" + name
            guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, st.st_uid == getuid() else { continue }
            GradeParent.removeTree(path)
        }
    }
}
