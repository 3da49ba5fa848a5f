#if canImport(Glibc)
import Glibc
#endif
import DLXEngine

/// Python's built-in functions that dlx supports.
extension Interpreter {
    func builtin(_ name: String) -> Value? {
        if let v = session.builtinCache[name] { return v }
        guard let v = makeBuiltin(name) ?? preludeName(name) else { return nil }
        session.builtinCache[name] = v
        return v
    }

    static let builtinNames = ["print", "len", "range", "int", "float", "str", "bool", "abs", "min", "max", "sum", "round",
                               "list", "tuple", "dict", "isinstance", "type", "dir", "help", "enumerate", "zip", "iter", "next",
                               "sorted", "reversed", "any", "all", "repr", "format", "hasattr", "getattr", "setattr", "callable", "open",
                               "summary", "fit", "evaluate", "show", "plot", "confusion", "super", "staticmethod",
                               "classmethod", "property", "issubclass", "object", "set", "frozenset", "vars", "delattr",
                               "map", "filter", "id", "hash", "NotImplemented", "Ellipsis", "exit", "quit", "ord", "chr", "pow", "divmod", "exec", "eval", "compile", "breakpoint", "input", "globals", "locals"] + Interpreter.exceptionHierarchy.map { $0.0 }

    static let builtinNameSet = Set(builtinNames)

    private func fn(_ name: String, _ body: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Value) -> Value {
        .object(BuiltinFunction(name, body))
    }

