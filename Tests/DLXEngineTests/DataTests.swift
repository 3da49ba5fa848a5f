import Testing
import Foundation
@testable import DLXEngine

@Suite struct IDXTests {
    func write(_ bytes: [UInt8]) -> String {
        let path = scratchFile(".idx")
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    @Test func readsAValidUncompressedFile() throws {
        let path = write([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 7, 8, 9, 10])
        let t = try IDX.load(path, on: backend)
        #expect(t.shape == [2, 1, 2])
        #expect(t.dtype == .uint8)
        #expect(try t.int64s() == [7, 8, 9, 10])
    }

    @Test func wrongMagicNumber() {
        let path = write([1, 2, 8, 1, 0, 0, 0, 1, 5])
        #expect(throws: TensorError.self) { try IDX.load(path, on: backend) }
        do { _ = try IDX.load(path, on: backend) } catch { #expect(error.message.contains("wrong magic number")) }
    }

    @Test func truncatedData() {
        let path = write([0, 0, 8, 1, 0, 0, 0, 5, 1, 2])
        do { _ = try IDX.load(path, on: backend); Issue.record("no error") } catch {
            #expect(error.message.contains("truncated"))
        }
    }

    @Test func unsupportedTypeAndMissingFile() {
        let path = write([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0])
        #expect(throws: TensorError.self) { try IDX.load(path, on: backend) }
        #expect(throws: TensorError.self) { try IDX.load("/nonexistent/file.gz", on: backend) }
    }

    /// The decompressed copy is named by the data's content, so copies of the same file in two
    /// checkouts (other times) share it, and the per-checkout copies of earlier versions are removed.
    @Test func theDecompressedCopyIsSharedByContentAndReplacesStaleOnes() throws {
        let folder = scratchFile("-cache")
        let checkouts = [folder + "/a", folder + "/b"], cache = folder + "/cache"
        for c in checkouts + [cache] { try FileManager.default.createDirectory(atPath: c, withIntermediateDirectories: true) }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = repositoryRoot + "/data/mnist/t10k-labels-idx1-ubyte.gz"
        let size = try FileManager.default.attributesOfItem(atPath: source)[.size] as! Int
        for c in checkouts { try FileManager.default.copyItem(atPath: source, toPath: c + "/t10k-labels-idx1-ubyte.gz") }
        let stale = cache + "/t10k-labels-idx1-ubyte-\(size)-1795707932.idx", other = cache + "/t10k-labels-idx1-ubyte-999-1.idx"
        for f in [stale, other] { FileManager.default.createFile(atPath: f, contents: Data([1, 2, 3])) }
        let first = try IDX.load(checkouts[0] + "/t10k-labels-idx1-ubyte.gz", cache: cache, on: backend)
        let second = try IDX.load(checkouts[1] + "/t10k-labels-idx1-ubyte.gz", cache: cache, on: backend)
        #expect(try first.int64s() == second.int64s() && first.shape == [10000])
        let files = try FileManager.default.contentsOfDirectory(atPath: cache).sorted()
        #expect(files.count == 2 && files.contains("t10k-labels-idx1-ubyte-999-1.idx"), "\(files)")
        #expect(files.contains { $0.hasPrefix("t10k-labels-idx1-ubyte-\(size)-") && $0 != (stale as NSString).lastPathComponent })
    }

    /// Issue 22: copies half written by killed processes (this version's `.NAME.PID.dlx-tmp`, earlier versions'
    /// `NAME.PID.tmp`) are removed when the cache is next used; a living writer's file is left alone.
    @Test func temporariesOfKilledCacheWritersAreRemoved() throws {
        let folder = scratchFile("-cache-tmp"), cache = folder + "/cache"
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let dead: Int32 = 2147483646, alive = getppid()
        let names = ["t10k-labels-idx1-ubyte-1-2.idx.\(dead).tmp", ".t10k-images-idx3-ubyte-3-4.idx.\(dead).dlx-tmp",
                     "x.idx.\(alive).tmp", ".y.idx.\(alive).dlx-tmp", "notes.tmp"]
        for n in names { FileManager.default.createFile(atPath: cache + "/" + n, contents: Data([1])) }
        let source = repositoryRoot + "/data/mnist/t10k-labels-idx1-ubyte.gz"
        _ = try IDX.load(source, cache: cache, on: backend)
        let left = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix("tmp") }.sorted()
        #expect(left == [".y.idx.\(alive).dlx-tmp", "notes.tmp", "x.idx.\(alive).tmp"])
    }

    @Test func theShippedMNISTFilesLoad() throws {
        let catalog = DataCatalog(folders: [repositoryRoot + "/data"])
        let test = try catalog.mnist(train: false, on: backend)
        #expect(test.count == 10_000)
        #expect(test.images.shape == [10_000, 28, 28])
        #expect(test.label(0) == 7)
        let train = try catalog.mnist(train: true, on: backend)
        #expect(train.count == 60_000)
        #expect(train.label(0) == 5)
    }

    @Test func mismatchedCountsAreAnError() throws {
        let images = try Tensor.zeros([3, 2, 2], dtype: .uint8, on: backend), labels = try Tensor.zeros([2], dtype: .uint8, on: backend)
        #expect(throws: TensorError.self) {
            try ImageDataset(name: "X", root: "", train: true, images: images, labels: labels, classes: [])
        }
    }
}

