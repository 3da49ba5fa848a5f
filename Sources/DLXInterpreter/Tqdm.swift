import DLXEngine

/// `from tqdm import tqdm`: a progress bar around an iterable (or updated by hand), drawn in tqdm's format
/// on dlx's progress line: at a terminal in place, in the Jupyter kernel as one display updated in place,
/// silent in pipes and under grading (as fit's bar). Iterating it yields exactly what the iterable yields.
final class TqdmObject: ObjectProtocols, ContextManager {
    let iterable: Value?
    var total: Int?
    var n: Int
    var desc: String
    let leave: Bool
    let unit: String
    let ncols: Int?
    let disable: Bool
    var postfix: String = ""
    let start: Double
    var lastDraw: Double = -1
    var closed = false
    /// Whether a line of this bar is on the screen (a bar never drawn is not cleared nor left).
    var drawn = false

    /// The session it draws in, for the end of a bar that nothing closed (a loop left by an error).
    weak var interpreter: Interpreter?

    init(iterable: Value?, total: Int?, initial: Int, desc: String, leave: Bool, unit: String, ncols: Int?, disable: Bool,
         interpreter: Interpreter) {
        self.iterable = iterable; self.total = total; self.n = initial; self.desc = desc; self.leave = leave
        self.unit = unit; self.ncols = ncols; self.disable = disable; self.start = Trainer.now(); self.interpreter = interpreter
    }

    /// As tqdm's __del__: a bar that goes away unclosed (its loop ended by an exception) ends its line, so that
    /// what is printed next starts on a line of its own.
    deinit {
        if let interpreter { close(interpreter) }
    }

    var typeName: String { "tqdm" }
    var qualifiedName: String { "tqdm.std.tqdm" }
    func repr(_ i: Interpreter) -> String { line(columns: ncols) }

    /// tqdm's format_meter.
    func line(columns: Int?) -> String {
        let elapsed = Trainer.now() - start
        let rate = elapsed > 0 && n > 0 ? Double(n) / elapsed : nil
        let rateText: String
        if let rate, 1 / rate > 1 { rateText = NumberFormat.format("%5.2f", 1 / rate) + "s/" + unit }
        else { rateText = (rate.map { NumberFormat.format("%5.2f", $0) } ?? "?") + unit + "/s" }
        let post = postfix.isEmpty ? "" : ", " + postfix
        let prefix = desc.isEmpty ? "" : desc + ": "
        guard let total, total > 0 else {
            return prefix + "\(n)\(unit) [\(TqdmObject.interval(elapsed)), \(rateText)\(post)]"
        }
        let frac = Double(n) / Double(total)
        let remaining = rate.map { TqdmObject.interval(Double(total - n) / $0) } ?? "?"
        let left = prefix + NumberFormat.format("%3.0f", frac * 100) + "%|"
        let right = "| \(n)/\(total) [\(TqdmObject.interval(elapsed))<\(remaining), \(rateText)\(post)]"
        let cells = columns.map { Swift.max(1, $0 - left.count - right.count) } ?? 10
        return left + TqdmObject.bar(frac, cells) + right
    }

    static func interval(_ t: Double) -> String {
        let s = t.isFinite ? Swift.max(0, Int(t)) : 0
        let (mins, secs) = (s / 60, s % 60), (h, m) = (mins / 60, mins % 60)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return h > 0 ? "\(h):\(two(m)):\(two(secs))" : "\(two(m)):\(two(secs))"
    }

    /// Full blocks and one partial block (eighths), padded with spaces.
    static func bar(_ frac: Double, _ cells: Int) -> String {
        let symbols = Array(" ▏▎▍▌▋▊▉█")
        let eighths = Int(Swift.max(0, Swift.min(1, frac)) * Double(cells) * 8)
        let full = eighths / 8, part = eighths % 8
        var s = String(repeating: "█", count: Swift.min(full, cells))
        if full < cells { s += String(symbols[part]) + String(repeating: " ", count: cells - full - 1) }
        return s
    }

    func draw(_ i: Interpreter, force: Bool = false) {
        guard !disable, !closed, i.session.isTerminal else { return }
        let now = Trainer.now()
        guard force || now - lastDraw >= 0.1 else { return }
        lastDraw = now
        drawn = true
        i.session.progress("\r" + String(line(columns: width(i)).prefix(width(i))) + "\u{1B}[K")
    }

