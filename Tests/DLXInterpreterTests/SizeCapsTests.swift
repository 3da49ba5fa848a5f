import Testing
@testable import DLXInterpreter

/// Issue 22: every str, bytes, list, tuple and dict is sized before it is built. Each line here built gigabytes
/// (or aborted in the allocator) before; each is a MemoryError at once, and the session goes on.
@Suite struct SizeCapsTests {
    static let hugeBuilds = [
        "('x' * 10**7).join(['a'] * 1000)",
        "('x' * 10**7).replace('x', 'y' * 100)",
        "'ab' * 10**12", "[0] * 10**12", "(1,) * 10**12", "b'ab' * 10**12", "10**12 * b'ab'",
        "f'{1:1000000000000}'", "'{:1000000000000}'.format('a')", "format(1.5, '.1000000000f')",
        "'%1000000000000d' % 1", "'%*d' % (10**12, 1)",
        "'a'.center(10**12)", "'a'.ljust(10**12)", "'a'.rjust(10**12, '*')", "'a'.zfill(10**12)",
        "'\\t\\t'.expandtabs(10**9)",
        "torch.zeros(1).expand(2**40).tolist()",
        // Many pieces, each within the cap, whose total is not.
        // (R's repr is the 10 MB string itself: nothing to quote, so the test stays quick.)
        "repr([R()] * 11)", "str({k: R() for k in range(11)})", "repr({R() for k in range(11)})", "repr((R(),) * 11)",
        "f'{s}{s}{s}{s}{s}{s}{s}{s}{s}{s}{s}'", "('%s' * 11) % ((s,) * 11)", "('{}' * 11).format(*[s] * 11)",
        "print(*[s] * 11)", "(s + s + s + s + s + s + s + s + s + s + s)",
        "(s.encode() * 6).hex()",
    ]

    @Test func hugeBuildsAreMemoryErrorsBeforeAnythingIsMade() throws {
        let h = Harness()
        try h.run("s = 'x' * 10**7\nclass R:\n    def __repr__(self):\n        return s")
        for line in Self.hugeBuilds {
            let e = h.error(line)
            #expect(e?.type == "MemoryError", "\(line): got \(e?.description ?? "nothing")")
        }
        #expect(try h.repr("len(s)") == "10000000")
    }

    @Test func theSizesInRangeStillWork() throws {
        let h = Harness()
        #expect(try h.repr("'abcab'.replace('ab', 'X'), 'abc'.replace('', '-'), 'aaa'.replace('a', 'bb', 2), 'aaa'.replace('', '-', 2)")
                == "('XcX', '-a-b-c-', 'bbbba', '-a-aa')")
        #expect(try h.repr("'héllo wörld'.replace('ö', 'oe'), 'ab'.count('')") == "('héllo woerld', 3)")
        #expect(try h.repr("b'ab' * 3, 2 * b'x', b'ab' * -1, b'\\x01\\xff'.hex()") == "(b'ababab', b'xx', b'', '01ff')")
        #expect(try h.repr("len(('x' * 10**6).replace('x', 'yy')), len('-'.join(['ab'] * 1000))") == "(2000000, 2999)")
        #expect(try h.repr("(1, 2) + (3,), f'{7:5}|{\"a\":^5}', '%*d' % (4, 7)") == "((1, 2, 3), '    7|  a  ', '   7')")
    }

    /// `"{-1}"` is a key (Python's KeyError), not a position from the end; a position past sys.maxsize is
    /// Python's ValueError. The first read an array at -1 and trapped.
    @Test func formatFieldNumbersAreDigitsOnly() throws {
        let h = Harness()
        #expect(h.raised("'{-1}'.format(1)") == "KeyError: '-1'")
        #expect(h.raised("'{99999999999999999999999}'.format(1)") == "ValueError: Too many decimal digits in format string")
        #expect(try h.repr("'{1}{0}'.format('a', 'b')") == "'ba'")
    }

    /// A list or dict grown one item at a time stops at the cap too (the allocator would abort at the rlimit).
    @Test func growingOneItemAtATimeStopsAtTheCap() throws {
        let h = Harness()
        try h.run("a = [0] * (10**7 - 1)\na.append(1)")
        #expect(h.error("a.append(2)")?.type == "MemoryError")
        #expect(h.error("a.insert(0, 2)")?.type == "MemoryError")
        #expect(h.error("a += [1]")?.type == "MemoryError")
        #expect(try h.repr("len(a)") == "10000000")
    }
}

/// Issue 22: deep data is freed one level at a time (Value.release): a list nested four million deep
/// overflowed the stack when dropped (SIGSEGV), a few hundred thousand levels on a test thread's stack.
@Suite struct DeepDataReleaseTests {
    @Test func deeplyNestedListsDictsAndTuplesAreFreedWithoutRecursion() throws {
        let h = Harness()
        try h.run("""
        deep = []
        for _ in range(300000):
            deep = [deep]
        d = {}
        for _ in range(300000):
            d = {'k': [d, {'j': d}]}
        shared = [1]
        keep = [shared, [shared]]
        """)
        try h.run("deep = None\nd = None\nkeep = None")
        #expect(try h.repr("shared") == "[1]")   // a list still referenced elsewhere stays whole
    }
}
