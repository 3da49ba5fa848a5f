#if canImport(Glibc)
import Glibc
#endif

/// `torch.save`'s zip format: `NAME/data.pkl` (the pickle), `NAME/data/K` (one record per storage, its
/// bytes little-endian), `.format_version`, `.storage_alignment`, `byteorder`, `version` and
/// `.data/serialization_id`. Tensors are `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad,
/// hooks)` calls over storages named by persistent ids; views of one storage share it in the file and again
/// after loading.
public enum TorchArchive {
    /// PyTorch's legacy storage class for each dtype dlx has.
    public static func storageClass(_ dtype: DType) -> String {
        switch dtype {
        case .float32: return "FloatStorage"
        case .float64: return "DoubleStorage"
        case .int64: return "LongStorage"
        case .int32: return "IntStorage"
        case .uint8: return "ByteStorage"
        case .bool: return "BoolStorage"
        }
    }

    /// The storage classes of PyTorch's other dtypes, which dlx cannot hold: a clear error names them.
    static let otherStorages: [String: String] = [
        "HalfStorage": "torch.float16", "BFloat16Storage": "torch.bfloat16", "ShortStorage": "torch.int16",
        "CharStorage": "torch.int8", "ComplexFloatStorage": "torch.complex64", "ComplexDoubleStorage": "torch.complex128",
        "QInt8Storage": "torch.qint8", "QUInt8Storage": "torch.quint8", "QInt32Storage": "torch.qint32",
    ]

    static func dtype(ofStorageClass name: String) -> DType? { DType.allCases.first { storageClass($0) == name } }

    /// The record-name prefix torch.save uses for a file: its name without folder and extension.
    public static func archiveName(forPath path: String) -> String {
        let base = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        var name = base
        if let dot = base.lastIndex(of: ".") { name = String(base[..<dot]) }
        return name.isEmpty ? "archive" : name
    }
}

/// A storage loaded for a persistent id: its bytes (on the backend chosen for its location) and dtype.
public final class PickleStorage {
    public let key: String
    public let dtype: DType
    public let storage: Storage
    public let count: Int
    /// Where it was saved: "cpu", "cuda:0".
    public let location: String
    init(key: String, dtype: DType, storage: Storage, count: Int, location: String) {
        self.key = key; self.dtype = dtype; self.storage = storage; self.count = count; self.location = location
    }
}

/// Reads what torch.save wrote. What the pickle may name is PyTorch's `weights_only` allowlist (tensors,
/// storages, OrderedDict, Size, device, dtypes, set), plus, when `weightsOnly` is off, the module classes
/// `moduleClass` accepts (built-in layers, the session's own nn.Module classes), which only become
/// `.instance` nodes for the caller to build: nothing named in a file is ever called.
public final class TorchLoader: PickleEnvironment {
    let reader: ZipReader
    let prefix: String
    let weightsOnly: Bool
    let moduleClass: (PickleGlobal) -> Bool
    let host: any Backend
    /// The backend for a storage saved at a location (map_location); the host when nil.
    let place: (String) throws(TensorError) -> (any Backend)?
    var storages: [String: PickleStorage] = [:]

    public init(reader: ZipReader, weightsOnly: Bool, host: any Backend,
                moduleClass: @escaping (PickleGlobal) -> Bool = { _ in false },
                place: @escaping (String) throws(TensorError) -> (any Backend)? = { _ throws(TensorError) in nil }) throws(TensorError) {
        self.reader = reader; self.weightsOnly = weightsOnly; self.host = host; self.moduleClass = moduleClass; self.place = place
        // As PyTorch's stream reader: the archive's name is the folder of its first record.
        guard let first = reader.entries.first?.name else { throw ZipReader.corrupt("reading zip archive: the archive is empty") }
        guard let slash = first.firstIndex(of: "/") else {
            throw ZipReader.corrupt("reading zip archive: file in archive is not in a subdirectory: \(first)")
        }
        prefix = String(first[..<slash])
    }

