import Testing
import Foundation
@testable import DLXEngine

/// Whole files are replaced atomically; a failed write leaves the old file and no temporary one.
@Suite struct AtomicFileTests {
    func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
    func names(_ dir: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() }

    @Test func writesAndReplacesKeepingPermissions() throws {
        let dir = try scratchDirectory("atomic-replace")
        let path = dir + "/notes.txt"
        try AtomicFile.write("first\n", to: path, fault: nil)
        #expect(contents(path) == "first\n")
        chmod(path, 0o640)
        try AtomicFile.write("second\n", to: path, fault: nil)
        #expect(contents(path) == "second\n")
        var st = stat()
        stat(path, &st)
        #expect(st.st_mode & 0o777 == 0o640)
        #expect(names(dir) == ["notes.txt"])
    }

    @Test func aFailedWriteKeepsTheOldFileAndSaysWhyInPythonsWords() throws {
        let dir = try scratchDirectory("atomic-enospc")
        let path = dir + "/model.txt"
        try AtomicFile.write("old and complete\n", to: path, fault: nil)
        #expect(throws: AtomicFile.Failure(code: ENOSPC, path: path)) {
            try AtomicFile.write(String(repeating: "new ", count: 1000), to: path, fault: AtomicFile.Fault(code: ENOSPC))
        }
        #expect(AtomicFile.Failure(code: ENOSPC, path: "m.txt").description == "[Errno 28] No space left on device: 'm.txt'")
        #expect(contents(path) == "old and complete\n")
        #expect(names(dir) == ["model.txt"])   // the temporary file is gone
        // A second part failing (the dataset cache writes a header, then the data) is the same.
        let code = [UInt8](repeating: 1, count: 8).withUnsafeBytes { a in
            AtomicFile.write([a, a], to: path, fault: AtomicFile.Fault(code: EIO, at: 2))
        }
        #expect(code == EIO)
        #expect(contents(path) == "old and complete\n")
    }

    @Test func linksStayLinksAndFoldersAreRefused() throws {
        let dir = try scratchDirectory("atomic-link")
        try AtomicFile.write("target\n", to: dir + "/real.txt", fault: nil)
        symlink(dir + "/real.txt", dir + "/link.txt")
        try AtomicFile.write("through the link\n", to: dir + "/link.txt", fault: nil)
        #expect(contents(dir + "/real.txt") == "through the link\n")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.txt")) == dir + "/real.txt")
        #expect(throws: AtomicFile.Failure(code: EISDIR, path: dir)) { try AtomicFile.write("x", to: dir, fault: nil) }
        #expect(throws: AtomicFile.Failure(code: ENOENT, path: dir + "/missing/x.txt")) {
            try AtomicFile.write("x", to: dir + "/missing/x.txt", fault: nil)
        }
    }

    @Test func temporariesOfKilledWritersAreRemoved() throws {
        let dir = try scratchDirectory("atomic-stale")
        let dead = dir + "/.out.txt.2147483646.dlx-tmp", alive = dir + "/.out.txt.\(getppid()).dlx-tmp"
        FileManager.default.createFile(atPath: dead, contents: Data("half".utf8))
        FileManager.default.createFile(atPath: alive, contents: Data("busy".utf8))
        try AtomicFile.write("done\n", to: dir + "/out.txt", fault: nil)
        #expect(names(dir) == [".out.txt.\(getppid()).dlx-tmp", "out.txt"])   // a living writer's file is left alone
    }

    @Test func aRecordStreamWritesWholeRecordsAndKeepsItsFirstError() throws {
        let path = try scratchDirectory("records") + "/cells.jsonl"
        let f = try RecordFile(path: path, fault: AtomicFile.Fault(code: ENOSPC, at: 3))
        #expect(f.append("{\"a\": 1}\n") && f.append("{\"b\": 2}\n"))
        #expect(!f.append("{\"c\": 3, \"long\": \"" + String(repeating: "x", count: 100) + "\"}\n"))
        #expect(!f.append("{\"d\": 4}\n"))
        #expect(f.close() == AtomicFile.Failure(code: ENOSPC, path: path))
        #expect(contents(path) == "{\"a\": 1}\n{\"b\": 2}\n")   // no torn last line
    }
}
