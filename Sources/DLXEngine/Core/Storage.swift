/// A block of memory owned by a backend. Tensors are views (shape, strides, offset) over a storage, and
/// several tensors may share one.
public final class Storage: @unchecked Sendable {
    public let pointer: UnsafeMutableRawPointer
    public let byteCount: Int
    public let backend: any Backend
    /// In-place changes so far (PyTorch's version counter, which views share): see `Tensor.bumpVersion`.
    public internal(set) var version = 0

    init(backend: any Backend, byteCount: Int) throws(TensorError) {
        self.backend = backend
        self.byteCount = byteCount
        self.pointer = try backend.allocate(byteCount: byteCount)
        self.release = nil
    }

    /// Memory the storage did not get from its backend (a mapped file), and how to give it back.
    private let release: (@Sendable (UnsafeMutableRawPointer, Int) -> Void)?

    /// Adopts memory from elsewhere, such as a file mapped copy-on-write; `release` frees it.
    init(backend: any Backend, adopting pointer: UnsafeMutableRawPointer, byteCount: Int,
         release: @escaping @Sendable (UnsafeMutableRawPointer, Int) -> Void) {
        self.backend = backend
        self.byteCount = byteCount
        self.pointer = pointer
        self.release = release
    }

    deinit {
        if let release { release(pointer, byteCount) } else { backend.deallocate(pointer, byteCount: byteCount) }
    }
}
