#if canImport(Glibc)
import Glibc
#endif
import DLXEngine

/// `torch.save(obj, f)` and `torch.load(f, map_location=None, weights_only=True)` in PyTorch's zip format
/// (Serialization/TorchArchive in the engine): values become pickle trees and back. Tensors, parameters,
/// dicts (OrderedDict with its `_metadata`), lists, tuples, numbers, strings, None, sets, torch.Size,
/// devices, dtypes, and whole modules (TorchModelPickle.swift). Files go through the sandbox's checks and
/// are written atomically. Nothing in a file is ever run.
extension Interpreter {
    /// Python's recursion limit, as the pickler meets it on deep values.
    static let pickleDepthLimit = 900

    func serializationMembers() -> [String: Value] {
        [
            "save": function("save") { a, i throws(DLXError) in
                let obj = try a.required(0, "obj")
                let f = try a.required(1, "f")
                _ = try a.get(2, "pickle_module")
                if let p = try a.get(3, "pickle_protocol"), try i.toInt(p, "pickle_protocol") != 2 {
                    throw DLXError("NotImplementedError", "dlx writes pickle protocol 2, as torch.save does by default")
                }
                if let z = try a.get(4, "_use_new_zipfile_serialization"), !(try i.truthy(z)) {
                    throw DLXError("NotImplementedError", "dlx writes PyTorch's zip format only")
                }
                try i.torchSave(obj, to: try i.filePath(f))
                return Value.none
            },
            "load": function("load") { a, i throws(DLXError) in
                let f = try a.required(0, "f")
                let mapLocation = try a.get(1, "map_location") ?? Value.none
                _ = try a.get(2, "pickle_module")
                let weightsOnly = try a.get(nil, "weights_only").map { v throws(DLXError) in v.isNone ? true : try i.truthy(v) } ?? true
                _ = try a.get(nil, "mmap")
                return try i.torchLoad(try i.filePath(f), mapLocation: mapLocation, weightsOnly: weightsOnly)
            },
        ]
    }

    /// A path argument: a string (or a pathlib-like value whose str() is the path).
    func filePath(_ v: Value) throws(DLXError) -> String {
        if case .string(let s) = v { return s }
        if case .object(let o) = v, o.typeName.hasSuffix("Path") { return try str(v) }
        throw .type("expected a file path (str), got \(v.typeName): dlx saves to and loads from files by name")
    }

    func torchSave(_ obj: Value, to path: String) throws(DLXError) {
        try session.checkWrite(path)
        let writer = TorchArchiveWriter()
        var memo = PickleMemo()
        let root = try pickleOut(obj, writer, &memo, depth: 0)
        do { try writer.save(root, to: path, quota: session.diskQuota) } catch { throw fileError(error, path) }
    }

    /// An engine's file error as Python's OSError subclass for its errno.
    func fileError(_ e: TensorError, _ path: String) -> DLXError {
        guard e.kind == .io else { return DLXError(e) }
        for (code, type) in [(ENOENT, "FileNotFoundError"), (EACCES, "PermissionError"), (EISDIR, "IsADirectoryError"), (ENOTDIR, "NotADirectoryError")]
        where e.message.hasPrefix("[Errno \(code)]") { return DLXError(type, e.message) }
        return DLXError("OSError", e.message)
    }

    /// Values met more than once while pickling: containers and modules keep their identity in the file.
    struct PickleMemo {
        var modules = Set<ObjectIdentifier>()
    }

