import DLXEngine
import CSupport

/// The sizes of what the interpreter builds. Every str, bytes, list, tuple or dict is checked before it is
/// made, so that a huge one is Python's MemoryError at once, never an abort inside Swift's allocator (which
/// cannot fail softly) nor minutes of swapping: `reserve` refuses a result past dlx's caps, or past what the
/// memory limit (`--max-memory`, or three quarters of the machine's memory) leaves beside the tensors in use.
extension Interpreter {
    /// Items a list, tuple or dict may hold: about a gigabyte of values (each item ~90 bytes). Far past what a
    /// lesson keeps in Python lists (tensors hold the data), and a MemoryError at once instead of seconds of
    /// allocating.
    static let maxItems = 10_000_000
    /// Bytes (UTF-8) a str or bytes object may hold.
    static let maxStringBytes = 100_000_000

    /// What is about to be built: text (str, bytes; counted in bytes) or items (list, tuple, dict).
    enum Built { case text, items }

    /// Throws MemoryError unless a result of `size` bytes of text or `size` items may be built. `size` may be
    /// `Interpreter.sum`'s or `product`'s Int.max for a count that overflowed; `what` names the operation.
    func reserve(_ size: Int, _ kind: Built, _ what: String? = nil) throws(DLXError) {
        try Interpreter.checkCap(size, kind, what)
        // Large builds count towards the memory limit that tensors count towards: refused when they would not fit
        // beside the tensors in use (small ones are never the problem, and need no look at the counter).
        let bytes = kind == .text ? size : Interpreter.product(size, MemoryLayout<Value>.stride)
        if bytes >= 1 << 20 { try checkMemory(adding: bytes) }
    }

    /// Throws MemoryError when `bytes` more would not fit: beside the tensors in use (the engine's counter), or
    /// in the C heap as a whole, Python values included. The heap check is the backstop for what sizes alone do
    /// not bound (ten million lists of a thousand items): the heap stays within the memory limit and
    /// `heapRoom`, below the address-space limit of `--max-memory` (3 GB above it), where an allocation aborts.
    func checkMemory(adding bytes: Int) throws(DLXError) {
        let backend = session.backend
        try engine { () throws(TensorError) in
            try backend.checkHostMemory(byteCount: bytes)
            let limit = Interpreter.sum(backend.memoryLimit, Interpreter.heapRoom)
            guard Interpreter.sum(Interpreter.heapInUse, bytes) > limit else { return }
            backend.releaseCache()   // freed tensor blocks kept for reuse count in the heap
            let heap = Interpreter.heapInUse
            guard Interpreter.sum(heap, bytes) > limit else { return }
            throw TensorError(.memory, "can't allocate memory: the session's values and tensors take \(heap) bytes, and \(bytes) more "
                              + "would pass the limit of \(backend.memoryLimit) bytes")
        }
    }

    /// The heap beyond the memory limit that dlx itself may use (its libraries, the interpreter's values).
    static let heapRoom = 1 << 30

    static var heapInUse: Int { Int(clamping: dlx_heap_in_use()) }

    /// The caps alone, for the places without a session at hand (a dict's insertion).
    static func checkCap(_ size: Int, _ kind: Built, _ what: String? = nil) throws(DLXError) {
        let cap = kind == .text ? maxStringBytes : maxItems
        guard size > cap || size < 0 else { return }
        let n = size == .max || size < 0 ? "more than \(Int.max)" : "\(size)"
        let amount = kind == .text ? "be \(n) bytes long" : "hold \(n) items"
        throw DLXError("MemoryError", (what.map { $0 + ": " } ?? "") + "the result would \(amount), more than dlx allows (\(cap))")
    }

    /// `a + b` for sizes, Int.max when it overflows (which `reserve` then refuses).
    static func sum(_ a: Int, _ b: Int) -> Int {
        let (s, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : s
    }

    /// `a * b` for sizes (negative counts as zero, as in `"ab" * -1`), Int.max when it overflows.
    static func product(_ a: Int, _ b: Int) -> Int {
        let (p, overflow) = Swift.max(a, 0).multipliedReportingOverflow(by: Swift.max(b, 0))
        return overflow ? .max : p
    }

    /// The total of `sizes`, saturating.
    static func total<S: Sequence>(_ sizes: S) -> Int where S.Element == Int {
        sizes.reduce(0) { sum($0, $1) }
    }
}

/// Text built piece by piece (a repr, a format, a join), checked as it grows: the whole never passes the cap,
/// whatever the number of pieces.
struct TextBuilder {
    private(set) var text = ""
    private var bytes = 0
    let interpreter: Interpreter
    let what: String?

    init(_ interpreter: Interpreter, _ what: String? = nil) { self.interpreter = interpreter; self.what = what }

    mutating func append(_ s: String) throws(DLXError) {
        let n = Interpreter.sum(bytes, s.utf8.count)
        // The memory limit is consulted every megabyte, the cap at every piece.
        if n >> 20 != bytes >> 20 { try interpreter.reserve(n, .text, what) } else { try Interpreter.checkCap(n, .text, what) }
        bytes = n
        text += s
    }
}
