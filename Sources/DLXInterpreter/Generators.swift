#if canImport(Glibc)
import Glibc
#endif
import DLXFrontEnd

/// Generators: a function whose body yields runs on a thread of its own, and the code that asks for its
/// items waits while it runs, so exactly one of them runs at a time and the interpreter's state is only
/// ever touched by one thread. At each hand-over the generator's frames move between the interpreter's
/// stack and the generator, and so does grad mode (which is per thread in the engine).
final class GeneratorChannel {
    private var resumeSignal = sem_t()
    private var yieldSignal = sem_t()
    var yielded: Value = .none
    /// The value `send` passes in, returned by the `yield` expression.
    var sent: Value = .none
    var finished = false
    /// What the body returned (`return value` in a generator): the value of `yield from` over it.
    var returned: Value = .none
    var error: DLXError? = nil
    /// Set when the generator is closed: its paused `yield` raises GeneratorExit.
    var closing = false
    var gradMode = true

    init() {
        sem_init(&resumeSignal, 0, 0)
        sem_init(&yieldSignal, 0, 0)
    }
    deinit {
        sem_destroy(&resumeSignal)
        sem_destroy(&yieldSignal)
    }

    func waitForResume() { while sem_wait(&resumeSignal) != 0 {} }
    func resume() { sem_post(&resumeSignal) }
    func waitForYield() { while sem_wait(&yieldSignal) != 0 {} }
    func handBack() { sem_post(&yieldSignal) }
}

/// A generator object: what calling a generator function gives. Its state lives in a `GeneratorRunner`, so
/// that a generator dropped while paused can be closed later, at a safe point of the interpreter (its
/// `finally` blocks run then, and its thread ends), not in the middle of whatever dropped it.
final class UserGenerator: PyObject {
    let runner: GeneratorRunner
    var function: UserFunction { runner.function }

    init(_ function: UserFunction, _ frame: Frame, _ interpreter: Interpreter?) {
        runner = GeneratorRunner(function, frame, interpreter)
    }

    deinit {
        if runner.started && !runner.channel.finished { runner.interpreter?.session.droppedGenerators.append(runner) }
    }

    var returnValue: Value { runner.channel.returned }

    /// The StopIteration a finished generator raises: its `return` value as `value` (and args).
    func stopIteration(_ i: Interpreter) -> DLXError {
        let value = runner.channel.returned
        var e = DLXError("StopIteration", value.isNone ? "" : ((try? i.str(value)) ?? ""))
        e.args = value.isNone ? [] : [value]
        return e
    }
    func step(send: Value = .none) throws(DLXError) -> Value? { try runner.step(send: send) }
    var typeName: String { "generator" }
    func repr(_ i: Interpreter) -> String { "<generator object \(function.name) at \(i.session.address(of: self))>" }

    func makeIterator(_ i: Interpreter) throws(DLXError) -> ValueIterator? {
        ValueIterator { [self] () throws(DLXError) -> Value? in try step() }
    }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        switch name {
        case "__next__":
            return i.method(name) { [self] _, i throws(DLXError) in
                guard let v = try step() else { throw stopIteration(i) }
                return v
            }
        case "send":
            return i.method(name) { [self] a, i throws(DLXError) in
                let v = try a.required(0, "value")
                if !runner.started && !v.isNone { throw .type("can't send non-None value to a just-started generator") }
                guard let r = try step(send: v) else { throw stopIteration(i) }
                return r
            }
        case "close":
            return i.method(name) { [self] _, _ throws(DLXError) in
                try runner.close()
                return Value.none
            }
        default: return nil
        }
    }
}

/// A generator's body, its thread and the hand-over between them.
final class GeneratorRunner {
    let function: UserFunction
    private let frame: Frame
    let channel = GeneratorChannel()
    weak var interpreter: Interpreter?
    private(set) var started = false
    private var running = false
    /// The generator's frames while it is paused.
    private var savedFrames: [Frame] = []

    init(_ function: UserFunction, _ frame: Frame, _ interpreter: Interpreter?) {
        self.function = function; self.frame = frame; self.interpreter = interpreter
        frame.generator = channel
    }

    /// `close()`: a paused generator gets GeneratorExit at its `yield` and runs its `finally` blocks.
    func close() throws(DLXError) {
        if started && !channel.finished {
            channel.closing = true
            // A generator that yields again instead of finishing ignored the GeneratorExit.
            if try step() != nil { throw DLXError("RuntimeError", "generator ignored GeneratorExit") }
        }
        channel.finished = true
    }

