import Testing
@testable import DLXInterpreter

/// The messages of the operators' and conversions' TypeErrors and ZeroDivisionErrors. Expected values are what CPython 3.11 prints.
@Suite struct OperatorMessageTests {
    let h = Harness()

    @Test func operatorErrorsMatchPython() throws {
        #expect(h.raised("5 % 0") == "ZeroDivisionError: integer modulo by zero")
        #expect(h.raised("5 // 0") == "ZeroDivisionError: integer division or modulo by zero")
        #expect(h.raised("'a' + 1") == "TypeError: can only concatenate str (not \"int\") to str")
        #expect(h.raised("[1] + (2,)") == "TypeError: can only concatenate list (not \"tuple\") to list")
        #expect(h.raised("(1,) + [2]") == "TypeError: can only concatenate tuple (not \"list\") to tuple")
        #expect(h.raised("'x' * 'y'") == "TypeError: can't multiply sequence by non-int of type 'str'")
        #expect(h.raised("[1] * 1.5") == "TypeError: can't multiply sequence by non-int of type 'float'")
        #expect(h.raised("None * 'a'") == "TypeError: can't multiply sequence by non-int of type 'NoneType'")
        #expect(h.raised("int(None)") == "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'")
        #expect(h.raised("int([1])") == "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'list'")
        #expect(h.raised("float(None)") == "TypeError: float() argument must be a string or a real number, not 'NoneType'")
        #expect(h.raised("sum(['a'], '')") == "TypeError: sum() can't sum strings [use ''.join(seq) instead]")
        #expect(h.raised("ord('ab')") == "TypeError: ord() expected a character, but string of length 2 found")
        #expect(h.raised("ord(1)") == "TypeError: ord() expected string of length 1, but int found")
        #expect(h.raised("chr(-1)") == "ValueError: chr() arg not in range(0x110000)")
    }
}
