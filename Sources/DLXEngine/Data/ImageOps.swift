#if canImport(Glibc)
import Glibc
#endif

/// torchvision's tensor image operations (`transforms.functional`: hflip, vflip, rotate, resize) on float
/// images [..., H, W]: every plane of the leading dimensions (channels, a batch) is transformed alike, as
/// torchvision does. The augmentations draw their parameters and then call these.
public enum ImageOps {
    /// The image as contiguous planes [P, H, W] (float32 unless `anyDType`: moving pixels works on every
    /// dtype), and the leading shape to give back (an [H, W] image comes back as [1, H, W]).
    static func planes(_ x: Tensor, _ what: String, anyDType: Bool = false) throws(TensorError) -> (Tensor, [Int]) {
        try x.requireHost(what)
        guard anyDType || x.dtype.isFloatingPoint else {
            throw .type("augmentations in dlx work on float images: apply ToTensor() first (got \(x.dtype.repr))")
        }
        guard x.rank >= 2 else { throw .value("expected an image of shape [..., C, H, W], got \(x.shape)") }
        let lead = x.rank == 2 ? [1] : Array(x.shape.dropLast(2))
        let (h, w) = (x.shape[x.rank - 2], x.shape[x.rank - 1])
        return (try (anyDType ? x : x.to(.float32)).contiguous().reshape([lead.reduce(1, *), h, w]), lead)
    }

    /// out[to] = img[from], element by element of any dtype (both contiguous, of one dtype).
    @inline(__always)
    static func move(_ img: Tensor, _ from: Int, _ out: Tensor, _ to: Int) {
        let size = img.dtype.itemSize
        (out.storage.pointer + (out.offset + to) * size).copyMemory(from: img.storage.pointer + (img.offset + from) * size, byteCount: size)
    }

    /// Mirrors left and right.
    public static func hflip(_ x: Tensor) throws(TensorError) -> Tensor { try flip(x, horizontal: true) }
    /// Mirrors top and bottom.
    public static func vflip(_ x: Tensor) throws(TensorError) -> Tensor { try flip(x, horizontal: false) }

    static func flip(_ x: Tensor, horizontal: Bool) throws(TensorError) -> Tensor {
        let (img, lead) = try planes(x, horizontal ? "hflip" : "vflip", anyDType: true)
        let (p, h, w) = (img.shape[0], img.shape[1], img.shape[2])
        let out = try Tensor.empty(img.shape, dtype: img.dtype, on: x.backend)
        for k in 0..<p {
            for r in 0..<h {
                for j in 0..<w { move(img, horizontal ? (k * h + r) * w + w - 1 - j : (k * h + h - 1 - r) * w + j, out, (k * h + r) * w + j) }
            }
        }
        return try out.reshape(lead + [h, w])
    }

    /// Rotation by `degrees` counter-clockwise about the image centre, nearest-neighbour, zero outside: the
    /// inverse affine map, pixel-centre grid and float32 rounding of torchvision's `rotate` on tensors
    /// (`grid_sample` with round-half-even to the nearest pixel).
    public static func rotate(_ x: Tensor, degrees: Double) throws(TensorError) -> Tensor {
        let (img, lead) = try planes(x, "rotate", anyDType: true)
        let (p, h, w) = (img.shape[0], img.shape[1], img.shape[2])
        let rot = -degrees * Double.pi / 180
        // [cos, sin, 0, -sin, cos, 0] as float32, each divided by half the width or height.
        let m0 = Float(cos(rot)) / (0.5 * Float(w)), m1 = Float(sin(rot)) / (0.5 * Float(w))
        let m3 = Float(-sin(rot)) / (0.5 * Float(h)), m4 = Float(cos(rot)) / (0.5 * Float(h))
        func grid(_ n: Int) -> [Float] {
            // torch.linspace(-n/2 + 0.5, n/2 - 0.5, n) in float32.
            let start = Float(-Double(n) * 0.5 + 0.5), end = Float(Double(n) * 0.5 - 0.5)
            let step = n > 1 ? (end - start) / Float(n - 1) : 0
            return (0..<n).map { i in i < n / 2 ? start + step * Float(i) : end - step * Float(n - 1 - i) }
        }
        let xs = grid(w), ys = grid(h)
        let out = try Tensor.zeros(img.shape, dtype: img.dtype, on: x.backend)
        for i in 0..<h {
            for j in 0..<w {
                let gx = xs[j] * m0 + ys[i] * m1, gy = xs[j] * m3 + ys[i] * m4
                // grid_sample's unnormalisation (align_corners=False), then the nearest pixel.
                let sx = (((gx + 1) * Float(w) - 1) / 2).rounded(.toNearestOrEven)
                let sy = (((gy + 1) * Float(h) - 1) / 2).rounded(.toNearestOrEven)
                guard sx >= 0, sy >= 0, sx < Float(w), sy < Float(h) else { continue }
                let (si, sj) = (Int(sy), Int(sx))
                for k in 0..<p { move(img, (k * h + si) * w + sj, out, (k * h + i) * w + j) }
            }
        }
        return try out.reshape(lead + [h, w])
    }

