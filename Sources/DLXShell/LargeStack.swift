#if canImport(Glibc)
import Glibc
#endif

/// dlx runs on a thread with a 256 MB stack (address space, touched only as used), so that user code may
/// recurse as deep as Python's limit of 1000 calls; deeper recursion is a RecursionError, never a crash.
extension DLXCommand {
    private final class Run {
        let body: () -> Int32
        var status: Int32 = 0
        init(_ body: @escaping () -> Int32) { self.body = body }
    }

    public static func mainOnLargeStack(_ arguments: [String]) -> Int32 {
        onLargeStack { main(arguments) }
    }

    /// Runs `body` on a thread with the large stack; returns its status.
    public static func onLargeStack(_ body: @escaping () -> Int32) -> Int32 {
        let run = Run(body)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 256 << 20)
        var thread = pthread_t()
        let started = pthread_create(&thread, &attributes, { context in
            let run = Unmanaged<Run>.fromOpaque(context!).takeUnretainedValue()
            run.status = run.body()
            return nil
        }, Unmanaged.passUnretained(run).toOpaque())
        guard started == 0 else { return body() }
        pthread_join(thread, nil)
        return run.status
    }
}