    private func makeBuiltin(_ name: String) -> Value? {
        if Interpreter.exceptionNames.contains(name) { return .object(exceptionClass(name)) }
        if let v = classBuiltin(name) { return v }
        switch name {
        case "print":
            return fn(name) { a, i throws(DLXError) in
                let sep = try a.get(nil, "sep").map { v throws(DLXError) in v.isNone ? " " : try i.toStringValue(v, "sep") } ?? " "
                let end = try a.get(nil, "end").map { v throws(DLXError) in v.isNone ? "\n" : try i.toStringValue(v, "end") } ?? "\n"
                _ = try a.get(nil, "flush")
                var line = TextBuilder(i, "print()")
                for (k, v) in a.rest(from: 0).enumerated() { try line.append((k > 0 ? sep : "") + (try i.str(v))) }
                try line.append(end)
                if let file = try a.get(nil, "file"), !file.isNone {   // an object with write(): sys.stderr, a file
                    var text = Arguments([.string(line.text)])
                    _ = try i.call(try i.getAttribute(file, "write"), &text)
                    return Value.none
                }
                i.session.write(line.text)
                return Value.none
            }
        case "len": return fn(name) { a, i throws(DLXError) in a.accepts(1); return .int(try i.length(try a.required(0, "obj"))) }
        case "range":
            return fn(name) { a, i throws(DLXError) in
                let v = try a.rest(from: 0).map { x throws(DLXError) in try i.toInt(x, "range() argument") }
                guard (1...3).contains(v.count) else { throw .type("range expected at most 3 arguments, got \(v.count)") }
                let start = v.count == 1 ? 0 : v[0], stop = v.count == 1 ? v[0] : v[1], step = v.count == 3 ? v[2] : 1
                guard step != 0 else { throw .value("range() arg 3 must not be zero") }
                return .object(RangeObject(start: start, stop: stop, step: step))
            }
        case "int", "float", "str", "bool", "list", "tuple", "dict":
            return .object(TypeObject(name) { a, i throws(DLXError) in try i.construct(name, &a) })
        case "abs":
            return fn(name) { a, i throws(DLXError) in
                let v = try a.required(0, "x")
                switch v {
                case .int(let n): return .int(n == Int.min ? n : Swift.abs(n))
                case .float(let f): return .float(Swift.abs(f))
                case .bool(let b): return .int(b ? 1 : 0)
                case .tensor(let t): return .tensor(try i.engine { () throws(TensorError) in try t.unary(.abs) })
                case .object(let o as NumpyUnaryOperand): return try o.absolute(i)
                default: throw .type("bad operand type for abs(): '\(v.typeName)'")
                }
            }
        case "min", "max":
            return fn(name) { a, i throws(DLXError) in
                var items = a.rest(from: 0)
                if items.count == 1 { items = try i.iterateAll(items[0]) }
                let def = try a.get(nil, "default")
                let key = try a.get(nil, "key").flatMap { $0.isNone ? nil : $0 }
                guard var best = items.first else {
                    if let def { return def }
                    throw .value("\(name)() iterable argument is empty")
                }
                var bestKey = try i.sortKey(best, key)
                for v in items.dropFirst() {
                    let k = try i.sortKey(v, key)
                    // Python asks `k < best` for min and `k > best` for max.
                    let better = try i.truthy(try i.compare(name == "min" ? .less : .greater, k, bestKey))
                    if better { best = v; bestKey = k }
                }
                return best
            }
        case "sum":
            return fn(name) { a, i throws(DLXError) in
                var total = try a.get(1, "start") ?? .int(0)
                if case .string = total { throw .type("sum() can't sum strings [use ''.join(seq) instead]") }
                for v in try i.iterateAll(try a.required(0, "iterable")) { total = try i.binaryOp(.add, total, v) }
                return total
            }
        case "round":
            return fn(name) { a, i throws(DLXError) in
                let v = try a.required(0, "number")
                let digits = try a.get(1, "ndigits")
                if case .tensor(let t) = v { _ = t; throw .type("round() of a tensor: use float(x) first") }
                let x = try i.toDouble(v, "round() argument")
                guard let d = digits, !d.isNone else {
                    guard x.isFinite else { throw .value("cannot convert float \(NumberFormat.pythonRepr(x)) to integer") }
                    if case .int = v { return v }
                    guard let r = Int(exactly: x.rounded(.toNearestOrEven)) else { throw DLXError("OverflowError", "int too large") }
                    return .int(r)
                }
                let n = try i.toInt(d, "ndigits")
                if case .int(let k) = v {
                    guard n < 0 else { return .int(k) }
                    // To a multiple of 10^-n, halves to even, as Python's int.__round__.
                    guard n > -19 else { return .int(0) }
                    let m = (0..<(-n)).reduce(1) { p, _ in p * 10 }
                    let (q, r) = k.quotientAndRemainder(dividingBy: m)
                    let twice = 2 * r.magnitude, mm = UInt(m)
                    let up = twice > mm || (twice == mm && q % 2 != 0)
                    let (rounded, overflow) = (q + (up ? (k < 0 ? -1 : 1) : 0)).multipliedReportingOverflow(by: m)
                    guard !overflow else { throw DLXError("OverflowError", "int too large") }
                    return .int(rounded)
                }
                if n < 0 {
                    guard x.isFinite, n > -309 else { return .float(x.isFinite ? 0 * x : x) }
                    let p = pow(10.0, Double(-n))
                    return .float((x / p).rounded(.toNearestOrEven) * p)
                }
                let text = NumberFormat.format("%.\(min(n, 300))f", x)
                return .float(Double(text) ?? x)
            }
        case "isinstance":
            return fn(name) { a, i throws(DLXError) in
                let v = try a.required(0, "obj"), t = try a.required(1, "class_or_tuple")
                let types: [Value]
                if case .tuple(let ts) = t { types = ts } else { types = [t] }
                for ty in types {
                    if case .object(let c as PyClass) = ty {
                        if let u = v.protocols as? UserObject, u.cls.isSubclass(of: c) { return .bool(true) }
                        continue
                    }
                    guard case .object(let o as TypeObject) = ty else { throw .type("isinstance() arg 2 must be a type or tuple of types") }
                    if i.isInstance(v, o) { return .bool(true) }
                }
                return .bool(false)
            }
        case "type":
            return fn(name) { a, i throws(DLXError) in
                let v = try a.required(0, "object")
                return i.typeOf(v)
            }
        case "dir":
            return fn(name) { a, i throws(DLXError) in
                guard let v = try a.get(0, "object") else {
                    return .list(ListBox(i.session.globals.keys.sorted().map { .string($0) }))
                }
                return .list(ListBox(i.attributeNames(of: v).map { .string($0) }))
            }
        case "help":
            return fn(name) { a, i throws(DLXError) in
                let v = try a.get(0, "request")
                i.session.write(i.help(for: v) + "\n")
                return Value.none
            }
        case "enumerate":
            return fn(name) { a, i throws(DLXError) in
                let it = try i.iterator(try a.required(0, "iterable"))
                var n = try a.get(1, "start").map { v throws(DLXError) in try i.toInt(v, "start") } ?? 0
                return .object(ValueIterator { () throws(DLXError) -> Value? in
                    guard let v = try it.next() else { return nil }
                    n += 1
                    return .tuple([.int(n - 1), v])
                })
            }
        case "zip":
            return fn(name) { a, i throws(DLXError) in
                let its = try a.rest(from: 0).map { v throws(DLXError) in try i.iterator(v) }
                return .object(ValueIterator { () throws(DLXError) -> Value? in
                    if its.isEmpty { return nil }
                    var row: [Value] = []
                    for it in its { guard let v = try it.next() else { return nil }; row.append(v) }
                    return .tuple(row)
                })
            }
        case "iter": return fn(name) { a, i throws(DLXError) in .object(try i.iterator(try a.required(0, "object"))) }
        case "next":
            return fn(name) { a, i throws(DLXError) in
                let v = try a.required(0, "iterator")
                let def = try a.get(1, "default")
                guard case .object(let o) = v, o is ValueIterator || o is GeneratorIterator || o is UserGenerator || (o as? PyInstance)?.special("__next__") != nil,
                      let it = try o.makeIterator(i) else {
                    throw .type("'\(v.typeName)' object is not an iterator")
                }
                if let x = try it.next() { return x }
                if let def { return def }
                if case .object(let g as UserGenerator) = v { throw g.stopIteration(i) }
                throw DLXError("StopIteration", "")
            }
        case "sorted":
            return fn(name) { a, i throws(DLXError) in
                let items = try i.iterateAll(try a.required(0, "iterable"))
                let reverse = try a.get(nil, "reverse").map { v throws(DLXError) in try i.truthy(v) } ?? false
                let key = try a.get(nil, "key")
                return .list(ListBox(try i.sortedValues(items, key: key, reverse: reverse)))
            }
        case "reversed":
            return fn(name) { a, i throws(DLXError) in .object(try i.iterator(.list(ListBox(try i.iterateAll(try a.required(0, "sequence")).reversed())))) }
        case "any", "all":
            return fn(name) { a, i throws(DLXError) in
                let it = try i.iterator(try a.required(0, "iterable"))
                while let v = try it.next() {
                    let t = try i.truthy(v)
                    if name == "any" && t { return .bool(true) }
                    if name == "all" && !t { return .bool(false) }
                }
                return .bool(name == "all")
            }
        case "ord":
            return fn(name) { a, _ throws(DLXError) in
                let v = try a.required(0, "c")
                guard case .string(let s) = v else { throw .type("ord() expected string of length 1, but \(v.typeName) found") }
                guard s.unicodeScalars.count == 1, let c = s.unicodeScalars.first else {
                    throw .type("ord() expected a character, but string of length \(s.unicodeScalars.count) found")
                }
                return .int(Int(c.value))
            }
        case "chr":
            return fn(name) { a, i throws(DLXError) in
                let n = try i.integerArgument(try a.required(0, "i"))
                guard n >= 0, n < 0x110000 else { throw .value("chr() arg not in range(0x110000)") }
                // Surrogates are not scalars Swift can hold; Python's lone surrogate becomes U+FFFD here.
                return .string(String(Unicode.Scalar(UInt32(n)) ?? "\u{FFFD}"))
            }
        case "repr": return fn(name) { a, i throws(DLXError) in .string(try i.repr(try a.required(0, "obj"))) }
        case "format":
            return fn(name) { a, i throws(DLXError) in
                .string(try i.format(try a.required(0, "value"), spec: try a.get(1, "format_spec").map { v throws(DLXError) in try i.toStringValue(v, "format_spec") } ?? ""))
            }
        case "hasattr", "getattr":
            return fn(name) { a, i throws(DLXError) in
                let v = try a.required(0, "object")
                let n = try i.toStringValue(try a.required(1, "name"), "attribute name")
                let def = try a.get(2, "default")
                do throws(DLXError) {
                    let r = try i.getAttribute(v, n)
                    return name == "hasattr" ? .bool(true) : r
                } catch {
                    guard error.type == "AttributeError" else { throw error }
                    if name == "hasattr" { return .bool(false) }
                    if let def { return def }
                    throw error
                }
            }
        case "setattr":
            return fn(name) { a, i throws(DLXError) in
                try i.setAttribute(try a.required(0, "object"), try i.toStringValue(try a.required(1, "name"), "attribute name"), try a.required(2, "value"))
                return Value.none
            }
        case "callable":
            return fn(name) { a, i throws(DLXError) in .bool(i.isCallableValue(try a.required(0, "obj"))) }
        case "open": return openFunction()
        case "summary":
            return torchsummary()
        case "fit": return fitFunction()
        case "evaluate": return evaluateFunction()
        case "show": return showFunction()
        case "plot": return plotFunction()
        case "confusion": return confusionFunction()
        default:
            return nil
        }
    }

