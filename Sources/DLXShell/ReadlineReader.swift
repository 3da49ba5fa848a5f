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

    public init(historyFile: String?, historyLimit: Int = 10_000) {
        history = historyFile.map { HistoryFile(path: $0, limit: historyLimit) }
        rl_catch_signals = 0
        rl_getc_function = { stream in
            let c = dlx_tty_getc(stream)
            // A Ctrl-D typed while a cell was running arrives as NUL: the terminal, in canonical mode then,
            // kept it as an end-of-file mark, which reads as a zero byte once readline turns canonical mode
            // off. On an empty line it means what it meant: end of input.
            return c == 0 && rl_end == 0 ? 4 : c
        }
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

    public func read(prompt: String) -> LineInput {
        ReadlineReader.finished = (false, nil)
        rl_callback_handler_install(prompt) { line in
            ReadlineReader.finished = (true, line.map { String(cString: $0) })
            free(line)
            rl_callback_handler_remove()
        }
        if let text = pending {
            pending = nil
            rl_insert_text(text)
            rl_redisplay()
        }
        while !ReadlineReader.finished.done {
            rl_callback_read_char()   // waits for a key in dlx_tty_getc
            if dlx_sigint_take() != 0 {
                // Abandon the line: show ^C, forget the buffer, leave a clean prompt state.
                rl_free_line_state()
                rl_callback_sigcleanup()
                rl_callback_handler_remove()
                Output.stdout("^C\n")
                Output.flush()
                return .interrupted
            }
        }
        let result = ReadlineReader.finished
        guard result.done, let line = result.line else {
            Output.stdout("\n")
            return .endOfInput
        }
        return .line(line)
    }

    public func prefill(_ text: String) { pending = text }

    public func addHistory(_ entry: String) {
        guard !entry.trimmingCharacters(in: " ").isEmpty else { return }
        add_history(entry)
        history?.append(entry)
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
