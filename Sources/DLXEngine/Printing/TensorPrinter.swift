/// PyTorch's tensor repr (torch/_tensor_str.py, default print options): precision 4, summarised past
/// 1000 elements with 3 edge items, lines of at most 80 characters.
public enum TensorPrinter {
    static let precision = 4
    static let threshold = 1000
    static let edgeItems = 3
    static let lineWidth = 80

    /// One element as the formatter sees it.
    enum Element {
        case float(Double)
        case int(Int64)
        case bool(Bool)
    }

    /// Chooses one width and one notation for all elements, like PyTorch's `_Formatter`.
    struct Formatter {
        let floating: Bool
        var intMode = true
        var sciMode = false
        var maxWidth = 1

        init(_ values: [Element], floating: Bool) {
            self.floating = floating
            if !floating {
                for v in values { maxWidth = Swift.max(maxWidth, Formatter.plain(v).count) }
                return
            }
            var finite: [Double] = []
            for case .float(let x) in values where x.isFinite && x != 0 { finite.append(x) }
            if finite.isEmpty { return }
            let magnitudes = finite.map { Swift.abs($0) }
            let lo = magnitudes.min()!, hi = magnitudes.max()!
            intMode = finite.allSatisfy { $0 == $0.rounded(.up) }
            if intMode {
                if hi / lo > 1000 || hi > 1e8 {
                    sciMode = true
                    for x in finite { maxWidth = Swift.max(maxWidth, NumberFormat.scientific(x, precision).count) }
                } else {
                    for x in finite { maxWidth = Swift.max(maxWidth, NumberFormat.fixed(x, 0).count + 1) }
                }
            } else if hi / lo > 1000 || hi > 1e8 || lo < 1e-4 {
                sciMode = true
                for x in finite { maxWidth = Swift.max(maxWidth, NumberFormat.scientific(x, precision).count) }
            } else {
                for x in finite { maxWidth = Swift.max(maxWidth, NumberFormat.fixed(x, precision).count) }
            }
        }

        static func plain(_ v: Element) -> String {
            switch v {
            case .float(let x): return NumberFormat.pythonRepr(x)
            case .int(let i): return String(i)
            case .bool(let b): return b ? "True" : "False"
            }
        }

        func format(_ v: Element) -> String {
            var s: String
            if floating, case .float(let x) = v {
                if sciMode {
                    s = NumberFormat.scientific(x, precision)
                } else if intMode {
                    s = NumberFormat.fixed(x, 0)
                    if x.isFinite { s += "." }
                } else {
                    s = NumberFormat.fixed(x, precision)
                }
            } else {
                s = Formatter.plain(v)
            }
            return s.count < maxWidth ? String(repeating: " ", count: maxWidth - s.count) + s : s
        }
    }

    static func element(_ t: Tensor, _ offset: Int) -> Element {
        switch t.dtype {
        case .float32, .float64: return .float(t.load(offset))
        case .bool: return .bool(t.loadInt(offset) != 0)
        default: return .int(t.loadInt(offset))
        }
    }

    /// `tensor([...], dtype=..., requires_grad=True)`.
    public static func repr(_ t: Tensor, gradFn: String? = nil, defaultDevice: Device = .cpu) throws(TensorError) -> String {
        // Device tensors are printed from a host copy, with their own device and flags.
        let values = try t.onHost()
        let prefix = "tensor("
        let indent = prefix.count
        var suffixes: [String] = []
        if t.device != defaultDevice { suffixes.append("device='\(t.device)'") }
        let body: String
        if t.count == 0 {
            if t.rank != 1 { suffixes.append("size=" + tupleString(t.shape)) }
            if t.dtype != .float32 { suffixes.append("dtype=" + t.dtype.repr) }
            body = "[]"
        } else {
            if ![.float32, .int64, .bool].contains(t.dtype) { suffixes.append("dtype=" + t.dtype.repr) }
            body = tensorString(values, indent: indent)
        }
        if let gradFn { suffixes.append("grad_fn=<\(gradFn)>") }
        else if t.requiresGrad { suffixes.append("requires_grad=True") }
        return addSuffixes(prefix + body, suffixes, indent: indent)
    }