    func sortKey(_ v: Value, _ key: Value?) throws(DLXError) -> Value {
        guard let key, !key.isNone else { return v }
        var a = Arguments([v])
        return try call(key, &a)
    }

    /// A stable sort by `key` (Python's `sorted`), comparing with `<` only.
    func sortedValues(_ items: [Value], key: Value?, reverse: Bool) throws(DLXError) -> [Value] {
        var keyed: [(Value, Value)] = []
        for v in items { keyed.append((try sortKey(v, key), v)) }
        if reverse { keyed.reverse() }
        var failure: DLXError? = nil
        // Merge sort keeps equal items in order; `less` is the only comparison made.
        func less(_ x: Value, _ y: Value) -> Bool {
            if failure != nil { return false }
            do throws(DLXError) { return try truthy(try compare(.less, x, y)) } catch { failure = error; return false }
        }
        var sorted = keyed
        sorted = Interpreter.mergeSort(keyed) { less($0.0, $1.0) }
        if let failure { throw failure }
        if reverse { sorted.reverse() }
        return sorted.map { $0.1 }
    }

    static func mergeSort<T>(_ a: [T], _ less: (T, T) -> Bool) -> [T] {
        guard a.count > 1 else { return a }
        let mid = a.count / 2
        let l = mergeSort(Array(a[..<mid]), less), r = mergeSort(Array(a[mid...]), less)
        var out: [T] = []
        out.reserveCapacity(a.count)
        var i = 0, j = 0
        while i < l.count && j < r.count {
            if less(r[j], l[i]) { out.append(r[j]); j += 1 } else { out.append(l[i]); i += 1 }
        }
        out += l[i...]; out += r[j...]
        return out
    }

