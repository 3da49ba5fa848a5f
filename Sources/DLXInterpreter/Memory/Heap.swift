import CSupport
import DLXEngine
import Synchronization

/// A value that can hold other values, and so be part of a reference cycle: lists, dicts, instances,
/// classes, functions, their frames, bound methods and user modules. Python frees cycles with its cycle
/// collector; dlx counts references (Swift's), so a session's `Heap` keeps track of these objects and finds
/// the cycles nothing outside them refers to any more.
protocol Collectable: AnyObject {
    /// Where the object is registered (set by `Heap.adopt`, from its init; `Heap.leave` from its deinit).
    var heapLink: HeapLink { get set }
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
    /// Every registered object, each at the slot its `heapLink` names; a leaving object empties its slot, which
    /// the next new object takes (so that leaving touches no other object). Compacted after a collection.
    struct Registry {
        var entries: [Entry?] = []
        var free: [Int] = []
        var count: Int { entries.count - free.count }
    }
    private let registry = Locked(Registry())
    /// Objects made since the last collection, and how many start the next one (atomics: read between every two
    /// statements, where a lock would cost more than the check).
    private let made = Atomic<Int>(0)
    private let threshold = Atomic<Int>(Heap.minimumThreshold)
    /// `gc.set_threshold(n)`: a collection after every n new objects, whatever survives (0: adaptive).
    private let fixedThreshold = Atomic<Int>(0)
    private let automatic = Atomic<Bool>(true)
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

    /// Registers a new object with the current session's heap, if code is running (the object keeps the heap,
    /// to leave it when it goes).
    static func adopt(_ object: any Collectable) {
        guard let heap = current else { return }
        let entry = Entry(address: Unmanaged.passUnretained(object as AnyObject).toOpaque(), object: object)
        heap.registry.withLock { r in
            let slot: Int
            if let s = r.free.popLast() {
                r.entries[s] = entry
                slot = s
            } else {
                slot = r.entries.count
                r.entries.append(entry)
            }
            object.heapLink = HeapLink(heap: .passRetained(heap), slot: slot)
        }
        heap.made.add(1, ordering: .relaxed)
    }

    /// Called from the deinit of every collectable object.
    static func leave(_ object: any Collectable) {
        guard let link = object.heapLink.heap else { return }
        link._withUnsafeGuaranteedRef { heap in
            heap.registry.withLock { r in
                // Read under the lock: a compaction may have moved the object.
                let slot = object.heapLink.slot
                r.entries[slot] = nil
                r.free.append(slot)
            }
        }
        link.release()
    }

    /// Moves the registered objects to the front (after a collection freed many), telling each its new slot.
    private func compact() {
        registry.withLock { r in
            guard r.free.count > 1024, r.free.count * 2 > r.entries.count else { return }
            var kept: [Entry?] = []
            kept.reserveCapacity(r.count)
            for case let e? in r.entries {
                e.object.heapLink.slot = kept.count
                kept.append(e)
            }
            r.entries = kept
            r.free = []
        }
    }

    /// How many objects are tracked now.
    public var count: Int { registry.withLock { $0.count } }

    /// Whether enough objects were made since the last collection to run one (checked between statements).
    var due: Bool {
        made.load(ordering: .relaxed) >= threshold.load(ordering: .relaxed) && automatic.load(ordering: .relaxed)
    }

    /// `gc.enable()` / `gc.disable()` / `gc.isenabled()`: automatic collections only; `collect` always runs.
    var enabled: Bool {
        get { automatic.load(ordering: .relaxed) }
        set { automatic.store(newValue, ordering: .relaxed) }
    }

    /// `gc.get_threshold()` / `gc.set_threshold(n)`; nil goes back to the adaptive threshold.
    var currentThreshold: Int { threshold.load(ordering: .relaxed) }
    public func setThreshold(_ n: Int?) {
        fixedThreshold.store(n ?? 0, ordering: .relaxed)
        threshold.store(n ?? Heap.minimumThreshold, ordering: .relaxed)
    }

    /// Frees the cycles nothing refers to; returns how many objects they held. Call it where no Swift code is
    /// in the middle of changing a container (between statements): it makes shared buffers unique.
    @discardableResult
    public func collect() -> Int {
        made.store(0, ordering: .relaxed)
        let objects: [Entry] = registry.withLock { $0.entries.compactMap { $0 } }
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
        compact()
        let fixed = fixedThreshold.load(ordering: .relaxed)
        threshold.store(fixed > 0 ? fixed : max(Heap.minimumThreshold, count), ordering: .relaxed)
        return found
    }
}

/// A collectable object's place in its session's heap.
struct HeapLink {
    /// Retained by `adopt` and released by `leave`, so that the heap outlives the objects registered with it
    /// (unmanaged: copying a link costs nothing).
    var heap: Unmanaged<Heap>? = nil
    var slot = 0
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
