#if canImport(Glibc)
import Glibc
#endif

/// A value behind a pthread mutex: the backends' shared state (the BLAS library, block caches, the thread pool).
/// Swift's `Mutex` would do, but on Linux it locks with futexes inside the standard library, which
/// ThreadSanitizer cannot see: every access made under it looked like a data race in a TSan run.
public final class Locked<State>: @unchecked Sendable {
    // (Visible to inlined code, so that callers in other modules get a specialized, inlined `withLock`.)
    @usableFromInline var state: State
    @usableFromInline let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    public init(_ state: State) {
        self.state = state
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inlinable
    public func withLock<R, E: Error>(_ body: (inout State) throws(E) -> R) throws(E) -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }
}
