import Testing
@testable import DLXInterpreter

/// `open()` text files (what json.dump/load and beginner logging need): CPython 3.11.7's results and errors,
/// inside the sandbox.
@Suite struct StdlibIOTests {
    let h = Harness()

    @Test func writeAppendReadAndIterate() throws {
        let dir = try scratchDirectory("stdlib-io")
        let out = try h.run("""
            import json
            p = '\(dir)/t.txt'
            with open(p, 'w') as f:
                n = f.write('héllo\\nworld')
            print(n, f.closed)
            with open(p, 'a') as f:
                f.writelines(['!\\n', 'ab'])
            g = open(p)
            print(g.read(3), repr(g.readline()), g.readlines(), repr(g.read()))
            g.close()
            print([line for line in open(p)], open(p, encoding='utf-8').read(2))
            json.dump({'a': [1, 2]}, open('\(dir)/j.json', 'w'), indent=2)
            print(json.load(open('\(dir)/j.json')), repr(open('\(dir)/j.json').read()))
            print('logged', 3, file=open('\(dir)/log.txt', 'w'))
            print(repr(open('\(dir)/log.txt').read()))
            """)
        #expect(out == """
            11 True
            hél 'lo\\n' ['world!\\n', 'ab'] ''
            ['héllo\\n', 'world!\\n', 'ab'] hé
            {'a': [1, 2]} '{\\n  "a": [\\n    1,\\n    2\\n  ]\\n}'
            'logged 3\\n'

            """)
        h.expectErrors([
            ("open('\(dir)/nope.txt')", "FileNotFoundError", "[Errno 2] No such file or directory: '\(dir)/nope.txt'"),
            ("open(p, 'x')", "FileExistsError", "[Errno 17] File exists: '\(dir)/t.txt'"),
            ("open('\(dir)')", "IsADirectoryError", "[Errno 21] Is a directory: '\(dir)'"),
            ("open(p, 'z')", "ValueError", "invalid mode: 'z'"),
            ("open(p, 'rw')", "ValueError", "must have exactly one of create/read/write/append mode"),
            ("open(5.5)", "TypeError", "expected str, bytes or os.PathLike object, not float"),
            ("g.read()", "ValueError", "I/O operation on closed file."),
            ("open(p).write('x')", "UnsupportedOperation", "not writable"),
        ])
    }

    @Test func aSandboxLimitsWhatOpenReachesAndWrites() throws {
        let dir = try scratchDirectory("stdlib-io-sandbox")
        h.session.limits.sandbox = Sandbox(root: dir, readable: [])
        try h.run("with open('\(dir)/ok.txt', 'w') as f:\n    f.write('fine')")
        #expect(try h.repr("open('\(dir)/ok.txt').read()") == "'fine'")
        #expect(h.error("open('/etc/passwd')")?.type == "PermissionError")
        #expect(h.error("open('/tmp/dlx-escape.txt', 'w')")?.type == "PermissionError")
    }
}
