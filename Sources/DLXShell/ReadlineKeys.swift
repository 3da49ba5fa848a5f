#if canImport(Glibc)
import Glibc
#endif
import CReadline
import CSupport

/// The keys the prompt handles as IPython does: Tab indents at the start of a line (and completes after
/// code), Backspace in an indent removes a level of four spaces, and Ctrl-C clears the line being typed
/// (or abandons the cell, on a continuation line).
extension ReadlineReader {
    /// What the terminal never sends as a key while readline has ISIG on (Ctrl-\ is SIGQUIT there): the
    /// reader's stand-in for a Ctrl-C that arrived while readline waited for a key.
    static let interruptKey: Int32 = 0x1C
    static let indentWidth = 4

    static func installKeys() {
        rl_bind_key(9) { count, key in
            guard ReadlineReader.onlySpacesBeforeCursor() else { return rl_complete(count, key) }
            let spaces = ReadlineReader.indentWidth - Int(rl_point) % ReadlineReader.indentWidth
            rl_insert_text(String(repeating: " ", count: spaces))
            return 0
        }
        for backspace: Int32 in [8, 127] {
            rl_bind_key(backspace) { count, key in
                guard rl_point > 0, ReadlineReader.onlySpacesBeforeCursor() else { return rl_rubout(count, key) }
                let width = ReadlineReader.indentWidth, remove = Int(rl_point) % width == 0 ? width : Int(rl_point) % width
                return rl_rubout(Int32(remove), key)
            }
        }
        rl_bind_key(interruptKey) { _, _ in
            if ReadlineReader.continuing {
                // The cell so far is dropped: the line ends here and the reader reports an interruption.
                ReadlineReader.abandoned = true
                rl_done = 1
            } else {
                rl_replace_line("", 1)
                rl_point = 0
                rl_mark = 0
            }
            return 0
        }
    }

    /// True when the cursor has only spaces before it on the line (or none).
    static func onlySpacesBeforeCursor() -> Bool {
        guard let buffer = rl_line_buffer else { return true }
        for i in 0..<Int(rl_point) where buffer[i] != 0x20 { return false }
        return true
    }
}
