#if canImport(Glibc)
import Glibc
#endif
import CSupport
import DLXShell
import DLXInterpreter
import DLXEngine

/// execute_request: a cell runs in the one session; what it prints goes out as `stream` messages, its
/// value as `execute_result` (text/plain as the terminal shows it), its pictures and charts as
/// `display_data`, training progress as one display updated in place, its error as `error`.
extension Kernel {
    /// Text printed within this many seconds of the last message is sent together.
    static let streamInterval = 0.05
    /// Progress displays are redrawn at most this often.
    static let progressInterval = 0.1

    func installHooks() {
        let s = interpreter.session
        s.write = { [unowned self] t in stream("stdout", t) }
        s.writeStandardError = { [unowned self] t in stream("stderr", t) }
        s.display = { [unowned self] v in displayed = v }
        s.drawPicture = { [unowned self] picture, text in
            let (png, caption) = Notebook.pictureData(picture)
            display(.object([("image/png", .string(png)), ("text/plain", .string(png.isEmpty ? text : caption))]))
        }
        s.drawChart = { [unowned self] svg, text in
            display(.object([("image/svg+xml", .string(svg)), ("text/plain", .string(text))]))
        }
        s.isTerminal = true
        s.progress = { [unowned self] t in progress(t) }
        s.page = { [unowned self] text in
            payloads.append(.object([("source", .string("page")), ("data", .object([("text/plain", .string(text))])),
                                     ("start", .number(0))]))
        }
        s.readInput = { [unowned self] prompt throws(DLXError) in try readInput(prompt) }
        s.interruptRequested = { [unowned self] in
            if !pendingText.isEmpty && Trainer.now() - lastFlush > Kernel.streamInterval { flushStreams() }
            return dlx_sigint_peek() != 0
        }
        interpreter.session.globals["__name__"] = .string("__main__")
    }

    // MARK: - Output

    func stream(_ name: String, _ text: String) {
        guard !text.isEmpty else { return }
        if let last = pendingText.last, last.0 == name {
            pendingText[pendingText.count - 1].1 += text
        } else {
            pendingText.append((name, text))
        }
        if Trainer.now() - lastFlush > Kernel.streamInterval { flushStreams() }
    }

    func flushStreams() {
        let chunks = pendingText
        pendingText = []
        lastFlush = Trainer.now()
        for (name, text) in chunks {
            publish("stream", .object([("name", .string(name)), ("text", .string(text))]), parent: parent)
        }
    }

    func display(_ data: JSON, id: String? = nil, update: Bool = false) {
        flushStreams()
        var content: [(String, JSON)] = [("data", data), ("metadata", .object([]))]
        if let id { content.append(("transient", .object([("display_id", .string(id))]))) }
        publish(update ? "update_display_data" : "display_data", .object(content), parent: parent)
    }

    /// A progress bar's new state ("\r" text, erase to the end of the line): the first opens a display,
    /// later ones update it in place, at most ten times a second; an empty one clears it.
    func progress(_ raw: String) {
        var text = raw.split(separator: "\u{1B}[K", omittingEmptySubsequences: false).joined()
        text.removeAll { $0 == "\r" }
        // A newline ends the bar where it is, shown in its last state (tqdm's leave=True): the next bar opens
        // a display of its own.
        let final = text.hasSuffix("\n")
        if final { text.removeLast() }
        defer { if final { progressID = nil } }
        let now = Trainer.now()
        if let id = progressID {
            guard text.isEmpty || final || now - lastProgress >= Kernel.progressInterval else { return }
            display(.object([("text/plain", .string(text))]), id: id, update: true)
        } else {
            guard !text.isEmpty else { return }
            progressCount += 1
            let id = "dlx-progress-\(sessionID)-\(progressCount)"
            progressID = id
            display(.object([("text/plain", .string(text))]), id: id)
        }
        lastProgress = now
    }

    // MARK: - Running a cell

