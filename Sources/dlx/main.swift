import DLXShell
#if canImport(Glibc)
import Glibc
#endif

exit(DLXCommand.main(Array(CommandLine.arguments.dropFirst())))
