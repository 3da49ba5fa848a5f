/// Where a tensor's storage lives.
public enum Device: Sendable, Equatable, CustomStringConvertible {
    case cpu
    case cuda(Int)

    public var type: String { if case .cpu = self { return "cpu" } else { return "cuda" } }

    /// `cpu`, `cuda:0`: the form PyTorch uses inside tensor reprs.
    public var description: String {
        switch self {
        case .cpu: return "cpu"
        case .cuda(let i): return "cuda:\(i)"
        }
    }

    /// `device(type='cpu')`, `device(type='cuda', index=0)`.
    public var repr: String {
        switch self {
        case .cpu: return "device(type='cpu')"
        case .cuda(let i): return "device(type='cuda', index=\(i))"
        }
    }

    /// Parses `cpu`, `cuda`, `cuda:1`.
    public static func parse(_ text: String) -> Device? {
        if text == "cpu" { return .cpu }
        if text == "cuda" { return .cuda(0) }
        if text.hasPrefix("cuda:"), let i = Int(text.dropFirst(5)), i >= 0 { return .cuda(i) }
        return nil
    }
}
