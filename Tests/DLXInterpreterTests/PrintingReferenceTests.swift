import Testing
import Foundation
@testable import DLXInterpreter

/// Every case of PyTorch 2.15's printing reference (Tests/Fixtures/printing.txt, from shared/reference),
/// evaluated by dlx and compared character for character.
@Suite struct PrintingReferenceTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let expression: String
        let expected: String
        var testDescription: String { expression }
    }

    static let cases: [Case] = {
        let text = try! String(contentsOfFile: repositoryRoot + "/Tests/Fixtures/printing.txt", encoding: .utf8)
        var cases: [Case] = []
        var expression: String? = nil
        var lines: [String] = []
        func flush() {
            if let e = expression { cases.append(Case(expression: e, expected: lines.joined(separator: "\n"))) }
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix(">>> ") {
                flush()
                expression = String(line.dropFirst(4))
                lines = []
            } else {
                lines.append(line)
            }
        }
        flush()
        return cases.map { Case(expression: $0.expression, expected: $0.expected.trimmingCharacters(in: .newlines)) }
    }()

    @Test func thereAreSixtyOrMoreCases() { #expect(Self.cases.count >= 60) }

    @Test(arguments: cases)
    func printsExactlyAsPyTorch(_ c: Case) throws {
        let h = Harness()
        #expect(try h.repr(c.expression) == c.expected)
    }
}
