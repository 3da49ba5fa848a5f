import DLXEngine

/// Transforms on PIL images and NumPy arrays as torchvision applies them: step by step through a Compose, a
/// picture staying a picture through Resize, CenterCrop and the random flips, rotations and crops, becoming a
/// tensor at ToTensor or PILToTensor; ToPILImage turning a tensor (or an HxWxC array) back into an image.
extension Interpreter {
    /// Whether `t` needs the step-by-step walk for a tensor (a Lambda or a ToPILImage inside).
    func needsSteps(_ t: Transform, depth: Int = 0) -> Bool {
        if t is LambdaTransform || t is ToPILImage { return true }
        if let c = t as? Compose, depth < 32 { return c.transforms.contains { needsSteps($0, depth: depth + 1) } }
        return false
    }

    func applySteps(_ t: Transform, _ v: Value, depth: Int = 0) throws(DLXError) -> Value {
        guard depth < 100 else { throw DLXError("RecursionError", "maximum recursion depth exceeded in Compose") }
        if let c = t as? Compose {
            var x = v
            for step in c.transforms { x = try applySteps(step, x, depth: depth + 1) }
            return x
        }
        if let l = t as? LambdaTransform {
            var a = Arguments([v])
            return try call(l.function, &a)
        }
        switch v {
        case .object(let p as PILImageObject): return try applyToPicture(t, p)
        case .object(let a as ArrayLike) where !(v.isTensorValue):
            return try applyToArray(t, a.arrayTensor)
        default:
            let x = try toTensor(v, "pic")
            let y = try drawing { g throws(TensorError) in try t.apply(x, generator: &g) }
            return t is ToPILImage ? .object(PILImageObject(y)) : .tensor(y)
        }
    }

    private func applyToPicture(_ t: Transform, _ p: PILImageObject) throws(DLXError) -> Value {
        let qualified = "<class '\(p.qualifiedName)'>"
        switch t {
        case let pt as PictureTransform:
            let y = try drawing { g throws(TensorError) in try pt.applyPicture(p.pixels, generator: &g) }
            return pt.givesPicture ? .object(PILImageObject(y, mode: p.mode)) : .tensor(y)
        case is ToTensor:
            return .tensor(try drawing { g throws(TensorError) in try t.apply(p.pixels, generator: &g) })
        case is ToPILImage:
            throw .type("pic should be Tensor or ndarray. Got \(qualified).")
        case is Normalize:
            throw .type("img should be Tensor Image. Got \(qualified)")
        default:
            throw .type("\(t.repr) does not take PIL images in dlx")
        }
    }

    /// An ndarray given to a transform: ToTensor makes HxWxC into CxHxW (uint8 scaled by 1/255), ToPILImage
    /// takes HxW or HxWxC uint8.
    private func applyToArray(_ t: Transform, _ a: Tensor) throws(DLXError) -> Value {
        switch t {
        case is ToTensor:
            guard a.rank == 2 || a.rank == 3 else { throw .value("pic should be 2/3 dimensional. Got \(a.rank) dimensions.") }
            return .tensor(try engine { () throws(TensorError) in
                let hwc = a.rank == 2 ? try a.reshape(a.shape + [1]) : a
                if a.dtype == .uint8 { return try ToTensor().apply(hwc.contiguous(), generator: &session.generator) }
                return try hwc.permute([2, 0, 1]).contiguous().clone()
            })
        case is ToPILImage:
            guard a.dtype == .uint8, a.rank == 2 || (a.rank == 3 && (1...4).contains(a.shape[2])) else {
                throw DLXError("NotImplementedError", "dlx makes images of uint8 [H, W] or [H, W, C] arrays (not \(a.dtype.name) \(a.shape))")
            }
            let hw = a.rank == 3 && a.shape[2] == 1 ? try engine { () throws(TensorError) in try a.reshape([a.shape[0], a.shape[1]]) } : a
            return .object(PILImageObject(try engine { () throws(TensorError) in try hw.contiguous().clone() }))
        default:
            throw .type("pic should be PIL Image or Tensor. Got <class 'numpy.ndarray'>")
        }
    }

    /// Whether a dataset's samples are PIL images until a transform says otherwise: torchvision's image sets
    /// and what is made of them.
    func givesPictures(_ d: Dataset, depth: Int = 0) -> Bool {
        guard depth < 100 else { return false }
        switch d {
        case let d as ImageDataset: return d.pilSamples
        case let s as Subset: return givesPictures(s.dataset, depth: depth + 1)
        case let c as ConcatDataset: return c.datasets.contains { givesPictures($0, depth: depth + 1) }
        default: return false
        }
    }

    /// PyTorch's default_collate refuses PIL images.
    static let collatePictureError = DLXError("TypeError",
        "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found <class 'PIL.Image.Image'>")
}

extension Value {
    var isTensorValue: Bool { if case .tensor = self { return true } else { return false } }
}