@Suite struct DataLoaderTests {
    func smallSet(_ n: Int) throws -> ImageDataset {
        var g = Generator(seed: 1)
        let images = try Tensor.randint(0, 256, [n, 4, 4], generator: &g, on: backend).to(.uint8)
        let labels = try Tensor.randint(0, 10, [n], generator: &g, on: backend).to(.uint8)
        return try ImageDataset(name: "Small", root: "", train: true, images: images, labels: labels, classes: [])
    }

    @Test func batchCountsWithAndWithoutDropLast() throws {
        let ds = try smallSet(10)
        #expect(try DataLoader(ds, batchSize: 3).count == 4)
        #expect(try DataLoader(ds, batchSize: 3, dropLast: true).count == 3)
        #expect(throws: TensorError.self) { try DataLoader(ds, batchSize: 0) }
    }

    @Test func batchesAreStackedImagesAndInt64Labels() throws {
        let ds = try smallSet(10)
        ds.transform = ToTensor()
        var g = Generator(seed: 0)
        var it = try DataLoader(ds, batchSize: 4).makeIterator(generator: &g)
        var sizes: [Int] = []
        while let b = try it.next(generator: &g) {
            guard case .tensor(let x) = b[0], case .tensor(let y) = b[1] else { Issue.record("not tensors"); return }
            #expect(x.shape.dropFirst() == [1, 4, 4])
            #expect(y.dtype == .int64)
            sizes.append(x.shape[0])
        }
        #expect(sizes == [4, 4, 2])
    }

    @Test func shuffleIsAFreshPermutationEachPassAndSeeded() throws {
        let ds = try smallSet(50)
        let loader = try DataLoader(ds, batchSize: 50, shuffle: true)
        func labelsOfPass(_ g: inout Generator) throws -> [Int64] {
            var it = loader.makeIterator(generator: &g)
            guard case .tensor(let y) = try it.next(generator: &g)![1] else { return [] }
            return try y.int64s()
        }
        var g1 = Generator(seed: 42), g2 = Generator(seed: 42)
        let a = try labelsOfPass(&g1), b = try labelsOfPass(&g1), c = try labelsOfPass(&g2)
        #expect(a == c)
        #expect(a != b)
        #expect(try a.sorted() == ds.labels.int64s().sorted())
    }

    /// The one-pass batch maker for ToTensor + Normalize gives what the per-sample transforms give.
    @Test func fastBatchEqualsPerSampleTransforms() throws {
        let ds = try smallSet(6)
        let normalize = try Normalize(mean: [0.1307], std: [0.3081], meanText: "(0.1307,)", stdText: "(0.3081,)")
        ds.transform = Compose([ToTensor(), normalize])
        let fast = try ds.fastBatch([0, 3, 5])!
        var g = Generator(seed: 0)
        var singles: [Tensor] = []
        for i in [0, 3, 5] { if case .tensor(let t) = try ds.item(i, generator: &g)[0] { singles.append(t) } }
        guard case .tensor(let batch) = fast[0] else { Issue.record("no batch"); return }
        #expect(try close(batch.doubles(), try Tensor.stack(singles, dim: 0).doubles(), rel: 1e-5, abs: 1e-5))
    }
}
