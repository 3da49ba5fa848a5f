import DLXEngine

/// `transforms.Lambda`, `torchvision.transforms.functional` (to_tensor, normalize, resize, rotate, hflip,
/// vflip), and how a transform is applied to a value of the language.
extension Interpreter {
    /// Runs engine work that draws from the session's generator on a copy, written back after: the engine
    /// may call back into the language (a `transforms.Lambda`, a user module's forward), which draws from
    /// the session's generator itself.
    func drawing<T>(_ body: (inout Generator) throws(TensorError) -> T) throws(DLXError) -> T {
        var g = session.generator
        defer { session.generator = g }
        return try engine { () throws(TensorError) in try body(&g) }
    }

    func isCallable(_ v: Value) -> Bool {
        switch v {
        case .module: return true
        case .object(let o as PyInstance): return o.special("__call__") != nil
        case .object(let o): return o is BuiltinFunction || o is UserFunction || o is TypeObject || o is PyClass || o is BoundMethod
            || o is StaticMethod || o is TransformObject
        default: return false
        }
    }

    /// A transform applied to a value: a Lambda takes anything, a Compose passes each step's result on, and
    /// the image transforms take tensors.
    func applyTransform(_ t: Transform, _ v: Value) throws(DLXError) -> Value {
        if case .tensor = v, !needsSteps(t) {} else { return try applySteps(t, v) }
        let x = try toTensor(v, "pic")
        return .tensor(try drawing { g throws(TensorError) in try t.apply(x, generator: &g) })
    }

