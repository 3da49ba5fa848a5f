/// What PIL images hold, as dlx keeps them: uint8 tensors [H, W] (mode L) or [H, W, C] (LA, RGB, RGBA), on
/// the host. Pillow's own algorithms where a result must match it pixel for pixel: mode conversion (ITU-R 601-2
/// luma in 16-bit fixed point), resampling (separable, antialiased convolution in 22-bit fixed point, as
/// Resample.c), cropping with zero fill outside the image.
public enum PictureOps {
    public enum Filter: String, Sendable { case nearest, bilinear, bicubic }

    /// Height, width and channels of a picture tensor.
    public static func geometry(_ p: Tensor) throws(TensorError) -> (h: Int, w: Int, c: Int) {
        guard p.dtype == .uint8, p.rank == 2 || (p.rank == 3 && (1...4).contains(p.shape[2])) else {
            throw .type("an image must be uint8 [H, W] or [H, W, C], not \(p.dtype.name) \(p.shape)")
        }
        return (p.shape[0], p.shape[1], p.rank == 2 ? 1 : p.shape[2])
    }

    public static func bytes(_ p: Tensor) throws(TensorError) -> [UInt8] {
        try p.requireHost("a PIL image")
        let c = try p.contiguous()
        let base = c.storage.pointer.assumingMemoryBound(to: UInt8.self) + c.offset
        return Array(UnsafeBufferPointer(start: base, count: c.count))
    }

    public static func make(_ bytes: [UInt8], height h: Int, width w: Int, channels c: Int, on backend: any Backend) throws(TensorError) -> Tensor {
        let t = try Tensor.empty(c == 1 ? [h, w] : [h, w, c], dtype: .uint8, on: backend)
        bytes.withUnsafeBytes { t.storage.pointer.copyMemory(from: $0.baseAddress!, byteCount: Swift.min($0.count, h * w * c)) }
        return t
    }

    public static func channels(of mode: String) -> Int? {
        ["L": 1, "LA": 2, "RGB": 3, "RGBA": 4][mode]
    }

