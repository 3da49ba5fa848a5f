/// One field of a dataset sample: an image tensor, or a class label.
public enum Field {
    case tensor(Tensor)
    case int(Int)
}

public protocol Dataset: AnyObject {
    var count: Int { get }
    func item(_ index: Int, generator: inout Generator) throws(TensorError) -> [Field]
    var repr: String { get }
}

extension Dataset {
    /// Python-style index check and wrap-around for negative indices.
    public func checkedIndex(_ i: Int) throws(TensorError) -> Int {
        guard i >= -count && i < count else {
            throw .index("index \(i) is out of bounds for dataset of size \(count)")
        }
        return i < 0 ? i + count : i
    }
}

/// An image classification set held as one uint8 tensor (N, H, W) and its labels, e.g. MNIST.
/// Samples are uint8 [H, W] images (what torchvision's PIL images are) until a transform is set.
public final class ImageDataset: Dataset {
    public let name: String
    public let root: String
    public let train: Bool
    public let images: Tensor   // (N, H, W) uint8
    public let labels: Tensor   // (N) uint8
    public var transform: Transform?
    /// torchvision shows a transform in the repr only when it was given to the constructor.
    public var transformInRepr: Bool
    public var classes: [String]
    /// Made by torchvision's class (`datasets.MNIST(...)`): its samples are PIL images until a transform makes
    /// them tensors. dlx's own `load mnist` gives tensors.
    public var pilSamples = false

    public init(name: String, root: String, train: Bool, images: Tensor, labels: Tensor, transform: Transform? = nil,
                classes: [String]) throws(TensorError) {
        guard images.rank == 3 else { throw .value("\(name): expected images of shape (N, H, W), got \(images.shape)") }
        guard labels.rank == 1 else { throw .value("\(name): expected labels of shape (N), got \(labels.shape)") }
        guard images.shape[0] == labels.shape[0] else {
            throw .value("\(name): the image file has \(images.shape[0]) images but the label file has \(labels.shape[0]) labels")
        }
        self.name = name; self.root = root; self.train = train; self.images = images; self.labels = labels
        self.transform = transform; self.transformInRepr = transform != nil; self.classes = classes
    }

    public var count: Int { images.shape[0] }

    public func label(_ i: Int) -> Int { Int(labels.loadInt(labels.offset + i * labels.strides[0])) }

    public func item(_ index: Int, generator: inout Generator) throws(TensorError) -> [Field] {
        let i = try checkedIndex(index)
        var image = try images.select(0, i)
        if let transform { image = try transform.applyAny(image, generator: &generator) }
        return [.tensor(image), .int(label(i))]
    }

    public var repr: String {
        var lines = ["Dataset \(name)", "    Number of datapoints: \(count)", "    Root location: \(root)",
                     "    Split: \(train ? "Train" : "Test")"]
        if transformInRepr, let transform {
            let t = transform.repr.split(separator: "\n", omittingEmptySubsequences: false)
            let head = "Transform: "
            var body = ["StandardTransform", head + t[0]]
            body += t.dropFirst().map { String(repeating: " ", count: head.count) + $0 }
            lines.append("    " + body.joined(separator: "\n"))
        }
        return lines.joined(separator: "\n")
    }

    /// A batch straight from the uint8 images when the transform is ToTensor, optionally followed by
    /// Normalize: one pass, no per-sample tensors. Nil when another transform needs the general path.
    func fastBatch(_ indices: ArraySlice<Int>) throws(TensorError) -> [Field]? {
        var normalize: Normalize? = nil
        switch transform {
        case is ToTensor: break
        case let c as Compose:
            guard c.transforms.count >= 1, c.transforms.count <= 2, c.transforms[0] is ToTensor else { return nil }
            if c.transforms.count == 2 {
                guard let n = c.transforms[1] as? Normalize, n.mean.count == 1, n.std.count == 1 else { return nil }
                normalize = n
            }
        default: return nil
        }
        guard images.isContiguous else { return nil }
        let h = images.shape[1], w = images.shape[2], plane = h * w
        let batch = try Tensor.empty([indices.count, 1, h, w], on: images.backend)   // (B, 1, H, W)
        let targets = try Tensor.empty([indices.count], dtype: .int64, on: images.backend)  // (B)
        let src = images.storage.pointer.assumingMemoryBound(to: UInt8.self) + images.offset
        let dst = batch.f32
        let labelOut = targets.storage.pointer.assumingMemoryBound(to: Int64.self)
        // Each pixel becomes (p / 255 - mean) / std = p * scale + shift.
        let mean = Float(normalize?.mean[0] ?? 0), std = Float(normalize?.std[0] ?? 1)
        let scale = 1 / (255 * std), shift = -mean / std
        for (b, i) in indices.enumerated() {
            let s = src + i * plane, d = dst + b * plane
            if normalize == nil {
                for k in 0..<plane { d[k] = Float(s[k]) * (1.0 / 255.0) }
            } else {
                for k in 0..<plane { d[k] = Float(s[k]) * scale + shift }
            }
            labelOut[b] = Int64(label(i))
        }
        return [.tensor(batch), .tensor(targets)]
    }
}
