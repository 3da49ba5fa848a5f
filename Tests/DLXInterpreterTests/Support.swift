import Foundation
@_exported import TestSupport
@testable import DLXInterpreter

/// A session that records what it prints, as a script would show it.
final class Harness {
    var output = ""
    let session: Session
    let interpreter: Interpreter

    init() {
        session = Session(dataFolders: [repositoryRoot + "/data"])
        interpreter = Interpreter(session: session)
        session.write = { [unowned self] in self.output += $0 }
        session.display = { [unowned self] v in self.output += ((try? self.interpreter.repr(v)) ?? "?") + "\n" }
    }

    /// As a program ends: paused generators are closed (see `Interpreter.finish`).
    deinit { interpreter.finish() }

    /// Runs code as a script; returns what it printed.
    @discardableResult
    func run(_ code: String) throws -> String {
        output = ""
        try onLargeStack { try interpreter.run(code, displayAll: true) }
        return output
    }

    /// Runs code as a Python script runs (no values displayed but a last expression's); returns what it printed.
    func script(_ code: String) throws -> String {
        output = ""
        try interpreter.run(code)
        return output
    }

    /// The value of one expression, as its repr.
    func repr(_ code: String) throws -> String {
        try onLargeStack { try interpreter.repr(try interpreter.evaluate(code)) }
    }

    /// The error a piece of code raises.
    func error(_ code: String) -> DLXError? {
        do { try onLargeStack { try interpreter.run(code, displayAll: true) }; return nil } catch { return error as? DLXError }
    }

    /// The error a piece of code raises, as Python's last traceback line: `TypeError: message`.
    func raised(_ code: String) -> String? {
        error(code).map { "\($0.type): \($0.message)" }
    }
}
