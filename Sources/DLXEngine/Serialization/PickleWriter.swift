/// What to pickle, in the terms of CPython's pickler: values, containers, globals, and the
/// `__reduce__`/`__newobj__` forms objects take. `shared` marks an object with identity (a dict, a list,
/// a storage key): written once, then fetched from the memo, as the pickler does for an object met again.
public indirect enum PickleOut {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case tuple([PickleOut])
    case list([PickleOut])
    case dict([(PickleOut, PickleOut)])
    case global(String, String)
    /// `callable(*args)` (REDUCE), then dict items (an OrderedDict's) and a BUILD of `state`.
    case reduce(PickleOut, [PickleOut], items: [(PickleOut, PickleOut)] = [], state: PickleOut? = nil)
    /// `cls.__new__(cls, *args)` (NEWOBJ), then a BUILD of `state`.
    case newObject(PickleOut, [PickleOut], state: PickleOut?)
    /// A persistent id (BINPERSID): torch.save's storages.
    case persistent(PickleOut)
    case shared(ObjectIdentifier, PickleOut)
}

/// Writes pickles in protocol 2 byte for byte as CPython's C pickler does for the same objects: the same
/// opcodes, a memo entry (BINPUT) for every string, tuple, list, dict, global and reduced object, batches of
/// 1000 items, globals and interned-looking strings fetched again (BINGET) where Python would find the same
/// object. Depth is the caller's to bound (the tree is built by a bounded walk).
public struct PickleWriter {
    private(set) public var bytes: [UInt8] = [0x80, 2]
    private var memoCount = 0
    private var strings: [String: Int] = [:]
    private var globals: [String: Int] = [:]
    private var shared: [ObjectIdentifier: Int] = [:]
    static let batch = 1000

    public init() {}

    /// The pickle of `value`, ending with STOP.
    public static func pickle(_ value: PickleOut) -> [UInt8] {
        var w = PickleWriter()
        w.save(value)
        w.bytes.append(0x2e)
        return w.bytes
    }

    private mutating func put() -> Int {
        let k = memoCount
        memoCount += 1
        if k < 256 { bytes += [0x71, UInt8(k)] } else { bytes.append(0x72); bytes.put32(k) }
        return k
    }
    private mutating func get(_ k: Int) {
        if k < 256 { bytes += [0x68, UInt8(k)] } else { bytes.append(0x6a); bytes.put32(k) }
    }

    /// Python interns identifier-like string constants, so such a string met again is the same object.
    static func interned(_ s: String) -> Bool {
        guard let first = s.utf8.first else { return true }
        return (first == 0x5f || (first | 0x20) >= 0x61 && (first | 0x20) <= 0x7a)
            && s.utf8.allSatisfy { $0 == 0x5f || ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7a || $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Writes `v`; the memo index of the object written, where it has one.
    @discardableResult
    mutating func save(_ v: PickleOut) -> Int? {
        switch v {
        case .none: bytes.append(0x4e); return nil
        case .bool(let b): bytes.append(b ? 0x88 : 0x89); return nil
        case .int(let i): saveInt(i); return nil
        case .float(let f):
            bytes.append(0x47)
            let bits = f.bitPattern
            for k in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(k))) }
            return nil
        case .string(let s):
            let interned = PickleWriter.interned(s)
            if interned, let k = strings[s] { get(k); return k }
            let utf8 = Array(s.utf8)
            bytes.append(0x58); bytes.put32(utf8.count); bytes += utf8
            let k = put()
            if interned { strings[s] = k }
            return k
        case .tuple(let items):
            if items.isEmpty { bytes.append(0x29); return nil }
            if items.count <= 3 {
                for i in items { save(i) }
                bytes.append(0x84 + UInt8(items.count))
            } else {
                bytes.append(0x28)
                for i in items { save(i) }
                bytes.append(0x74)
            }
            return put()
        case .list(let items):
            bytes.append(0x5d)
            let me = put()
            if items.count == 1 { save(items[0]); bytes.append(0x61); return me }
            var k = 0
            while k < items.count {
                bytes.append(0x28)
                for i in items[k..<Swift.min(k + PickleWriter.batch, items.count)] { save(i) }
                bytes.append(0x65)
                k += PickleWriter.batch
            }
            return me
        case .dict(let pairs):
            bytes.append(0x7d)
            let me = put()
            saveExactDictItems(pairs)
            return me
        case .global(let module, let name):
            let key = module + "\n" + name
            if let k = globals[key] { get(k); return k }
            bytes.append(0x63); bytes += Array((key + "\n").utf8)
            let k = put()
            globals[key] = k
            return k
        case .reduce(let callable, let args, let items, let state):
            save(callable)
            save(.tuple(args))
            bytes.append(0x52)
            let me = put()
            saveIteratedDictItems(items)
            if let state { save(state); bytes.append(0x62) }
            return me
        case .newObject(let cls, let args, let state):
            save(cls)
            save(.tuple(args))
            bytes.append(0x81)
            let me = put()
            if let state { save(state); bytes.append(0x62) }
            return me
        case .persistent(let pid):
            save(pid)
            bytes.append(0x51)
            return nil
        case .shared(let id, let inner):
            if let k = shared[id] { get(k); return k }
            let k = save(inner)
            if let k { shared[id] = k }
            return k
        }
    }

    mutating func saveInt(_ i: Int) {
        if i >= 0 && i <= 0xff { bytes += [0x4b, UInt8(i)] }
        else if i >= 0 && i <= 0xffff { bytes.append(0x4d); bytes.put16(i) }
        else if i >= Int(Int32.min) && i <= Int(Int32.max) { bytes.append(0x4a); bytes.put32(Int(UInt32(bitPattern: Int32(i)))) }
        else {
            // LONG1: little-endian two's complement, as short as the sign allows.
            var digits: [UInt8] = []
            var v = i
            repeat { digits.append(UInt8(truncatingIfNeeded: v)); v >>= 8 } while !(v == 0 && digits.last! & 0x80 == 0 || v == -1 && digits.last! & 0x80 != 0)
            bytes += [0x8a, UInt8(digits.count)] + digits
        }
    }

    /// A dict's items as the C pickler writes an exact dict: one SETITEM for one item, else batches of
    /// MARK ... SETITEMS (and, as it does, an empty batch after a full last one).
    private mutating func saveExactDictItems(_ pairs: [(PickleOut, PickleOut)]) {
        if pairs.isEmpty { return }
        if pairs.count == 1 { save(pairs[0].0); save(pairs[0].1); bytes.append(0x73); return }
        var k = 0
        repeat {
            let end = Swift.min(k + PickleWriter.batch, pairs.count)
            bytes.append(0x28)
            for (a, b) in pairs[k..<end] { save(a); save(b) }
            bytes.append(0x75)
            let full = end - k == PickleWriter.batch
            k = end
            if !full { break }
        } while true
    }

    /// Items from an iterator (an OrderedDict's reduce): batches of MARK ... SETITEMS, a lone item as SETITEM.
    private mutating func saveIteratedDictItems(_ pairs: [(PickleOut, PickleOut)]) {
        var k = 0
        while k < pairs.count {
            let end = Swift.min(k + PickleWriter.batch, pairs.count)
            if end - k == 1 {
                save(pairs[k].0); save(pairs[k].1); bytes.append(0x73)
            } else {
                bytes.append(0x28)
                for (a, b) in pairs[k..<end] { save(a); save(b) }
                bytes.append(0x75)
            }
            k = end
        }
    }
}