    /// Runs the generator to its next `yield`: the value, or nil when it has finished.
    func step(send: Value = .none) throws(DLXError) -> Value? {
        if channel.finished { return nil }
        guard let interpreter else { return nil }
        guard !running else { throw .value("generator already executing") }
        running = true
        defer { running = false }
        let base = interpreter.frames.count
        interpreter.frames += savedFrames
        savedFrames = []
        let autograd = interpreter.session.backend.autograd
        channel.gradMode = autograd.enabled
        channel.sent = send
        if !started {
            started = true
            interpreter.session.rememberStarted(self)
            try start()
        } else {
            channel.resume()
        }
        channel.waitForYield()
        autograd.enabled = channel.gradMode
        savedFrames = Array(interpreter.frames[base...])
        interpreter.frames.removeLast(interpreter.frames.count - base)
        if let e = channel.error {
            channel.error = nil
            if e.type == "StopIteration" {
                throw DLXError("RuntimeError", "generator raised StopIteration")
            }
            throw e
        }
        return channel.finished ? nil : channel.yielded
    }

    private func start() throws(DLXError) {
        guard let interpreter else { return }
        let body = GeneratorBody(run: { [channel, frame, function, unowned interpreter] in
            interpreter.session.backend.autograd.enabled = channel.gradMode
            do throws(DLXError) {
                channel.returned = try interpreter.session.heap.entered { () throws(DLXError) in
                    try interpreter.runBody(frame, function.definition.body)
                }
            } catch {
                if error.type != "GeneratorExit" || !channel.closing { channel.error = error }
            }
            channel.gradMode = interpreter.session.backend.autograd.enabled
            channel.finished = true
            channel.handBack()
        })
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 16 << 20)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let context = Unmanaged.passRetained(body).toOpaque()
        let rc = pthread_create(&thread, &attributes, { context in
            let body = Unmanaged<GeneratorBody>.fromOpaque(context!).takeRetainedValue()
            body.run()
            return nil
        }, context)
        if rc != 0 {
            Unmanaged<GeneratorBody>.fromOpaque(context).release()
            channel.finished = true
            channel.handBack()
            throw DLXError("MemoryError", "cannot start a generator: too many threads")
        }
    }
}

/// The code a generator's thread runs.
private final class GeneratorBody {
    let run: () -> Void
    init(run: @escaping () -> Void) { self.run = run }
}

extension Interpreter {
    /// Closes the generators dropped while paused (at a safe point: see `atSafePoint`).
    func closeDroppedGenerators() {
        while let runner = session.droppedGenerators.popLast() { try? runner.close() }
    }

    /// The end of a program, as CPython ends one: the generators still paused are closed, so that their `finally`
    /// blocks run and their threads end (a paused generator's thread holds the interpreter, which would otherwise
    /// outlive its owner with everything the session made). The shell calls it when a script or the prompt ends.
    public func finish() {
        session.heap.entered {
            closeDroppedGenerators()
            let started = session.startedGenerators
            session.startedGenerators = []
            for g in started.reversed() { try? g.runner?.close() }
        }
    }

    /// `yield value` inside a generator's body: hands the value over and waits to be resumed.
    func yieldValue(_ value: Value) throws(DLXError) -> Value {
        guard let channel = functionFrame?.generator else {
            throw DLXError("SyntaxError", "'yield' outside function")
        }
        channel.yielded = value
        channel.gradMode = session.backend.autograd.enabled
        channel.handBack()
        channel.waitForResume()
        session.backend.autograd.enabled = channel.gradMode
        if channel.closing { throw DLXError("GeneratorExit", "") }
        return channel.sent
    }
}

/// A started generator, held weakly (see `Interpreter.finish`).
struct WeakGenerator {
    weak var runner: GeneratorRunner?
}

extension Session {
    func rememberStarted(_ runner: GeneratorRunner) {
        // Dropped generators leave empty entries: clear them out as the list doubles.
        if startedGenerators.count >= 64, startedGenerators.count.nonzeroBitCount == 1 {
            startedGenerators.removeAll { $0.runner == nil || $0.runner?.channel.finished == true }
        }
        startedGenerators.append(WeakGenerator(runner: runner))
    }
}
