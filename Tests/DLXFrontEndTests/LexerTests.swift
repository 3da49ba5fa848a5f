import Testing
@testable import DLXFrontEnd

@Suite struct LexerTests {
    func kinds(_ s: String) throws -> [TokenKind] { try Lexer.tokenize(s).map(\.kind) }

    @Test func numbersOfEveryForm() throws {
        #expect(try kinds("1 1.5 .5 1. 1e-3 1_000 0x1F 0b101") == [
            .int(1), .float(1.5), .float(0.5), .float(1.0), .float(0.001), .int(1000), .int(31), .int(5), .newline, .eof,
        ])
    }

    @Test func stringsWithBothQuotesAndEscapes() throws {
        #expect(try kinds(#"'a\n' "b'c" r'\d'"#) == [.string("a\n"), .string("b'c"), .string("\\d"), .newline, .eof])
    }

    @Test func longestOperatorWins() throws {
        #expect(try kinds("a **= b // c") == [.name("a"), .op("**="), .name("b"), .op("//"), .name("c"), .newline, .eof])
    }

    @Test func newlinesInsideBracketsJoinLines() throws {
        #expect(try kinds("f(1,\n  2)") == [.name("f"), .op("("), .int(1), .op(","), .int(2), .op(")"), .newline, .eof])
    }

    @Test func commentsAreSkipped() throws {
        #expect(try kinds("x = 1  # one\n") == [.name("x"), .op("="), .int(1), .newline, .eof])
    }

    @Test func indentationMakesIndentAndDedent() throws {
        let k = try kinds("if x:\n    y\nz\n")
        #expect(k == [.keyword("if"), .name("x"), .op(":"), .newline, .indent, .name("y"), .newline, .dedent, .name("z"), .newline, .eof])
    }

    @Test func positionsAreOneBased() throws {
        let t = try Lexer.tokenize("a =  bc", firstLine: 7)
        #expect(t[2].span.start == SourceLocation(line: 7, column: 6))
        #expect(t[2].span.end == SourceLocation(line: 7, column: 8))
    }

    @Test func unclosedBracketIsIncomplete() {
        #expect(throws: SyntaxError.self) { try Lexer.tokenize("f(1, 2") }
        do { _ = try Lexer.tokenize("f(1, 2") } catch { #expect(error.incomplete) }
    }

    @Test func mismatchedBracketIsAnError() {
        do { _ = try Lexer.tokenize("f(1]"); Issue.record("no error") } catch {
            #expect(!error.incomplete)
            #expect(error.message.contains("does not match"))
        }
    }

    @Test func badCharacterIsReportedWithItsPosition() {
        do { _ = try Lexer.tokenize("x = $"); Issue.record("no error") } catch {
            #expect(error.span.start.column == 5)
        }
    }

    @Test func unterminatedStringIsAnError() {
        #expect(throws: SyntaxError.self) { try Lexer.tokenize("'abc") }
    }
}
