import Testing
import Foundation
@testable import DLXShell

/// Issue 22: `--max-disk MB` (100 in dlx grade): the files a run's code writes, through any writer, may take
/// that much; past it a write is Python's `OSError: [Errno 122] Disk quota exceeded` and nothing of it is
/// written (a replaced file stays as it was).
@Suite struct DiskQuotaTests {
    @Test func everyWriterIsChargedAndStopsAtTheQuota() throws {
        let dir = try scratchDirectory("disk-quota")
        let script = """
        f = open('a.txt', 'w')
        for i in range(2000):
            f.write('x' * 1000)
        f.close()
        import os
        print(os.path.getsize('a.txt'))
        _ = open('a.txt', 'w').write('small')
        show(torch.rand(100, 100), 'p.png')
        In = ['', 'y = "' + 'y' * 600_000 + '"']
        %save big.py 1
        %save big2.py 1
        plot(list(range(30000)), list(range(30000)), 'chart.svg')
        %notebook nb.ipynb
        print(sorted(os.listdir('.')))

        """
        let r = try runDLX(["--max-disk", "1", "--keep-going", "-"], stdin: script, directory: dir)
        #expect(r.stdout.hasPrefix("1048000\n"), "\(r.stdout)")
        #expect(r.stdout.hasSuffix("['a.txt', 'big.py', 'p.png']\n"), "\(r.stdout)")
        let errors = r.stderr.split(separator: "\n").map(String.init)
        #expect(errors == [
            "<stdin>:3:5: error: OSError: [Errno 122] Disk quota exceeded: 'a.txt'",
            "<stdin>:11:1: error: OSError: [Errno 122] Disk quota exceeded: 'big2.py'",
            "<stdin>:12:1: error: OSError: [Errno 122] Disk quota exceeded: 'chart.svg'",
            "<stdin>:13:1: error: OSError: [Errno 122] Disk quota exceeded: 'nb.ipynb'",   // its cells hold the 600 KB line
        ], "\(r.stderr)")
        #expect(try String(contentsOfFile: dir + "/a.txt", encoding: .utf8) == "small")
    }

    @Test func gradingGivesEachSubmissionAHundredMegabytes() throws {
        guard case .success(let o) = GradeCommand.parse(["--key", "k.dlx", "s.dlx"]) else { Issue.record("parse failed"); return }
        #expect(o.limits.maxDiskMB == 100)
        #expect(o.limits.arguments.contains("--max-disk"))
        let dir = try scratchDirectory("grade-disk")
        try ">>> wrote\n2\n".write(toFile: dir + "/key.dlx", atomically: true, encoding: .utf8)
        try "wrote = 0\nf = open('w.txt', 'w')\nfor i in range(10):\n    f.write('z' * 400_000)\n    wrote += 1\n"
            .write(toFile: dir + "/s.dlx", atomically: true, encoding: .utf8)
        let r = try runDLX(["grade", "--key", "key.dlx", "--max-disk", "1", "--gradescope", "gs", "s.dlx"], directory: dir)
        #expect(r.status == 0)
        let gs = try String(contentsOfFile: dir + "/gs/results.json", encoding: .utf8)
        #expect(gs.contains("s.dlx:4:5: error: OSError: [Errno 122] Disk quota exceeded: 'w.txt'"), "\(gs)")
        #expect(gs.contains("\"score\": 1"))
    }
}