    /// The line's width: ncols, or the terminal's less one column (a full line would wrap).
    func width(_ i: Interpreter) -> Int { Swift.max(20, Swift.min(ncols ?? Int.max, i.session.columns - 1)) }

    /// The bar's end: left on the screen (leave=True) as the last line drawn, else cleared.
    func close(_ i: Interpreter) {
        guard !closed else { return }
        defer { closed = true }
        guard !disable, i.session.isTerminal else { return }
        if leave {
            i.session.progress("\r" + String(line(columns: width(i)).prefix(width(i))) + "\u{1B}[K\n")
        } else if drawn {
            i.session.progress("\r\u{1B}[K")
        }
    }

    func enter(_ i: Interpreter) -> Value { .object(self) }
    func exit(_ i: Interpreter) { close(i) }

    func length(_ i: Interpreter) throws(DLXError) -> Int? {
        if let total { return total }
        if let iterable { return try i.length(iterable) }
        throw .type("object of type 'tqdm' has no len()")
    }

    func makeIterator(_ i: Interpreter) throws(DLXError) -> ValueIterator? {
        guard let iterable else { throw .type("'NoneType' object is not iterable") }
        let inner = try i.iterator(iterable)
        draw(i, force: true)
        var started = false
        return ValueIterator { [self] () throws(DLXError) -> Value? in
            if started { n += 1; draw(i) }
            started = true
            guard let v = try inner.next() else { close(i); return nil }
            return v
        }
    }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "n": return .int(n)
        case "total": return total.map(Value.int) ?? Value.none
        case "desc": return .string(desc)
        case "disable": return .bool(disable)
        case "iterable": return iterable ?? Value.none
        case "update":
            return i.method(name) { a, i throws(DLXError) in
                let k = try a.get(0, "n").map { v throws(DLXError) in try i.toInt(v, "n") } ?? 1
                try a.finish()
                self.n += k
                self.draw(i)
                return .bool(true)
            }
        case "close", "refresh", "clear":
            return i.method(name) { a, i throws(DLXError) in
                _ = try a.get(nil, "nolock")
                try a.finish()
                if name == "close" { self.close(i) } else if name == "refresh" { self.draw(i, force: true) }
                return .none
            }
        case "reset":
            return i.method(name) { a, i throws(DLXError) in
                if let t = try a.get(0, "total") { self.total = t.isNone ? nil : try i.toInt(t, "total") }
                try a.finish()
                self.n = 0
                self.draw(i, force: true)
                return .none
            }
        case "set_description", "set_description_str":
            return i.method(name) { a, i throws(DLXError) in
                let d = try a.get(0, "desc")
                let refresh = try a.get(1, "refresh").map { v throws(DLXError) in try i.truthy(v) } ?? true
                try a.finish()
                self.desc = try d.map { v throws(DLXError) in v.isNone ? "" : try i.str(v) } ?? ""
                if refresh { self.draw(i, force: true) }
                return .none
            }
        case "set_postfix_str":
            return i.method(name) { a, i throws(DLXError) in
                let s = try a.get(0, "s").map { v throws(DLXError) in try i.str(v) } ?? ""
                let refresh = try a.get(1, "refresh").map { v throws(DLXError) in try i.truthy(v) } ?? true
                try a.finish()
                self.postfix = s
                if refresh { self.draw(i, force: true) }
                return .none
            }
        case "set_postfix":
            return i.method(name) { a, i throws(DLXError) in
                var items: [(String, Value)] = []
                if let d = try a.get(0, "ordered_dict"), case .dict(let box) = d {
                    for (k, v) in zip(box.keys, box.values) { items.append((try i.str(k), v)) }
                }
                var refresh = true
                for k in a.keywords.map(\.0) where k != "ordered_dict" {
                    guard let v = try a.get(nil, k) else { continue }
                    if k == "refresh" { refresh = try i.truthy(v) } else { items.append((k, v)) }
                }
                self.postfix = try items.map { (k, v) throws(DLXError) in k + "=" + (try TqdmObject.number(v, i)) }.joined(separator: ", ")
                if refresh { self.draw(i, force: true) }
                return .none
            }
        default: return nil
        }
    }

    var attributeNames: [String] { Interpreter.tqdmMethods.names }

    /// A postfix value as tqdm writes it: numbers in `{:.3g}` when shorter, the rest as str.
    static func number(_ v: Value, _ i: Interpreter) throws(DLXError) -> String {
        switch v {
        case .int, .float:
            let plain = try i.str(v)
            let short = NumberFormat.format("%.3g", try i.toDouble(v, "postfix"))
                .replacingAll("e+0", with: "e+").replacingAll("e-0", with: "e-")
            return short.count < plain.count ? short : plain
        default:
            return String(try i.str(v).drop { $0 == " " }).trimmingTrailingSpaces
        }
    }
}

