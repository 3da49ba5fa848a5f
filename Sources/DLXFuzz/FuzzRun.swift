#if canImport(Glibc)
import Glibc
#endif
import DLXEngine

/// A time-bounded, deterministic fuzz run of one target: every corpus file first, then mutations of them.
/// Before each input runs it is written to `current` (so that a crash leaves the input that caused it);
/// inputs that take longer than `slow` seconds are kept in `slowInputs`.
public struct FuzzRun {
    public let target: FuzzTarget
    public let corpus: [[UInt8]]
    public var seed: UInt64 = 1
    public var slow = 5.0

    public init(target: FuzzTarget, corpus: [[UInt8]]) { self.target = target; self.corpus = corpus }

    public struct Result { public var inputs = 0; public var slowInputs: [[UInt8]] = [] }

    public func run(seconds: Double, scratch: String, current: String?) -> Result {
        var mutator = Mutator(seed: seed)
        var result = Result()
        let start = Trainer.now()
        let seeds = corpus.isEmpty ? [[]] : corpus
        var k = 0
        while k < seeds.count || Trainer.now() - start < seconds {
            let input = k < seeds.count ? seeds[k]
                : mutator.mutate(seeds[mutator.below(seeds.count)], other: seeds[mutator.below(seeds.count)])
            k += 1
            if let current { _ = FuzzTarget.write(input, current) }
            let t0 = Trainer.now()
            target.run(input, scratch)
            if Trainer.now() - t0 > slow { result.slowInputs.append(input) }
            result.inputs += 1
        }
        return result
    }

    /// The files of a corpus folder, sorted by name (the order, and so the run, is the same everywhere).
    public static func readCorpus(_ folder: String) -> [[UInt8]] {
        guard let dir = opendir(folder) else { return [] }
        var names: [String] = []
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { names.append(name) }
        }
        closedir(dir)
        return names.sorted().compactMap { name in
            guard let f = fopen(folder + "/" + name, "rb") else { return nil }
            defer { fclose(f) }
            var out: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = fread(&buffer, 1, buffer.count, f)
                if n <= 0 { break }
                out += buffer[..<n]
            }
            return out
        }
    }
}
