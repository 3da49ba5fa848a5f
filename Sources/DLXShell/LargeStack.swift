#if canImport(Glibc)
import Glibc
#endif

/// dlx runs on a thread with a 256 MB stack (address space, touched only as used), so that user code may
/// recurse as deep as Python's limit of 1000 calls; deeper recursion is a RecursionError, never a crash.
extension DLXCommand {
    private final class Run {
        let arguments: [String]
        var status: Int32 = 0
        init(_ arguments: [String]) { self.arguments = arguments }
    }

    public static func mainOnLargeStack(_ arguments: [String]) -> Int32 {
        let run = Run(arguments)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 256 << 20)
        var thread = pthread_t()
        let started = pthread_create(&thread, &attributes, { context in
            let run = Unmanaged<Run>.fromOpaque(context!).takeUnretainedValue()
            run.status = DLXCommand.main(run.arguments)
            return nil
        }, Unmanaged.passUnretained(run).toOpaque())
        guard started == 0 else { return main(arguments) }
        pthread_join(thread, nil)
        return run.status
    }
}
