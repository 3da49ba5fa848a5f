import DLXShell
import DLXKernel
#if canImport(Glibc)
import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "kernel" { exit(KernelCommand.mainOnLargeStack(Array(arguments.dropFirst()))) }
exit(DLXCommand.mainOnLargeStack(arguments))
