#if canImport(Glibc)
import Glibc
#endif

/// NumPy's `Generator.standard_normal`: Marsaglia and Tsang's ziggurat with 256 layers, drawn as NumPy
/// draws it (one 64-bit word per try: 8 bits of layer, a sign bit, 52 bits of position), so that a seed gives
/// NumPy's numbers. The layer tables are computed here from the tail's start `r` and the layer area `v`, in
/// the same double arithmetic NumPy's own tables were made with.
public enum Ziggurat {
    static let layers = 256
    /// Where the tail starts, and 1/r.
    static let r = 3.6541528853610087963519472518
    static let inverseR = 0.27366123732975827203338247596
    /// The area of each layer (and of the base strip with the tail).
    static let area = 0.0049286732339746519

    /// ki: the fraction of each layer inside the curve below the layer above, scaled to 52 bits; wi: the
    /// layer's width per unit of the 52-bit position; fi: the density at the layer's edge.
    struct Tables: Sendable {
        let ki: [UInt64]
        let wi: [Double]
        let fi: [Double]
    }

    static func density(_ x: Double) -> Double { exp(-0.5 * x * x) }

    static let tables: Tables = {
        // Layer edges from the tail inwards, then reversed so that index 0 is the base (the edge 0 at
        // the top layer stays 0, as in NumPy's table).
        var x = [Double](repeating: 0, count: layers)
        x[0] = r
        for i in 1..<(layers - 1) { x[i] = (-2 * log(density(x[i - 1]) + area / x[i - 1])).squareRoot() }
        x.reverse()
        let scale = 4_503_599_627_370_496.0   // 2^52
        var ki = [UInt64](repeating: 0, count: layers)
        for i in 1..<layers { ki[i] = UInt64((x[i - 1] / x[i] * scale).rounded(.toNearestOrEven)) }
        let top = x.max() ?? r
        ki[0] = UInt64((top * density(top) / area * scale).rounded(.toNearestOrEven))
        var wi = x
        wi[0] = area / density(top)
        wi = wi.map { $0 / scale }
        return Tables(ki: ki, wi: wi, fi: x.map(density))
    }()

    /// One standard normal draw from `next64` (the generator's next 64-bit word) and `nextDouble`.
    public static func standardNormal(_ next64: () -> UInt64, _ nextDouble: () -> Double) -> Double {
        let t = tables
        while true {
            var bits = next64()
            let layer = Int(bits & 0xFF)
            bits >>= 8
            let negative = bits & 1 == 1
            let position = (bits >> 1) & 0x000F_FFFF_FFFF_FFFF
            var x = Double(position) * t.wi[layer]
            if negative { x = -x }
            if position < t.ki[layer] { return x }
            if layer == 0 {
                // The tail beyond r, by Marsaglia's exponential method (1 - U, so that log never sees 0).
                while true {
                    let xx = -inverseR * log1p(-nextDouble())
                    let yy = -log1p(-nextDouble())
                    if yy + yy > xx * xx { return (position >> 8) & 1 == 1 ? -(r + xx) : r + xx }
                }
            }
            if (t.fi[layer - 1] - t.fi[layer]) * nextDouble() + t.fi[layer] < exp(-0.5 * x * x) { return x }
        }
    }
}

extension PCG64 {
    /// NumPy's `Generator.standard_normal()`.
    public mutating func standardNormal() -> Double {
        var copy = self
        defer { self = copy }
        return Ziggurat.standardNormal({ copy.next64() }, { copy.nextDouble() })
    }
}
