import Testing
import Foundation

/// Issue 22: a short, deterministic fuzz run of every target in CI (scripts/fuzz runs them for longer). Each
/// target runs in its own dlx-fuzz process, so that a crash fails the test with the input that caused it.
@Suite struct FuzzTests {
    /// Seconds per target: with six targets, about a minute and a quarter in all.
    static let seconds = ProcessInfo.processInfo.environment["DLX_SANITIZER"] == nil ? 12 : 4

    @Test(arguments: ["lexer", "parser", "interpreter", "idx", "csv", "image"])
    func aShortFuzzRunFindsNoCrash(_ target: String) throws {
        let fuzz = URL(fileURLWithPath: dlxPath).deletingLastPathComponent().appendingPathComponent("dlx-fuzz").path
        guard FileManager.default.isExecutableFile(atPath: fuzz) else {
            print("skipped: \(fuzz) is not built (swift build --build-tests builds it)")
            return
        }
        let work = try scratchDirectory("fuzz-" + target)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: fuzz)
        p.arguments = [target, "\(Self.seconds)", "--corpus", repositoryRoot + "/Tests/Fuzz/corpus/" + (["idx", "csv", "image"].contains(target) ? target : "code"), "--work", work]
        p.currentDirectoryURL = URL(fileURLWithPath: work)
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let input = (try? String(contentsOfFile: work + "/current-" + target, encoding: .utf8)) ?? "(not text)"
        #expect(p.terminationStatus == 0, "dlx-fuzz \(target) crashed on:\n\(input)")
        #expect(text.contains("no crash"), "\(text)")
    }
}