    /// `int(x)`, `float(x)`, `str(x)`, ...
    func construct(_ type: String, _ a: inout Arguments) throws(DLXError) -> Value {
        // dict's keywords are its items: `dict(x=1)`.
        let v = (type == "dict" ? a.positional.first : try a.get(0, "x")).map(numpyNumber)
        switch type {
        case "int":
            guard let v else { return .int(0) }
            switch v {
            case .string(let s):
                guard let n = Int(s.trimmingSpaces) else { throw .value("invalid literal for int() with base 10: \(Interpreter.quote(s))") }
                return .int(n)
            case .float(let f):
                guard f.isFinite else { throw .value("cannot convert float \(NumberFormat.pythonRepr(f)) to integer") }
                guard let n = Int(exactly: f.rounded(.towardZero)) else { throw DLXError("OverflowError", "int too large") }
                return .int(n)
            case .tensor(let t):
                guard t.count == 1 else { throw .type("only one element tensors can be converted to Python scalars") }
                let d = try engine { () throws(TensorError) in try t.scalar() }.double
                guard d.isFinite, let n = Int(exactly: d.rounded(.towardZero)) else { throw .value("cannot convert \(NumberFormat.pythonRepr(d)) to integer") }
                return .int(n)
            case .int: return v
            case .bool(let b): return .int(b ? 1 : 0)
            default: throw .type("int() argument must be a string, a bytes-like object or a real number, not '\(v.typeName)'")
            }
        case "float":
            guard let v else { return .float(0) }
            if case .string(let s) = v {
                let t = s.trimmingSpaces.lowercased()
                if t == "nan" { return .float(.nan) }
                if t == "inf" || t == "infinity" { return .float(.infinity) }
                if t == "-inf" || t == "-infinity" { return .float(-.infinity) }
                guard let d = Double(t) else { throw .value("could not convert string to float: \(Interpreter.quote(s))") }
                return .float(d)
            }
            if case .tensor(let t) = v, t.count != 1 { throw .type("only one element tensors can be converted to Python scalars") }
            switch v {
            case .int, .float, .bool, .tensor: return .float(try toDouble(v, "float() argument"))
            default: throw .type("float() argument must be a string or a real number, not '\(v.typeName)'")
            }
        case "str": return .string(try v.map { x throws(DLXError) in try str(x) } ?? "")
        case "bool": return .bool(try v.map { x throws(DLXError) in try truthy(x) } ?? false)
        case "list": return .list(ListBox(try v.map { x throws(DLXError) in try iterateAll(x) } ?? []))
        case "tuple": return .tuple(try v.map { x throws(DLXError) in try iterateAll(x) } ?? [])
        default:
            guard a.positional.count <= 1 else { throw .type("dict expected at most 1 argument, got \(a.positional.count)") }
            let d = DictBox()
            try updateDict(d, v, a.keywords)
            a = Arguments()
            return .dict(d)
        }
    }

