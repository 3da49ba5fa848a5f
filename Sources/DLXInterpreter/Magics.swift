#if canImport(Glibc)
import Glibc
#endif
import DLXEngine
import DLXFrontEnd

/// IPython's line magics that a notebook learner reaches for first: `%time`, `%timeit`, `%who`, `%whos`,
/// `%pwd`, `%cd`, `%env`, `%reset -f`, `%lsmagic`, and `%config` (accepted, changing nothing). A cell that
/// starts with `%` is a magic.
extension Interpreter {
    /// IPython's words for a file `%run` or `%load` cannot read (and dlx's for one too large to be a script).
    static func unreadable(_ path: String) -> DLXError {
        DLXError("OSError", errno == EFBIG ? "File `\(path)` is \(TextFiles.failure): not a script." : "File `\(path)` not found.")
    }

    static let magicNames = ["cd", "config", "env", "exit", "history", "load", "lsmagic", "matplotlib", "notebook", "pwd", "quickref", "reset", "run", "save", "time", "timeit", "who", "whos"]

    static let quickref = """
    dlx quick reference
      x = load mnist[0]        an image tensor; `load mnist`, `load mnist.test`, `load fashion`, `load idx(...)`
      x.shape, x.dtype         what a tensor is;  x.unsqueeze(0), x[None, :], x.flatten(1)
      model = seq(flatten(), linear(784, 10))      nn.Sequential(...) in short; summary(model, (1, 28, 28))
      h = fit(model, train_loader, valid_loader)   train; evaluate(model, loader)
      x?  or  help(x)          what something is
      _, __, _N, Out[N], In[N] earlier outputs and inputs;  a trailing ; hides a value
      show(x), show(ds[i]), show(ds, 16), show(images, labels), show(x, "digit.png")   pictures
      plot(h), plot(ys), plot(xs, ys), plot(h, "history.svg");  confusion(model, loader)
      %time, %timeit, %who, %whos, %history, %save, %run, %load, %notebook, %pwd, %cd, %env, %reset -f, %lsmagic
    """