    /// Reads the whole file: the pickle's value, and the arena that holds its nodes.
    public func load() throws(TensorError) -> (PickleValue, PickleArena) {
        if let order = reader.entry(prefix + "/byteorder") {
            let text = String(decoding: try reader.bytes(order.name), as: UTF8.self)
            guard text == "little" else {
                throw TensorError(.notImplemented, "this file was saved on a \(text)-endian machine; dlx reads little-endian files only")
            }
        }
        let pickle = try reader.bytes(prefix + "/data.pkl")
        return try Pickle.load(pickle, self)
    }

    static let blocked: Set<String> = ["sys", "os", "posix", "nt"]

    static let allowed: Set<String> = {
        var s: Set<String> = ["collections.OrderedDict", "collections.Counter", "torch.nn.parameter.Parameter", "torch.Size", "torch.device",
                              "builtins.set", "_codecs.encode", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
                              "torch._utils._rebuild_parameter_with_state"]
        for d in DType.allCases { s.insert("torch." + d.name); s.insert("torch." + TorchArchive.storageClass(d)) }
        for name in TorchArchive.otherStorages.keys { s.insert("torch." + name) }
        for name in ["float16", "bfloat16", "int16", "int8", "complex64", "complex128"] { s.insert("torch." + name) }
        return s
    }()

    public func global(_ g: PickleGlobal) throws(TensorError) -> PickleValue {
        // Protocol 2 writes Python 2's module names.
        let module = g.module == "__builtin__" ? "builtins" : g.module == "copy_reg" ? "copyreg" : g.module
        let name = PickleGlobal(module, g.name)
        if TorchLoader.blocked.contains(module) && weightsOnly {
            throw Pickle.error("Trying to load unsupported GLOBAL \(name) whose module \(module) is blocked.")
        }
        if TorchLoader.allowed.contains(name.description) { return .global(name) }
        if !weightsOnly && moduleClass(name) { return .global(name) }
        let shown = module == "builtins" ? g.name : name.description
        if weightsOnly {
            throw Pickle.error("Unsupported global: GLOBAL \(shown) was not an allowed global by default. Please use "
                               + "`torch.serialization.add_safe_globals([\(shown)])` or the `torch.serialization.safe_globals([\(shown)])` "
                               + "context manager to allowlist this global if you trust this class/function.")
        }
        throw Pickle.error("Unsupported global: GLOBAL \(shown): dlx never runs code from a file; it loads tensors, containers, "
                           + "built-in torch.nn modules and nn.Module classes defined in this session")
    }

    public func persistentLoad(_ pid: PickleValue) throws(TensorError) -> PickleValue {
        guard case .node(let t) = pid, t.kind == .tuple, let first = t.items.first else {
            throw Pickle.error("persistent_load id must be tuple or int, but got \(pid.typeName)")
        }
        guard case .string("storage") = first else { throw Pickle.error("Only persistent_load of storage is allowed, but got \(first.typeName)") }
        guard t.items.count == 5, case .global(let cls) = t.items[1], case .string(let key) = t.items[2],
              case .string(let location) = t.items[3], case .int(let count) = t.items[4] else {
            throw Pickle.error("a storage's persistent id must be ('storage', class, key, location, size)")
        }
        if let known = storages[key] {
            guard known.dtype == TorchArchive.dtype(ofStorageClass: cls.name) else {
                throw TensorError(.runtime, "the file uses storage \(key) with two dtypes")
            }
            return .storage(known)
        }
        guard cls.module == "torch", let dtype = TorchArchive.dtype(ofStorageClass: cls.name) else {
            if let other = TorchArchive.otherStorages[cls.name] {
                throw TensorError(.type, "this file holds \(other) tensors, a dtype dlx does not have (it has \(DType.allCases.map { $0.repr }.joined(separator: ", ")))")
            }
            throw Pickle.error("\(cls) is not a storage class")
        }
        let name = prefix + "/data/" + key
        guard let entry = reader.entry(name) else { throw ZipReader.corrupt("locating file data/\(key): file not found") }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
        guard count >= 0, !overflow, bytes == entry.size else {
            let n = overflow || count < 0 ? "\(count) * \(dtype.itemSize)" : "\(bytes)"
            throw TensorError(.runtime, "record size (\(entry.size) bytes) does not match expected size (\(n) bytes = \(n) elements * 1 bytes/element) for dtype Byte")
        }
        // The record's size is within the file's, so this allocation is bounded by what the file holds.
        var storage = try Storage(backend: host, byteCount: bytes)
        try reader.read(entry, into: storage.pointer)
        if let target = try place(location), target !== host {
            let flat = Tensor(storage: storage, shape: [count], strides: [1], offset: 0, dtype: dtype)
            storage = try flat.transferred(to: target).storage
        }
        let s = PickleStorage(key: key, dtype: dtype, storage: storage, count: count, location: location)
        storages[key] = s
        return .storage(s)
    }

