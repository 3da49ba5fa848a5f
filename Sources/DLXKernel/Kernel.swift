#if canImport(Glibc)
import Glibc
#endif
import CZMQ
import CSupport
import DLXShell
import DLXInterpreter

/// dlx as a Jupyter kernel. The main thread serves the shell socket and runs the cells; a thread of its
/// own answers on the control socket (kernel info, interrupt, shutdown) even while a cell runs; another
/// echoes heartbeats. Messages whose signature does not match the connection file's key are dropped and
/// logged, never acted on.
final class Kernel {
    let connection: Connection
    let signer: Signer
    let sessionID = Signer.uuid()
    let context: ZMQContext
    let shell, iopub, stdin, control, heartbeat: ZMQSocket
    /// The control thread pokes the main thread through this pair when it must stop waiting.
    let wakeMain, wakeControl: ZMQSocket
    let interpreter: Interpreter
    private var stopLock = pthread_mutex_t()
    private var stopping = false
    /// Whether the main thread is inside a cell (read by the control thread).
    private var busy = false

    // The running execute_request's state, read by the session's hooks.
    var parent: Message? = nil
    var silent = false
    var allowStdin = false
    var pendingText: [(String, String)] = []
    var lastFlush = 0.0
    var payloads: [JSON] = []
    var progressID: String? = nil
    var lastProgress = 0.0
    var progressCount = 0
    var displayed: Value? = nil

    // The session's cells.
    var executionCount = 0
    var history: [(number: Int, input: String, output: String?)] = []
    var cellSources: [String: String] = [:]

    init(connection: Connection) throws(KernelError) {
        self.connection = connection
        signer = Signer(key: connection.key)
        guard let context = ZMQContext() else { throw KernelError(description: "cannot create a ZeroMQ context") }
        self.context = context
        shell = try ZMQSocket(context, type: ZMQ_ROUTER)
        iopub = try ZMQSocket(context, type: ZMQ_PUB)
        stdin = try ZMQSocket(context, type: ZMQ_ROUTER)
        control = try ZMQSocket(context, type: ZMQ_ROUTER)
        heartbeat = try ZMQSocket(context, type: ZMQ_REP)
        wakeMain = try ZMQSocket(context, type: ZMQ_PAIR)
        wakeControl = try ZMQSocket(context, type: ZMQ_PAIR)
        // A client that reconnects with its old identity (a restarted front end) takes its place over.
        for s in [shell, stdin, control] { s.setOption(ZMQ_ROUTER_HANDOVER, Int32(1)) }
        try shell.bind(connection.endpoint(connection.shellPort))
        try iopub.bind(connection.endpoint(connection.iopubPort))
        try stdin.bind(connection.endpoint(connection.stdinPort))
        try control.bind(connection.endpoint(connection.controlPort))
        try heartbeat.bind(connection.endpoint(connection.heartbeatPort))
        let wake = "inproc://dlx-wake-\(sessionID)"
        try wakeMain.bind(wake)
        try wakeControl.connect(wake)
        pthread_mutex_init(&stopLock, nil)
        let session = DataFolders.session(memoryLimit: nil, seed: 0)
        interpreter = Interpreter(session: session)
        installHooks()
    }

    var shouldStop: Bool {
        pthread_mutex_lock(&stopLock); defer { pthread_mutex_unlock(&stopLock) }
        return stopping
    }

    private func setBusy(_ b: Bool) {
        pthread_mutex_lock(&stopLock); busy = b; pthread_mutex_unlock(&stopLock)
    }

    /// Asks the main thread to stop after the running cell (which is interrupted).
    private func requestStop() {
        pthread_mutex_lock(&stopLock)
        stopping = true
        let wasBusy = busy
        pthread_mutex_unlock(&stopLock)
        if wasBusy { kill(getpid(), SIGINT) }
        wakeControl.send([[1]])
    }

    /// Serves until a shutdown request; returns the exit status.
    func run() -> Int32 {
        dlx_sigint_install()
        startThread { [heartbeat] in
            // The heartbeat: every ping comes straight back.
            while case .message(let frames) = heartbeat.receive() { heartbeat.send(frames) }
            heartbeat.close()
        }
        startThread { [self] in serveControl() }
        publish("status", .object([("execution_state", .string("starting"))]), parent: nil)
        while !shouldStop {
            let ready = ZMQSocket.poll([shell, wakeMain], milliseconds: -1)
            if ready[1] { _ = wakeMain.receive(wait: false) }
            if ready[0] {
                switch shell.receive(wait: false) {
                case .message(let frames):
                    if let m = accept(frames, from: "shell") { handleShell(m) }
                case .tooLarge: log("a message on the shell socket was larger than \(ZMQSocket.maxMessageBytes >> 20) MB; dropped")
                case .nothing: break
                case .closed: return 0
                }
            }
        }
        Output.flush()
        for s in [shell, iopub, stdin, wakeMain] { s.close() }
        context.shutdown()
        context.terminate()
        return 0
    }

    /// The message in these frames, if it is well formed and signed with the key; otherwise it is logged and dropped.
    func accept(_ frames: [[UInt8]], from socket: String) -> Message? {
        do {
            return try Message.parse(frames, signer: signer)
        } catch {
            log("dropped a message on the \(socket) socket: \(error)")
            return nil
        }
    }

    func log(_ text: String) { Output.stderr("dlx kernel: \(text)\n") }

    // MARK: - Sending

