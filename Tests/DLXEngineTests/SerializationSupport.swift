import Foundation
@testable import DLXEngine

/// The fixtures PyTorch 2.15 wrote (Tests/Fixtures/serialization, made by make.py there).
enum SerializationFixtures {
    static let folder = repositoryRoot + "/Tests/Fixtures/serialization/"
    static func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: folder + name))) }
    nonisolated(unsafe) static let expected: [String: Any] = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: folder + "expected.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    /// Loads an archive in memory with the weights-only rules (or, `weightsOnly: false`, built-in module classes too).
    static func load(_ bytes: [UInt8], weightsOnly: Bool = true) throws(TensorError) -> (PickleValue, PickleArena, TorchLoader) {
        let reader = try ZipReader(MemorySource(bytes))
        let loader = try TorchLoader(reader: reader, weightsOnly: weightsOnly, host: backend,
                                     moduleClass: { $0.module.hasPrefix("torch.nn.modules.") })
        let (v, arena) = try loader.load()
        return (v, arena, loader)
    }

    /// The pickle form of what was loaded, as torch.save would write the same objects again: containers and
    /// tensors met twice are fetched from the memo.
    static func out(_ v: PickleValue, _ w: TorchArchiveWriter) throws -> PickleOut {
        switch v {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let f): return .float(f)
        case .string(let s): return .string(s)
        case .bytes: throw TensorError.runtime("bytes")
        case .global(let g): return .global(g.module, g.name)
        case .storage: throw TensorError.runtime("storage")
        case .tensor(let t): return .shared(ObjectIdentifier(t), t.isParameter ? try w.parameter(t) : try w.tensor(t))
        case .node(let n):
            let items = try n.items.map { try out($0, w) }
            let pairs = try zip(n.items, n.values).map { (try out($0.0, w), try out($0.1, w)) }
            let id = ObjectIdentifier(n)
            switch n.kind {
            case .tuple: return .tuple(items)
            case .list: return .shared(id, .list(items))
            case .dict: return .shared(id, .dict(pairs))
            case .orderedDict:
                return .shared(id, .reduce(.global("collections", "OrderedDict"), [], items: pairs, state: try n.state.map { try out($0, w) }))
            default: throw TensorError.runtime("\(n.kind)")
            }
        }
    }

    /// The record `name` of an archive (after its folder).
    static func record(_ bytes: [UInt8], _ name: String) throws -> [UInt8] {
        let r = try ZipReader(MemorySource(bytes))
        guard let e = r.entries.first(where: { $0.name.hasSuffix("/" + name) }) else { throw TensorError.runtime("no \(name)") }
        return try r.bytes(e.name)
    }

    /// A dict node's value for a string key.
    static func value(_ v: PickleValue, _ key: String) -> PickleValue? {
        guard case .node(let n) = v else { return nil }
        for (k, x) in zip(n.items, n.values) { if case .string(key) = k { return x } }
        return nil
    }
}