    /// A tuple of non-negative ints (sizes, strides), or nil.
    static func ints(_ v: PickleValue) -> [Int]? {
        guard case .node(let n) = v, n.kind == .tuple || n.kind == .list else { return nil }
        var out: [Int] = []
        for item in n.items {
            guard case .int(let i) = item else { return nil }
            out.append(i)
        }
        return out
    }

    /// `_rebuild_tensor_v2(storage, offset, size, stride, ...)`, checked as PyTorch's `set_` checks it: no
    /// negative sizes or strides, no element count that overflows, and every element inside the storage.
    static func rebuildTensor(_ args: [PickleValue]) throws(TensorError) -> Tensor {
        guard args.count >= 4, case .storage(let s) = args[0], case .int(let offset) = args[1],
              let size = ints(args[2]), let stride = ints(args[3]) else {
            throw Pickle.error("_rebuild_tensor_v2 expects (storage, storage_offset, size, stride, requires_grad, backward_hooks)")
        }
        guard size.count == stride.count else {
            throw TensorError(.runtime, "mismatch in length of strides and shape")
        }
        if let neg = size.first(where: { $0 < 0 }) {
            throw TensorError(.runtime, "Trying to create tensor with negative dimension \(neg): \(size)")
        }
        if stride.contains(where: { $0 < 0 }) {
            throw TensorError(.runtime, "as_strided: Negative strides are not supported at the moment, got strides: \(stride)")
        }
        guard offset >= 0 else { throw TensorError(.runtime, "Tensor: invalid storage offset \(offset)") }
        var count = 1
        for n in size {
            let (p, o) = count.multipliedReportingOverflow(by: n)
            if o { throw TensorError(.runtime, "Storage size calculation overflowed with sizes=\(size)") }
            count = p
        }
        if count > 0 {
            // The last element's index, in checked arithmetic: offset + sum((size - 1) * stride).
            var last = offset, fits = true
            for (n, st) in zip(size, stride) {
                let (p, o1) = (n - 1).multipliedReportingOverflow(by: st)
                let (q, o2) = last.addingReportingOverflow(p)
                if o1 || o2 { fits = false; break }
                last = q
            }
            if !fits || last >= s.count {
                let needed = fits ? "\((last + 1) * s.dtype.itemSize)" : "more than \(Int.max)"
                throw TensorError(.runtime, "setStorage: sizes \(size), strides \(stride), storage offset \(offset), and itemsize \(s.dtype.itemSize) "
                                  + "requiring a storage size of \(needed) are out of bounds for storage of size \(s.count * s.dtype.itemSize)")
            }
        }
        try Tensor.checkedViewShape(size)
        let t = Tensor(storage: s.storage, shape: size, strides: stride, offset: offset, dtype: s.dtype)
        if args.count > 4, case .bool(let g) = args[4] { t.requiresGrad = g && s.dtype.isFloatingPoint }
        return t
    }