    /// Pillow's `convert` between L, LA, RGB and RGBA.
    public static func convert(_ p: Tensor, from: String, to: String) throws(TensorError) -> Tensor {
        guard let out = channels(of: to), let inC = channels(of: from) else {
            throw .value("conversion from \(from) to \(to) not supported")
        }
        let (h, w, _) = try geometry(p)
        if from == to { return try make(try bytes(p), height: h, width: w, channels: inC, on: p.backend) }
        let src = try bytes(p)
        var dst = [UInt8](repeating: 0, count: h * w * out)
        let hasAlpha = inC == 2 || inC == 4
        for i in 0..<(h * w) {
            let s = i * inC
            let (r, g, b): (Int, Int, Int) = inC < 3 ? (Int(src[s]), Int(src[s]), Int(src[s])) : (Int(src[s]), Int(src[s + 1]), Int(src[s + 2]))
            let a = hasAlpha ? src[s + inC - 1] : 255
            let d = i * out
            if out <= 2 {
                // Pillow's L24: 0.299 R + 0.587 G + 0.114 B in 16-bit fixed point, rounded.
                dst[d] = inC < 3 ? UInt8(r) : UInt8((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16)
            } else {
                dst[d] = UInt8(r); dst[d + 1] = UInt8(g); dst[d + 2] = UInt8(b)
            }
            if out == 2 || out == 4 { dst[d + out - 1] = a }
        }
        return try make(dst, height: h, width: w, channels: out, on: p.backend)
    }

    /// `crop((left, upper, right, lower))`: pixels outside the image are 0.
    public static func crop(_ p: Tensor, left: Int, top: Int, right: Int, bottom: Int) throws(TensorError) -> Tensor {
        let (h, w, c) = try geometry(p)
        let (ow, o1) = right.subtractingReportingOverflow(left), (oh, o2) = bottom.subtractingReportingOverflow(top)
        guard !o1, !o2 else { throw .value("the crop box is too large") }
        try checkRoom(p, [Swift.max(0, oh), Swift.max(0, ow), c])
        let (w0, h0) = (Swift.max(0, ow), Swift.max(0, oh))
        let src = try bytes(p)
        var dst = [UInt8](repeating: 0, count: h0 * w0 * c)
        // Only the rows and columns inside the image are copied; the rest stays 0.
        for y in Swift.max(0, -top)..<Swift.max(Swift.max(0, -top), Swift.min(h0, h - top)) {
            for x in Swift.max(0, -left)..<Swift.max(Swift.max(0, -left), Swift.min(w0, w - left)) {
                for k in 0..<c { dst[(y * w0 + x) * c + k] = src[((top + y) * w + left + x) * c + k] }
            }
        }
        return try make(dst, height: h0, width: w0, channels: c, on: p.backend)
    }

    public static func flip(_ p: Tensor, horizontal: Bool) throws(TensorError) -> Tensor {
        let (h, w, c) = try geometry(p)
        let src = try bytes(p)
        var dst = src
        for y in 0..<h {
            for x in 0..<w {
                let (sy, sx) = horizontal ? (y, w - 1 - x) : (h - 1 - y, x)
                for k in 0..<c { dst[(y * w + x) * c + k] = src[(sy * w + sx) * c + k] }
            }
        }
        return try make(dst, height: h, width: w, channels: c, on: p.backend)
    }

    /// Pillow's `resize((width, height), filter)`.
    public static func resize(_ p: Tensor, width ow: Int, height oh: Int, filter: Filter) throws(TensorError) -> Tensor {
        let (h, w, c) = try geometry(p)
        guard ow > 0, oh > 0 else { throw .value("height and width must be > 0") }
        try checkRoom(p, [oh, ow, c, 2])
        try checkRoom(p, [w, oh, c])
        var src = try bytes(p)
        if filter == .nearest {
            var dst = [UInt8](repeating: 0, count: oh * ow * c)
            let sx = Double(w) / Double(ow), sy = Double(h) / Double(oh)
            for y in 0..<oh {
                let yy = Swift.min(h - 1, Int((Double(y) + 0.5) * sy))
                for x in 0..<ow {
                    let xx = Swift.min(w - 1, Int((Double(x) + 0.5) * sx))
                    for k in 0..<c { dst[(y * ow + x) * c + k] = src[(yy * w + xx) * c + k] }
                }
            }
            return try make(dst, height: oh, width: ow, channels: c, on: p.backend)
        }
        var width = w, height = h
        if ow != w {
            let coeffs = coefficients(input: w, output: ow, filter: filter)
            var dst = [UInt8](repeating: 0, count: height * ow * c)
            for y in 0..<height {
                for (x, (start, k)) in coeffs.enumerated() {
                    for ch in 0..<c {
                        var ss = 1 << (precisionBits - 1)
                        for (j, kj) in k.enumerated() { ss += Int(src[(y * width + start + j) * c + ch]) * kj }
                        dst[(y * ow + x) * c + ch] = clip8(ss)
                    }
                }
            }
            src = dst; width = ow
        }
        if oh != h {
            let coeffs = coefficients(input: h, output: oh, filter: filter)
            var dst = [UInt8](repeating: 0, count: oh * width * c)
            for (y, (start, k)) in coeffs.enumerated() {
                for x in 0..<width {
                    for ch in 0..<c {
                        var ss = 1 << (precisionBits - 1)
                        for (j, kj) in k.enumerated() { ss += Int(src[((start + j) * width + x) * c + ch]) * kj }
                        dst[(y * width + x) * c + ch] = clip8(ss)
                    }
                }
            }
            src = dst; height = oh
        }
        return try make(src, height: height, width: width, channels: c, on: p.backend)
    }

    /// Throws MemoryError (or the overflow's error) unless `shape`'s bytes fit the memory limit.
    static func checkRoom(_ p: Tensor, _ shape: [Int]) throws(TensorError) {
        try p.backend.checkHostMemory(byteCount: try Tensor.checkedCount(shape))
    }

    static let precisionBits = 32 - 8 - 2

    static func clip8(_ v: Int) -> UInt8 { UInt8(Swift.max(0, Swift.min(255, v >> precisionBits))) }

    static func kernel(_ filter: Filter, _ x: Double) -> Double {
        let x = Swift.abs(x)
        switch filter {
        case .bilinear: return x < 1 ? 1 - x : 0
        case .bicubic:
            let a = -0.5
            if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
            if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
            return 0
        case .nearest: return x < 0.5 ? 1 : 0
        }
    }

    /// Each output's first input and fixed-point weights (Resample.c's precompute_coeffs and normalize_coeffs_8bpc).
    static func coefficients(input: Int, output: Int, filter: Filter) -> [(Int, [Int])] {
        let support0: Double = filter == .bicubic ? 2 : 1
        let scale = Double(input) / Double(output)
        let filterScale = Swift.max(scale, 1)
        let support = support0 * filterScale
        return (0..<output).map { xx in
            let center = (Double(xx) + 0.5) * scale
            let ss = 1 / filterScale
            let xmin = Swift.max(Int(center - support + 0.5), 0)
            let xmax = Swift.min(Int(center + support + 0.5), input) - xmin
            var k = (0..<Swift.max(xmax, 0)).map { x in kernel(filter, (Double(x + xmin) - center + 0.5) * ss) }
            let total = k.reduce(0, +)
            if total != 0 { k = k.map { $0 / total } }
            let fixed = k.map { w in w < 0 ? Int(-0.5 + w * Double(1 << precisionBits)) : Int(0.5 + w * Double(1 << precisionBits)) }
            return (xmin, fixed)
        }
    }

    /// A picture as float [C, H, W] in [0, 1] (what ToTensor gives), and back (rounded, clamped).
    public static func toFloat(_ p: Tensor) throws(TensorError) -> Tensor {
        var unused = Generator(seed: 0)   // ToTensor draws nothing
        return try ToTensor().apply(p, generator: &unused)
    }

    public static func fromFloat(_ x: Tensor) throws(TensorError) -> Tensor {
        guard x.rank == 3 else { throw .value("expected a [C, H, W] image, got \(x.shape)") }
        let (c, h, w) = (x.shape[0], x.shape[1], x.shape[2])
        let v = try x.contiguous().doubles()
        var dst = [UInt8](repeating: 0, count: h * w * c)
        for k in 0..<c {
            for i in 0..<(h * w) {
                let s = v[k * h * w + i]
                dst[i * c + k] = s.isFinite ? UInt8(Swift.max(0, Swift.min(255, (s * 255).rounded()))) : 0
            }
        }
        return try make(dst, height: h, width: w, channels: c, on: x.backend)
    }
}
