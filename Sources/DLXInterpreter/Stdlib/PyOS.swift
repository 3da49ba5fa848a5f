#if canImport(Glibc)
import Glibc
#endif

/// Python's `os` and `os.path` (posixpath's string rules). Every file-system access goes through the
/// session's sandbox; the environment is off limits inside one, as `%env` is.
extension Interpreter {
    func osMembers() -> [String: Value] {
        var m: [String: Value] = ["sep": .string("/"), "name": .string("posix"), "linesep": .string("\n"), "curdir": .string("."),
                                  "pardir": .string(".."), "path": .object(namespace("os.path")!), "environ": .object(EnvironObject())]
        m["getcwd"] = function("getcwd") { _, _ throws(DLXError) in .string(Interpreter.currentDirectory()) }
        m["cpu_count"] = function("cpu_count") { _, _ throws(DLXError) in .int(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
        m["getenv"] = function("getenv") { a, i throws(DLXError) in
            let key = try i.pathArgument(try a.required(0, "key"), "getenv")
            let def = try a.get(1, "default") ?? Value.none
            try i.session.checkSystemAccess("reading the environment")
            return getenv(key).map { .string(String(cString: $0)) } ?? def
        }
        m["listdir"] = function("listdir") { a, i throws(DLXError) in
            let path = try a.get(0, "path").map { v throws(DLXError) in try i.pathArgument(v, "listdir") } ?? "."
            try i.session.checkRead(path)
            guard let names = TextFiles.entries(of: path) else { throw .os(errno, path) }
            return .list(ListBox(names.map { .string($0) }))
        }
        m["walk"] = function("walk") { a, i throws(DLXError) in
            let top = try i.pathArgument(try a.required(0, "top"), "walk")
            let topdown = try i.flag(&a, 1, "topdown", true)
            guard topdown else { throw .value("os.walk(topdown=False) is not supported in dlx") }
            var pending = [top]
            return .object(ValueIterator { () throws(DLXError) -> Value? in
                while let dir = pending.popLast() {
                    try i.session.checkRead(dir)
                    guard let names = TextFiles.entries(of: dir) else { continue }
                    let join = { (n: String) in dir.hasSuffix("/") ? dir + n : dir + "/" + n }
                    let dirs = names.filter { TextFiles.isDirectory(join($0)) }, files = names.filter { !TextFiles.isDirectory(join($0)) }
                    let dirList = ListBox(dirs.map { .string($0) })
                    pending.append(contentsOf: dirs.reversed().map(join))
                    return .tuple([.string(dir), .list(dirList), .list(ListBox(files.map { .string($0) }))])
                }
                return nil
            })
        }
        for name in ["remove", "unlink", "rmdir"] {
            m[name] = function(name) { a, i throws(DLXError) in
                let path = try i.pathArgument(try a.required(0, "path"), name)
                try i.session.checkWrite(path)
                if name == "rmdir" ? rmdir(path) != 0 : unlink(path) != 0 {
                    // unlink of a folder says EISDIR on Linux as Python reports it.
                    throw .os(errno == EPERM && TextFiles.isDirectory(path) ? EISDIR : errno, path)
                }
                return Value.none
            }
        }
        m["rename"] = function("rename") { a, i throws(DLXError) in
            let src = try i.pathArgument(try a.required(0, "src"), "rename"), dst = try i.pathArgument(try a.required(1, "dst"), "rename")
            try i.session.checkWrite(src)
            try i.session.checkWrite(dst)
            guard rename(src, dst) == 0 else {
                throw DLXError.os(errno, src).appending(" -> \(Interpreter.quote(dst))")
            }
            return Value.none
        }
        m["mkdir"] = function("mkdir") { a, i throws(DLXError) in
            let path = try i.pathArgument(try a.required(0, "path"), "mkdir")
            _ = try a.get(1, "mode")
            try i.session.checkWrite(path)
            guard mkdir(path, 0o777) == 0 else { throw .os(errno, path) }
            return Value.none
        }
        m["makedirs"] = function("makedirs") { a, i throws(DLXError) in
            let path = try i.pathArgument(try a.required(0, "name"), "makedirs")
            _ = try a.get(1, "mode")
            try i.makeDirectories(path, existOK: try i.flag(&a, 2, "exist_ok", false))
            return Value.none
        }
        return m
    }

    /// `os.makedirs`: the parents first (an existing one is fine), then the folder itself.
    private func makeDirectories(_ path: String, existOK: Bool) throws(DLXError) {
        var (head, tail) = Interpreter.splitPath(path)
        if tail.isEmpty { (head, tail) = Interpreter.splitPath(head) }
        if !head.isEmpty, !tail.isEmpty, !Interpreter.exists(head) {
            do { try makeDirectories(head, existOK: existOK) } catch { if error.type != "FileExistsError" { throw error } }
        }
        try session.checkWrite(path)
        if mkdir(path, 0o777) != 0 {
            let code = errno
            if !existOK || !TextFiles.isDirectory(path) { throw .os(code, path) }
        }
    }

    func osPathMembers() -> [String: Value] {
        var m: [String: Value] = ["sep": .string("/")]
        m["join"] = function("join") { a, i throws(DLXError) in
            let parts = try a.rest(from: 0).map { v throws(DLXError) -> String in
                guard case .string(let s) = v else { throw .type("join() argument must be str, bytes, or os.PathLike object, not '\(v.typeName)'") }
                return s
            }
            guard var path = parts.first else { throw .type("join() missing 1 required positional argument: 'a'") }
            for b in parts.dropFirst() {
                if b.hasPrefix("/") { path = b } else if path.isEmpty || path.hasSuffix("/") { path += b } else { path += "/" + b }
            }
            return .string(path)
        }
        let queries: [(String, (String) -> Value?)] = [
            ("exists", { .bool(Interpreter.exists($0)) }),
            ("isfile", { var st = stat(); return .bool(stat($0, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG) }),
            ("isdir", { .bool(TextFiles.isDirectory($0)) }),
            ("getsize", { var st = stat(); return stat($0, &st) == 0 ? .int(Int(st.st_size)) : nil }),
        ]
        for (name, query) in queries {
            m[name] = function(name) { a, i throws(DLXError) in
                let path = try i.pathArgument(try a.required(0, "path"), name)
                try i.session.checkRead(path)
                guard let v = query(path) else { throw .os(errno, path) }
                return v
            }
        }
        let pure: [(String, (String) -> Value)] = [
            ("basename", { .string(Interpreter.splitPath($0).1) }),
            ("dirname", { .string(Interpreter.splitPath($0).0) }),
            ("split", { let (h, t) = Interpreter.splitPath($0); return .tuple([.string(h), .string(t)]) }),
            ("splitext", { let (r, e) = Interpreter.splitExtension($0); return .tuple([.string(r), .string(e)]) }),
            ("normpath", { .string(Interpreter.normalizePath($0)) }),
            ("abspath", { .string(Interpreter.absolutePath($0)) }),
            ("isabs", { .bool($0.hasPrefix("/")) }),
        ]
        for (name, f) in pure {
            m[name] = function(name) { a, i throws(DLXError) in f(try i.pathArgument(try a.required(0, "p"), name)) }
        }
        m["relpath"] = function("relpath") { a, i throws(DLXError) in
            let path = try i.pathArgument(try a.required(0, "path"), "relpath")
            let start = try a.get(1, "start").flatMap { v throws(DLXError) -> String? in v.isNone ? nil : try i.pathArgument(v, "relpath") } ?? "."
            guard !path.isEmpty else { throw .value("no path specified") }
            let from = Interpreter.absolutePath(start).split(separator: "/"), to = Interpreter.absolutePath(path).split(separator: "/")
            var common = 0
            while common < min(from.count, to.count) && from[common] == to[common] { common += 1 }
            let parts = Array(repeating: "..", count: from.count - common) + to[common...].map(String.init)
            return .string(parts.isEmpty ? "." : parts.joined(separator: "/"))
        }
        m["expanduser"] = function("expanduser") { a, i throws(DLXError) in
            let path = try i.pathArgument(try a.required(0, "path"), "expanduser")
            guard path == "~" || path.hasPrefix("~/") else { return .string(path) }
            try i.session.checkSystemAccess("reading the environment (HOME)")
            guard let home = getenv("HOME").map({ String(cString: $0) }) else { return .string(path) }
            let rest = String(path.dropFirst())
            return .string((home.hasSuffix("/") && !rest.isEmpty ? String(home.dropLast()) : home) + rest)
        }
        return m
    }

    /// A path argument: a str, else CPython's TypeError.
    func pathArgument(_ v: Value, _ function: String) throws(DLXError) -> String {
        guard case .string(let s) = v else { throw .type("expected str, bytes or os.PathLike object, not \(v.typeName)") }
        return s
    }

    static func exists(_ path: String) -> Bool { var st = stat(); return stat(path, &st) == 0 }

    /// posixpath.split: everything up to the last slash (trailing slashes dropped unless all slashes), and the rest.
    static func splitPath(_ p: String) -> (String, String) {
        let chars = Array(p)
        let cut = (chars.lastIndex(of: "/") ?? -1) + 1
        var head = String(chars[..<cut])
        if !head.isEmpty, head.contains(where: { $0 != "/" }) { while head.hasSuffix("/") { head.removeLast() } }
        return (head, String(chars[cut...]))
    }

    /// posixpath.splitext: the last dot after the last slash, unless the name is all leading dots before it.
    static func splitExtension(_ p: String) -> (String, String) {
        let chars = Array(p)
        let sep = chars.lastIndex(of: "/") ?? -1
        guard let dot = chars.lastIndex(of: "."), dot > sep else { return (p, "") }
        var k = sep + 1
        while k < dot {
            if chars[k] != "." { return (String(chars[..<dot]), String(chars[dot...])) }
            k += 1
        }
        return (p, "")
    }

    static func normalizePath(_ path: String) -> String {
        if path.isEmpty { return "." }
        var slashes = path.hasPrefix("/") ? 1 : 0
        if path.hasPrefix("//") && !path.hasPrefix("///") { slashes = 2 }
        var parts: [Substring] = []
        for comp in path.split(separator: "/", omittingEmptySubsequences: true) where comp != "." {
            if comp != ".." || (slashes == 0 && parts.isEmpty) || parts.last == ".." { parts.append(comp) } else if !parts.isEmpty { parts.removeLast() }
        }
        let out = String(repeating: "/", count: slashes) + parts.joined(separator: "/")
        return out.isEmpty ? "." : out
    }

    static func absolutePath(_ path: String) -> String {
        normalizePath(path.hasPrefix("/") ? path : currentDirectory() + "/" + path)
    }
}

/// `os.environ`: read-only, and refused inside a sandbox.
final class EnvironObject: PyObject {
    var typeName: String { "_Environ" }
    var qualifiedName: String { "os._Environ" }
    var attributeNames: [String] { ["get", "items", "keys", "values"] }

    func all(_ interpreter: Interpreter) throws(DLXError) -> [(String, String)] {
        try interpreter.session.checkSystemAccess("reading the environment")
        var out: [(String, String)] = []
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { out.append((String(s[..<eq]), String(s[s.index(after: eq)...]))) }
            p += 1
        }
        return out
    }

    func repr(_ interpreter: Interpreter) -> String { "environ({...})" }

    func attribute(_ name: String, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "get":
            return interpreter.method(name) { [self] a, i throws(DLXError) in
                let key = try a.required(0, "key"), def = try a.get(1, "default") ?? Value.none
                return try variable(key, i) ?? def
            }
        case "keys", "items", "values":
            return interpreter.method(name) { [self] _, i throws(DLXError) in
                .list(ListBox(try all(i).map { k, v in name == "keys" ? .string(k) : name == "values" ? .string(v) : .tuple([.string(k), .string(v)]) }))
            }
        default: return nil
        }
    }

    func item(_ key: Value, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        guard let v = try variable(key, interpreter) else { throw DLXError("KeyError", try interpreter.repr(key)) }
        return v
    }

    func variable(_ key: Value, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        try interpreter.session.checkSystemAccess("reading the environment")
        guard case .string(let k) = key else { throw .type("str expected, not \(key.typeName)") }
        guard let v = getenv(k) else { return nil }
        return .string(String(cString: v))
    }

    func makeIterator(_ interpreter: Interpreter) throws(DLXError) -> ValueIterator? {
        try interpreter.iterator(.list(ListBox(try all(interpreter).map { .string($0.0) })))
    }

    func length(_ interpreter: Interpreter) throws(DLXError) -> Int? { try all(interpreter).count }
}

extension DLXError {
    func appending(_ text: String) -> DLXError { DLXError(type, message + text, span: span) }
}
