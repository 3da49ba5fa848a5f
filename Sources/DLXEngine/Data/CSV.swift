#if canImport(Glibc)
import Glibc
#endif

/// Image datasets stored as CSV: a header row, a label column, and one column per pixel (0-255), as
/// the sign-language MNIST set is distributed. Read line by line straight into uint8 storage.
public enum CSVImages {
    /// `progress(done, total)` is called with bytes read every 1,000 rows.
    public static func load(_ path: String, label: String, shape: [Int], on backend: any Backend,
                            progress: (Int, Int) -> Void = { _, _ in }) throws(TensorError) -> ImageDataset {
        let dims = shape.count == 3 ? shape : shape.count == 2 ? [1] + shape : []
        guard dims.count == 3, dims.allSatisfy({ $0 > 0 }) else {
            throw .value("shape must be (H, W) or (1, H, W), got \(shape)")
        }
        guard dims[0] == 1 else { throw TensorError(.notImplemented, "load csv reads one-channel images; got \(dims[0]) channels") }
        let pixels = dims[1] * dims[2]
        guard let file = fopen(path, "r") else {
            throw TensorError(.io, "[Errno 2] No such file or directory: '\(path)'")
        }
        defer { fclose(file) }
        var st = stat()
        let size = fstat(fileno(file), &st) == 0 ? Int(st.st_size) : 0
        // A device or pipe (/dev/zero) could stream forever without a line end.
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw TensorError(.io, "load csv reads files on disk; '\(path)' is not one") }
        var lineBuffer: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(lineBuffer) }
        func bad(_ line: Int, _ column: Int, _ why: String) -> TensorError {
            TensorError(.value, "\(path):\(line):\(column): \(why)")
        }
        guard getline(&lineBuffer, &capacity, file) > 0, let headerLine = lineBuffer else { throw bad(1, 1, "the file is empty") }
        let header = String(cString: headerLine).trimmingCharacters(in: "\n").split(separator: ",", omittingEmptySubsequences: false)
            .map { String($0).trimmingCharacters(in: "\r").trimmingCharacters(in: " ") }
        guard let labelColumn = header.firstIndex(of: label) else {
            throw bad(1, 1, "no column named '\(label)' in the header")
        }
        guard header.count == pixels + 1 else {
            throw bad(1, 1, "the header has \(header.count) columns; shape \(shape) needs \(pixels) pixel columns and a label")
        }
        var images: [UInt8] = [], labels: [UInt8] = []
        var lineNo = 1
        while getline(&lineBuffer, &capacity, file) > 0, let raw = lineBuffer {
            lineNo += 1
            if lineNo % 1000 == 0 { progress(Int(ftell(file)), size) }
            var p = UnsafePointer(raw)
            if p.pointee == 10 || p.pointee == 13 || p.pointee == 0 { continue }   // blank line
            var column = 0
            while true {
                var value = 0, digits = 0
                while p.pointee == 32 { p += 1 }
                while p.pointee >= 48 && p.pointee <= 57 { value = value * 10 + Int(p.pointee - 48); digits += 1; p += 1; if value > 100_000 { break } }
                while p.pointee == 32 || p.pointee == 13 { p += 1 }
                let c = p.pointee
                guard digits > 0, c == 44 || c == 10 || c == 0 else {
                    throw bad(lineNo, column + 1, "not a whole number")
                }
                if column == labelColumn {
                    guard value <= 255 else { throw bad(lineNo, column + 1, "label \(value) is out of range 0...255") }
                    labels.append(UInt8(value))
                } else {
                    guard value <= 255 else { throw bad(lineNo, column + 1, "pixel value \(value) is out of range 0...255") }
                    images.append(UInt8(value))
                }
                column += 1
                if c != 44 { break }
                p += 1
            }
            guard column == header.count else {
                throw bad(lineNo, column, "expected \(header.count) columns, found \(column)")
            }
        }
        let n = labels.count
        let imageTensor = try Tensor.empty([n, dims[1], dims[2]], dtype: .uint8, on: backend)
        let labelTensor = try Tensor.empty([n], dtype: .uint8, on: backend)
        images.withUnsafeBytes { imageTensor.storage.pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        labels.withUnsafeBytes { labelTensor.storage.pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        let classes = (0...(labels.max().map(Int.init) ?? 0)).map(String.init)
        return try ImageDataset(name: "CSV", root: path, train: true, images: imageTensor, labels: labelTensor, classes: classes)
    }
}
