import Testing
@testable import DLXInterpreter

extension Harness {
    /// Checks that each piece of code raises the exception CPython raises: (code, type, message).
    func expectErrors(_ cases: [(String, String, String)], sourceLocation: SourceLocation = #_sourceLocation) {
        for (code, type, message) in cases {
            let e = error(code)
            #expect(e?.type == type && e?.message == message, "\(code): \(String(describing: e))", sourceLocation: sourceLocation)
        }
    }

    /// Checks the repr of each expression: (code, expected repr).
    func expectReprs(_ cases: [(String, String)], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (code, expected) in cases { #expect(try repr(code) == expected, "\(code)", sourceLocation: sourceLocation) }
    }
}
