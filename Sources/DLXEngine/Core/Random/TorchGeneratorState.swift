/// `get_state()`/`set_state()` of the CPU generator: PyTorch's bytes (`CPUGeneratorImplState`, 5056 bytes
/// on a 64-bit little-endian machine): the seed, the twister's position and 624 words (each widened to 64
/// bits), the scalar Box-Muller's saved value, and the float one.
extension Generator {
    public static let stateByteCount = 5056

    public var stateBytes: [UInt8] {
        var b = [UInt8](repeating: 0, count: Generator.stateByteCount)
        func put<T: FixedWidthInteger>(_ v: T, _ at: Int) {
            withUnsafeBytes(of: v.littleEndian) { for (k, x) in $0.enumerated() { b[at + k] = x } }
        }
        put(seed, 0)
        put(Int32(mt.left), 8)
        put(Int32(1), 12)
        put(UInt64(mt.next), 16)
        for (k, w) in mt.state.enumerated() { put(UInt64(w), 24 + 8 * k) }
        if let y = nextDoubleNormal {
            put(y.bitPattern, 5024)
            put(Int32(1), 5040)
        }
        if let f = nextFloatNormal {
            put(f.bitPattern, 5048)
            b[5052] = 1
        }
        return b
    }

    /// A generator from PyTorch's bytes; throws PyTorch's errors for a wrong size or an invalid state.
    public init(stateBytes b: [UInt8]) throws(TensorError) {
        guard b.count == Generator.stateByteCount else {
            throw .runtime("Expected a CPUGeneratorImplState of size \(Generator.stateByteCount) but found the input RNG state size to be \(b.count)")
        }
        func get<T: FixedWidthInteger>(_ at: Int, _: T.Type) -> T {
            var v: T = 0
            for k in 0..<MemoryLayout<T>.size { v |= T(truncatingIfNeeded: b[at + k]) << (8 * k) }
            return v
        }
        let words = (0..<MersenneTwister.n).map { UInt32(truncatingIfNeeded: get(24 + 8 * $0, UInt64.self)) }
        let left = Int(get(8, Int32.self)), next = get(16, UInt64.self)
        guard get(12, Int32.self) != 0, next <= UInt64(MersenneTwister.n),
              let mt = MersenneTwister(state: words, next: Int(next), left: left) else {
            throw .runtime("Invalid mt19937 state")
        }
        self.init(seed: get(0, UInt64.self))
        self.mt = mt
        if get(5040, Int32.self) != 0 { nextDoubleNormal = Double(bitPattern: get(5024, UInt64.self)) }
        if b[5052] != 0 { nextFloatNormal = Float(bitPattern: get(5048, UInt32.self)) }
    }
}
