/// NumPy 2.x's `repr` and `str` of arrays (numpy/_core/arrayprint.py with the default print options:
/// precision 8, threshold 1000, edgeitems 3, linewidth 75, floatmode 'maxprec', sign '-').
///
///     array([[0., 1.],
///            [2., 3.]], dtype=float32)
public enum NumPyPrinter {
    static let threshold = 1000
    static let edgeItems = 3
    static let lineWidth = 75

    /// `repr(a)`: `array([...])`, with `shape=` for empty and summarised arrays and `dtype=` where the
    /// values do not imply it (float32, int32, uint8, and every empty array).
    public static func repr(_ t: Tensor) throws(TensorError) -> String {
        let host = try t.onHost()
        let prefix = "array("
        // The closing ")" counts against the line width.
        let body = layout(host, separator: ", ", prefix: prefix, width: lineWidth - 1)
        var extras: [String] = []
        if (host.count == 0 && host.shape != [0]) || host.count > threshold {
            extras.append("shape=" + TensorPrinter.tupleString(host.shape))
        }
        if ![DType.float64, .int64, .bool].contains(host.dtype) || host.count == 0 {
            extras.append("dtype=" + host.dtype.name)
        }
        if extras.isEmpty { return prefix + body + ")" }
        let head = prefix + body + ","
        let tail = extras.joined(separator: ", ") + ")"
        let lastLine = head.reversed().prefix { $0 != "\n" }.count
        let spacer = lastLine + tail.count + 1 > lineWidth ? "\n" + String(repeating: " ", count: prefix.count) : " "
        return head + spacer + tail
    }

    /// `str(a)` (what `print(a)` shows): the brackets without `array(`; a 0-d array prints as its scalar.
    public static func str(_ t: Tensor) throws(TensorError) -> String {
        let host = try t.onHost()
        if host.rank == 0 { return scalarText(host, host.offset) }
        return layout(host, separator: " ", prefix: "", width: lineWidth)
    }

    /// NumPy's `str()` of a scalar of this dtype (also the digits inside `np.float32(...)`): `1.5`, `1e-05`,
    /// `3`, `True`. A float64 prints as Python's float; a float32 in its own shortest digits, in fixed
    /// notation from 1e-4 up to 1e6 and scientific outside (`1e+06`).
    public static func scalarStr(_ value: Double, dtype: DType) -> String {
        switch dtype {
        case .float32, .float64: return NumPyFloatFormat.scalarText(value, float32: dtype == .float32)
        case .bool: return value != 0 ? "True" : "False"
        case .int64, .int32, .uint8:
            return Swift.abs(value) < 9.2e18 ? String(Int64(value)) : NumberFormat.format("%.0f", value)
        }
    }

    static func scalarText(_ t: Tensor, _ offset: Int) -> String {
        t.dtype.isFloatingPoint || t.dtype == .bool ? scalarStr(t.load(offset), dtype: t.dtype) : String(t.loadInt(offset))
    }

    // MARK: - Layout

    /// The bracketed elements, as arrayprint's `_formatArray` lays them out; `[]` for an empty array.
    static func layout(_ t: Tensor, separator: String, prefix: String, width: Int) -> String {
        if t.count == 0 { return "[]" }
        let summarize = t.count > threshold
        let format = ElementFormat(t, shown: shownIndices(t, summarize: summarize))
        let layout = Layout(tensor: t, format: format, separator: separator, summarize: summarize)
        return layout.block(axis: 0, offset: t.offset, hanging: String(repeating: " ", count: 1 + prefix.count), width: width)
    }

    /// For each axis, the indices printed: all of them, or the first and last `edgeItems` when summarising.
    static func shownIndices(_ t: Tensor, summarize: Bool) -> [[Int]] {
        t.shape.map { n in
            summarize && n > 2 * edgeItems ? Array(0..<edgeItems) + Array((n - edgeItems)..<n) : Array(0..<n)
        }
    }

