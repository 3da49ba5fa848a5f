import DLXEngine

/// `safetensors` and `safetensors.torch`: `save_file`/`load_file`, `save`/`load` of bytes, and `safe_open`
/// for single tensors and the metadata, in the files the `safetensors` library (0.8) reads and writes.
extension Interpreter {
    func safetensorsMembers() -> [String: Value] {
        ["safe_open": safeOpenFunction(), "SafetensorError": .object(exceptionClass("SafetensorError")),
         "__version__": .string("0.8.0"), "torch": .object(namespace("safetensors.torch")!)]
    }

    func safetensorsTorchMembers() -> [String: Value] {
        var m: [String: Value] = ["safe_open": safeOpenFunction()]
        m["save_file"] = function("save_file") { a, i throws(DLXError) in
            let tensors = try i.safetensorsDict(try a.required(0, "tensors"))
            let path = try i.pathArgument(try a.required(1, "filename"), "save_file")
            let metadata = try i.safetensorsMetadata(try a.get(2, "metadata"))
            try i.session.checkWrite(path)
            try i.safetensors { () throws(SafeTensors.Failure) in try SafeTensors.write(tensors, metadata: metadata, to: path, quota: i.session.diskQuota) }
            return Value.none
        }
        m["save"] = function("save") { a, i throws(DLXError) in
            let tensors = try i.safetensorsDict(try a.required(0, "tensors"))
            let metadata = try i.safetensorsMetadata(try a.get(1, "metadata"))
            return .object(BytesObject(try i.safetensors { () throws(SafeTensors.Failure) in try SafeTensors.serialize(tensors, metadata: metadata) }))
        }
        m["load_file"] = function("load_file") { a, i throws(DLXError) in
            let path = try i.pathArgument(try a.required(0, "filename"), "load_file")
            let target = try i.safetensorsDevice(try a.get(1, "device"))
            try i.session.checkRead(path)
            let file = try i.safetensors { () throws(SafeTensors.Failure) in try SafeTensorsFile(path: path) }
            defer { file.close() }
            return try i.safetensorsDictValue(file, target)
        }
        m["load"] = function("load") { a, i throws(DLXError) in
            let data = try a.required(0, "data")
            guard case .object(let b as BytesObject) = data else {
                throw .type("argument 'buffer': '\(data.typeName)' object cannot be converted to 'PyBytes'")
            }
            let file = try i.safetensors { () throws(SafeTensors.Failure) in try SafeTensorsFile(bytes: b.bytes) }
            return try i.safetensorsDictValue(file, i.session.backend)
        }
        return m
    }

    /// Runs an engine call of the format, its failure as the library's exception.
    func safetensors<T>(_ body: () throws(SafeTensors.Failure) -> T) throws(DLXError) -> T {
        do { return try body() } catch { throw DLXError(error.type, error.message) }
    }

    /// A dict of names to tensors, checked as the library checks it.
    func safetensorsDict(_ v: Value) throws(DLXError) -> [(String, Tensor)] {
        guard case .dict(let d) = v else { throw .value("Expected a dict of [str, torch.Tensor] but received <class '\(v.typeName)'>") }
        var out: [(String, Tensor)] = []
        for (k, value) in zip(d.keys, d.values) {
            guard case .tensor(let t) = value else {
                throw .value("Key `\(try str(k))` is invalid, expected torch.Tensor but received <class '\(value.qualifiedTypeName)'>")
            }
            out.append((try str(k), t))
        }
        // Names must be strings (checked after the values, as the library's Rust side checks them).
        for k in d.keys { guard case .string = k else { throw .type("argument 'tensor_dict': '\(k.typeName)' object is not an instance of 'str'") } }
        return out
    }