extension Interpreter {
    /// `tqdm`, `tqdm.auto`, `tqdm.notebook`: the same bar (dlx's progress line is what a notebook shows too).
    func tqdmMembers(_ path: String) -> [String: Value] {
        let type = TypeObject("tqdm", qualified: "tqdm.std.tqdm") { a, i throws(DLXError) in try i.makeTqdm(&a, iterable: try a.get(0, "iterable")) }
        type.members["write"] = function("write") { a, i throws(DLXError) in
            let s = try i.str(try a.required(0, "s"))
            _ = try a.get(1, "file")
            let end = try a.get(2, "end").map { v throws(DLXError) in try i.toStringValue(v, "end") } ?? "\n"
            try a.finish()
            i.session.write(s + end)
            return .none
        }
        var m: [String: Value] = [
            "tqdm": .object(type),
            "trange": function("trange") { a, i throws(DLXError) in
                let args = a.rest(from: 0)
                guard !args.isEmpty else { throw .type("trange() missing 1 required positional argument") }
                var r = Arguments(Array(args.prefix(3)))
                guard let rangeType = i.builtin("range") else { throw .type("range is missing") }
                let range = try i.call(rangeType, &r)
                a.positional = Array(args.dropFirst(args.count > 3 ? 3 : args.count))
                return try i.makeTqdm(&a, iterable: range, offset: 0)
            },
        ]
        if path == "tqdm" {
            m["auto"] = .object(namespace("tqdm.auto")!)
            m["notebook"] = .object(namespace("tqdm.notebook")!)
            m["__version__"] = .string("4.67.1")
        }
        return m
    }

    func makeTqdm(_ a: inout Arguments, iterable: Value?, offset: Int = 1) throws(DLXError) -> Value {
        func arg(_ k: Int, _ name: String) throws(DLXError) -> Value? {
            let v = try a.get(offset + k - 1, name)
            return v.flatMap { $0.isNone ? nil : $0 }
        }
        let desc = try arg(1, "desc").map { v throws(DLXError) in try str(v) } ?? ""
        var total = try arg(2, "total").map { v throws(DLXError) in Int(try toDouble(v, "total")) }
        let leave = try arg(3, "leave").map { v throws(DLXError) in try truthy(v) } ?? true
        _ = try arg(4, "file")
        let ncols = try arg(5, "ncols").map { v throws(DLXError) in try toInt(v, "ncols") }
        for (k, name) in [(6, "mininterval"), (7, "maxinterval"), (8, "miniters"), (9, "ascii")] { _ = try arg(k, name) }
        let disable = try arg(10, "disable").map { v throws(DLXError) in try truthy(v) } ?? false
        let unit = try arg(11, "unit").map { v throws(DLXError) in try toStringValue(v, "unit") } ?? "it"
        for name in ["unit_scale", "dynamic_ncols", "smoothing", "bar_format", "position", "postfix", "unit_divisor",
                     "write_bytes", "lock_args", "nrows", "colour", "delay", "gui"] { _ = try a.get(nil, name) }
        let initial = try a.get(nil, "initial").map { v throws(DLXError) in try toInt(v, "initial") } ?? 0
        if total == nil, let iterable { total = try? length(iterable) }
        return .object(TqdmObject(iterable: iterable, total: total, initial: initial, desc: desc, leave: leave, unit: unit, ncols: ncols, disable: disable, interpreter: self))
    }
}