    /// The bracketed contents alone, as `_tensor_str` makes them.
    static func tensorString(_ t: Tensor, indent: Int) -> String {
        let summarize = t.count > threshold
        var shown: [Element] = []
        collect(t, summarize: summarize, into: &shown)
        let formatter = Formatter(shown, floating: t.dtype.isFloatingPoint)
        return render(t, indent: indent, summarize: summarize, formatter)
    }

    /// The elements that will be displayed (the summarised data, when summarising).
    private static func collect(_ t: Tensor, summarize: Bool, into out: inout [Element]) {
        if t.rank == 0 { out.append(element(t, t.offset)); return }
        let n = t.shape[0]
        let rows = summarize && n > 2 * edgeItems ? Array(0..<edgeItems) + Array((n - edgeItems)..<n) : Array(0..<n)
        for i in rows {
            let sub = t.view(shape: Array(t.shape.dropFirst()), strides: Array(t.strides.dropFirst()), offset: t.offset + i * t.strides[0])
            collect(sub, summarize: summarize, into: &out)
        }
    }

    private static func render(_ t: Tensor, indent: Int, summarize: Bool, _ f: Formatter) -> String {
        if t.rank == 0 { return f.format(element(t, t.offset)) }
        let n = t.shape[0]
        func sub(_ i: Int) -> Tensor {
            t.view(shape: Array(t.shape.dropFirst()), strides: Array(t.strides.dropFirst()), offset: t.offset + i * t.strides[0])
        }
        if t.rank == 1 {
            let elementLength = f.maxWidth + 2
            let perLine = Swift.max(1, (lineWidth - indent) / elementLength)
            var data: [String]
            if summarize && n > 2 * edgeItems {
                data = (0..<edgeItems).map { f.format(element(t, t.offset + $0 * t.strides[0])) }
                data.append(" ...")
                data += ((n - edgeItems)..<n).map { f.format(element(t, t.offset + $0 * t.strides[0])) }
            } else {
                data = (0..<n).map { f.format(element(t, t.offset + $0 * t.strides[0])) }
            }
            var lines: [String] = []
            var i = 0
            while i < data.count {
                lines.append(data[i..<Swift.min(i + perLine, data.count)].joined(separator: ", "))
                i += perLine
            }
            return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
        }
        var slices: [String]
        if summarize && n > 2 * edgeItems {
            slices = (0..<edgeItems).map { render(sub($0), indent: indent + 1, summarize: summarize, f) }
            slices.append("...")
            slices += ((n - edgeItems)..<n).map { render(sub($0), indent: indent + 1, summarize: summarize, f) }
        } else {
            slices = (0..<n).map { render(sub($0), indent: indent + 1, summarize: summarize, f) }
        }
        let separator = "," + String(repeating: "\n", count: t.rank - 1) + String(repeating: " ", count: indent + 1)
        return "[" + slices.joined(separator: separator) + "]"
    }

    private static func addSuffixes(_ text: String, _ suffixes: [String], indent: Int) -> String {
        var out = text
        let lastNewline = text.lastIndex(of: "\n")
        var lastLineLength = lastNewline.map { text.distance(from: $0, to: text.endIndex) + 1 } ?? text.count + 2
        for s in suffixes {
            if lastLineLength + s.count + 2 > lineWidth {
                out += ",\n" + String(repeating: " ", count: indent) + s
                lastLineLength = indent + s.count
            } else {
                out += ", " + s
                lastLineLength += s.count + 2
            }
        }
        return out + ")"
    }

    /// A Python tuple of ints: `(0, 3)`, `(5,)`, `()`.
    public static func tupleString(_ values: [Int]) -> String {
        values.count == 1 ? "(\(values[0]),)" : "(" + values.map(String.init).joined(separator: ", ") + ")"
    }

    /// `torch.Size([1, 28, 28])`.
    public static func sizeRepr(_ shape: [Int]) -> String {
        "torch.Size([" + shape.map(String.init).joined(separator: ", ") + "])"
    }
}