    /// The output size torchvision's `resize` gives for `size` [h, w], or one number for the shorter side
    /// (the longer scaled to keep the aspect ratio, rounded down).
    public static func resizedSize(height h: Int, width w: Int, size: [Int]) throws(TensorError) -> (Int, Int) {
        if size.count == 2 { return (size[0], size[1]) }
        guard size.count == 1 else { throw .value("If size is a sequence, it should have 1 or 2 values") }
        let (short, long) = w <= h ? (w, h) : (h, w)
        // An image with a zero side has no aspect ratio to keep (the division was an Int(NaN) trap).
        guard short > 0 else { throw .runtime("resize: the input image has a zero side (\(h) x \(w))") }
        let newShort = size[0], scaled = (Double(newShort) * Double(long) / Double(short)).rounded(.down)
        guard scaled < 0x1p62 else {
            throw TensorError(.memory, "can't allocate memory: resizing \(h) x \(w) to a shorter side of \(newShort) gives \(NumberFormat.pythonRepr(scaled)) pixels on the longer")
        }
        let newLong = Int(scaled)
        return w <= h ? (newLong, newShort) : (newShort, newLong)
    }

    /// Bilinear resize with antialiasing (torchvision's default, `antialias=True`): each output pixel a
    /// triangle-filter average over the input pixels it covers (as wide as one output pixel when shrinking),
    /// widths first, then heights; without antialiasing plain bilinear interpolation of pixel centres.
    public static func resize(_ x: Tensor, height oh: Int, width ow: Int, antialias: Bool = true) throws(TensorError) -> Tensor {
        guard oh > 0, ow > 0 else { throw .value("the output size must be positive, got (\(oh), \(ow))") }
        let (img, lead) = try planes(x, "resize")
        let (p, h, w) = (img.shape[0], img.shape[1], img.shape[2])
        // The output first: its size checked against the memory limit before the filters (a few dozen bytes per
        // output row and column) are made.
        let mid = try Tensor.empty([p, h, ow], on: x.backend), out = try Tensor.empty([p, oh, ow], on: x.backend)
        try x.backend.checkHostArray(Swift.max(oh, ow), elementSize: 128)
        let across = weights(input: w, output: ow, antialias: antialias), down = weights(input: h, output: oh, antialias: antialias)
        // Widths first, then heights; each sum starts at its first product and adds the rest fused, as
        // ATen's AVX2 build computes it.
        func sum(_ ws: [Float], _ value: (Int) -> Float) -> Float {
            guard !ws.isEmpty else { return 0 }
            var acc = ws[0] * value(0)
            for t in 1..<ws.count { acc.addProduct(value(t), ws[t]) }
            return acc
        }
        let s = img.f32, m = mid.f32, d = out.f32
        for r in 0..<(p * h) {
            for (j, (first, ws)) in across.enumerated() { m[r * ow + j] = sum(ws) { s[r * w + first + $0] } }
        }
        for k in 0..<p {
            for (i, (first, ws)) in down.enumerated() {
                for j in 0..<ow { d[(k * oh + i) * ow + j] = sum(ws) { m[(k * h + first + $0) * ow + j] } }
            }
        }
        return try out.reshape(lead + [oh, ow])
    }

    /// For each output index, the first input index and the normalised filter weights from there
    /// (ATen's `_compute_indices_min_size_weights_aa`: float32 values, the intermediate sums in double as
    /// C++ computes them with its double literals).
    static func weights(input: Int, output: Int, antialias: Bool) -> [(Int, [Float])] {
        let scale = Float(input) / Float(output)
        let aa = antialias
        let support = Float(scale >= 1 ? 1.0 * Double(scale) : 1.0)
        let invScale = Float(scale >= 1 ? 1.0 / Double(scale) : 1.0)
        return (0..<output).map { i in
            if !aa {
                // Bilinear of pixel centres, the source coordinate clamped at 0 (align_corners=False).
                let src = Swift.max(0, scale * (Float(i) + 0.5) - 0.5)
                let i0 = Swift.min(Int(src), input - 1), i1 = Swift.min(i0 + 1, input - 1)
                let l1 = src - Float(i0)
                return i1 == i0 ? (i0, [1]) : (i0, [1 - l1, l1])
            }
            let center = Float(Double(scale) * (Double(i) + 0.5))
            let lo = Swift.max(Int(Double(center) - Double(support) + 0.5), 0)
            let size = Swift.min(Int(Double(center) + Double(support) + 0.5), input) - lo
            var ws = (0..<Swift.max(size, 0)).map { j -> Float in
                let t = Swift.abs(Float((Double(j + lo) - Double(center) + 0.5) * Double(invScale)))
                return t < 1 ? 1 - t : 0
            }
            let total = ws.reduce(Float(0), +)
            if total != 0 { ws = ws.map { $0 / total } }
            return (lo, ws)
        }
    }
}
