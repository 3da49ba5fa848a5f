#if canImport(Glibc)
import Glibc
#endif

/// The datasets that `load` knows by name, found in the data folders a session is given
/// (`$DLX_DATA` first, then the installation's `data/`).
public struct DataCatalog {
    public var folders: [String]
    /// Where decompressed copies of gzipped IDX files are kept (nil: decompress on every load).
    public var cacheFolder: String?
    /// Told (bytes done, bytes in all) while a file loads, for a progress display.
    public var progress: ((Int, Int) -> Void)? = nil
    public init(folders: [String], cacheFolder: String? = nil) { self.folders = folders; self.cacheFolder = cacheFolder }

    static let mnistFiles = (train: ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
                             test: ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"))
    public static let mnistClasses = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five",
                                      "6 - six", "7 - seven", "8 - eight", "9 - nine"]

    /// The first existing path among the folders, trying the gzipped name first.
    public func find(_ relative: String) -> String? {
        for folder in folders {
            for candidate in [relative + ".gz", relative] {
                let path = folder + "/" + candidate
                if access(path, R_OK) == 0 { return path }
            }
        }
        return nil
    }

    public func mnist(train: Bool, root: String = "data/mnist", on backend: any Backend) throws(TensorError) -> ImageDataset {
        try idxPair(folders.map { $0 + "/mnist" }, name: "MNIST", train: train, root: root, classes: DataCatalog.mnistClasses,
                    missing: "MNIST files not found", hint: "set DLX_DATA to the folder that holds mnist/", on: backend)
    }

    public static let fashionClasses = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                                        "Bag", "Ankle boot"]
    /// Where Debian's `dataset-fashion-mnist` package puts Fashion-MNIST.
    public static let fashionSystemFolder = "/usr/share/datasets/fashion-mnist"

    /// Fashion-MNIST: from the data folders (`fashion-mnist/`), else from Debian's package.
    public func fashion(train: Bool, root: String = "data/fashion-mnist", on backend: any Backend) throws(TensorError) -> ImageDataset {
        try idxPair(folders.map { $0 + "/fashion-mnist" } + [DataCatalog.fashionSystemFolder], name: "FashionMNIST", train: train,
                    root: root, classes: DataCatalog.fashionClasses, missing: "Fashion-MNIST files not found",
                    hint: "install Debian's package dataset-fashion-mnist (scripts/setup does)", on: backend)
    }

    private func idxPair(_ candidates: [String], name: String, train: Bool, root: String, classes: [String], missing: String,
                         hint: String, on backend: any Backend) throws(TensorError) -> ImageDataset {
        let files = train ? DataCatalog.mnistFiles.train : DataCatalog.mnistFiles.test
        var catalog = DataCatalog(folders: candidates, cacheFolder: cacheFolder)
        catalog.progress = progress
        let report = progress ?? { _, _ in }
        guard let imagesPath = catalog.find(files.0), let labelsPath = catalog.find(files.1) else {
            throw TensorError(.io, "\(missing) (looked in \(candidates.joined(separator: ", "))); \(hint)")
        }
        return try ImageDataset(name: name, root: root, train: train,
                                images: IDX.load(imagesPath, cache: cacheFolder, on: backend, progress: report),
                                labels: IDX.load(labelsPath, cache: cacheFolder, on: backend),
                                classes: classes)
    }
}
