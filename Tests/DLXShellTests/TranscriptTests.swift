import Testing
import Foundation

/// Transcript tests: checked transcripts (`Tests/transcripts/*.dlxt`, the format of `dlx test`) run
/// through the real `dlx test`, one test per file.
@Suite struct TranscriptTests {
    static let directory = repositoryRoot + "/Tests/transcripts"

    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".dlxt") }.sorted()
    }()

    static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    @Test func thereAreTranscripts() { #expect(Self.names.count >= 4) }

    @Test(arguments: names)
    func transcriptPasses(_ name: String) throws {
        let r = try runDLX(["test", Self.directory + "/" + name])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.hasSuffix(" passed, 0 failed\n"), "\(r.stdout)")
        #expect(!r.stdout.hasPrefix("0 passed"))
    }

    static var lesson: String { read(repositoryRoot + "/lessons/01-mnist.dlx") ?? "" }

    /// Lesson 1 up to its training: what a notebook prints, character for character.
    static var lessonBeforeTraining: String {
        let text = lesson
        guard let r = text.range(of: "# Training:") else { return text }
        return String(text[..<r.lowerBound])
    }

    /// The lesson a learner runs, with one epoch instead of five (the benchmark runs all five): the
    /// output before training is exact, the training lines have the lesson's format and a trained
    /// model's numbers, and the prediction for the first image is its label, 5.
    @Test func lessonOneRunsAndTrains() throws {
        let script = scratchRoot + "/lesson-01-one-epoch.dlx"
        try Self.lesson.replacingOccurrences(of: "epochs = 5", with: "epochs = 1").write(toFile: script, atomically: true, encoding: .utf8)
        let r = try runDLX([script])
        #expect(r.stderr == "")
        #expect(r.status == 0)
        let expected = Self.read(Self.directory + "/lesson-01.expected") ?? ""
        #expect(r.stdout.hasPrefix(expected))
        let rest = r.stdout.dropFirst(expected.count).split(separator: "\n").map(String.init)
        #expect(rest.first == "Epoch: 0")
        func number(_ line: String, after word: String) -> Double? {
            guard let r = line.range(of: word + " ") else { return nil }
            return Double(line[r.upperBound...].prefix { $0 != " " })
        }
        let train = rest.first { $0.hasPrefix("Train - Loss: ") } ?? ""
        let valid = rest.first { $0.hasPrefix("Valid - Loss: ") } ?? ""
        #expect((number(train, after: "Accuracy:") ?? 0) > 0.9, "\(train)")
        #expect((number(valid, after: "Accuracy:") ?? 0) > 0.95, "\(valid)")
        #expect(rest.contains("tensor([[5]])"))
        #expect(rest.last == "5")
    }

    /// A grader's pipe: the lesson's first part through standard input prints what the file run prints.
    @Test func standardInputRunsAsAScript() throws {
        let r = try runDLX([], stdin: Self.lessonBeforeTraining)
        #expect(r.status == 0)
        #expect(r.stdout == Self.read(Self.directory + "/lesson-01.expected"))
    }
}
