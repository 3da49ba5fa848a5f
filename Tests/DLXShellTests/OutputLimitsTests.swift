import Testing
import Foundation

/// Issue 22: --max-output counts everything a run prints, error reports included; what dlx keeps of a
/// cell's output stops at the limit too, and `dlx grade` stays small whatever its submissions print.
@Suite struct OutputLimitsTests {
    @Test func errorReportsCountTowardsTheLimit() throws {
        let script = String(repeating: "undefined_name\n", count: 20_000)
        let r = try runDLX(["--max-output", "1", "--keep-going", "-"], stdin: script)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.utf8.count < 1024 + 100, "\(r.stderr.utf8.count) bytes of errors")
        #expect(r.stderr.hasSuffix("[dlx: output cut here: more than 1 KB (--max-output)]\n"))
    }

    /// Ten megabytes printed in one cell: the --json record keeps only what the limit lets through.
    @Test func aCellKeepsNoMoreOfItsOutputThanTheLimit() throws {
        let dir = try scratchDirectory("output-cap")
        let r = try runDLX(["--max-output", "4", "--json", "cells.jsonl", "-"],
                           stdin: "for i in range(1000):\n    print('x' * 10000)\n[1] * 100000\n", directory: dir)
        #expect(r.status == 0)
        let size = (try FileManager.default.attributesOfItem(atPath: dir + "/cells.jsonl")[.size] as? Int) ?? -1
        #expect(size > 4096 && size < 4 * 4096, "cells.jsonl is \(size) bytes")
    }

    /// A submission that floods both streams: its result carries at most the limit, and the grader's
    /// process (with its children, as /usr/bin/time measures it) stays small.
    @Test func gradingAFloodKeepsResultsAndMemorySmall() throws {
        let dir = try scratchDirectory("grade-flood")
        try ">>> 6 * 7\n42\n".write(toFile: dir + "/key.dlx", atomically: true, encoding: .utf8)
        let flood = "for i in range(3000):\n    print('y' * 10000)\n" + String(repeating: "raise ValueError('z' * 10000)\n", count: 3000)
        try flood.write(toFile: dir + "/flood.dlx", atomically: true, encoding: .utf8)
        let time = "/usr/bin/time"
        let timed = FileManager.default.isExecutableFile(atPath: time)
        let args = ["grade", "--key", "key.dlx", "--max-output", "64", "--gradescope", "gs", "--json", "r.jsonl", "flood.dlx"]
        let r = timed ? try runProgram(time, ["-f", "maxrss %M", dlxPath] + args, directory: dir) : try runDLX(args, directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let gs = try String(contentsOfFile: dir + "/gs/results.json", encoding: .utf8)
        #expect(gs.utf8.count < 80_000, "results.json is \(gs.utf8.count) bytes")
        #expect(gs.contains("[dlx: output cut here: more than 64 KB (--max-output)]"))
        #expect(try String(contentsOfFile: dir + "/r.jsonl", encoding: .utf8).contains("\"score\": 1"))
        // Under AddressSanitizer each process keeps freed memory in quarantine (256 MB) and shadow besides.
        let bound = ProcessInfo.processInfo.environment["DLX_SANITIZER"] == nil ? 300_000 : 1_200_000
        if timed, let kb = r.stderr.split(separator: "\n").last(where: { $0.hasPrefix("maxrss ") }).flatMap({ Int($0.dropFirst(7)) }) {
            #expect(kb < bound, "max RSS \(kb) KB")
        }
    }
}
