#if canImport(Glibc)
import Glibc
#endif
import CZMQ

/// A thin wrapper over libzmq: a context and its sockets, multipart messages as byte arrays.
/// A socket belongs to one thread at a time; the iopub socket, used by two, is guarded by a lock.
final class ZMQContext {
    let handle: UnsafeMutableRawPointer

    init?() {
        guard let h = zmq_ctx_new() else { return nil }
        handle = h
    }

    /// Makes every blocking call on this context's sockets return (ETERM), so threads can close theirs.
    func shutdown() { zmq_ctx_shutdown(handle) }

    /// Waits until every socket is closed, then frees the context.
    func terminate() { while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {} }
}

final class ZMQSocket {
    private(set) var handle: UnsafeMutableRawPointer?
    /// The most bytes one message may carry, all frames together; larger ones are read and dropped.
    static let maxMessageBytes = 64 << 20
    /// The most frames one message may have.
    static let maxFrames = 1024
    private var lock = pthread_mutex_t()

    init(_ context: ZMQContext, type: Int32) throws(KernelError) {
        guard let h = zmq_socket(context.handle, type) else { throw KernelError.zmq("zmq_socket") }
        handle = h
        pthread_mutex_init(&lock, nil)
        // Unsent messages wait at most a second at close; one frame larger than the limit drops the peer.
        setOption(ZMQ_LINGER, Int32(1000))
        setOption(ZMQ_MAXMSGSIZE, Int64(ZMQSocket.maxMessageBytes))
    }

    deinit {
        close()
        pthread_mutex_destroy(&lock)
    }

    /// Under the send lock: the control thread may be publishing on this socket while the main thread closes it
    /// at shutdown (a race ThreadSanitizer found).
    func close() {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        if let h = handle { zmq_close(h); handle = nil }
    }

    func setOption<T>(_ option: Int32, _ value: T) {
        guard let handle else { return }
        var v = value
        _ = withUnsafeBytes(of: &v) { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
    }

    func setOption(_ option: Int32, bytes: [UInt8]) {
        guard let handle else { return }
        _ = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
    }

    /// Binds to `transport://ip:port`, or `ipc://ip-port` for the ipc transport, as Jupyter names them.
    func bind(_ endpoint: String) throws(KernelError) {
        guard let handle, zmq_bind(handle, endpoint) == 0 else {
            throw KernelError.zmq("cannot bind \(endpoint)")
        }
    }

    func connect(_ endpoint: String) throws(KernelError) {
        guard let handle, zmq_connect(handle, endpoint) == 0 else { throw KernelError.zmq("cannot connect \(endpoint)") }
    }

    /// Sends the frames as one message; false when it could not (a closed context, no peer for ROUTER).
    @discardableResult
    func send(_ frames: [[UInt8]]) -> Bool {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        guard let handle else { return false }
        for (k, frame) in frames.enumerated() {
            let flags = k < frames.count - 1 ? ZMQ_SNDMORE : 0
            var rc: Int32 = -1
            repeat {
                rc = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
            } while rc < 0 && zmq_errno() == EINTR
            if rc < 0 { return false }
        }
        return true
    }

    enum Received { case message([[UInt8]]), tooLarge, nothing, closed }

    /// Receives one whole message; with `wait` false, returns `.nothing` when none is queued. A message
    /// past the size or frame limits is read to its end and reported as `.tooLarge`.
    func receive(wait: Bool = true) -> Received {
        guard let handle else { return .closed }
        var frames: [[UInt8]] = []
        var total = 0, dropped = false
        while true {
            var msg = zmq_msg_t()
            zmq_msg_init(&msg)
            defer { zmq_msg_close(&msg) }
            var rc: Int32
            repeat {
                rc = zmq_msg_recv(&msg, handle, wait || !frames.isEmpty ? 0 : ZMQ_DONTWAIT)
            } while rc < 0 && zmq_errno() == EINTR
            if rc < 0 {
                let e = zmq_errno()
                if e == EAGAIN && frames.isEmpty && !dropped { return .nothing }
                return .closed
            }
            let size = zmq_msg_size(&msg)
            total += size
            if total > ZMQSocket.maxMessageBytes || frames.count >= ZMQSocket.maxFrames { dropped = true }
            if !dropped, let data = zmq_msg_data(&msg) {
                frames.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
            } else if !dropped {
                frames.append([])
            }
            if zmq_msg_more(&msg) == 0 { break }
        }
        if dropped { frames.removeAll() }
        return dropped ? .tooLarge : .message(frames)
    }

    /// Waits up to `milliseconds` (-1: without end) for any of `sockets` to be readable; returns which are.
    static func poll(_ sockets: [ZMQSocket], milliseconds: Int) -> [Bool] {
        var items = sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
        let rc = zmq_poll(&items, Int32(items.count), milliseconds)
        if rc <= 0 { return Array(repeating: false, count: sockets.count) }
        return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 }
    }
}

/// What stops the kernel from starting.
struct KernelError: Error, CustomStringConvertible {
    let description: String
    static func zmq(_ what: String) -> KernelError {
        KernelError(description: "\(what): \(String(cString: zmq_strerror(zmq_errno())))")
    }
}

/// Starts `body` on a new thread (heartbeat, control), detached.
func startThread(_ body: @escaping () -> Void) {
    final class Box { let body: () -> Void; init(_ b: @escaping () -> Void) { body = b } }
    var thread = pthread_t()
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    let rc = pthread_create(&thread, nil, { context in
        let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
        box.body()
        return nil
    }, box)
    if rc == 0 { pthread_detach(thread) } else { Unmanaged<Box>.fromOpaque(box).release() }
}
