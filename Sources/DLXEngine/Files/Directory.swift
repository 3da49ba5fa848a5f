#if canImport(Glibc)
import Glibc
#endif

/// A folder's entries. readdir's record is only as long as its name needs: the name is read through a
/// pointer up to its terminating zero, never by copying the record's full-size name field (which can
/// reach past the end of the buffer readdir filled, into an unmapped page).
public enum Directory {
    /// The names in `folder` (without `.` and `..`), in the order readdir gives them; nil when it cannot be read.
    public static func names(in folder: String) -> [String]? {
        guard let dir = opendir(folder) else { return nil }
        defer { closedir(dir) }
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        var names: [String] = []
        while let e = readdir(dir) {
            let name = String(cString: (UnsafeRawPointer(e) + offset).assumingMemoryBound(to: CChar.self))
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
