/// torchvision transforms, applied per sample.
public protocol Transform: AnyObject {
    func apply(_ x: Tensor, generator: inout Generator) throws(TensorError) -> Tensor
    var repr: String { get }
}

/// `ToTensor()`: uint8 [H, W] -> float32 [1, H, W]; uint8 [H, W, C] -> [C, H, W]; values / 255.
public final class ToTensor: Transform {
    public init() {}
    public var repr: String { "ToTensor()" }

    public func apply(_ x: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        try x.requireHost("\(repr)")
        var img = x
        switch x.rank {
        case 2: img = x.insertingAxis(at: 0)
        case 3 where x.dtype == .uint8: img = try x.permute([2, 0, 1])
        case 3: break
        default:
            throw .value("pic should be 2 or 3 dimensional. Got \(x.rank) dimensions.")
        }
        let out = try Tensor.empty(img.shape, on: x.backend)
        try out.assign(from: img)
        if x.dtype == .uint8 {
            let p = out.f32
            for i in 0..<out.count { p[i] *= 1.0 / 255.0 }
        }
        return out
    }
}

/// `Normalize(mean, std)`: per channel (x - mean) / std on a float [C, H, W] tensor.
public final class Normalize: Transform {
    public let mean: [Double], std: [Double]
    public let meanText: String, stdText: String

    public init(mean: [Double], std: [Double], meanText: String, stdText: String) throws(TensorError) {
        guard !std.contains(0) else {
            throw .value("std evaluated to zero after conversion to torch.float32, leading to division by zero.")
        }
        self.mean = mean; self.std = std; self.meanText = meanText; self.stdText = stdText
    }

    public var repr: String { "Normalize(mean=\(meanText), std=\(stdText))" }

    public func apply(_ x: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        try x.requireHost("\(repr)")
        guard x.dtype.isFloatingPoint else {
            throw .type("Input tensor should be a float tensor. Got \(x.dtype.repr).")
        }
        guard x.rank >= 3 else {
            throw .value("Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() = \(TensorPrinter.sizeRepr(x.shape))")
        }
        let channels = x.shape[x.rank - 3]
        guard mean.count == 1 || mean.count == channels, std.count == 1 || std.count == channels else {
            throw .runtime("The size of tensor a (\(mean.count)) must match the size of tensor b (\(channels)) at non-singleton dimension 0")
        }
        let out = try x.to(.float32).clone()
        let plane = x.shape[x.rank - 2] * x.shape[x.rank - 1]
        let p = out.f32
        for i in 0..<(out.count / Swift.max(plane, 1)) {
            let c = i % channels
            let m = Float(mean[mean.count == 1 ? 0 : c]), s = Float(std[std.count == 1 ? 0 : c])
            for j in 0..<plane { p[i * plane + j] = (p[i * plane + j] - m) / s }
        }
        return out
    }
}

/// `Compose([t1, t2, ...])`.
public final class Compose: Transform {
    public let transforms: [Transform]
    public init(_ transforms: [Transform]) { self.transforms = transforms }

    public var repr: String {
        var s = "Compose("
        for t in transforms { s += "\n    " + t.repr }
        return s + "\n)"
    }

    public func apply(_ x: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        try x.requireHost("\(repr)")
        var y = x
        for t in transforms { y = try t.applyAny(y, generator: &generator) }
        return y
    }
}
