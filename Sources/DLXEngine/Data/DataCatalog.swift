#if canImport(Glibc)
import Glibc
#endif

/// The datasets that `load` knows by name, found in the data folders a session is given
/// (`$DLX_DATA` first, then the installation's `data/`).
public struct DataCatalog: Sendable {
    public var folders: [String]
    public init(folders: [String]) { self.folders = folders }

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
        let files = train ? DataCatalog.mnistFiles.train : DataCatalog.mnistFiles.test
        guard let imagesPath = find("mnist/" + files.0), let labelsPath = find("mnist/" + files.1) else {
            let looked = folders.isEmpty ? "no data folder is configured" : "looked in " + folders.map { $0 + "/mnist" }.joined(separator: ", ")
            throw TensorError(.io, "MNIST files not found (\(looked)); set DLX_DATA to the folder that holds mnist/")
        }
        return try ImageDataset(name: "MNIST", root: root, train: train,
                                images: IDX.load(imagesPath, on: backend), labels: IDX.load(labelsPath, on: backend),
                                classes: DataCatalog.mnistClasses)
    }
}