    func safetensorsMetadata(_ v: Value?) throws(DLXError) -> [(String, String)]? {
        guard let v, !v.isNone else { return nil }
        guard case .dict(let d) = v else { throw .type("argument 'metadata': '\(v.typeName)' object cannot be converted to 'PyDict'") }
        var out: [(String, String)] = []
        for (k, value) in zip(d.keys, d.values) {
            guard case .string(let key) = k else { throw .type("argument 'metadata': '\(k.typeName)' object is not an instance of 'str'") }
            guard case .string(let s) = value else { throw .type("argument 'metadata': '\(value.typeName)' object is not an instance of 'str'") }
            out.append((key, s))
        }
        return out
    }

    /// `device="cpu"`, `"cuda:0"`, an int or a torch.device: the backend the tensors go to.
    func safetensorsDevice(_ v: Value?) throws(DLXError) -> any Backend {
        guard let v, !v.isNone else { return session.backend }
        guard let d = try toDevice(v) else { throw .type("device must be a string, an int or a torch.device, not \(v.typeName)") }
        return try session.backend(for: d)
    }

    /// Every tensor of a file, in the order of their data (as `load_file` gives them).
    func safetensorsDictValue(_ file: SafeTensorsFile, _ target: any Backend) throws(DLXError) -> Value {
        let d = DictBox()
        for e in file.entries {
            let t = try safetensors { () throws(SafeTensors.Failure) in try file.tensor(e, on: target) }
            try d.set(.string(e.name), .tensor(t))
        }
        return .dict(d)
    }

    private func safeOpenFunction() -> Value {
        function("safe_open") { a, i throws(DLXError) in
            let path = try i.pathArgument(try a.required(0, "filename"), "safe_open")
            let framework = try i.toStringValue(try a.required(1, "framework"), "framework")
            let target = try i.safetensorsDevice(try a.get(2, "device"))
            guard ["pt", "torch", "pytorch", "np", "numpy"].contains(framework) else {
                throw DLXError("SafetensorError", "framework \(framework) is invalid")
            }
            guard ["pt", "torch", "pytorch"].contains(framework) else {
                throw .value("dlx's safe_open gives torch tensors: use framework=\"pt\"")
            }
            try i.session.checkRead(path)
            return .object(SafeOpen(try i.safetensors { () throws(SafeTensors.Failure) in try SafeTensorsFile(path: path) }, target))
        }
    }
}

/// What `safe_open(path, framework="pt")` gives: the file's names, metadata and tensors one at a time.
final class SafeOpen: PyObject, ContextManager {
    let file: SafeTensorsFile
    let target: any Backend
    init(_ file: SafeTensorsFile, _ target: any Backend) { self.file = file; self.target = target }

    var typeName: String { "safe_open" }
    var qualifiedName: String { "builtins.safe_open" }
    var attributeNames: [String] { ["get_tensor", "keys", "metadata", "offset_keys"] }
    func enter(_ interpreter: Interpreter) -> Value { .object(self) }
    func exit(_ interpreter: Interpreter) { file.close() }

    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        func open() throws(DLXError) {
            if file.isClosed { throw DLXError("SafetensorError", "File is closed") }
        }
        switch name {
        case "keys":
            return i.method(name) { [file] _, _ throws(DLXError) in try open(); return .list(ListBox(file.sortedNames.map { .string($0) })) }
        case "offset_keys":
            return i.method(name) { [file] _, _ throws(DLXError) in try open(); return .list(ListBox(file.entries.map { .string($0.name) })) }
        case "metadata":
            return i.method(name) { [file] _, _ throws(DLXError) in
                try open()
                guard let m = file.metadata else { return Value.none }
                let d = DictBox()
                for (k, v) in m { try d.set(.string(k), .string(v)) }
                return .dict(d)
            }
        case "get_tensor":
            return i.method(name) { [file, target] a, i throws(DLXError) in
                let n = try i.toStringValue(try a.required(0, "name"), "name")
                return .tensor(try i.safetensors { () throws(SafeTensors.Failure) in try file.tensor(n, on: target) })
            }
        default: return nil
        }
    }
}