    func pickleOut(_ v: Value, _ w: TorchArchiveWriter, _ memo: inout PickleMemo, depth: Int) throws(DLXError) -> PickleOut {
        guard depth < Interpreter.pickleDepthLimit else { throw DLXError("RecursionError", "maximum recursion depth exceeded while pickling an object") }
        try Interpreter.ensureStack("maximum recursion depth exceeded while pickling an object")
        func items(_ xs: [Value]) throws(DLXError) -> [PickleOut] {
            var out: [PickleOut] = []
            for x in xs { out.append(try pickleOut(x, w, &memo, depth: depth + 1)) }
            return out
        }
        func pairs(_ d: DictBox) throws(DLXError) -> [(PickleOut, PickleOut)] {
            var out: [(PickleOut, PickleOut)] = []
            for (k, x) in zip(d.keys, d.values) { out.append((try pickleOut(k, w, &memo, depth: depth + 1), try pickleOut(x, w, &memo, depth: depth + 1))) }
            return out
        }
        switch v {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let n): return .int(n)
        case .float(let f): return .float(f)
        case .string(let s): return .string(s)
        case .tuple(let xs): return .tuple(try items(xs))
        case .list(let l): return .shared(ObjectIdentifier(l), .list(try items(l.items)))
        case .dict(let d):
            switch d.flavor {
            case .plain: return .shared(ObjectIdentifier(d), .dict(try pairs(d)))
            case .ordered:
                let state = try d.metadata.map { m throws(DLXError) in PickleOut.dict([(.string("_metadata"), try pickleOut(m, w, &memo, depth: depth + 1))]) }
                return .shared(ObjectIdentifier(d), .reduce(.global("collections", "OrderedDict"), [], items: try pairs(d), state: state))
            case .counter: return .shared(ObjectIdentifier(d), .reduce(.global("collections", "Counter"), [.dict(try pairs(d))]))
            default: throw .type("cannot pickle '\(d.flavor.typeName)' object in dlx: save a dict(...) of it")
            }
        case .tensor(let t):
            return .shared(ObjectIdentifier(t), try engine { () throws(TensorError) in t.isParameter ? try w.parameter(t) : try w.tensor(t) })
        case .size(let s): return .reduce(.global("torch", "Size"), [.tuple(s.map { .int($0) })])
        case .device(let d):
            if case .cuda(let k) = d { return .reduce(.global("torch", "device"), [.string("cuda"), .int(k)]) }
            return .reduce(.global("torch", "device"), [.string("cpu")])
        case .dtype(let d): return .global("torch", d.name)
        case .module(let m): return try modulePickle(m, w, &memo, depth: depth)
        case .object(let s as SetObject) where !s.frozen:
            return .reduce(.global("__builtin__", "set"), [.list(try items(s.items))])
        default:
            throw .type("cannot pickle '\(v.typeName)' object")
        }
    }

    // MARK: - Loading

    func torchLoad(_ path: String, mapLocation: Value, weightsOnly: Bool) throws(DLXError) -> Value {
        try session.checkRead(path)
        let source: FileSource
        do { source = try FileSource(path: path) } catch { throw fileError(error, path) }
        let place = try storagePlacement(mapLocation)
        do throws(DLXError) {
            guard try engine({ () throws(TensorError) in try ZipReader.looksLikeZip(source) }) else { throw try notAnArchive(source, weightsOnly: weightsOnly) }
            let reader = try engine { () throws(TensorError) in try ZipReader(source) }
            let loader = try engine { () throws(TensorError) in
                try TorchLoader(reader: reader, weightsOnly: weightsOnly, host: session.backend,
                                moduleClass: { [weak self] g in self?.loadableModuleClass(g) ?? false }, place: place)
            }
            let (root, arena) = try engine { () throws(TensorError) in try loader.load() }
            var memo: [ObjectIdentifier: Value] = [:]
            let v = try value(from: root, &memo, depth: 0)
            withExtendedLifetime(arena) {}
            return v
        } catch {
            guard weightsOnly, error.type == "UnpicklingError" else { throw error }
            throw DLXError("UnpicklingError", Interpreter.weightsOnlyMessage(error.message))
        }
    }

    /// PyTorch's wording around an error of its weights-only unpickler.
    static func weightsOnlyMessage(_ message: String) -> String {
        let unsafe = "In PyTorch 2.6, we changed the default value of the `weights_only` argument in `torch.load` from `False` to `True`. "
            + "Re-running `torch.load` with `weights_only` set to `False` will likely succeed, but it can result in arbitrary code execution. "
            + "Do it only if you got the file from a trusted source."
        let docs = "\n\nCheck the documentation of torch.load to learn more about types accepted by default with weights_only "
            + "https://pytorch.org/docs/stable/generated/torch.load.html."
        if message.contains("was not an allowed global by default.") {
            return "Weights only load failed. This file can still be loaded, to do so you have two options, \u{1b}[1mdo those steps only if "
                + "you trust the source of the checkpoint\u{1b}[0m. \n\t(1) \(unsafe)\n\t(2) Alternatively, to load with `weights_only=True` "
                + "please check the recommended steps in the following error message.\n\tWeightsUnpickler error: " + message + docs
        }
        var out = "Weights only load failed. \(unsafe)\n"
        if !message.contains(" is blocked.") {
            out += "Please file an issue with the following so that we can make `weights_only=True` compatible with your use case: WeightsUnpickler error: "
        }
        return out + "\n\n" + message + docs
    }

    /// What torch.load says of a file that is not a zip archive: an empty file, a pickle of PyTorch's
    /// legacy format (which dlx does not read), or bytes that are not a pickle at all.
    func notAnArchive(_ source: FileSource, weightsOnly: Bool) throws(DLXError) -> DLXError {
        guard let first = try engine({ () throws(TensorError) in try source.bytes(1, at: 0) })?.first else {
            return DLXError("EOFError", weightsOnly ? "" : "Ran out of input")
        }
        if first == 0x80 {
            return DLXError("RuntimeError", "this file is in PyTorch's legacy format (torch.save before PyTorch 1.6, or "
                            + "_use_new_zipfile_serialization=False); dlx reads the zip format: save it again with a recent PyTorch")
        }
        if weightsOnly { return DLXError("UnpicklingError", "Unsupported operand \(first)") }
        let shown = first >= 0x20 && first < 0x7f ? String(UnicodeScalar(first)) : "\\x" + String(first, radix: 16).leftPadded(2)
        return DLXError("UnpicklingError", "invalid load key, '\(shown)'.")
    }

    /// Where each storage goes: `map_location` None (where it was saved), a device or its name (all there),
    /// or a dict from saved locations to devices.
    func storagePlacement(_ m: Value) throws(DLXError) -> (String) throws(TensorError) -> (any Backend)? {
        var mapping: [String: Device] = [:]
        var all: Device? = nil
        switch m {
        case .none: break
        case .dict(let d):
            for (k, v) in zip(d.keys, d.values) {
                guard let to = try toDevice(v) else { throw .type("map_location values must be devices or device names") }
                mapping[try toStringValue(k, "map_location key")] = to
            }
        default:
            guard let d = try toDevice(m) else {
                throw DLXError("NotImplementedError", "map_location must be None, a device, a device name or a dict in dlx (not \(m.typeName))")
            }
            all = d
        }
        let session = self.session
        return { location throws(TensorError) in
            var target: Device
            if let all { target = all }
            else if let to = mapping[location] { target = to }
            else {
                guard let saved = Device.parse(location) else {
                    throw TensorError(.runtime, "don't know how to restore data location of torch.storage.UntypedStorage (tagged with \(location))")
                }
                target = saved
                if case .cuda = saved, session.cudaDeviceNames.isEmpty {
                    throw TensorError(.runtime, "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. "
                                      + "If you are running on a CPU-only machine, please use torch.load with map_location=torch.device('cpu') "
                                      + "to map your storages to the CPU.")
                }
            }
            if case .cpu = target { return nil }
            do throws(DLXError) { return try session.backend(for: target) } catch { throw TensorError(TensorError.Kind(rawValue: error.type) ?? .runtime, error.message) }
        }
    }

    /// The pickle's values as dlx values; containers and modules met twice are one value (memo by node).
    func value(from p: PickleValue, _ memo: inout [ObjectIdentifier: Value], depth: Int) throws(DLXError) -> Value {
        guard depth < Interpreter.pickleDepthLimit else {
            throw DLXError("RecursionError", "maximum recursion depth exceeded while loading a pickle (the file nests values more than \(Interpreter.pickleDepthLimit) deep)")
        }
        try Interpreter.ensureStack("maximum recursion depth exceeded while loading a pickle (the file nests values too deep)")
        switch p {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let n): return .int(n)
        case .float(let f): return .float(f)
        case .string(let s): return .string(s)
        case .bytes(let b): return .object(BytesObject(b))
        case .tensor(let t): return .tensor(t)
        case .storage: throw DLXError("TypeError", "dlx does not load bare storages: save tensors")
        case .global(let g):
            if g.module == "torch", let d = DType.named(g.name), d.name == g.name { return .dtype(d) }
            throw DLXError("TypeError", "dlx cannot load the object \(g) by itself")
        case .node(let n):
            let id = ObjectIdentifier(n)
            if let known = memo[id] { return known }
            func items() throws(DLXError) -> [Value] {
                var out: [Value] = []
                for x in n.items { out.append(try value(from: x, &memo, depth: depth + 1)) }
                return out
            }
            switch n.kind {
            case .tuple:
                let v = Value.tuple(try items())
                memo[id] = v
                return v
            case .list:
                let l = ListBox([])
                memo[id] = .list(l)
                l.items = try items()
                return .list(l)
            case .dict, .orderedDict, .counter:
                let d = DictBox()
                if n.kind == .orderedDict { d.flavor = .ordered }
                if n.kind == .counter { d.flavor = .counter }
                memo[id] = .dict(d)
                for (k, x) in zip(n.items, n.values) {
                    try d.set(try value(from: k, &memo, depth: depth + 1), try value(from: x, &memo, depth: depth + 1))
                }
                if let state = n.state {
                    guard case .dict(let s) = try value(from: state, &memo, depth: depth + 1) else {
                        throw DLXError("UnpicklingError", "an OrderedDict's state must be a dict")
                    }
                    d.metadata = try s.get(.string("_metadata"))
                }
                return .dict(d)
            case .set:
                let v = Value.object(try SetObject(try items(), self))
                memo[id] = v
                return v
            case .call(let g):
                let args = try items()
                let v: Value
                if g.name == "Size" {
                    guard args.count == 1 else { throw DLXError("UnpicklingError", "torch.Size expects one tuple") }
                    v = .size(try toShape([args[0]], "Size"))
                } else {
                    guard let first = args.first else { throw DLXError("UnpicklingError", "torch.device expects a type") }
                    var text = try toStringValue(first, "device")
                    if args.count > 1, case .int(let k) = args[1] { text += ":\(k)" }
                    guard let d = Device.parse(text) else { throw DLXError("RuntimeError", "Expected one of cpu, cuda device type at start of device string: \(text)") }
                    v = .device(d)
                }
                memo[id] = v
                return v
            case .instance:
                let m = try moduleFromPickle(n, &memo, depth: depth)
                return .module(m)
            }
        }
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: Swift.max(0, n - count)) + self }
}
