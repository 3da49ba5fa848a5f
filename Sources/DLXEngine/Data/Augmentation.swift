#if canImport(Glibc)
import Glibc
#endif

/// Random augmentations on float [C, H, W] images, drawn from the session's generator (so that
/// `torch.manual_seed` makes them repeatable), as torchvision's transforms do on tensors.
public final class RandomHorizontalFlip: Transform {
    public let p: Double
    public init(p: Double = 0.5) { self.p = p }
    public var repr: String { "RandomHorizontalFlip(p=\(NumberFormat.pythonRepr(p)))" }

    public func apply(_ x: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        try x.requireHost("\(repr)")
        guard generator.nextDouble() < p else { return x }
        let img = try Augment.image(x)
        let out = try Tensor.empty(img.shape, on: x.backend)
        let (c, h, w) = (img.shape[0], img.shape[1], img.shape[2])
        let s = img.f32, d = out.f32
        for r in 0..<(c * h) { for j in 0..<w { d[r * w + j] = s[r * w + w - 1 - j] } }
        return out
    }
}

/// Rotation by an angle drawn from [min, max] degrees about the centre, nearest-neighbour sampling,
/// filled with 0 outside the image (torchvision's defaults).
public final class RandomRotation: Transform {
    public let low: Double, high: Double
    public init(degrees: (Double, Double)) { low = degrees.0; high = degrees.1 }
    public var repr: String {
        "RandomRotation(degrees=[\(NumberFormat.pythonRepr(low)), \(NumberFormat.pythonRepr(high))], interpolation=nearest, expand=False, fill=0)"
    }

    public func apply(_ x: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        try x.requireHost("\(repr)")
        let angle = (low + (high - low) * generator.nextDouble()) * Double.pi / 180
        let img = try Augment.image(x)
        let (c, h, w) = (img.shape[0], img.shape[1], img.shape[2])
        let out = try Tensor.zeros(img.shape, on: x.backend)
        let cy = Double(h - 1) / 2, cx = Double(w - 1) / 2
        let cosA = cos(angle), sinA = sin(angle)
        let s = img.f32, d = out.f32
        for y in 0..<h {
            for xx in 0..<w {
                // Inverse mapping: where in the source does this output pixel come from.
                let dy = Double(y) - cy, dx = Double(xx) - cx
                let sx = (cosA * dx - sinA * dy + cx).rounded(), sy = (sinA * dx + cosA * dy + cy).rounded()
                guard sx >= 0, sy >= 0, sx < Double(w), sy < Double(h) else { continue }
                for ch in 0..<c { d[(ch * h + y) * w + xx] = s[(ch * h + Int(sy)) * w + Int(sx)] }
            }
        }
        return out
    }
}

/// A random crop of random area and aspect ratio, resized (bilinear) to `size`: torchvision's algorithm.
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
        try x.requireHost("\(repr)")
        let img = try Augment.image(x)
        let (c, h, w) = (img.shape[0], img.shape[1], img.shape[2])
        var box = (top: 0, left: 0, height: h, width: w)
        var found = false
        for _ in 0..<10 {
            let area = Double(h * w) * (scale.0 + (scale.1 - scale.0) * generator.nextDouble())
            let logLow = log(ratio.0), logHigh = log(ratio.1)
            let aspect = exp(logLow + (logHigh - logLow) * generator.nextDouble())
            // In doubles first: scales or ratios out of range (negative, infinite) give NaN or huge sides.
            let cwd = (area * aspect).squareRoot().rounded(), chd = (area / aspect).squareRoot().rounded()
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
        let (oh, ow) = size
        let out = try Tensor.empty([c, oh, ow], on: x.backend)
        let s = img.f32, d = out.f32
        for y in 0..<oh {
            let fy = (Double(y) + 0.5) * Double(box.height) / Double(oh) - 0.5
            let y0 = Swift.max(0, Swift.min(box.height - 1, Int(fy.rounded(.down)))), y1 = Swift.min(box.height - 1, y0 + 1)
            let wy = Float(Swift.max(0, Swift.min(1, fy - Double(y0))))
            for xx in 0..<ow {
                let fx = (Double(xx) + 0.5) * Double(box.width) / Double(ow) - 0.5
                let x0 = Swift.max(0, Swift.min(box.width - 1, Int(fx.rounded(.down)))), x1 = Swift.min(box.width - 1, x0 + 1)
                let wx = Float(Swift.max(0, Swift.min(1, fx - Double(x0))))
                for ch in 0..<c {
                    let base = ch * h * w
                    func at(_ yy: Int, _ xi: Int) -> Float { s[base + (box.top + yy) * w + box.left + xi] }
                    let top = at(y0, x0) * (1 - wx) + at(y0, x1) * wx, bottom = at(y1, x0) * (1 - wx) + at(y1, x1) * wx
                    d[(ch * oh + y) * ow + xx] = top * (1 - wy) + bottom * wy
                }
            }
        }
        return out
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
        try x.requireHost("\(repr)")
        let img = try Augment.image(x)
        let out = try img.clone()
        let d = out.f32, n = out.count
        // torchvision applies the enabled adjustments in a random order.
        var steps: [Int] = []
        if brightness != nil { steps.append(0) }
        if contrast != nil { steps.append(1) }
        if steps.count == 2 && generator.nextDouble() < 0.5 { steps.reverse() }
        for step in steps {
            if step == 0, let (lo, hi) = brightness {
                let f = Float(lo + (hi - lo) * generator.nextDouble())
                for i in 0..<n { d[i] = Swift.min(1, Swift.max(0, d[i] * f)) }
            } else if let (lo, hi) = contrast {
                let f = Float(lo + (hi - lo) * generator.nextDouble())
                var mean: Float = 0
                for i in 0..<n { mean += d[i] }
                mean /= Float(Swift.max(n, 1))
                for i in 0..<n { d[i] = Swift.min(1, Swift.max(0, d[i] * f + mean * (1 - f))) }
            }
        }
        return out
    }
}

enum Augment {
    /// The image as a contiguous float32 [C, H, W] tensor.
    static func image(_ x: Tensor) throws(TensorError) -> Tensor {
        guard x.dtype.isFloatingPoint else {
            throw .type("augmentations in dlx work on float images: apply ToTensor() first (got \(x.dtype.repr))")
        }
        let img = x.rank == 2 ? x.insertingAxis(at: 0) : x
        guard img.rank == 3 else { throw .value("expected an image of shape [C, H, W], got \(x.shape)") }
        return try img.to(.float32).contiguous()
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
