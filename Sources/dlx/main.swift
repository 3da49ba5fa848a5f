import DLXShell
#if canImport(Glibc)
import Glibc
#endif

exit(DLXCommand.mainOnLargeStack(Array(CommandLine.arguments.dropFirst())))
