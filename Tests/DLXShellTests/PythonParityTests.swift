import Testing
import Foundation

/// Reference scripts (`Tests/python/NAME.py`): valid Python whose expected output (`NAME.out`) CPython
/// 3.11 and PyTorch 2.15 printed. `dlx NAME.py` must print the same bytes. Scripts listed in
/// `Tests/python/pending.txt` are ones dlx does not pass yet; a test checks that each of them still fails,
/// so the list cannot go stale.
@Suite struct PythonParityTests {
    static let directory = repositoryRoot + "/Tests/python"

    static let pending: Set<String> = {
        let text = (try? String(contentsOfFile: directory + "/pending.txt", encoding: .utf8)) ?? ""
        return Set(text.split(separator: "\n").map { String($0.split(separator: "#")[0]).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }()

    static let scripts: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".py") }.sorted()
    }()

    static var passing: [String] { scripts.filter { !pending.contains($0) } }
    static var failing: [String] { scripts.filter { pending.contains($0) } }

    static func run(_ name: String) throws -> (RunResult, String) {
        let expected = try String(contentsOfFile: directory + "/" + name.dropLast(3) + ".out", encoding: .utf8)
        return (try runDLX([name], directory: directory), expected)
    }

    @Test func thereAreReferenceScripts() { #expect(Self.scripts.count >= 20) }

    @Test(arguments: passing)
    func scriptPrintsWhatPythonPrints(_ name: String) throws {
        // Scripts that check memory by the process's resident size cannot under AddressSanitizer, whose quarantine
        // holds freed memory back (256 MB) on purpose.
        if ProcessInfo.processInfo.environment["DLX_SANITIZER"] == "address",
           let source = try? String(contentsOfFile: Self.directory + "/" + name, encoding: .utf8), source.contains("/proc/self/status") {
            return
        }
        let (r, expected) = try Self.run(name)
        #expect(r.stdout == expected, "\(name): stderr:\n\(r.stderr)")
        #expect(r.status == 0, "\(name): \(r.stderr)")
    }

    @Test(arguments: failing)
    func pendingScriptStillDiffers(_ name: String) throws {
        let (r, expected) = try Self.run(name)
        #expect(r.stdout != expected || r.status != 0, "\(name) passes now: take it off Tests/python/pending.txt")
    }
}

/// Deep recursion through the real binary: Python's limit of 1000 calls is reachable, past it (or past the
/// stack, whatever recurses) is a RecursionError that the code can catch, never a crash.
@Suite struct RecursionTests {
    @Test func recursionToPythonsLimitWorksAndPastItIsARecursionError() throws {
        let script = """
        def depth(n):
            return 0 if n == 0 else 1 + depth(n - 1)
        print(depth(900))
        class R:
            def __repr__(self):
                return repr(self)
        try:
            repr(R())
        except RecursionError as e:
            print("RecursionError:", e)
        def forever(n):
            return forever(n + 1)
        forever(0)
        """
        let r = try runDLX(["-c", script])
        #expect(r.stdout == "900\nRecursionError: maximum recursion depth exceeded\n")
        #expect(r.status == 1)
        #expect(r.stderr.contains("RecursionError: maximum recursion depth exceeded"))
    }
}
