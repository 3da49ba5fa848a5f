#if canImport(Glibc)
import Glibc
#endif
import CReadline
import CSupport

/// GNU readline through its callback interface, so that Ctrl-C can abandon the line being edited:
/// a blocking `readline()` would swallow the signal. History is kept in a file (HistoryFile), appended as
/// you go and trimmed to a bound, shared safely by sessions running at once.
public final class ReadlineReader: LineReader {
    private let history: HistoryFile?

    /// readline calls back through a C function pointer that cannot capture context, so the finished
    /// line passes through readline's own (process-wide) state: this one slot.
    nonisolated(unsafe) private static var finished: (done: Bool, line: String?) = (false, nil)
    /// Tab completion: (the word being completed, the line before it) -> candidates. Readline's
    /// completion hooks are C function pointers too, so the completer sits beside `finished`.
    nonisolated(unsafe) static var completer: ((String, String) -> [String])? = nil
    nonisolated(unsafe) private static var candidates: [String] = []
    nonisolated(unsafe) private static var index = 0
    private var pending: String? = nil
    /// Whether the line being read continues a cell (its Ctrl-C abandons the cell; its Ctrl-D does nothing).
    nonisolated(unsafe) static var continuing = false
    /// Set by Ctrl-C on a continuation line: the line readline returns is dropped.
    nonisolated(unsafe) static var abandoned = false

    public init(historyFile: String?, historyLimit: Int = 10_000) {
        history = historyFile.map { HistoryFile(path: $0, limit: historyLimit) }
        rl_catch_signals = 0
        rl_getc_function = { stream in
            while true {
                let c = dlx_tty_getc(stream)
                // Ctrl-C while readline waits: a key of our own, which clears the line (ReadlineKeys), rather
                // than the end of input that would end readline's line.
                // Inside a command that reads more keys (a bracketed paste) it stays an end of input, which ends
                // that command; `read` then abandons the line.
                if c == EOF && rl_readline_state & UInt(RL_STATE_READCMD) != 0 && dlx_sigint_take() != 0 {
                    return ReadlineReader.interruptKey
                }
                // A Ctrl-D typed while a cell was running arrives as NUL: the terminal, in canonical mode then,
                // kept it as an end-of-file mark, which reads as a zero byte once readline turns canonical
                // mode off. On an empty line it means what it meant: end of input.
                let key = c == 0 && rl_end == 0 ? 4 : c
                // Ctrl-D on an empty continuation line does nothing, as in IPython (the cell is not empty).
                if key == 4 && rl_end == 0 && ReadlineReader.continuing { continue }
                return key
            }
        }
        // Readline would bind the terminal's erase key (Backspace) over ours each time it prepares the terminal.
        rl_variable_bind("bind-tty-special-chars", "off")
        rl_initialize()
        ReadlineReader.installKeys()
        rl_catch_sigwinch = 1
        using_history()
        stifle_history(Int32(historyLimit))
        for entry in history?.load() ?? [] { add_history(entry) }
        rl_readline_name = UnsafePointer(strdup("dlx"))
        // `.` is not a word break, so "x.unsq" is completed as a whole; brackets and operators are.
        rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n\"\\'`@$><=;|&{([,+-*/%"))
        rl_attempted_completion_function = { text, start, _ in
            rl_attempted_completion_over = 1   // no file-name completion fallback
            rl_completion_append_character = 0  // `x.unsqueeze` then `(`, not a space
            guard let text else { return nil }
            let word = String(cString: text)
            let before = rl_line_buffer.map { String(String(cString: $0).prefix(Int(start))) } ?? ""
            ReadlineReader.candidates = ReadlineReader.completer?(word, before) ?? []
            if ReadlineReader.candidates.isEmpty { return nil }
            return rl_completion_matches(text) { _, state in
                if state == 0 { ReadlineReader.index = 0 }
                guard ReadlineReader.index < ReadlineReader.candidates.count else { return nil }
                ReadlineReader.index += 1
                return strdup(ReadlineReader.candidates[ReadlineReader.index - 1])
            }
        }
    }

    /// The prompt with each escape sequence between readline's invisible-text markers (\u{1}, \u{2}), so
    /// that readline counts only the visible columns when it places the cursor and redraws.
    static func markInvisible(_ prompt: String) -> String {
        var out = "", inEscape = false
        for c in prompt.unicodeScalars {
            if c == "\u{1B}" { out += "\u{1}"; inEscape = true }
            out.unicodeScalars.append(c)
            if inEscape && c.properties.isAlphabetic && c != "[" { out += "\u{2}"; inEscape = false }
        }
        return out
    }

    public func read(prompt: String) -> LineInput {
        ReadlineReader.finished = (false, nil)
        // An end of input that was abandoned (Ctrl-C reads as one; Ctrl-D on a continuation line) must not stay
        // readline's state: with it set, readline ends every later line with an extra newline.
        rl_eof_found = 0
        rl_callback_handler_install(ReadlineReader.markInvisible(prompt)) { line in
            ReadlineReader.finished = (true, line.map { String(cString: $0) })
            free(line)
            rl_callback_handler_remove()
        }
        if let text = pending {
            pending = nil
            rl_insert_text(text)
            rl_redisplay()
        }
        ReadlineReader.abandoned = false
        while !ReadlineReader.finished.done {
            rl_callback_read_char()   // waits for a key in dlx_tty_getc
            if dlx_sigint_take() != 0 {
                // A Ctrl-C in the middle of a paste: forget the line and leave a clean prompt state.
                rl_free_line_state()
                rl_callback_sigcleanup()
                rl_callback_handler_remove()
                Output.stdout("\n")
                Output.flush()
                return .interrupted
            }
        }
        if ReadlineReader.abandoned { return .interrupted }
        let result = ReadlineReader.finished
        guard result.done, let line = result.line else {
            Output.stdout("\n")
            return .endOfInput
        }
        return .line(line)
    }

    public func prefill(_ text: String) { pending = text }

    public func startLine(continuing: Bool) { ReadlineReader.continuing = continuing }

    public func addHistory(_ entry: String) {
        guard !entry.trimmingCharacters(in: " ").isEmpty else { return }
        // A cell ends with the blank (or auto-indented) line that closed it: Up recalls the cell without it.
        var trimmed = Substring(entry)
        while let last = trimmed.last, last == " " || last == "\n" || last == "\t" { trimmed.removeLast() }
        add_history(String(trimmed))
        history?.append(String(trimmed))
    }
}

extension String {
    func trimmingCharacters(in c: Character) -> String {
        var s = Substring(self)
        while s.first == c || s.first == "\n" { s.removeFirst() }
        while s.last == c || s.last == "\n" { s.removeLast() }
        return String(s)
    }
}
