import Synchronization

/// How a long engine operation learns that its caller wants it stopped (a time limit, Ctrl-C): the
/// operation checks between blocks of its work (rows of a large matrix product, chunks of a
/// convolution's samples, slices of a large reduction) and throws an interrupted error, leaving its
/// inputs as they were. The engine does not know why: the caller sets a deadline and an interrupt test.
/// Any thread may check, so both are safe to read from the workers.
public final class Cancellation: @unchecked Sendable {
    /// The moment (Trainer.now()'s clock) past which operations stop; infinity: never.
    private let deadlineBits = Atomic<UInt64>(Double.infinity.bitPattern)

    public init() {}

    public var deadline: Double {
        get { Double(bitPattern: deadlineBits.load(ordering: .relaxed)) }
        set { deadlineBits.store(newValue.bitPattern, ordering: .relaxed) }
    }

    /// Whether an interrupt was asked for (Ctrl-C); nil: never. Set once, before any work starts (then only
    /// read, by any thread).
    public var interrupt: (@Sendable () -> Bool)? = nil

    /// Whether work must stop now. Cheap enough to ask between blocks of a few milliseconds.
    public var isRequested: Bool {
        let d = deadline
        if d.isFinite && Trainer.now() > d { return true }
        guard let test = interrupt else { return false }
        return test()
    }

    /// Whether anything could ever stop work: operations only cut themselves into blocks when it can.
    public var isArmed: Bool { deadline.isFinite || interrupt != nil }

    /// Throws the interrupted error when work must stop.
    public func check() throws(TensorError) {
        if isRequested { throw TensorError(.interrupted, "") }
    }
}