    /// Runs `source` as a magic if it is one; returns false when it is ordinary code.
    func runMagic(_ source: String, firstLine: Int) throws(DLXError) -> Bool {
        let text = source.trimmingSpaces
        // `x?` and `?x`: help on a name, without calling anything.
        if !text.contains("\n") && (text.hasPrefix("?") || text.hasSuffix("?")) && !text.hasPrefix("%") {
            let target = String(text.hasPrefix("?") ? text.dropFirst() : text.dropLast()).trimmingSpaces
            let page = session.page ?? session.write
            if target.isEmpty { page(Interpreter.quickref); return true }
            if Interpreter.isNameChain(target) || target == "load" {
                // An undefined name is the NameError evaluating it gives.
                guard let text = help(onName: target) else { _ = try evaluateWithoutCalls(target); return false }
                page(text + "\n")
                return true
            }
        }
        guard text.hasPrefix("%"), !text.contains("\n") else { return false }
        let body = text.dropFirst()
        let name = String(body.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        let argument = String(body.dropFirst(name.count)).trimmingSpaces
        switch name {
        case "time":
            let times = try timedRun { () throws(DLXError) in try run(argument, firstLine: firstLine, displayAll: false) }
            session.write(Interpreter.timesReport(times) + slowKernelsNote())
        case "timeit":
            try timeit(argument, firstLine: firstLine)
        case "who":
            let names = userNames()
            session.write(names.isEmpty ? "Interactive namespace is empty.\n" : names.joined(separator: "\t") + "\n")
        case "whos":
            try whos()
        case "pwd":
            session.display(.string(Interpreter.currentDirectory()))
        case "cd":
            try session.checkSystemAccess("%cd")
            let target = argument.isEmpty ? (getenv("HOME").map { String(cString: $0) } ?? "/") : argument
            guard chdir(target) == 0 else { throw DLXError("OSError", "[Errno 2] No such file or directory: '\(target)'") }
            session.write(Interpreter.currentDirectory() + "\n")
        case "env":
            try session.checkSystemAccess("%env (reading or setting the environment)")
            guard !argument.isEmpty else { throw .value("%env needs a variable name (dlx does not list the whole environment)") }
            if let eq = argument.firstIndex(of: "=") {
                setenv(String(argument[..<eq]).trimmingSpaces, String(argument[argument.index(after: eq)...]).trimmingSpaces, 1)
            } else {
                session.display(getenv(argument).map { .string(String(cString: $0)) } ?? .none)
            }
        case "reset":
            guard argument == "-f" else { throw .value("%reset asks for confirmation in IPython; in dlx write %reset -f") }
            session.globals.removeAll()
        case "quickref":
            session.write(Interpreter.quickref)
        case "history":
            var words = argument.split(separator: " ").map(String.init)
            let numbered = words.contains("-n")
            words.removeAll { $0 == "-n" }
            for (n, cell) in try inputs(words.first) {
                session.write(numbered ? "\(String(repeating: " ", count: max(0, 4 - String(n).count)))\(n): " + cell.replacingNewlines("\n      ") + "\n" : cell + "\n")
            }
        case "save":
            var words = argument.split(separator: " ").map(String.init)
            guard !words.isEmpty else { throw .value("%save needs a file name: %save lesson.dlx [range]") }
            var file = words.removeFirst()
            if !file.contains(".") { file += ".dlx" }
            let text = try inputs(words.first).map { $0.1 }.joined(separator: "\n") + "\n"
            try writeFile(Array(text.utf8), to: file)
            session.write("The following commands were written to file `\(file)`:\n" + text)
        case "run":
            guard !argument.isEmpty else { throw .value("%run needs a file name") }
            try session.checkRead(argument)
            guard let source = TextFiles.read(argument) else { throw Interpreter.unreadable(argument) }
            // A script that runs itself: Python's RecursionError, as calls have, before the stack runs out.
            guard frames.count + runDepth < session.maxCallDepth else { throw DLXError("RecursionError", "maximum recursion depth exceeded") }
            try Interpreter.ensureStack()
            runDepth += 1
            defer { runDepth -= 1 }
            // As IPython's %run: the script's prints show, its bare expressions do not.
            try session.quietly { () throws(DLXError) in
                for cell in CellSplitter.split(source) { try run(cell.text, firstLine: cell.firstLine, displayAll: false) }
            }
        case "load":
            guard !argument.isEmpty else { throw .value("%load needs a file name: %load lesson.dlx") }
            try session.checkRead(argument)
            guard var source = TextFiles.read(argument) else { throw Interpreter.unreadable(argument) }
            while source.hasSuffix("\n") { source.removeLast() }
            if let edit = session.loadIntoNextInput {
                edit("# %load \(argument)\n" + source)
            } else {
                for cell in CellSplitter.split(source) { try run(cell.text, firstLine: cell.firstLine, displayAll: true) }
            }
        case "notebook":
            guard !argument.isEmpty else { throw .value("%notebook needs a file name: %notebook lesson.ipynb") }
            try session.checkWrite(argument)
            guard let save = session.saveNotebook else { throw DLXError("UsageError", "%notebook is not available here") }
            do { try save(argument) } catch { throw DLXError("OSError", error.description) }
            session.write("Wrote \(argument)\n")
        case "config":
            break   // IPython's settings (%config InlineBackend.figure_format = 'retina') change nothing in dlx
        case "matplotlib":
            // `%matplotlib inline` (notebook, widget) starts most tutorial notebooks: dlx draws pictures inline already.
            break
        case "lsmagic":
            session.write("Available line magics:\n" + Interpreter.magicNames.map { "%" + $0 }.joined(separator: "  ") + "\n\n"
                          + "Available cell magics:\n" + Interpreter.cellMagicNames.map { "%%" + $0 }.joined(separator: "  ") + "\n")
        default:
            throw DLXError("UsageError", "Line magic function `%\(name)` not found.")
        }
        return true
    }

    /// The cells of `In` named by a range like "2", "1-3" (inclusive) or nothing (all but the current one).
    private func inputs(_ range: String?) throws(DLXError) -> [(Int, String)] {
        guard case .list(let cells)? = session.globals["In"] else { return [] }
        let all = cells.items.enumerated().compactMap { (n, v) -> (Int, String)? in
            if case .string(let s) = v, n > 0, !s.isEmpty { return (n, s) }
            return nil
        }
        guard let range, !range.isEmpty else { return Array(all.dropLast()) }
        let bounds = range.split(separator: "-").compactMap { Int($0) }
        guard (1...2).contains(bounds.count) else { throw .value("bad range '\(range)': use N or N-M") }
        let (lo, hi) = (bounds[0], bounds.count == 2 ? bounds[1] : bounds[0])
        return all.filter { $0.0 >= lo && $0.0 <= hi }
    }

    /// `a.b.c`: names and attributes only.
    static func isNameChain(_ path: String) -> Bool {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false)
        return parts.allSatisfy { p in !p.isEmpty && p.first!.isLetter || p.first == "_" }
            && parts.allSatisfy { p in p.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }
    }

    /// A name or attribute chain's value: `?` never calls anything.
    func evaluateWithoutCalls(_ path: String) throws(DLXError) -> Value {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var value = try lookup(parts[0], .unknown)
        for p in parts.dropFirst() { value = try getAttribute(value, p) }
        return value
    }

