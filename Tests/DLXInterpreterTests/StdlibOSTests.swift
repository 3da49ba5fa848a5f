import Testing
@testable import DLXInterpreter

/// `os`, `os.path` and `sys`: CPython 3.11.7's path rules and errors; files only inside the sandbox.
@Suite struct StdlibOSTests {
    let h = Harness()

    init() throws { try h.run("import os\nimport os.path") }

    @Test func pathStringsFollowPosixpath() throws {
        try h.expectReprs([
            ("os.path.join('a', 'b', 'c'), os.path.join('a/', 'b'), os.path.join('a', '/b', 'c'), os.path.join('a', '')", "('a/b/c', 'a/b', '/b/c', 'a/')"),
            ("os.path.basename('/x/y/z.txt'), os.path.basename('/x/y/'), os.path.dirname('/x/y/z.txt'), os.path.dirname('//z'), os.path.dirname('a//b')",
             "('z.txt', '', '/x/y', '//', 'a')"),
            ("os.path.splitext('a/b.tar.gz'), os.path.splitext('.bashrc'), os.path.splitext('a.b/c'), os.path.splitext('a.')",
             "(('a/b.tar', '.gz'), ('.bashrc', ''), ('a.b/c', ''), ('a', '.'))"),
            ("os.path.split('/x/y/z'), os.path.split('z'), os.path.split('/'), os.path.split('a//b')", "(('/x/y', 'z'), ('', 'z'), ('/', ''), ('a', 'b'))"),
            ("os.path.normpath('a//b/../c/.'), os.path.normpath(''), os.path.normpath('//a'), os.path.normpath('///a/..'), os.path.normpath('../..')",
             "('a/c', '.', '//a', '/', '../..')"),
            ("os.path.abspath('.') == os.getcwd(), os.path.relpath('/a/b/c', '/a'), os.path.relpath('/a', '/a/b/c'), os.path.isabs('/a')",
             "(True, 'b/c', '../..', True)"),
            ("os.sep, os.name, os.path.sep, os.environ.get('DLX_SURELY_UNSET'), os.getenv('DLX_SURELY_UNSET', 'd')", "('/', 'posix', '/', None, 'd')"),
        ])
        h.expectErrors([
            ("os.path.join('a', 1)", "TypeError", "join() argument must be str, bytes, or os.PathLike object, not 'int'"),
            ("os.environ['DLX_SURELY_UNSET']", "KeyError", "'DLX_SURELY_UNSET'"),
        ])
    }

    @Test func filesAndFoldersWithPythonsErrors() throws {
        let dir = try scratchDirectory("stdlib-os")
        try h.run("d = '\(dir)'\nos.makedirs(d + '/n1/n2')\nprint(os.path.isdir(d + '/n1/n2'))")
        let out = try h.run("""
            os.makedirs(d + '/n1', exist_ok=True)
            os.mkdir(d + '/n1/n3')
            print(os.listdir(d + '/n1'), os.path.exists(d + '/nope'), os.path.isfile(d + '/n1'))
            print([(p[len(d):], ds, fs) for p, ds, fs in os.walk(d)])
            os.rmdir(d + '/n1/n3')
            print(os.listdir(d + '/n1'))
            """)
        #expect(out == "['n2', 'n3'] False False\n[('', ['n1'], []), ('/n1', ['n2', 'n3'], []), ('/n1/n2', [], []), ('/n1/n3', [], [])]\n['n2']\n")
        h.expectErrors([
            ("os.makedirs(d + '/n1')", "FileExistsError", "[Errno 17] File exists: '\(dir)/n1'"),
            ("os.listdir(d + '/nope')", "FileNotFoundError", "[Errno 2] No such file or directory: '\(dir)/nope'"),
            ("os.remove(d + '/n1')", "IsADirectoryError", "[Errno 21] Is a directory: '\(dir)/n1'"),
            ("os.path.getsize(d + '/nope')", "FileNotFoundError", "[Errno 2] No such file or directory: '\(dir)/nope'"),
        ])
    }

    @Test func aSandboxKeepsFilesAndTheEnvironmentOutOfReach() throws {
        let dir = try scratchDirectory("stdlib-os-sandbox")
        h.session.limits.sandbox = Sandbox(root: dir, readable: [])
        try h.run("os.makedirs('\(dir)/inside')")
        #expect(try h.repr("os.listdir('\(dir)')") == "['inside']")
        for code in ["os.listdir('/')", "os.path.exists('/etc/passwd')", "os.makedirs('/tmp/dlx-escape')", "os.remove('/etc/passwd')",
                     "os.environ.get('HOME')", "os.getenv('HOME')", "os.path.expanduser('~')", "'HOME' in os.environ"] {
            #expect(h.error(code)?.type == "PermissionError", "\(code)")
        }
    }

    @Test func sysFactsArgvExitAndStreams() throws {
        h.session.argv = ["train.py", "--epochs", "3"]
        let out = try h.run("""
            import sys
            print(sys.argv, sys.version_info, sys.platform, sys.maxsize, sys.version_info >= (3, 8), sys.version_info[:2])
            n = sys.stdout.write('ab\\n')
            print('to stderr', n, file=sys.stderr)
            print(type(sys.version_info), sys.float_info.epsilon, sys.stdout)
            """)
        #expect(out == """
            ['train.py', '--epochs', '3'] sys.version_info(major=3, minor=11, micro=7, releaselevel='final', serial=0) linux 9223372036854775807 True (3, 11)
            ab
            to stderr 3
            <class 'sys.version_info'> 2.220446049250313e-16 <_io.TextIOWrapper name='<stdout>' mode='w' encoding='utf-8'>

            """)
        h.expectErrors([("sys.exit()", "SystemExit", ""), ("sys.exit(2)", "SystemExit", "2"), ("sys.exit('bye')", "SystemExit", "bye")])
    }
}
