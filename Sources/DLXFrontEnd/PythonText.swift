/// How Python writes a string literal: the text `repr(s)` gives, which the unparser writes for string constants
/// and the interpreter for values.
public enum PythonText {
    /// Single quotes unless the text has a single quote and no double quote; control characters escaped.
    public static func quote(_ s: String) -> String {
        let q: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        return String(q) + escaped(s, quote: q) + String(q)
    }

    /// The text as `repr` writes it between its quotes: backslashes, the quote, and every character Python
    /// does not print as is (str.isprintable: controls, format characters such as U+202E, separators other
    /// than the space, unassigned code points) escaped as \n, \xNN, \uNNNN or \UNNNNNNNN.
    public static func escaped(_ s: String, quote q: Character? = nil) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if let q, Character(c) == q { out += "\\" + String(q) }
                else if printable(c) { out.unicodeScalars.append(c) }
                else {
                    let (marker, width) = c.value < 0x100 ? ("x", 2) : c.value < 0x10000 ? ("u", 4) : ("U", 8)
                    let h = String(c.value, radix: 16)
                    out += "\\" + marker + String(repeating: "0", count: width - h.count) + h
                }
            }
        }
        return out
    }

    /// Python's str.isprintable for one character.
    static func printable(_ c: Unicode.Scalar) -> Bool {
        if c == " " { return true }
        switch c.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator: return false
        default: return true
        }
    }
}
