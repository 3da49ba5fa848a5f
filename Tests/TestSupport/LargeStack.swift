#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` on a thread with a 64 MB stack and waits for it: the interpreter's tests recurse as dlx
/// does on its own large-stack thread, rather than within the few hundred kilobytes of a test thread.
private final class StackTask: @unchecked Sendable {
    var run: (() -> Void)? = nil
}

public func onLargeStack<T>(_ body: () throws -> T) throws -> T {
    var result: Result<T, Error>? = nil
    return try withoutActuallyEscaping(body) { body in
        let box = StackTask()
        box.run = { result = Result { try body() } }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 64 << 20)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(box).toOpaque()
        if pthread_create(&thread, &attributes, { c in
            let box = Unmanaged<StackTask>.fromOpaque(c!).takeRetainedValue()
            box.run?()
            return nil
        }, context) == 0 {
            pthread_join(thread, nil)
        } else {
            Unmanaged<StackTask>.fromOpaque(context).release()
            result = Result { try body() }
        }
        box.run = nil
        return try result!.get()
    }
}
