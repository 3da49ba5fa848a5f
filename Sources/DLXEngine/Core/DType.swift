/// Element types. float32 is the working type of the engine; the others exist for data (uint8 images,
/// int64 labels, bool masks) and for PyTorch-faithful printing and promotion.
public enum DType: Sendable, Equatable, CaseIterable {
    case float32, float64, int64, int32, uint8, bool

    public var itemSize: Int {
        switch self {
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        case .uint8, .bool: return 1
        }
    }

    public var name: String {
        switch self {
        case .float32: return "float32"
        case .float64: return "float64"
        case .int64: return "int64"
        case .int32: return "int32"
        case .uint8: return "uint8"
        case .bool: return "bool"
        }
    }

    /// `torch.float32`, as PyTorch prints a dtype.
    public var repr: String { "torch." + name }

    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// Promotion category: bool < integer < floating point.
    var category: Int { self == .bool ? 0 : isFloatingPoint ? 2 : 1 }

    /// PyTorch's promotion of two tensor dtypes of full rank.
    public static func promote(_ a: DType, _ b: DType) -> DType {
        if a == b { return a }
        if a.category != b.category { return a.category > b.category ? a : b }
        switch a.category {
        case 2: return .float64
        case 1:
            let order: [DType] = [.uint8, .int32, .int64]
            return order[max(order.firstIndex(of: a)!, order.firstIndex(of: b)!)]
        default: return .bool
        }
    }

    /// Names accepted for `dtype=` and `torch.X`.
    public static func named(_ name: String) -> DType? {
        switch name {
        case "float32", "float": return .float32
        case "float64", "double": return .float64
        case "int64", "long": return .int64
        case "int32", "int": return .int32
        case "uint8": return .uint8
        case "bool": return .bool
        default: return nil
        }
    }
}
