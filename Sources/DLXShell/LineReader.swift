#if canImport(Glibc)
import Glibc
#endif

/// What a line reader gives back.
public enum LineInput: Equatable {
    case line(String)
    case interrupted
    case endOfInput
}

/// Where the prompt gets its lines: GNU readline on a terminal, plain reads elsewhere.
public protocol LineReader: AnyObject {
    func read(prompt: String) -> LineInput
    func addHistory(_ entry: String)
    /// Puts `text` in the next line's editing buffer (`%load`, an indent), where the reader can edit.
    func prefill(_ text: String)
    /// Says whether the next line continues a cell.
    func startLine(continuing: Bool)
}

extension LineReader {
    public func prefill(_ text: String) {}
    public func startLine(continuing: Bool) {}
}

/// Reads lines from standard input without editing (pipes, dumb terminals, tests).
public final class PlainLineReader: LineReader {
    private let echoPrompt: Bool
    public init(echoPrompt: Bool) { self.echoPrompt = echoPrompt }

    public func read(prompt: String) -> LineInput {
        if echoPrompt { Output.stdout(prompt); Output.flush() }
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        let n = getline(&line, &capacity, stdin)
        defer { free(line) }
        if n < 0 {
            if dlx_interrupted() { clearerr(stdin); return .interrupted }
            return .endOfInput
        }
        var s = String(cString: line!)
        if s.hasSuffix("\n") { s.removeLast() }
        return .line(s)
    }

    public func addHistory(_ entry: String) {}
}

/// Writes to the standard streams through C stdio, so that prints and errors interleave in order.
public enum Output {
    public static func stdout(_ s: String) { fputs(s, Glibc.stdout) }
    public static func stderr(_ s: String) { Output.flush(); fputs(s, Glibc.stderr) }
    public static func flush() { fflush(Glibc.stdout) }
}

import CSupport
func dlx_interrupted() -> Bool { dlx_sigint_take() != 0 }
