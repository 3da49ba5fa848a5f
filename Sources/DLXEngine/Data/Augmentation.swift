#if canImport(Glibc)
import Glibc
#endif

/// Random augmentations on float images [C, H, W] or batches [..., C, H, W] (one draw for the whole batch,
/// as torchvision's v2 transforms do), drawn from the session's generator as torchvision draws them
/// (`torch.rand(1)`, `uniform_` of one float, `randint`, `randperm(4)`, in its order), so that after
/// `torch.manual_seed` the same images are flipped, rotated and cropped by the same draws and the stream
/// stays PyTorch's; the geometry is `ImageOps`', which follows torchvision's functional ops.
public final class RandomHorizontalFlip: Transform {
    public let p: Double
    public init(p: Double = 0.5) { self.p = p }
    public var repr: String { "RandomHorizontalFlip(p=\(NumberFormat.pythonRepr(p)))" }

    public func apply(_ x: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        _ = try ImageOps.planes(x, repr)
        guard generator.nextFloat() < Float(p) else { return x }
        return try ImageOps.hflip(x)
    }
}

/// Rotation by an angle drawn from [min, max] degrees about the centre, nearest-neighbour sampling,
/// filled with 0 outside the image (torchvision's defaults and `rotate`'s geometry).
public final class RandomRotation: Transform {
    public let low: Double, high: Double
    public init(degrees: (Double, Double)) { low = degrees.0; high = degrees.1 }
    public var repr: String {
        "RandomRotation(degrees=[\(NumberFormat.pythonRepr(low)), \(NumberFormat.pythonRepr(high))], interpolation=nearest, expand=False, fill=0)"
    }

    public func apply(_ x: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        _ = try ImageOps.planes(x, repr)
        let degrees = generator.uniformFloat(low, high)
        return try ImageOps.rotate(x, degrees: degrees)
    }
}

/// A random crop of random area and aspect ratio, resized (bilinear, antialiased) to `size`: torchvision's
/// algorithm.
public final class RandomResizedCrop: Transform {
    public let size: (Int, Int), scale: (Double, Double), ratio: (Double, Double)
    public init(size: (Int, Int), scale: (Double, Double) = (0.08, 1.0), ratio: (Double, Double) = (3.0 / 4.0, 4.0 / 3.0)) {
        self.size = size; self.scale = scale; self.ratio = ratio
    }
    public var repr: String {
        let r = { (v: Double) in NumberFormat.fixed(v, 4).replacingTrailingZeros }
        return "RandomResizedCrop(size=(\(size.0), \(size.1)), scale=(\(r(scale.0)), \(r(scale.1))), ratio=(\(r(ratio.0)), \(r(ratio.1))), interpolation=bilinear, antialias=True)"
    }

    public func apply(_ x: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        let (img, lead) = try ImageOps.planes(x, repr)
        let (h, w) = (img.shape[1], img.shape[2])
        var box = (top: 0, left: 0, height: h, width: w)
        var found = false
        for _ in 0..<10 {
            let area = Double(h * w) * generator.uniformFloat(scale.0, scale.1)
            // torch.log of the ratios and torch.exp of the draw, in float32.
            let logLow = Double(Float(log(ratio.0))), logHigh = Double(Float(log(ratio.1)))
            let aspect = Double(Float(exp(generator.uniformFloat(logLow, logHigh))))
            // In doubles first: scales or ratios out of range (negative, infinite) give NaN or huge sides.
            // Python's round(): halves to even.
            let cwd = (area * aspect).squareRoot().rounded(.toNearestOrEven), chd = (area / aspect).squareRoot().rounded(.toNearestOrEven)
            if cwd >= 1 && cwd <= Double(w) && chd >= 1 && chd <= Double(h) {
                let cw = Int(cwd), ch = Int(chd)
                box = (generator.nextInt(below: h - ch + 1), generator.nextInt(below: w - cw + 1), ch, cw)
                found = true
                break
            }
        }
        if !found {
            // Fall back to a centre crop with the aspect ratio clamped to the range.
            let inRatio = Double(w) / Double(h)
            var cw = w, ch = h
            // Within the image, whatever the ratios (a NaN side keeps the whole side).
            func side(_ v: Double, _ limit: Int) -> Int { v.isNaN ? limit : Int(Swift.max(1, Swift.min(Double(limit), v.rounded()))) }
            if inRatio < ratio.0 { ch = side(Double(w) / ratio.0, h) }
            else if inRatio > ratio.1 { cw = side(Double(h) * ratio.1, w) }
            box = ((h - ch) / 2, (w - cw) / 2, ch, cw)
        }
        let crop = try img.slice(1, start: box.top, stop: box.top + box.height, step: 1).slice(2, start: box.left, stop: box.left + box.width, step: 1)
        return try ImageOps.resize(try crop.reshape(lead + [box.height, box.width]), height: size.0, width: size.1)
    }
}

/// Random brightness and contrast changes (factors drawn from [max(0, 1 - b), 1 + b]), clamped to [0, 1].
public final class ColorJitter: Transform {
    public let brightness: (Double, Double)?, contrast: (Double, Double)?
    public init(brightness: Double, contrast: Double) {
        self.brightness = brightness > 0 ? (Swift.max(0, 1 - brightness), 1 + brightness) : nil
        self.contrast = contrast > 0 ? (Swift.max(0, 1 - contrast), 1 + contrast) : nil
    }
    public var repr: String {
        func r(_ v: (Double, Double)?) -> String { v.map { "(\(NumberFormat.pythonRepr($0.0)), \(NumberFormat.pythonRepr($0.1)))" } ?? "None" }
        return "ColorJitter(brightness=\(r(brightness)), contrast=\(r(contrast)), saturation=None, hue=None)"
    }

    public func apply(_ x: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        let (planes, lead) = try ImageOps.planes(x, repr)
        let out = try planes.clone()
        let d = out.f32
        // The contrast mean is each image's own: over its [C, H, W] (lead [..., C]).
        let imageSize = (x.rank >= 3 ? lead.last! : 1) * planes.shape[1] * planes.shape[2]
        // torchvision's order of draws: randperm(4) for the order of the four adjustments, then each enabled
        // factor as one float uniform_; the adjustments apply in the permutation's order.
        let order = generator.permutation(4)
        let factors = [brightness.map { Float(generator.uniformFloat($0.0, $0.1)) }, contrast.map { Float(generator.uniformFloat($0.0, $0.1)) }]
        for step in order where step < 2 {
            guard let f = factors[step] else { continue }
            if step == 0 {
                for i in 0..<out.count { d[i] = Swift.min(1, Swift.max(0, d[i] * f)) }
            } else {
                for start in stride(from: 0, to: out.count, by: Swift.max(imageSize, 1)) {
                    let n = Swift.min(imageSize, out.count - start)
                    var mean: Float = 0
                    for i in start..<(start + n) { mean += d[i] }
                    mean /= Float(Swift.max(n, 1))
                    for i in start..<(start + n) { d[i] = Swift.min(1, Swift.max(0, d[i] * f + mean * (1 - f))) }
                }
            }
        }
        return try out.reshape(lead + [planes.shape[1], planes.shape[2]])
    }
}

extension String {
    /// "1.3333" stays, "0.0800" becomes "0.08", "1.0000" becomes "1.0".
    var replacingTrailingZeros: String {
        var s = self
        while s.hasSuffix("0") && !s.hasSuffix(".0") { s.removeLast() }
        return s
    }
}