    /// How the elements of one array are written: one width for all the shown elements.
    enum ElementFormat {
        case bool(zeroDimensional: Bool)
        case int(width: Int)
        case float(NumPyFloatFormat)

        /// Built from the elements that will be shown (the corners of a summarised array).
        init(_ t: Tensor, shown: [[Int]]) {
            var offsets: [Int] = []
            var position = [Int](repeating: 0, count: t.rank)
            // An odometer over the shown indices of every axis.
            outer: while true {
                var offset = t.offset
                for axis in 0..<t.rank { offset += shown[axis][position[axis]] * t.strides[axis] }
                offsets.append(offset)
                var axis = t.rank - 1
                while axis >= 0 {
                    position[axis] += 1
                    if position[axis] < shown[axis].count { continue outer }
                    position[axis] = 0
                    axis -= 1
                }
                break
            }
            switch t.dtype {
            case .bool:
                self = .bool(zeroDimensional: t.rank == 0)
            case .int64, .int32, .uint8:
                let values = offsets.map { t.loadInt($0) }
                let widths = [values.max(), values.min()].compactMap { $0.map { String($0).count } }
                self = .int(width: widths.max() ?? 0)
            case .float32, .float64:
                self = .float(NumPyFloatFormat(offsets.map { t.load($0) }, float32: t.dtype == .float32))
            }
        }

        func text(_ t: Tensor, _ offset: Int) -> String {
            switch self {
            case .bool(let zeroDimensional):
                return t.loadInt(offset) != 0 ? (zeroDimensional ? "True" : " True") : "False"
            case .int(let width):
                let s = String(t.loadInt(offset))
                return NumPyFloatFormat.spaces(width - s.count) + s
            case .float(let f):
                return f.format(t.load(offset))
            }
        }
    }

    /// `_formatArray`: rows wrap at the line width with continuation lines under the first element;
    /// higher axes put each sub-block on its own lines, with blank lines between blocks of rank 3 and up.
    struct Layout {
        let tensor: Tensor
        let format: ElementFormat
        let separator: String
        let summarize: Bool

        /// The block at `axis` starting at element `offset`. `hanging` is the indentation of its lines;
        /// `width` the room left for them. Recursion goes one axis deeper per call, so depth <= rank.
        func block(axis: Int, offset: Int, hanging: String, width: Int) -> String {
            if axis == tensor.rank { return format.text(tensor, offset) }
            let n = tensor.shape[axis], stride = tensor.strides[axis]
            // nil stands for the "..." of a summarised axis.
            var items: [Int?] = []
            if summarize && n > 2 * edgeItems {
                items = (0..<edgeItems).map { $0 } + [nil] + ((n - edgeItems)..<n).map { $0 }
            } else {
                items = (0..<n).map { $0 }
            }
            let innerHanging = hanging + " "
            func word(_ item: Int?) -> String {
                guard let i = item else { return "..." }
                return block(axis: axis + 1, offset: offset + i * stride, hanging: innerHanging, width: width - 1)
            }
            let trimmedSeparator = separator.trimmingTrailingSpaces
            var s = ""
            if axis == tensor.rank - 1 {
                let elementWidth = width - Swift.max(trimmedSeparator.count, 1)
                var line = hanging
                for (k, item) in items.enumerated() {
                    let w = word(item)
                    if line.count + w.count > elementWidth && line.count > hanging.count {
                        s += line.trimmingTrailingSpaces + "\n"
                        line = hanging
                    }
                    line += w
                    if k < items.count - 1 { line += separator }
                }
                s += line
            } else {
                let lineSeparator = trimmedSeparator + String(repeating: "\n", count: tensor.rank - axis - 1)
                for (k, item) in items.enumerated() {
                    s += hanging + word(item) + (k < items.count - 1 ? lineSeparator : "")
                }
            }
            return "[" + s.dropFirst(hanging.count) + "]"
        }
    }
}

extension String {
    /// The text without the spaces it ends with (NumPy's wrapped lines, tqdm's postfix values).
    public var trimmingTrailingSpaces: String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
