/// A block of memory owned by a backend. Tensors are views (shape, strides, offset) over a storage, and
/// several tensors may share one.
public final class Storage: @unchecked Sendable {
    public let pointer: UnsafeMutableRawPointer
    public let byteCount: Int
    public let backend: any Backend

    init(backend: any Backend, byteCount: Int) throws(TensorError) {
        self.backend = backend
        self.byteCount = byteCount
        self.pointer = try backend.allocate(byteCount: byteCount)
    }

    deinit { backend.deallocate(pointer, byteCount: byteCount) }
}