    static func parameter(_ data: PickleValue, _ requiresGrad: PickleValue?) throws(TensorError) -> PickleValue {
        guard case .tensor(let t) = data else { throw Pickle.error("Parameter expects a tensor, got \(data.typeName)") }
        let p = Tensor(storage: t.storage, shape: t.shape, strides: t.strides, offset: t.offset, dtype: t.dtype)
        p.isParameter = true
        if case .bool(let g)? = requiresGrad { p.requiresGrad = g } else { p.requiresGrad = true }
        return .tensor(p)
    }

    public func reduce(_ callable: PickleValue, _ args: PickleNode, _ arena: PickleArena) throws(TensorError) -> PickleValue {
        guard case .global(let g) = callable else {
            throw Pickle.error("Trying to call reduce for unrecognized function \(callable.typeName)")
        }
        let a = args.items
        switch g.description {
        case "collections.OrderedDict":
            guard a.isEmpty else { throw Pickle.error("OrderedDict expects no arguments in a pickle") }
            return .node(arena.make(.orderedDict))
        case "collections.Counter":
            let counter = arena.make(.counter)
            if let d = a.first {
                guard a.count == 1, case .node(let n) = d, n.kind == .dict else { throw Pickle.error("Counter expects a dict in a pickle") }
                counter.items = n.items; counter.values = n.values
            }
            return .node(counter)
        case "torch._utils._rebuild_tensor_v2":
            return .tensor(try TorchLoader.rebuildTensor(a))
        case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
            guard a.count >= 2 else { throw Pickle.error("_rebuild_parameter expects (data, requires_grad, backward_hooks)") }
            return try TorchLoader.parameter(a[0], a[1])
        case "torch.Size", "torch.device":
            return .node(arena.make(.call(g), a))
        case "builtins.set":
            guard a.count <= 1 else { throw Pickle.error("set expects one argument") }
            guard let items = a.first else { return .node(arena.make(.set)) }
            guard case .node(let l) = items, l.kind == .list || l.kind == .tuple else { throw Pickle.error("set expects a list") }
            return .node(arena.make(.set, l.items))
        case "_codecs.encode":
            guard a.count == 2, case .string(let s) = a[0] else { throw Pickle.error("_codecs.encode expects (str, encoding)") }
            var out: [UInt8] = []
            for u in s.unicodeScalars {
                guard u.value < 256 else { throw Pickle.error("bytes in a pickle must be latin-1") }
                out.append(UInt8(u.value))
            }
            return .bytes(out)
        default:
            throw Pickle.error("Trying to call reduce for unrecognized function \(g)")
        }
    }

    public func newObject(_ cls: PickleValue, _ args: PickleNode, _ arena: PickleArena) throws(TensorError) -> PickleValue {
        guard case .global(let g) = cls else {
            throw Pickle.error("Can only create new object for nn.Parameter or classes allowlisted via `add_safe_globals` but got \(cls.typeName)")
        }
        if g.description == "torch.nn.parameter.Parameter" {
            guard let data = args.items.first else { return try TorchLoader.parameter(.none, nil) }
            return try TorchLoader.parameter(data, args.items.count > 1 ? args.items[1] : nil)
        }
        guard !weightsOnly, moduleClass(g) else {
            throw Pickle.error("Can only create new object for nn.Parameter or classes allowlisted via `add_safe_globals` but got <class '\(g)'>")
        }
        return .node(arena.make(.instance(g), args.items))
    }
}

/// Writes torch.save's archive. `tensor` turns a tensor into its pickle form and collects its storage (each
/// storage once, keys in the order met, as torch.save does); `write` lays out the archive. The storages'
/// memory is written as it is (device storages copied to the host once), with no copy of the weights.
public final class TorchArchiveWriter {
    struct Saved { let key: String; let storage: Storage; let dtype: DType; let host: Storage }
    private var saved: [Saved] = []
    private var byStorage: [ObjectIdentifier: Int] = [:]

