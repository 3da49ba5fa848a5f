/// How Python writes a string literal: the text `repr(s)` gives, which the unparser writes for string constants
/// and the interpreter for values.
public enum PythonText {
    /// Single quotes unless the text has a single quote and no double quote; control characters escaped.
    public static func quote(_ s: String) -> String {
        let q: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(q)
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if Character(c) == q { out += "\\" + String(q) }
                else if c.value < 0x20 || c.value == 0x7f {
                    let h = String(c.value, radix: 16)
                    out += "\\x" + (h.count < 2 ? "0" : "") + h
                } else { out.unicodeScalars.append(c) }
            }
        }
        out.append(q)
        return out
    }
}
