#if canImport(Glibc)
import Glibc
#endif
import CReadline
import CSupport

/// GNU readline through its callback interface, so that Ctrl-C can abandon the line being edited:
/// a blocking `readline()` would swallow the signal. History is kept in a file, appended as you go and
/// trimmed to a bound.
public final class ReadlineReader: LineReader {
    private let historyFile: String?
    private let historyLimit: Int32

    /// readline calls back through a C function pointer that cannot capture context, so the finished
    /// line passes through readline's own (process-wide) state: this one slot.
    nonisolated(unsafe) private static var finished: (done: Bool, line: String?) = (false, nil)

    public init(historyFile: String?, historyLimit: Int = 10_000) {
        self.historyFile = historyFile
        self.historyLimit = Int32(historyLimit)
        rl_catch_signals = 0
        rl_getc_function = dlx_tty_getc
        rl_catch_sigwinch = 1
        using_history()
        if let historyFile {
            // append_history needs the file to exist.
            let fd = open(historyFile, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            if fd >= 0 { close(fd) }
            read_history(historyFile)
        }
        rl_readline_name = UnsafePointer(strdup("dlx"))
    }

    public func read(prompt: String) -> LineInput {
        ReadlineReader.finished = (false, nil)
        rl_callback_handler_install(prompt) { line in
            ReadlineReader.finished = (true, line.map { String(cString: $0) })
            free(line)
            rl_callback_handler_remove()
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

    public func addHistory(_ entry: String) {
        guard !entry.trimmingCharacters(in: " ").isEmpty else { return }
        add_history(entry)
        if let historyFile {
            append_history(1, historyFile)
            history_truncate_file(historyFile, historyLimit)
        }
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
