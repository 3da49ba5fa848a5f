import Foundation

/// The repository root, found from this file's path.
public let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// One folder per test process for every file a test writes (`dlx-tests-<pid>` in the temporary
/// directory), removed when the process exits, so that test runs leave nothing behind.
public let scratchRoot: String = {
    let root = NSTemporaryDirectory() + "dlx-tests-\(getpid())"
    try? FileManager.default.removeItem(atPath: root)
    try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: scratchRoot) }
    return root
}()

/// A fresh empty folder for one test's files, inside `scratchRoot`.
public func scratchDirectory(_ name: String) throws -> String {
    let dir = scratchRoot + "/" + name
    try? FileManager.default.removeItem(atPath: dir)
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// A path for one file inside `scratchRoot` that no other test uses.
public func scratchFile(_ suffix: String) -> String {
    scratchRoot + "/" + UUID().uuidString + suffix
}