    func send(_ socket: ZMQSocket, _ type: String, _ content: JSON, parent: Message?, metadata: JSON = .object([])) {
        let m = Message.make(type, content, parent: parent, session: sessionID, identities: parent?.identities ?? [],
                             metadata: metadata)
        socket.send(m.frames(signer: signer))
    }

    func reply(_ socket: ZMQSocket, to request: Message, _ content: JSON) {
        let type = request.type.hasSuffix("_request") ? String(request.type.dropLast(8)) + "_reply" : request.type + "_reply"
        send(socket, type, content, parent: request)
    }

    func publish(_ type: String, _ content: JSON, parent: Message?, metadata: JSON = .object([])) {
        let m = Message.make(type, content, parent: parent, session: sessionID,
                             identities: [Array("kernel.\(sessionID).\(type)".utf8)], metadata: metadata)
        iopub.send(m.frames(signer: signer))
    }

    func status(_ state: String, _ parent: Message?) {
        publish("status", .object([("execution_state", .string(state))]), parent: parent)
    }

    // MARK: - Control

    private func serveControl() {
        // As ipykernel: started by a Jupyter process (JPY_PARENT_PID), the kernel ends when that process
        // does, instead of running on as an orphan.
        let parentPID = getenv("JPY_PARENT_PID") != nil && getppid() != 1 ? getppid() : nil
        serving: while !shouldStop {
            let ready = ZMQSocket.poll([control], milliseconds: parentPID == nil ? -1 : 1000)
            if let parentPID, getppid() != parentPID {
                log("the process that started the kernel has gone; shutting down")
                requestStop()
                break
            }
            if !ready[0] {
                if zmq_errno() == ETERM { break }
                continue
            }
            switch control.receive(wait: false) {
            case .message(let frames):
                guard let m = accept(frames, from: "control") else { continue }
                status("busy", m)
                switch m.type {
                case "kernel_info_request": reply(control, to: m, kernelInfo())
                case "interrupt_request":
                    kill(getpid(), SIGINT)
                    reply(control, to: m, .object([("status", .string("ok"))]))
                case "shutdown_request":
                    shutdown(m, on: control)
                default:
                    log("unknown message type '\(m.type)' on the control socket; ignored")
                }
                status("idle", m)
            case .tooLarge: log("a message on the control socket was too large; dropped")
            case .nothing: continue
            case .closed: break serving
            }
        }
        control.close()
        wakeControl.close()
    }

    func shutdown(_ m: Message, on socket: ZMQSocket) {
        let content = JSON.object([("status", .string("ok")), ("restart", .bool(m.content["restart"]?.boolValue ?? false))])
        reply(socket, to: m, content)
        publish("shutdown_reply", content, parent: m)
        requestStop()
    }

    // MARK: - Shell

    func handleShell(_ m: Message) {
        status("busy", m)
        defer { status("idle", m) }
        switch m.type {
        case "kernel_info_request": reply(shell, to: m, kernelInfo())
        case "execute_request": execute(m)
        case "complete_request": reply(shell, to: m, complete(m.content))
        case "inspect_request": reply(shell, to: m, inspect(m.content))
        case "is_complete_request": reply(shell, to: m, isComplete(m.content["code"]?.stringValue ?? ""))
        case "history_request": reply(shell, to: m, historyReply(m.content))
        case "comm_info_request": reply(shell, to: m, .object([("status", .string("ok")), ("comms", .object([]))]))
        case "shutdown_request": shutdown(m, on: shell)
        case "interrupt_request":
            reply(shell, to: m, .object([("status", .string("ok"))]))
        case "comm_open":
            // No comm targets: close it, as ipykernel does for an unknown target.
            if let id = m.content["comm_id"]?.stringValue {
                publish("comm_close", .object([("comm_id", .string(id)), ("data", .object([]))]), parent: m)
            }
        case "comm_msg", "comm_close": break
        default:
            log("unknown message type '\(m.type)' on the shell socket; ignored")
        }
    }

    func kernelInfo() -> JSON {
        .object([
            ("status", .string("ok")),
            ("protocol_version", .string(Message.protocolVersion)),
            ("implementation", .string("dlx")),
            ("implementation_version", .string(DLXCommand.version)),
            ("language_info", .object([
                ("name", .string("python")), ("version", .string("3.11")), ("mimetype", .string("text/x-python")),
                ("file_extension", .string(".dlx")), ("pygments_lexer", .string("ipython3")),
                ("codemirror_mode", .object([("name", .string("ipython")), ("version", .number(3))])),
                ("nbconvert_exporter", .string("python")),
            ])),
            ("banner", .string("dlx \(DLXCommand.version) — PyTorch-flavoured deep learning in a notebook. Type ? for a quick reference.\n")),
            ("debugger", .bool(false)),
            ("help_links", .array([
                .object([("text", .string("dlx quick reference (type ? in a cell)")), ("url", .string("https://docs.python.org/3.11/"))]),
                .object([("text", .string("PyTorch")), ("url", .string("https://pytorch.org/docs/stable/"))]),
            ])),
        ])
    }

    /// Runs `body` as the main thread's cell: a SIGINT from here on interrupts it.
    func runningCell<T>(_ body: () -> T) -> T {
        _ = dlx_sigint_take()
        setBusy(true)
        defer {
            setBusy(false)
            _ = dlx_sigint_take()   // an interrupt that came late must not stop the next cell
        }
        return body()
    }
}