    func execute(_ m: Message) {
        let code = m.content["code"]?.stringValue ?? ""
        silent = m.content["silent"]?.boolValue ?? false
        let storeHistory = !silent && (m.content["store_history"]?.boolValue ?? true)
        allowStdin = m.content["allow_stdin"]?.boolValue ?? false
        let stopOnError = m.content["stop_on_error"]?.boolValue ?? true
        if storeHistory { executionCount += 1 }
        let number = executionCount
        parent = m
        payloads = []
        progressID = nil
        displayed = nil
        defer { parent = nil; allowStdin = false }
        if !silent {
            publish("execute_input", .object([("code", .string(code)), ("execution_count", .number(Double(number)))]), parent: m)
        }
        let name = "Cell In[\(number)]"
        interpreter.sourceName = name
        cellSources[name] = code
        let failure: DLXError? = runningCell {
            interpreter.session.startCell()
            do throws(DLXError) {
                try interpreter.run(code, firstLine: 1, displayAll: false)
                return nil
            } catch {
                return error
            }
        }
        var output: String? = nil
        if failure == nil, let v = displayed, !code.trimmingSpaces.hasSuffix(";") {
            output = (try? interpreter.displayText(v)) ?? "<unprintable>"
            if !silent, let output {
                flushStreams()
                // A PIL image shows as its picture, as IPython shows one (its _repr_png_ beside the repr).
                let png = interpreter.pngForDisplay(v).map { [("image/png", JSON.string($0))] } ?? []
                publish("execute_result", .object([("execution_count", .number(Double(number))),
                                                   ("data", .object(png + [("text/plain", .string(output))])), ("metadata", .object([]))]),
                        parent: m)
            }
        }
        // As the inline backend: figures the cell left open are shown below its result.
        if !silent { interpreter.showOpenFigures() }
        flushStreams()
        if storeHistory {
            if failure == nil { REPL.recordHistory(interpreter.session, code, displayed, number: number) }
            history.append((number, code, output))
        }
        displayed = nil
        guard let e = failure else {
            let expressions = userExpressions(m.content["user_expressions"])
            reply(shell, to: m, .object([("status", .string("ok")), ("execution_count", .number(Double(number))),
                                         ("payload", .array(payloads)), ("user_expressions", expressions)]))
            return
        }
        let traceback = tracebackLines(e, cell: name)
        publish("error", .object([("ename", .string(e.type)), ("evalue", .string(e.message)),
                                  ("traceback", .array(traceback.map { .string($0) }))]), parent: m)
        // Before the reply, so that what the client sends once it has the reply is not aborted.
        if stopOnError { abortQueuedExecutions() }
        reply(shell, to: m, .object([("status", .string("error")), ("execution_count", .number(Double(number))),
                                     ("ename", .string(e.type)), ("evalue", .string(e.message)),
                                     ("traceback", .array(traceback.map { .string($0) })),
                                     ("payload", .array(payloads)), ("user_expressions", .object([]))]))
    }

    /// IPython's traceback (in colour, as Jupyter front ends show it), as a list of lines.
    func tracebackLines(_ e: DLXError, cell: String) -> [String] {
        let text: String
        if e.type == "SyntaxError" || e.type == "IndentationError" || e.span == nil {
            text = ErrorReport.annotated(e, source: cellSources[cell] ?? "", firstLine: 1, color: true)
        } else {
            text = ErrorReport.ipythonTraceback(e, cell: cell, sources: cellSources, color: true)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    /// After an error, the execute requests already waiting, or arriving within `abortWindow` seconds, are
    /// answered "aborted", as ipykernel does with stop_on_error; other requests waiting are served. The window
    /// covers a "Run all" whose later cells are still on their way when an early one fails fast.
    static let abortWindow: Duration = .milliseconds(50)

    func abortQueuedExecutions() {
        let clock = ContinuousClock(), deadline = clock.now + Self.abortWindow
        while true {
            let left = deadline - clock.now
            if left > .zero { _ = ZMQSocket.poll([shell], milliseconds: max(1, Int(left / .milliseconds(1)))) }
            guard case .message(let frames) = shell.receive(wait: false) else {
                if clock.now < deadline { continue }
                return
            }
            guard let q = accept(frames, from: "shell") else { continue }
            guard q.type == "execute_request" else { handleShell(q); continue }
            status("busy", q)
            reply(shell, to: q, .object([("status", .string("aborted")), ("execution_count", .number(Double(executionCount)))]))
            status("idle", q)
        }
    }

    /// user_expressions: each evaluated after the cell, as its text/plain, or the error it raised.
    func userExpressions(_ request: JSON?) -> JSON {
        guard let pairs = request?.objectPairs, !pairs.isEmpty else { return .object([]) }
        var results: [(String, JSON)] = []
        for (key, expression) in pairs {
            var value: Value? = nil
            do throws(DLXError) {
                try interpreter.session.redirecting(display: { value = $0 }) { () throws(DLXError) in
                    try interpreter.run(expression.stringValue ?? "", firstLine: 1, displayAll: false)
                }
                let text = try value.map { v throws(DLXError) in try interpreter.displayText(v) } ?? "None"
                results.append((key, .object([("status", .string("ok")), ("data", .object([("text/plain", .string(text))])),
                                              ("metadata", .object([]))])))
            } catch {
                results.append((key, .object([("status", .string("error")), ("ename", .string(error.type)),
                                              ("evalue", .string(error.message)), ("traceback", .array([]))])))
            }
        }
        return .object(results)
    }

    /// input(prompt) through the stdin channel, when the front end allows it.
    func readInput(_ prompt: String) throws(DLXError) -> String {
        guard allowStdin, let parent else {
            throw DLXError("StdinNotImplementedError", "raw_input was called, but this frontend does not support input requests.")
        }
        flushStreams()
        send(stdin, "input_request", .object([("prompt", .string(prompt)), ("password", .bool(false))]), parent: parent)
        while true {
            if dlx_sigint_peek() != 0 || shouldStop { throw DLXError("KeyboardInterrupt", "Interrupted by user") }
            guard ZMQSocket.poll([stdin], milliseconds: 100)[0] else { continue }
            switch stdin.receive(wait: false) {
            case .message(let frames):
                guard let m = accept(frames, from: "stdin") else { continue }
                if m.type == "input_reply" { return m.content["value"]?.stringValue ?? "" }
                log("unexpected '\(m.type)' on the stdin socket; ignored")
            case .closed: throw DLXError("KeyboardInterrupt", "Interrupted by user")
            case .tooLarge, .nothing: continue
            }
        }
    }
}
