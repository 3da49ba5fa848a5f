/// Python's pickles, read without Python: a small virtual machine that runs the opcodes PyTorch's
/// `weights_only` unpickler runs (protocol 2 and the few others it knows) into a neutral tree of values.
/// It never calls anything: a global is only a name, and what a REDUCE, NEWOBJ or persistent id makes is
/// decided by the caller's `PickleEnvironment`, which refuses what it does not know.
///
/// Safety: the machine keeps its own stacks (no recursion); every length is checked against the bytes left
/// before anything is allocated; containers live in an arena whose links are cut when it goes, so that a
/// structure nested 100,000 deep or one that holds itself is freed without recursion. Walks over the tree
/// (see `PickleNode`) bound their depth.

/// `module.name`, as a GLOBAL opcode names it.
public struct PickleGlobal: Hashable, Sendable, CustomStringConvertible {
    public let module: String
    public let name: String
    public init(_ module: String, _ name: String) { self.module = module; self.name = name }
    public var description: String { module + "." + name }
}

/// One value of a pickle.
public enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case global(PickleGlobal)
    case node(PickleNode)
    /// A tensor the environment rebuilt (a parameter when its `isParameter` is set).
    case tensor(Tensor)
    /// A storage loaded for a persistent id.
    case storage(PickleStorage)

    /// Python's type name, for error messages.
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .global(let g): return g.description
        case .node(let n): return n.typeName
        case .tensor: return "torch.Tensor"
        case .storage: return "torch.storage.TypedStorage"
        }
    }

    public var node: PickleNode? { if case .node(let n) = self { return n }; return nil }
}

/// A container or object of a pickle. Mutable while the machine runs (APPEND, SETITEM, BUILD act on it),
/// then read by the caller.
public final class PickleNode {
    public enum Kind: Equatable {
        case tuple, list, dict, set
        /// `collections.Counter(dict)`: a dict of counts (MultiStepLR's milestones).
        case counter
        /// `collections.OrderedDict()`, with `state` its `__dict__` (a state dict's `_metadata`).
        case orderedDict
        /// `cls.__new__(cls, *items)` then BUILD: a pickled object (a module), with `state` its `__dict__`.
        case instance(PickleGlobal)
        /// `callable(*items)` for the environment's allowed callables it keeps as such (torch.Size, torch.device).
        case call(PickleGlobal)
    }
    public let kind: Kind
    /// Items of a tuple, list or set, the arguments of an instance or call; a dict's keys.
    public internal(set) var items: [PickleValue]
    /// A dict's values, parallel to `items`.
    public internal(set) var values: [PickleValue] = []
    public internal(set) var state: PickleValue? = nil

    init(_ kind: Kind, _ items: [PickleValue] = []) { self.kind = kind; self.items = items }

    public var typeName: String {
        switch kind {
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .set: return "set"
        case .orderedDict: return "collections.OrderedDict"
        case .counter: return "collections.Counter"
        case .instance(let g), .call(let g): return g.description
        }
    }
    var isDict: Bool { kind == .dict || kind == .orderedDict || kind == .counter }
}

/// Nodes made by one run of the machine. When it goes, every link between nodes is cut first, so that
/// freeing deep or cyclic structures needs no recursion.
public final class PickleArena {
    var nodes: [PickleNode] = []
    func make(_ kind: PickleNode.Kind, _ items: [PickleValue] = []) -> PickleNode {
        let n = PickleNode(kind, items)
        nodes.append(n)
        return n
    }
    deinit {
        for n in nodes { n.items = []; n.values = []; n.state = nil }
    }
}

/// What globals, persistent ids, REDUCE and NEWOBJ mean: the caller's rules.
public protocol PickleEnvironment: AnyObject {
    /// The value a GLOBAL pushes, or the error that refuses it.
    func global(_ g: PickleGlobal) throws(TensorError) -> PickleValue
    func persistentLoad(_ pid: PickleValue) throws(TensorError) -> PickleValue
    /// `callable(*args)`.
    func reduce(_ callable: PickleValue, _ args: PickleNode, _ arena: PickleArena) throws(TensorError) -> PickleValue
    /// `cls.__new__(cls, *args)`.
    func newObject(_ cls: PickleValue, _ args: PickleNode, _ arena: PickleArena) throws(TensorError) -> PickleValue
}

