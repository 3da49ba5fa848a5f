#if canImport(Glibc)
import Glibc
#endif
import DLXFrontEnd
import DLXEngine
import DLXInterpreter

/// What the fuzz driver (`dlx-fuzz`, `scripts/fuzz`) feeds mutated inputs to. Each target takes any bytes and
/// must return: errors are fine (they are what bad input should give), a crash or a hang is the bug.
///
/// To add a reader (the model files of Sources/DLXEngine/Serialization, say): one entry in `FuzzTarget.all`
/// whose `run` writes the bytes to `scratch` (as the IDX and CSV targets do) and calls the reader, and a few
/// small valid files in Tests/Fuzz/corpus/<name>/ to start from. FuzzTests runs every entry of the table.
public struct FuzzTarget: Sendable {
    public let name: String
    /// The folder of Tests/Fuzz/corpus its seeds come from (the three code targets share `code`).
    public var corpus: String { ["lexer", "parser", "interpreter"].contains(name) ? "code" : name }
    /// Runs one input; `scratch` is a folder the target may write into.
    public let run: @Sendable (_ input: [UInt8], _ scratch: String) -> Void

    public static let all: [FuzzTarget] = [
        FuzzTarget(name: "lexer") { input, _ in
            _ = try? Lexer.tokenize(String(decoding: input, as: UTF8.self))
        },
        FuzzTarget(name: "parser") { input, _ in
            _ = try? Parser.parse(String(decoding: input, as: UTF8.self))
        },
        FuzzTarget(name: "interpreter") { input, scratch in runCode(String(decoding: input, as: UTF8.self), in: scratch) },
        FuzzTarget(name: "idx") { input, scratch in
            let backend = CPUBackend(memoryLimit: 64 << 20)
            for name in ["input.idx", "input.idx.gz"] {   // both paths of the reader: plain and (maybe) gzipped
                guard let path = write(input, scratch + "/" + name) else { return }
                _ = try? IDX.load(path, on: backend)
            }
        },
        FuzzTarget(name: "csv") { input, scratch in
            guard let path = write(input, scratch + "/input.csv") else { return }
            let backend = CPUBackend(memoryLimit: 64 << 20)
            for shape in [[2, 2], [1, 3, 3], [28, 28]] { _ = try? CSVImages.load(path, label: "label", shape: shape, on: backend) }
        },
        // PNG and JPEG through libpng and libjpeg-turbo (Image.open): seeds of both formats in one corpus.
        FuzzTarget(name: "image") { input, _ in
            let backend = CPUBackend(memoryLimit: 64 << 20)
            _ = ImageDecoder.decode(input, on: backend, maxPixels: 1 << 22)
        },
    ]

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    /// A cell of code in a fresh session, as a grader runs a submission: a time limit, a memory limit, and a
    /// sandbox in `scratch`, so that mutated code can neither run for long nor touch other files.
    static func runCode(_ code: String, in scratch: String) {
        let session = Session(dataFolders: [], memoryLimit: 256 << 20)
        var limits = Limits()
        limits.cellSeconds = 0.5
        limits.memoryLimited = true
        limits.sandbox = Sandbox(root: scratch, readable: [])
        session.limits = limits
        session.scriptDirectory = scratch
        let interpreter = Interpreter(session: session)
        session.startCell()
        _ = try? interpreter.run(code, displayAll: true)
    }

    /// Writes `bytes` to `path`; nil when it cannot.
    public static func write(_ bytes: [UInt8], _ path: String) -> String? {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        return n == bytes.count ? path : nil
    }
}
