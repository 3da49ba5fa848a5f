#if canImport(Glibc)
import Glibc
#endif
import DLXShell

/// `dlx kernel -f CONNECTION_FILE` (Jupyter starts it), `dlx kernel install`, `dlx kernel uninstall`.
public enum KernelCommand {
    static let usage = """
    usage: dlx kernel -f CONNECTION_FILE
           dlx kernel install [--user | --prefix PREFIX | --sys-prefix]
           dlx kernel uninstall [--user | --prefix PREFIX | --sys-prefix]

    Runs dlx as a Jupyter kernel (Jupyter starts it with a connection file), or installs the kernelspec
    "dlx" where Jupyter finds it: the user's Jupyter data folder (--user, the default), PREFIX/share/jupyter
    (--prefix), or the active Python environment's (--sys-prefix: $VIRTUAL_ENV, else the sys.prefix of
    python3). Then: jupyter lab, and pick the dlx kernel. See docs/kernel.md.

    """

    /// `main` on the interpreter's large stack, as every dlx command runs.
    public static func mainOnLargeStack(_ arguments: [String]) -> Int32 {
        DLXCommand.onLargeStack { main(arguments) }
    }

    public static func main(_ arguments: [String]) -> Int32 {
        func fail(_ message: String) -> Int32 {
            Output.stderr("dlx kernel: \(message)\n" + usage)
            return 2
        }
        guard let first = arguments.first else { return fail("give -f CONNECTION_FILE, install or uninstall") }
        switch first {
        case "-h", "--help":
            Output.stdout(usage)
            return 0
        case "install", "uninstall":
            var place = KernelSpec.Place.user
            var i = 1
            while i < arguments.count {
                switch arguments[i] {
                case "--user": place = .user
                case "--sys-prefix": place = .sysPrefix
                case "--prefix":
                    guard i + 1 < arguments.count else { return fail("--prefix needs a folder") }
                    place = .prefix(arguments[i + 1])
                    i += 1
                default: return fail("unknown option '\(arguments[i])'")
                }
                i += 1
            }
            return first == "install" ? install(place) : uninstall(place)
        case "-f", "--connection-file":
            guard arguments.count == 2 else { return fail("-f needs one connection file") }
            return serve(arguments[1])
        default:
            if first.hasPrefix("--f=") || first.hasPrefix("--connection-file=") {
                return serve(String(first.drop { $0 != "=" }.dropFirst()))
            }
            return fail("unknown argument '\(first)'")
        }
    }

    static func serve(_ path: String) -> Int32 {
        let connection: Connection
        switch Connection.read(path) {
        case .success(let c): connection = c
        case .failure(let e):
            Output.stderr("dlx kernel: \(e)\n")
            return 2
        }
        if connection.key.isEmpty { Output.stderr("dlx kernel: warning: the connection file has no key; messages are not signed\n") }
        do {
            return try Kernel(connection: connection).run()
        } catch {
            Output.stderr("dlx kernel: \(error)\n")
            return 1
        }
    }

    static func install(_ place: KernelSpec.Place) -> Int32 {
        guard let executable = DataFolders.executablePath() else {
            Output.stderr("dlx kernel: cannot find this program's own path (/proc/self/exe)\n")
            return 1
        }
        switch KernelSpec.install(place, executable: executable) {
        case .success(let folder):
            Output.stdout("Installed kernelspec dlx in \(folder)\n")
            return 0
        case .failure(let e):
            Output.stderr("dlx kernel: \(e)\n")
            return 1
        }
    }

    static func uninstall(_ place: KernelSpec.Place) -> Int32 {
        switch KernelSpec.uninstall(place) {
        case .success(let folder?):
            Output.stdout("Removed kernelspec dlx from \(folder)\n")
            return 0
        case .success(nil):
            Output.stderr("dlx kernel: no dlx kernelspec is installed there\n")
            return 1
        case .failure(let e):
            Output.stderr("dlx kernel: \(e)\n")
            return 1
        }
    }
}