    func isInstance(_ v: Value, _ t: TypeObject) -> Bool {
        if let u = v.protocols as? UserObject {
            switch (t.name, u.cls.native) {
            case ("object", _), ("Module", .module), ("Dataset", .dataset): return true
            default: return false
            }
        }
        switch t.name {
        case "object": return true
        case "set": if case .object(let s as SetObject) = v { return !s.frozen }; return false
        case "frozenset": if case .object(let s as SetObject) = v { return s.frozen }; return false
        case "int": if case .bool = v { return true }; return v.typeName == "int"
        case "float": if case .object(let n as NumpyScalar) = v, n.dtype == .float64 { return true }; return v.typeName == "float"
        case "bool": if case .object(is NumpyScalar) = v { return false }; return v.typeName == "bool"
        case "Tensor": if case .tensor = v { return true }; return false
        case "Module": if case .module = v { return true }; return false
        case "Dataset": if case .object(is DatasetObject) = v { return true }; return false
        case "_BatchNorm", "_NormBase": if case .module(is BatchNorm) = v { return true }; return false
        case "_ConvNd": if case .module(is Conv2d) = v { return true }; return false
        case "_DropoutNd": if case .module(is Dropout) = v { return true }; return false
        case "dict": if case .dict = v { return true }; return false
        case "tuple": return v.typeName == "tuple" || v.namedTupleItems != nil
        case "Optimizer": if case .object(is OptimizerObject) = v { return true }; return false
        case let legacy where legacy.hasSuffix("Tensor") && t.qualified == "torch." + legacy:
            guard case .tensor(let x) = v, x.device == .cpu else { return false }
            return Interpreter.legacyTensorTypes.first { $0.0 == legacy }?.1 == x.dtype
        default: return v.typeName == t.name
        }
    }

    func attributeNames(of v: Value) -> [String] {
        switch v {
        case .tensor: return Interpreter.tensorAttributeNames
        case .module(let m):
            let tables = methodTables(of: v).reversed().flatMap { $0.names }.filter { m is UserModule || !Interpreter.userModuleMethodNames.contains($0) }
            let own = m.allChildren.map { $0.0 } + m.ownParameters.map { $0.0 } + m.addedAttributes.keys.sorted()
            return tables + own.filter { !tables.contains($0) }
        case .object(let o): return o.attributeNames
        case .list: return Interpreter.listMethodNames
        case .dict: return Interpreter.dictMethodNames
        case .string: return Interpreter.stringMethodNames
        default: return []
        }
    }
}

/// `range(start, stop, step)`.
final class RangeObject: PyObject {
    let start: Int, stop: Int, step: Int
    init(start: Int, stop: Int, step: Int) { self.start = start; self.stop = stop; self.step = step }
    var typeName: String { "range" }
    /// In 128 bits: `stop - start` overflows 64 for ranges that span most of them.
    var count: Int {
        let (a, b, s) = (Int128(start), Int128(stop), Int128(step))
        return Int(clamping: max(0, s > 0 ? (b - a + s - 1) / s : (a - b - s - 1) / -s))
    }
    func repr(_ interpreter: Interpreter) -> String { step == 1 ? "range(\(start), \(stop))" : "range(\(start), \(stop), \(step))" }
    func length(_ interpreter: Interpreter) throws(DLXError) -> Int? { count }
    func makeIterator(_ interpreter: Interpreter) throws(DLXError) -> ValueIterator? {
        var i = 0, value = start
        let n = count
        return ValueIterator { [step] () throws(DLXError) -> Value? in
            guard i < n else { return nil }
            let out = value
            i += 1
            if i < n { value += step }   // only towards a value in the range: no overflow
            return .int(out)
        }
    }
    func item(_ key: Value, _ interpreter: Interpreter) throws(DLXError) -> Value? {
        let i = try interpreter.normalizedIndex(key, count, "range object")
        return .int(Int(Int128(start) + Int128(i) * Int128(step)))
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines.
    public var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
