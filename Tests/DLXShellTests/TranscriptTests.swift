import Testing
import Foundation

/// Transcript tests: `.dlx` scripts with their expected output, run through the real `dlx` executable.
/// `NAME.dlx` runs as a file; its standard output must equal `NAME.out`, its standard error `NAME.err`
/// (empty when there is none), and its exit status the number in `NAME.status` (0 when there is none).
/// A first line `# dlx-args: ...` adds command-line options.
@Suite struct TranscriptTests {
    static let directory = repositoryRoot + "/Tests/transcripts"

    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".dlx") }.map { String($0.dropLast(4)) }.sorted()
    }()

    static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    @Test func thereAreTranscripts() { #expect(Self.names.count >= 3) }

    @Test(arguments: names)
    func transcriptMatches(_ name: String) throws {
        let base = Self.directory + "/" + name
        let script = Self.read(base + ".dlx") ?? ""
        var args: [String] = []
        if let first = script.split(separator: "\n").first, first.hasPrefix("# dlx-args:") {
            args = first.dropFirst("# dlx-args:".count).split(separator: " ").map(String.init)
        }
        let r = try runDLX(args + [base + ".dlx"])
        #expect(r.stdout == (Self.read(base + ".out") ?? ""), "stdout of \(name)")
        let expectedErr = (Self.read(base + ".err") ?? "").replacingOccurrences(of: "$DIR", with: Self.directory)
        #expect(r.stderr == expectedErr, "stderr of \(name)")
        let status = Int32((Self.read(base + ".status") ?? "0").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(r.status == status, "exit status of \(name)")
    }

    /// The lesson a learner runs is itself a transcript: `lessons/01-mnist.dlx` against `lesson-01.out`.
    @Test func lessonOneRunsAsPyTorchWouldPrintIt() throws {
        let r = try runDLX([repositoryRoot + "/lessons/01-mnist.dlx"])
        #expect(r.stderr == "")
        #expect(r.status == 0)
        #expect(r.stdout == Self.read(Self.directory + "/lesson-01.expected"))
    }

    /// A grader's pipe: the same lesson through standard input gives the same output.
    @Test func standardInputRunsAsAScript() throws {
        let lesson = Self.read(repositoryRoot + "/lessons/01-mnist.dlx") ?? ""
        let r = try runDLX([], stdin: lesson)
        #expect(r.status == 0)
        #expect(r.stdout == Self.read(Self.directory + "/lesson-01.expected"))
    }
}
