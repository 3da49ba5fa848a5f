import CSupport
import DLXEngine

/// A value that can hold other values, and so be part of a reference cycle: lists, dicts, instances,
/// classes, functions, their frames, bound methods and user modules. Python frees cycles with its cycle
/// collector; dlx counts references (Swift's), so a session's `Heap` keeps track of these objects and finds
/// the cycles nothing outside them refers to any more.
protocol Collectable: AnyObject {
    /// Makes each buffer this object keeps values in its own (copying one it shares, as Swift does before a
    /// write), so that every reference `traverse` reports is one this object alone holds.
    func ownStorage()
    /// Reports each reference this object holds to a collectable object, once per reference held.
    func traverse(_ visit: (AnyObject) -> Void)
    /// Lets go of what it holds that can change after it was made (called on garbage only). References set
    /// once when an object is made point to older objects, so they never close a cycle on their own.
    func clear()
}

/// The objects a session made that can be part of a cycle, and the collector that frees the cycles that are
/// garbage: CPython's algorithm (trial deletion). For every tracked object, subtract from its strong
/// reference count the references other tracked objects hold to it; what is left over is held from outside
/// (a variable, the running code, the engine, anything the collector does not see), and everything reachable
/// from those objects is alive. The rest is garbage held only by itself: each is cleared, which frees them.
/// A reference the collector does not see can only make it keep more, never free something alive.
public final class Heap: @unchecked Sendable {
    struct Entry {
        let address: UnsafeMutableRawPointer
        unowned(unsafe) let object: any Collectable
    }
    struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        /// Objects made since the last collection, and how many start the next one.
        var made = 0
        var threshold = Heap.minimumThreshold
        /// `gc.set_threshold(n)`: a collection after every n new objects, whatever survives.
        var fixedThreshold: Int? = nil
        var enabled = true
    }
    private let state = Locked(State())
    /// Collections run after this many new objects at least (or as many as survived the last, if more), so
    /// that the time spent collecting stays in proportion to the objects made.
    static let minimumThreshold = 10_000
    /// Tuples nested deeper than this inside a tracked object are not looked into (their references count as
    /// held from outside); the walks over them recurse this deep at most.
    static let tupleDepth = 64

    public init() {}

    /// The heap of the session running code on this thread.
    static var current: Heap? {
        dlx_current_heap().map { Unmanaged<Heap>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Runs `body` with objects made on this thread registering here.
    func entered<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        let saved = dlx_current_heap()
        let mine = Unmanaged.passUnretained(self).toOpaque()
        if saved == mine { return try body() }
        dlx_set_current_heap(mine)
        defer { dlx_set_current_heap(saved) }
        return try body()
    }

    /// Registers a new object with the current session's heap, if code is running; returns that heap (the
    /// object keeps it, to leave it when it goes).
    static func adopt(_ object: any Collectable) -> Heap? {
        guard let heap = current else { return nil }
        let entry = Entry(address: Unmanaged.passUnretained(object as AnyObject).toOpaque(), object: object)
        heap.state.withLock { s in
            s.entries[ObjectIdentifier(object)] = entry
            s.made += 1
        }
        return heap
    }

    /// Called from the deinit of an object `adopt` registered.
    func leave(_ object: AnyObject) {
        let id = ObjectIdentifier(object)
        state.withLock { s in _ = s.entries.removeValue(forKey: id) }
    }

    /// How many objects are tracked now.
    public var count: Int { state.withLock { $0.entries.count } }

    /// Whether enough objects were made since the last collection to run one (checked between statements).
    var due: Bool { state.withLock { $0.enabled && $0.made >= $0.threshold } }

    /// `gc.enable()` / `gc.disable()` / `gc.isenabled()`: automatic collections only; `collect` always runs.
    var enabled: Bool {
        get { state.withLock { $0.enabled } }
        set { state.withLock { $0.enabled = newValue } }
    }

    /// `gc.get_threshold()` / `gc.set_threshold(n)`; nil goes back to the adaptive threshold.
    var threshold: Int {
        state.withLock { $0.fixedThreshold ?? $0.threshold }
    }
    public func setThreshold(_ n: Int?) {
        state.withLock { s in s.fixedThreshold = n; if let n { s.threshold = n } }
    }

    /// Frees the cycles nothing refers to; returns how many objects they held. Call it where no Swift code is
    /// in the middle of changing a container (between statements): it makes shared buffers unique.
    @discardableResult
    public func collect() -> Int {
        let objects: [Entry] = state.withLock { s in s.made = 0; return Array(s.entries.values) }
        let n = objects.count
        var index: [ObjectIdentifier: Int] = [:]
        index.reserveCapacity(n)
        for (i, e) in objects.enumerated() {
            index[ObjectIdentifier(e.object)] = i
            e.object.ownStorage()
        }
        // Nothing is retained or released between here and the subtraction but by the collector's own
        // temporaries, which end before each count is read.
        var references = [Int](repeating: 0, count: n)
        for i in 0..<n { references[i] = swift_retainCount(objects[i].address) }
        var consistent = true
        for e in objects {
            e.object.traverse { target in
                guard let j = index[ObjectIdentifier(target)] else { return }
                references[j] -= 1
                if references[j] < 0 { consistent = false }
            }
        }
        // More references reported than an object has means a walk is wrong: free nothing.
        guard consistent else { return 0 }
        var alive = [Bool](repeating: false, count: n)
        var pending: [Int] = []
        for i in 0..<n where references[i] > 0 { alive[i] = true; pending.append(i) }
        while let i = pending.popLast() {
            objects[i].object.traverse { target in
                guard let j = index[ObjectIdentifier(target)], !alive[j] else { return }
                alive[j] = true
                pending.append(j)
            }
        }
        var garbage: [any Collectable] = []
        for i in 0..<n where !alive[i] { garbage.append(objects[i].object) }
        for g in garbage { g.clear() }
        let found = garbage.count
        garbage = []
        state.withLock { s in s.threshold = s.fixedThreshold ?? max(Heap.minimumThreshold, s.entries.count) }
        return found
    }
}

extension Value {
    /// Reports the collectable objects this value refers to, looking into tuples `depth` levels at most
    /// (see `ownStorage(_:)`, which makes the same tuples unique).
    static func traverse(_ v: Value, depth: Int = Heap.tupleDepth, _ visit: (AnyObject) -> Void) {
        switch v {
        case .list(let l): visit(l)
        case .dict(let d): visit(d)
        case .object(let o): visit(o)
        case .module(let m): visit(m)
        case .tuple(let items) where depth > 0:
            for item in items { traverse(item, depth: depth - 1, visit) }
        default: break
        }
    }

    /// Makes the tuples inside this value (to `depth` levels) unique to it; see `Collectable.ownStorage`.
    static func ownStorage(_ v: inout Value, depth: Int = Heap.tupleDepth) {
        guard depth > 0, case .tuple(var items) = v else { return }
        v = .none
        items.withUnsafeMutableBufferPointer { b in
            for i in b.indices { ownStorage(&b[i], depth: depth - 1) }
        }
        v = .tuple(items)
    }

    static func ownStorage(_ items: inout [Value]) {
        items.withUnsafeMutableBufferPointer { b in
            for i in b.indices { ownStorage(&b[i]) }
        }
    }

    /// (A write through `values` makes the dictionary's storage unique, as one through `withUnsafe...` does an array's.)
    static func ownStorage(_ items: inout [String: Value]) {
        var i = items.startIndex
        while i != items.endIndex {
            ownStorage(&items.values[i])
            i = items.index(after: i)
        }
    }
}