    public init() {}

    /// `_rebuild_tensor_v2(...)` for `t`, with its storage's persistent id.
    public func tensor(_ t: Tensor, requiresGrad: Bool? = nil) throws(TensorError) -> PickleOut {
        let id = ObjectIdentifier(t.storage)
        let k: Int
        if let known = byStorage[id] {
            k = known
            guard saved[k].dtype == t.dtype else {
                throw TensorError(.runtime, "Cannot save multiple tensors or storages that view the same data as different types")
            }
        } else {
            k = saved.count
            var host = t.storage
            if t.accelerator != nil {
                let flat = Tensor(storage: t.storage, shape: [t.storage.byteCount / t.dtype.itemSize], strides: [1], offset: 0, dtype: t.dtype)
                host = try flat.onHost().storage
            }
            saved.append(Saved(key: String(k), storage: t.storage, dtype: t.dtype, host: host))
            byStorage[id] = k
        }
        let s = saved[k]
        let pid = PickleOut.tuple([.string("storage"), .global("torch", TorchArchive.storageClass(t.dtype)),
                                   .shared(id, .string(s.key)), .string(t.device.description),
                                   .int(t.storage.byteCount / t.dtype.itemSize)])
        return .reduce(.global("torch._utils", "_rebuild_tensor_v2"),
                       [.persistent(pid), .int(t.offset), .tuple(t.shape.map { .int($0) }), .tuple(t.strides.map { .int($0) }),
                        .bool(requiresGrad ?? t.requiresGrad), .reduce(.global("collections", "OrderedDict"), [])])
    }

    /// `_rebuild_parameter(data, requires_grad, OrderedDict())`, as a pickled `nn.Parameter`.
    public func parameter(_ t: Tensor) throws(TensorError) -> PickleOut {
        .reduce(.global("torch._utils", "_rebuild_parameter"),
                [try tensor(t, requiresGrad: false), .bool(t.requiresGrad), .reduce(.global("collections", "OrderedDict"), [])])
    }

    /// The whole archive for `root`, named `name` inside (torch.save uses the file's name).
    public func archive(_ root: PickleOut, name: String, serialization: String? = nil) throws(TensorError) -> ZipWriter {
        let pickle = PickleWriter.pickle(root)
        var zip = ZipWriter()
        func text(_ record: String, _ s: String) throws(TensorError) { try zip.add(name + "/" + record, bytes: Array(s.utf8)) }
        try zip.add(name + "/data.pkl", bytes: pickle)
        try text(".format_version", "1")
        try text(".storage_alignment", String(ZipWriter.alignment))
        try text("byteorder", "little")
        // The zip points at the storages' memory, which lives as long as this writer.
        for s in saved {
            try zip.add(name + "/data/" + s.key, UnsafeRawBufferPointer(start: s.host.pointer, count: s.host.byteCount))
        }
        try text("version", "3\n")
        try text(".data/serialization_id", serialization ?? TorchArchiveWriter.serializationID())
        zip.finish()
        return zip
    }

    /// Writes `root` to `path` atomically as torch.save does.
    public func save(_ root: PickleOut, to path: String, quota: DiskQuota? = nil) throws(TensorError) {
        let zip = try archive(root, name: TorchArchive.archiveName(forPath: path))
        do { try withExtendedLifetime(self) { () throws(AtomicFile.Failure) in try zip.write(to: path, quota: quota) } }
        catch { throw TensorError(.io, error.description) }
    }

    /// 40 random digits, as PyTorch's writer makes them.
    static func serializationID() -> String {
        var g = SystemRandomNumberGenerator()
        func part() -> String {
            let s = String(g.next() as UInt64)
            return String(repeating: "0", count: 20 - s.count) + s
        }
        return part() + part()
    }
}
