/// Transforms that take PIL images as torchvision's do. A picture is a PIL image's pixels, uint8 [H, W] or
/// [H, W, C]; inside a dataset (MNIST's samples before any transform) a uint8 [H, W] tensor is one.
public protocol PictureTransform: Transform {
    /// The transform on a picture.
    func applyPicture(_ p: Tensor, generator: inout Generator) throws(TensorError) -> Tensor
    /// Whether what `applyPicture` gives is still a picture (Resize) or a tensor (PILToTensor).
    var givesPicture: Bool { get }
}

extension Tensor {
    /// A dataset's raw sample as the PIL image torchvision gives: uint8 [H, W].
    public var isDatasetPicture: Bool { dtype == .uint8 && rank == 2 }
}

/// `Resize(size)`: Pillow's bilinear resampling on pictures, torchvision's (antialiased) on tensors.
public final class Resize: PictureTransform {
    public let size: [Int]
    public init(size: [Int]) { self.size = size }
    public var repr: String {
        let s = size.count == 1 ? "\(size[0])" : "(\(size.map(String.init).joined(separator: ", ")))"
        return "Resize(size=\(s), interpolation=bilinear, max_size=None, antialias=True)"
    }
    public var givesPicture: Bool { true }

    public func applyPicture(_ p: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        let (h, w, _) = try PictureOps.geometry(p)
        let (oh, ow) = try ImageOps.resizedSize(height: h, width: w, size: size)
        return try PictureOps.resize(p, width: ow, height: oh, filter: .bilinear)
    }

    public func apply(_ x: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        if x.isDatasetPicture { return try applyPicture(x, generator: &generator) }
        guard x.rank >= 2 else { throw .value("Resize expects an image of at least 2 dimensions, got \(x.shape)") }
        let (oh, ow) = try ImageOps.resizedSize(height: x.shape[x.rank - 2], width: x.shape[x.rank - 1], size: size)
        return try ImageOps.resize(x, height: oh, width: ow)
    }
}

/// `CenterCrop(size)`: the centre (torchvision's rounding), zero-padded where the crop is larger.
public final class CenterCrop: PictureTransform {
    public let height: Int, width: Int
    public init(height: Int, width: Int) { self.height = height; self.width = width }
    public var repr: String { "CenterCrop(size=(\(height), \(width)))" }
    public var givesPicture: Bool { true }

    static func offset(_ have: Int, _ want: Int) -> Int {
        want > have ? -((want - have) / 2) : Int((Double(have - want) / 2).rounded(.toNearestOrEven))
    }

    public func applyPicture(_ p: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        let (h, w, _) = try PictureOps.geometry(p)
        let top = CenterCrop.offset(h, height), left = CenterCrop.offset(w, width)
        return try PictureOps.crop(p, left: left, top: top, right: left + width, bottom: top + height)
    }

    public func apply(_ x: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        if x.isDatasetPicture { return try applyPicture(x, generator: &generator) }
        guard x.rank >= 2 else { throw .value("CenterCrop expects an image of at least 2 dimensions, got \(x.shape)") }
        let h = x.shape[x.rank - 2], w = x.shape[x.rank - 1]
        guard height <= h, width <= w else {
            throw TensorError(.notImplemented, "CenterCrop larger than a tensor image (padding) is not supported in dlx")
        }
        let top = CenterCrop.offset(h, height), left = CenterCrop.offset(w, width)
        return try x.slice(x.rank - 2, start: top, stop: top + height, step: 1).slice(x.rank - 1, start: left, stop: left + width, step: 1)
    }
}

/// `PILToTensor()`: a picture's pixels as uint8 [C, H, W].
public final class PILToTensor: PictureTransform {
    public init() {}
    public var repr: String { "PILToTensor()" }
    public var givesPicture: Bool { false }

    public func applyPicture(_ p: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        _ = try PictureOps.geometry(p)
        return try (p.rank == 2 ? p.insertingAxis(at: 0) : try p.permute([2, 0, 1])).contiguous()
    }

    public func apply(_ x: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        guard x.isDatasetPicture else { throw .type("pic should be PIL Image. Got <class 'torch.Tensor'>") }
        return try applyPicture(x, generator: &generator)
    }
}

/// `ToPILImage()`: a tensor [C, H, W] or [H, W] (floats scaled by 255 and truncated, as torchvision's
/// `pic.mul(255).byte()`) as a picture.
public final class ToPILImage: Transform {
    public init() {}
    public var repr: String { "ToPILImage()" }

    public func apply(_ pic: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        guard pic.rank == 2 || pic.rank == 3 else { throw .value("pic should be 2/3 dimensional. Got \(pic.rank) dimensions.") }
        var x = pic.rank == 2 ? pic.insertingAxis(at: 0) : pic
        guard (1...4).contains(x.shape[0]) else {
            throw .value("pic should not have > 4 channels. Got \(x.shape[0]) channels.")
        }
        if x.dtype.isFloatingPoint { x = try Tensor.binary(.mul, .tensor(x), .scalar(.float(255))).to(.uint8) }
        else if x.dtype != .uint8 { x = try x.to(.uint8) }
        return x.shape[0] == 1 ? try x.reshape(Array(x.shape.dropFirst())).contiguous() : try x.permute([1, 2, 0]).contiguous()
    }
}

extension Transform {
    /// `apply`, a dataset's picture going to `applyPicture` where the transform takes pictures (inside a
    /// dataset, torchvision hands each transform the PIL image).
    public func applyAny(_ x: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        if x.isDatasetPicture, let p = self as? PictureTransform { return try p.applyPicture(x, generator: &generator) }
        return try apply(x, generator: &generator)
    }
}

/// The random augmentations take pictures too: on the image as floats in [0, 1], drawing what they draw for
/// tensors, rounded back to bytes (exact for flips).
public protocol FloatPictureTransform: PictureTransform {}

extension FloatPictureTransform {
    public var givesPicture: Bool { true }
    public func applyPicture(_ p: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        try PictureOps.fromFloat(try apply(try PictureOps.toFloat(p), generator: &generator))
    }
}

extension RandomHorizontalFlip: FloatPictureTransform {}
extension RandomRotation: FloatPictureTransform {}
extension RandomResizedCrop: FloatPictureTransform {}
extension ColorJitter: FloatPictureTransform {}