public enum Pickle {
    static func error(_ message: String) -> TensorError { TensorError(.unpickling, message) }

    /// Runs `bytes` to its STOP; the result and the arena that holds its nodes (keep it while using them).
    public static func load(_ bytes: [UInt8], _ env: PickleEnvironment) throws(TensorError) -> (PickleValue, PickleArena) {
        let arena = PickleArena()
        var machine = Machine(bytes: bytes, env: env, arena: arena)
        return (try machine.run(), arena)
    }

    struct Machine {
        let bytes: [UInt8]
        let env: PickleEnvironment
        let arena: PickleArena
        var at = 0
        var stack: [PickleValue] = []
        /// Where each open MARK began in `stack`.
        var marks: [Int] = []
        var memo: [Int: PickleValue] = [:]

        init(bytes: [UInt8], env: PickleEnvironment, arena: PickleArena) { self.bytes = bytes; self.env = env; self.arena = arena }

        mutating func take(_ n: Int) throws(TensorError) -> ArraySlice<UInt8> {
            guard n >= 0, n <= bytes.count - at else { throw TensorError(.eof, "Ran out of input") }
            defer { at += n }
            return bytes[at..<(at + n)]
        }
        mutating func byte() throws(TensorError) -> Int { Int(try take(1).first!) }
        mutating func u16() throws(TensorError) -> Int { let b = try take(2); return Int(b[b.startIndex]) | Int(b[b.startIndex + 1]) << 8 }
        mutating func u32() throws(TensorError) -> Int { let lo = try u16(); return lo | (try u16()) << 16 }
        mutating func line() throws(TensorError) -> String {
            guard let end = bytes[at...].firstIndex(of: 0x0a) else { throw TensorError(.eof, "Ran out of input") }
            defer { at = end + 1 }
            return String(decoding: bytes[at..<end], as: UTF8.self)
        }
        mutating func pop() throws(TensorError) -> PickleValue {
            guard let v = stack.popLast(), stack.count >= (marks.last ?? 0) else { throw Pickle.error("unpickling stack underflow") }
            return v
        }
        func top() throws(TensorError) -> PickleValue {
            guard let v = stack.last, stack.count > (marks.last ?? 0) else { throw Pickle.error("unpickling stack underflow") }
            return v
        }
        mutating func popMark() throws(TensorError) -> [PickleValue] {
            guard let m = marks.popLast() else { throw Pickle.error("could not find MARK") }
            defer { stack.removeSubrange(m...) }
            return Array(stack[m...])
        }
        mutating func tuple(_ items: [PickleValue]) -> PickleValue { .node(arena.make(.tuple, items)) }

