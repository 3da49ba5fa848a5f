import Testing
import Foundation
@testable import DLXShell
@testable import DLXEngine

/// Issue 22: the history file is shared by sessions running at once (at the 10,000-entry bound none loses
/// its new entries) and trimmed atomically (a full disk leaves it whole).
@Suite struct HistoryFileTests {
    @Test func twoSessionsAtTheBoundKeepAllTheirNewEntries() throws {
        let path = try scratchDirectory("history-merge") + "/.dlx_history"
        try ((0..<10_400).map { "old \($0)" }.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let history = HistoryFile(path: path, limit: 10_000)
        #expect(history.load().count == 10_400)
        DispatchQueue.concurrentPerform(iterations: 2) { session in
            var mine = HistoryFile(path: path, limit: 10_000)
            mine.faults = (nil, nil)
            for i in 0..<200 { mine.append("session \(session) entry \(i)") }
        }
        let entries = history.load()
        #expect(entries.count >= 10_000 && entries.count <= 10_500, "\(entries.count) entries")
        for s in 0..<2 {
            let mine = entries.filter { $0.hasPrefix("session \(s) ") }
            #expect(mine == (0..<200).map { "session \(s) entry \($0)" })   // all of them, in order
        }
        #expect(entries.last?.hasPrefix("session ") == true)
        let folder = (path as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == [".dlx_history", ".dlx_history.lock"])
    }

    @Test func aFullDiskNeverShortensTheHistory() throws {
        let path = try scratchDirectory("history-enospc") + "/.dlx_history"
        let old = ([HistoryFile.header] + (0..<10_500).map { "old \($0)" }).joined(separator: "\n") + "\n"
        try old.write(toFile: path, atomically: true, encoding: .utf8)
        var history = HistoryFile(path: path, limit: 10_000)
        // The append fails half way: nothing changes.
        history.faults = (AtomicFile.Fault(code: ENOSPC), nil)
        #expect(!history.append("lost and gone"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == old)
        // The append goes through but the trim fails: the file keeps every entry.
        history.faults = (nil, AtomicFile.Fault(code: ENOSPC))
        #expect(history.append("kept"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == old + "kept\n")
        history.faults = (nil, nil)
        #expect(history.append("trimmed"))
        let entries = history.load()
        #expect(entries.count == 10_000 && entries.suffix(2) == ["kept", "trimmed"])
    }

    /// Up after a restart recalls a whole cell: its newlines (and backslashes) survive the file.
    @Test func multiLineCellsComeBackWhole() throws {
        let path = try scratchDirectory("history-cells") + "/.dlx_history"
        var history = HistoryFile(path: path, limit: 100)
        history.faults = (nil, nil)
        let cell = "for i in range(2):\n    print('a\\nb', i)"
        #expect(history.append("x = 1"))
        #expect(history.append(cell))
        #expect(HistoryFile(path: path, limit: 100).load() == ["x = 1", cell])
        #expect(try String(contentsOfFile: path, encoding: .utf8)
                == "# dlx history 2\nx = 1\nfor i in range(2):\\n    print('a\\\\nb', i)\n")
    }

    /// A history file of earlier versions (a line per entry) is read as it is and rewritten with the header.
    @Test func anOldHistoryFileIsReadAndConverted() throws {
        let path = try scratchDirectory("history-old") + "/.dlx_history"
        try "print('a\\nb')\ny = 2\n".write(toFile: path, atomically: true, encoding: .utf8)
        var history = HistoryFile(path: path, limit: 100)
        history.faults = (nil, nil)
        #expect(history.load() == ["print('a\\nb')", "y = 2"])
        #expect(history.append("z = 3"))
        #expect(history.load() == ["print('a\\nb')", "y = 2", "z = 3"])
    }
}