    private func userNames() -> [String] {
        session.globals.keys.filter { !$0.hasPrefix("_") && $0 != "In" && $0 != "Out" }.sorted()
    }

    private func whos() throws(DLXError) {
        let names = userNames()
        guard !names.isEmpty else { session.write("Interactive namespace is empty.\n"); return }
        var rows: [(String, String, String)] = []
        for n in names {
            guard let v = session.globals[n] else { continue }
            let info: String
            switch v {
            case .tensor(let t): info = "\(TensorPrinter.sizeRepr(t.shape)), \(t.dtype.repr), \(t.device)"
            case .module(let m): info = "\(NumberFormat.grouped(m.parameters.reduce(0) { $0 + $1.count })) parameters"
            case .list(let l): info = "n=\(l.items.count)"
            case .tuple(let t): info = "n=\(t.count)"
            case .dict(let d): info = "n=\(d.count)"
            case .object(let o): info = (try? o.length(self)).flatMap { $0 }.map { "n=\($0)" } ?? ""
            default: info = String(try repr(v).prefix(50))
            }
            rows.append((n, v.typeName, info))
        }
        let w0 = max(8, rows.map { $0.0.count }.max() ?? 0) + 3, w1 = max(4, rows.map { $0.1.count }.max() ?? 0) + 3
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(1, w - s.count)) }
        var out = pad("Variable", w0) + pad("Type", w1) + "Data/Info\n" + String(repeating: "-", count: w0 + w1 + 9) + "\n"
        for r in rows { out += pad(r.0, w0) + pad(r.1, w1) + r.2 + "\n" }
        session.write(out)
    }

    /// Repeats `stmt` until about 0.2 s have passed (at least once, doubling), then 7 runs of that many
    /// loops, and prints mean ± std per loop as IPython does.
    func timeit(_ stmt: String, firstLine: Int) throws(DLXError) {
        guard !stmt.isEmpty else { throw .value("%timeit needs a statement") }
        let statements = try parse(stmt, firstLine: firstLine)   // parsed once, as IPython compiles once
        func timed(_ loops: Int) throws(DLXError) -> Double {
            try session.quietly { () throws(DLXError) in
                try timedRun { () throws(DLXError) in for _ in 0..<loops { try execute(statements, displayAll: false) } }.wall
            }
        }
        var loops = 1
        while true {
            let t = try timed(loops)
            if t >= 0.2 || loops >= 1 << 20 { break }
            loops *= t < 0.02 ? 10 : 2
        }
        var times: [Double] = []
        for _ in 0..<7 {
            try checkInterrupt()
            times.append(try timed(loops) / Double(loops))
        }
        let mean = times.reduce(0, +) / 7
        let std = (times.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 7).squareRoot()
        session.write("\(Interpreter.duration(mean)) ± \(Interpreter.duration(std)) per loop (mean ± std. dev. of 7 runs, \(NumberFormat.grouped(loops)) loop\(loops == 1 ? "" : "s") each)\n" + slowKernelsNote())
    }

    /// Under a timing at a terminal, when matrix products ran on the reference kernels for want of OpenBLAS
    /// (many times slower): the reason the time is long. Said once on standard error too; scripts' output
    /// stays as Python's.
    func slowKernelsNote() -> String {
        guard session.isTerminal, session.backend.usesReferenceKernels else { return "" }
        return "Note: " + Interpreter.slowKernels + "\n"
    }

    public static let slowKernels = "OpenBLAS not found (install libopenblas0): using slow reference kernels"

    /// IPython's duration format (`_format_time`): three significant digits in s, ms, μs (Greek mu, as IPython 8) or ns (`%.3g`);
    /// a minute or more as `1min 5s`.
    static func duration(_ s: Double) -> String {
        if s >= 60 {
            var parts: [String] = [], left = s
            for (suffix, length) in [("d", 86400.0), ("h", 3600), ("min", 60), ("s", 1)] {
                let value = Int(left / length)
                if value > 0 {
                    left = left.truncatingRemainder(dividingBy: length)
                    parts.append("\(value)\(suffix)")
                }
                if left < 1 { break }
            }
            return parts.joined(separator: " ")
        }
        let units = ["s", "ms", "\u{3BC}s", "ns"], scaling = [1.0, 1e3, 1e6, 1e9]
        var order = 3
        if s > 0 {
            let exponent = Int(log10(s).rounded(.down))
            let floorDivided = exponent >= 0 ? exponent / 3 : -((-exponent + 2) / 3)
            order = min(-floorDivided, 3)
        }
        return NumberFormat.format("%.3g", s * scaling[order]) + " " + units[order]
    }

    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension String {
    func replacingNewlines(_ with: String) -> String { split(separator: "\n", omittingEmptySubsequences: false).joined(separator: with) }
}