        mutating func run() throws(TensorError) -> PickleValue {
            while true {
                guard at < bytes.count else { throw TensorError(.eof, "Ran out of input") }
                let op = bytes[at]
                at += 1
                switch op {
                case 0x80: _ = try byte()                                  // PROTO
                case 0x2e:                                                 // STOP
                    let v = try pop()
                    return v
                case 0x63:                                                 // GLOBAL
                    let module = try line(), name = try line()
                    stack.append(try env.global(PickleGlobal(module, name)))
                case 0x81:                                                 // NEWOBJ
                    let args = try pop(), cls = try pop()
                    guard case .node(let a) = args, a.kind == .tuple else { throw Pickle.error("NEWOBJ expected an argument tuple") }
                    stack.append(try env.newObject(cls, a, arena))
                case 0x52:                                                 // REDUCE
                    let args = try pop(), callable = try pop()
                    guard case .node(let a) = args, a.kind == .tuple else { throw Pickle.error("REDUCE expected an argument tuple") }
                    stack.append(try env.reduce(callable, a, arena))
                case 0x62:                                                 // BUILD
                    let state = try pop()
                    let target = try top()
                    guard case .node(let n) = target, n.kind == .orderedDict || { if case .instance = n.kind { return true }; return false }() else {
                        throw Pickle.error("Can only build Tensor, Parameter, OrderedDict or types allowlisted via `add_safe_globals`, but got \(target.typeName)")
                    }
                    n.state = state
                case 0x61:                                                 // APPEND
                    let item = try pop()
                    guard case .node(let l) = try top(), l.kind == .list else { throw Pickle.error("Can only append to lists, but got \(try top().typeName)") }
                    l.items.append(item)
                case 0x65:                                                 // APPENDS
                    let items = try popMark()
                    guard case .node(let l) = try top(), l.kind == .list else { throw Pickle.error("Can only extend lists, but got \(try top().typeName)") }
                    l.items += items
                case 0x73, 0x75:                                           // SETITEM, SETITEMS
                    var items: [PickleValue]
                    if op == 0x73 { let v = try pop(); items = [try pop(), v] } else { items = try popMark() }
                    guard items.count % 2 == 0 else { throw Pickle.error("odd number of items for SETITEMS") }
                    guard case .node(let d) = try top(), d.isDict else {
                        throw Pickle.error("Can only \(op == 0x73 ? "SETITEM" : "SETITEMS") for dict, collections.OrderedDict, collections.Counter, but got \(try top().typeName)")
                    }
                    var k = 0
                    while k < items.count { d.items.append(items[k]); d.values.append(items[k + 1]); k += 2 }
                case 0x28: marks.append(stack.count)                       // MARK
                case 0x74: stack.append(tuple(try popMark()))              // TUPLE
                case 0x85, 0x86, 0x87:                                     // TUPLE1, TUPLE2, TUPLE3
                    let n = Int(op) - 0x84
                    var items: [PickleValue] = []
                    for _ in 0..<n { items.insert(try pop(), at: 0) }
                    stack.append(tuple(items))
                case 0x4e: stack.append(.none)                             // NONE
                case 0x89: stack.append(.bool(false))                      // NEWFALSE
                case 0x88: stack.append(.bool(true))                       // NEWTRUE
                case 0x29: stack.append(tuple([]))                         // EMPTY_TUPLE
                case 0x5d: stack.append(.node(arena.make(.list)))          // EMPTY_LIST
                case 0x7d: stack.append(.node(arena.make(.dict)))          // EMPTY_DICT
                case 0x8f: stack.append(.node(arena.make(.set)))           // EMPTY_SET
                case 0x4a: stack.append(.int(Int(Int32(truncatingIfNeeded: try u32()))))   // BININT
                case 0x4b: stack.append(.int(try byte()))                  // BININT1
                case 0x4d: stack.append(.int(try u16()))                   // BININT2
                case 0x47:                                                 // BINFLOAT
                    var bits: UInt64 = 0
                    for b in try take(8) { bits = bits << 8 | UInt64(b) }
                    stack.append(.float(Double(bitPattern: bits)))
                case 0x58:                                                 // BINUNICODE
                    let n = try u32()
                    guard n <= bytes.count - at else { throw Pickle.error("String is too long") }
                    stack.append(.string(String(decoding: try take(n), as: UTF8.self)))
                case 0x55:                                                 // SHORT_BINSTRING
                    let n = try byte()
                    stack.append(.string(String(decoding: try take(n), as: UTF8.self)))
                case 0x51:                                                 // BINPERSID
                    let pid = try pop()
                    stack.append(try env.persistentLoad(pid))
                case 0x68, 0x6a:                                           // BINGET, LONG_BINGET
                    let k = op == 0x68 ? try byte() : try u32()
                    guard let v = memo[k] else { throw Pickle.error("Memo value not found at index \(k)") }
                    stack.append(v)
                case 0x71, 0x72:                                           // BINPUT, LONG_BINPUT
                    let k = op == 0x71 ? try byte() : try u32()
                    memo[k] = try top()
                case 0x8a:                                                 // LONG1
                    let n = try byte()
                    let digits = try take(n)
                    guard n <= 8 else { throw Pickle.error("an integer of \(n) bytes is too large for dlx") }
                    var v: UInt64 = 0
                    for (k, b) in digits.enumerated() { v |= UInt64(b) << (8 * UInt64(k)) }
                    if n > 0 && n < 8 && digits.last! & 0x80 != 0 { v |= ~0 << (8 * UInt64(n)) }   // sign-extend
                    stack.append(.int(Int(Int64(bitPattern: v))))
                default:
                    throw Pickle.error("Unsupported operand \(op)")
                }
            }
        }
    }
}
