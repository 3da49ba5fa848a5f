/// Freed blocks kept for reuse by size, up to a byte limit: training allocates the same shapes every
/// batch, and fresh host blocks are page-faulted afresh (device ones cost a synchronizing free).
/// Addresses are plain numbers, which are Sendable where pointers are not.
struct BlockCache: Sendable {
    private var free: [Int: [UInt64]] = [:]
    private var bytes = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// A cached block of exactly `size` bytes, if one is kept.
    mutating func take(_ size: Int) -> UInt64? {
        guard let a = free[size]?.popLast() else { return nil }
        bytes -= size
        return a
    }

    /// Keeps a freed block of `size` bytes; false when that would pass the limit (the caller frees it).
    mutating func keep(_ address: UInt64, _ size: Int) -> Bool {
        guard bytes + size <= limit else { return false }
        free[size, default: []].append(address)
        bytes += size
        return true
    }

    /// Every kept block, which the caller frees; the cache is empty afterwards.
    mutating func drain() -> [UInt64] {
        let all = free.values.flatMap { $0 }
        free = [:]
        bytes = 0
        return all
    }
}
