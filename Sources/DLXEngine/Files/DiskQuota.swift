#if canImport(Glibc)
import Glibc
#endif

/// How many bytes of disk a run's own code may take (`--max-disk`): every file its code writes is charged
/// for what it adds (a whole file replaced: its new size less the old one's; a stream: each write that
/// grows it). Past the limit a write fails with EDQUOT, Python's `OSError: [Errno 122] Disk quota
/// exceeded`, and nothing of it is written. dlx's own files (results, caches) are not charged.
public final class DiskQuota {
    public let limit: Int
    public private(set) var used = 0

    public init(limit: Int) { self.limit = limit }

    /// Takes `bytes` more (a negative number gives some back), or EDQUOT when they do not fit.
    public func charge(_ bytes: Int) -> Int32 {
        if bytes > 0 && (bytes > limit || used > limit - bytes) { return EDQUOT }
        used = Swift.max(0, used + bytes)
        return 0
    }
}
