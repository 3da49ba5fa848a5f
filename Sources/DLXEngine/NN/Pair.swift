/// A size given as one int or as a pair, remembered as given: PyTorch prints MaxPool2d's `kernel_size=2`
/// but Conv2d's `kernel_size=(3, 3)`.
public struct IntPair: Equatable, Sendable, CustomStringConvertible {
    public var h: Int, w: Int
    public var wasPair: Bool
    public init(_ v: Int) { h = v; w = v; wasPair = false }
    public init(_ h: Int, _ w: Int) { self.h = h; self.w = w; wasPair = true }
    public var asPair: IntPair { IntPair(h, w) }
    public var description: String { wasPair ? "(\(h), \(w))" : "\(h)" }
}
