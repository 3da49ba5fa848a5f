import Testing
@testable import DLXInterpreter

/// `%`-formatting (flags, `*`, mapping keys, every conversion) and the integer format-spec types. Expected values are what CPython 3.11 prints.
@Suite struct PercentFormatTests {
    let h = Harness()

    @Test func percentFlagsWidthsAndPrecision() throws {
        #expect(try h.repr("'%5s|%-5s|' % ('ab', 'ab')") == "'   ab|ab   |'")
        #expect(try h.repr("'%x %X %o %#o %#x %#X' % (255, 255, 8, 8, 255, 255)") == "'ff FF 10 0o10 0xff 0XFF'")
        #expect(try h.repr("'%05s|%-05d|%+.3d|% d' % ('a', 5, 7, 3)") == "'    a|5    |+007| 3'")
        #expect(try h.repr("'%05.2f|%8.3f|%-8.2e|' % (3.14159, -1.5, 12345.678)") == "'03.14|  -1.500|1.23e+04|'")
        #expect(try h.repr("'%g %g %#g %#.3g %G' % (0.0001, 1e-10, 1.0, 2.0, 1e20)") == "'0.0001 1e-10 1.00000 2.00 1E+20'")
        #expect(try h.repr("'%d %i %u' % (3.99, -7.5, True)") == "'3 -7 1'")
        #expect(try h.repr("'%*d|%-*d|%.*f' % (5, 42, 4, 1, 2, 3.14159)") == "'   42|1   |3.14'")
        #expect(try h.repr("'%5.1f|%05f|%-6f|' % (float('nan'), float('inf'), float('-inf'))") == "'  nan|00inf|-inf  |'")
        #expect(try h.repr("'%.0f %.0f' % (2.5, 3.5)") == "'2 4'")
        #expect(try h.repr("'%.2s|%5c|%c' % ('abcdef', 'x', 65)") == "'ab|    x|A'")
        #expect(try h.repr("'%r %a' % ('it\\'s', 'é')") == "'\"it\\'s\" \\'\\\\xe9\\''")
        #expect(try h.repr("'%d%%' % 50") == "'50%'")
    }

    @Test func percentTakesTuplesAndMappings() throws {
        #expect(try h.repr("'%s' % (1,)") == "'1'")
        #expect(try h.repr("'%s' % ((1, 2),)") == "'(1, 2)'")
        #expect(try h.repr("'%s' % [1, 2]") == "'[1, 2]'")
        #expect(try h.repr("'%s' % {'a': 1}") == "\"{'a': 1}\"")
        #expect(try h.repr("'hi' % {'a': 1}") == "'hi'")
        #expect(try h.repr("'%(a)s-%(b)05.1f' % {'a': 'x', 'b': 2.25}") == "'x-002.2'")
        #expect(try h.repr("'%(a)r' % {'a': None}") == "'None'")
    }

    @Test func percentErrorsMatchPython() throws {
        #expect(h.raised("'%d' % 'x'") == "TypeError: %d format: a real number is required, not str")
        #expect(h.raised("'%s %s' % ('only',)") == "TypeError: not enough arguments for format string")
        #expect(h.raised("'%s' % (1, 2)") == "TypeError: not all arguments converted during string formatting")
        #expect(h.raised("'%x' % 1.5") == "TypeError: %x format: an integer is required, not float")
        #expect(h.raised("'%f' % 'a'") == "TypeError: must be real number, not str")
        #expect(h.raised("'%c' % 'ab'") == "TypeError: %c requires int or char")
        #expect(h.raised("'%*d' % ('a', 1)") == "TypeError: * wants int")
        #expect(h.raised("'%z' % 1") == "ValueError: unsupported format character 'z' (0x7a) at index 1")
        #expect(h.raised("'%(a)s' % 1") == "TypeError: format requires a mapping")
        #expect(h.raised("'%(a)s' % {}") == "KeyError: 'a'")
        #expect(h.raised("'%' % ()") == "ValueError: incomplete format")
        #expect(h.raised("'%s %s' % {'a': 1}") == "TypeError: not enough arguments for format string")
    }

    @Test func formatSpecsForIntegers() throws {
        #expect(try h.repr("f'{255:#06x}|{255:_x}|{2**20:_b}|{65:c}|{1234567:_}|{-255:#x}|{True:x}|{1234:n}|{10:#o}|{5:#b}|{3.0:#g}'") == "'0x00ff|ff|1_0000_0000_0000_0000_0000|A|1_234_567|-0xff|1|1234|0o12|0b101|3.00000'")
        #expect(try h.repr("format(255, 'X')") == "'FF'")
        #expect(try h.repr("f'{65:>3c}'") == "'  A'")
    }
}