    func transformFunctionalMembers() -> [String: Value] {
        func image(_ a: inout Arguments, _ i: Interpreter) throws(DLXError) -> Tensor { try i.toTensor(try a.required(0, "img"), "img") }
        return [
            "to_tensor": function("to_tensor") { a, i throws(DLXError) in
                let pic = try a.required(0, "pic")
                var x: Tensor
                if case .object(let n as NDArrayObject) = pic { x = n.tensor } else { x = try i.toTensor(pic, "pic") }
                return .tensor(try i.engine { () throws(TensorError) in try ToTensor().apply(x, generator: &i.session.generator) })
            },
            "normalize": function("normalize") { a, i throws(DLXError) in
                let x = try i.toTensor(try a.required(0, "tensor"), "tensor")
                let mean = try a.required(1, "mean"), std = try a.required(2, "std")
                _ = try a.get(3, "inplace")
                let n = try i.normalize(mean, std)
                return .tensor(try i.engine { () throws(TensorError) in try n.apply(x, generator: &i.session.generator) })
            },
            "resize": function("resize") { a, i throws(DLXError) in
                let x = try image(&a, i)
                let sizeValue = try a.required(1, "size")
                let size = i.scalar(sizeValue) != nil ? [try i.toInt(sizeValue, "size")]
                    : try i.iterateAll(sizeValue).map { v throws(DLXError) in try i.toInt(v, "size") }
                if let mode = try a.get(2, "interpolation"), !mode.isNone, try i.str(mode).lowercased().hasSuffix("bilinear") == false {
                    throw DLXError("NotImplementedError", "resize supports bilinear interpolation only in dlx")
                }
                if let m = try a.get(3, "max_size"), !m.isNone { throw DLXError("NotImplementedError", "resize(max_size=...) is not supported in dlx") }
                let antialias = try a.get(4, "antialias").map { v throws(DLXError) in v.isNone ? true : try i.truthy(v) } ?? true
                guard x.rank >= 3 else {
                    throw .value("Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of "
                                 + "\(Array(([1] + x.shape).dropFirst(2))) and output size of \(size). Please provide input tensor in (N, C, d1, d2, ...,dK) "
                                 + "format and output size in (o1, o2, ...,oK) format.")
                }
                return .tensor(try i.engine { () throws(TensorError) in
                    let (oh, ow) = try ImageOps.resizedSize(height: x.shape[x.rank - 2], width: x.shape[x.rank - 1], size: size)
                    return try ImageOps.resize(x, height: oh, width: ow, antialias: antialias)
                })
            },
            "rotate": function("rotate") { a, i throws(DLXError) in
                let x = try image(&a, i)
                let angle = try i.toDouble(try a.required(1, "angle"), "angle")
                if let mode = try a.get(2, "interpolation"), !mode.isNone, try i.str(mode).lowercased().hasSuffix("nearest") == false {
                    throw DLXError("NotImplementedError", "rotate supports nearest interpolation only in dlx")
                }
                if let e = try a.get(3, "expand"), try i.truthy(e) { throw DLXError("NotImplementedError", "rotate(expand=True) is not supported in dlx") }
                if let c = try a.get(4, "center"), !c.isNone { throw DLXError("NotImplementedError", "rotate(center=...) is not supported in dlx") }
                if let f = try a.get(5, "fill"), !f.isNone, (try? i.toDouble(f, "fill")) != 0 {
                    throw DLXError("NotImplementedError", "rotate(fill=...) other than 0 is not supported in dlx")
                }
                return .tensor(try i.engine { () throws(TensorError) in
                    let r = try ImageOps.rotate(x, degrees: angle)
                    return x.rank == 2 ? try r.reshape(x.shape) : r
                })
            },
            "hflip": function("hflip") { a, i throws(DLXError) in
                let x = try image(&a, i)
                return .tensor(try i.engine { () throws(TensorError) in try ImageOps.hflip(x).reshape(x.shape) })
            },
            "vflip": function("vflip") { a, i throws(DLXError) in
                let x = try image(&a, i)
                return .tensor(try i.engine { () throws(TensorError) in try ImageOps.vflip(x).reshape(x.shape) })
            },
            // dlx's images are what torchvision's PIL images hold: uint8 [H, W] (grey) or [H, W, C]. A float image
            // is scaled by 255 and truncated, as torchvision's pic.mul(255).byte().
            "to_pil_image": function("to_pil_image") { a, i throws(DLXError) in
                let pic = try i.toTensor(try a.required(0, "pic"), "pic")
                if let mode = try a.get(1, "mode"), !mode.isNone, try i.toStringValue(mode, "mode") != "L" {
                    throw DLXError("NotImplementedError", "to_pil_image(mode=...) other than 'L' is not supported in dlx")
                }
                guard pic.rank == 2 || pic.rank == 3 else { throw .value("pic should be 2/3 dimensional. Got \(pic.rank) dimensions.") }
                return .tensor(try i.engine { () throws(TensorError) in
                    var x = pic.rank == 2 ? try pic.reshape([1] + pic.shape) : pic
                    if x.dtype.isFloatingPoint { x = try Tensor.binary(.mul, .tensor(x), .scalar(.float(255))).to(.uint8) }
                    else if x.dtype != .uint8 { x = try x.to(.uint8) }
                    return x.shape[0] == 1 ? try x.reshape(Array(x.shape.dropFirst())) : try x.permute([1, 2, 0]).contiguous()
                })
            },
        ]
    }
}

/// `transforms.Lambda(f)`: f applied to whatever the transform is given. Inside a dataset's transform the
/// engine calls it with the generator it draws from; the function runs with that generator as the session's.
final class LambdaTransform: Transform {
    let function: Value
    weak var interpreter: Interpreter?
    init(_ function: Value, _ interpreter: Interpreter) { self.function = function; self.interpreter = interpreter }
    var repr: String { "Lambda()" }

    func apply(_ x: Tensor, generator: inout Generator) throws(TensorError) -> Tensor {
        guard let i = interpreter else { throw .runtime("the session of this transform has ended") }
        i.session.generator = generator
        defer { generator = i.session.generator }
        do throws(DLXError) {
            var a = Arguments([x.isDatasetPicture ? .object(PILImageObject(x)) : .tensor(x)])
            let v = try i.call(function, &a)
            if case .object(let p as PILImageObject) = v { return p.pixels }
            guard case .tensor(let t) = v else {
                throw DLXError("TypeError", "a Lambda inside a dataset's transform must return a tensor, not \(v.typeName)")
            }
            return t
        } catch {
            throw TensorError(error)
        }
    }
}
