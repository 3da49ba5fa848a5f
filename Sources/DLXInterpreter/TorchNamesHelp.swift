/// Help for the PyTorch names of TorchExtras, TensorInPlace, OptimizerBindings, BinaryLossBindings and
/// TransformBindings (and the containers that came without help): a signature, a summary, an example.
extension Interpreter {
    static let torchNamesHelp: [String: HelpEntry] = {
        var h: [String: HelpEntry] = [:]
        // torch
        h.add("torch.__version__", "torch.__version__", "The PyTorch version dlx follows (a string).", "print(torch.__version__)")
        h.add("torch.get_default_dtype", "torch.get_default_dtype()", "The dtype of new floating-point tensors: torch.float32.", "torch.get_default_dtype()")
        h.add("torch.set_default_dtype", "torch.set_default_dtype(d)", "Accepts torch.float32, the only default dlx computes in.", "torch.set_default_dtype(torch.float32)")
        h.add("torch.randperm", "torch.randperm(n, dtype=torch.int64, device=None, requires_grad=False)", "A random order of 0 .. n-1, from the session's generator.", "idx = torch.randperm(len(x))[:100]")
        for (name, dtype) in legacyTensorTypes {
            h.add("torch." + name, "torch.\(name)(data) / torch.\(name)(*size)", "A \(dtype.name) tensor from data, or of the given size (zeros in dlx); isinstance checks the dtype.", "torch.\(name)([1, 2])")
        }
        h.add("torch.true_divide", "torch.true_divide(input, other)", "Division that always gives floating point (torch.div).", "torch.true_divide(torch.tensor([3, 4]), 2)")
        h.add("torch.floor_divide", "torch.floor_divide(input, other)", "Division rounded down (torch.div(..., rounding_mode='floor')).", "torch.floor_divide(torch.tensor([7, -7]), 2)")
        h.add("torch.clamp", "torch.clamp(input, min=None, max=None)", "Each element limited to [min, max]; the gradient passes inside the range.", "torch.clamp(x, min=0.0, max=1.0)")
        h.add("torch.clip", "torch.clip(input, min=None, max=None)", "torch.clamp.", "torch.clip(x, 0, 1)")
        h.add("torch.all", "torch.all(input, dim=None, keepdim=False)", "Whether every element is nonzero (along dim).", "torch.all(x > 0)")
        h.add("torch.any", "torch.any(input, dim=None, keepdim=False)", "Whether some element is nonzero (along dim).", "torch.any(torch.isnan(x))")
        h.add("torch.isfinite", "torch.isfinite(input)", "True where an element is neither infinite nor NaN.", "torch.isfinite(loss)")
        h.add("torch.isnan", "torch.isnan(input)", "True where an element is NaN.", "torch.isnan(x).any()")
        h.add("torch.isinf", "torch.isinf(input)", "True where an element is infinite.", "torch.isinf(x)")
        h.add("torch.sort", "torch.sort(input, dim=-1, descending=False)", "The values in order along dim, and where each came from (values, indices).", "values, indices = torch.sort(scores, descending=True)")
        h.add("torch.equal", "torch.equal(input, other)", "True when both have the same shape and elements.", "torch.equal(a, b)")
        h.add("torch.allclose", "torch.allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False)", "True when |input - other| <= atol + rtol |other| everywhere.", "torch.allclose(a, b, atol=1e-6)")
        h.add("torch.flip", "torch.flip(input, dims)", "The elements in reverse order along each of dims.", "torch.flip(img, [-1])")
        h.add("torch.neg", "torch.neg(input)", "-input.", "torch.neg(x)")
        h.add("torch.backends.cudnn.is_available", "torch.backends.cudnn.is_available()", "False: dlx runs its own GPU kernels, not cuDNN (torch.backends.cudnn.benchmark and deterministic are kept as flags).", "torch.backends.cudnn.is_available()")
        h.add("torch.backends.cudnn.version", "torch.backends.cudnn.version()", "None: dlx has no cuDNN.", "torch.backends.cudnn.version()")
        h.add("torch.backends.mps.is_available", "torch.backends.mps.is_available()", "False: dlx has no Apple GPU backend.", "device = 'mps' if torch.backends.mps.is_available() else 'cpu'")
        h.add("torch.backends.mps.is_built", "torch.backends.mps.is_built()", "False: dlx has no Apple GPU backend.", "torch.backends.mps.is_built()")
        h.add("torch.accelerator.is_available", "torch.accelerator.is_available()", "Whether a CUDA GPU can be used (as torch.cuda.is_available()).", "torch.accelerator.is_available()")
        h.add("torch.accelerator.current_accelerator", "torch.accelerator.current_accelerator(check_available=False)", "device(type='cuda') when dlx found a GPU, else None.", "device = torch.accelerator.current_accelerator() or torch.device('cpu')")
        h.add("torch.accelerator.device_count", "torch.accelerator.device_count()", "The number of GPUs.", "torch.accelerator.device_count()")
        h.add("torch.accelerator.current_device_index", "torch.accelerator.current_device_index()", "0 with a GPU, -1 without.", "torch.accelerator.current_device_index()")
        h.add("torch.accelerator.synchronize", "torch.accelerator.synchronize(device=None)", "Waits for the GPU's queued work.", "torch.accelerator.synchronize()")
        // torch.nn
        h.add("torch.nn.BCELoss", "nn.BCELoss(weight=None, reduction='mean')", "Binary cross-entropy of probabilities (after a sigmoid) and 0/1 targets of the same shape.", "nn.BCELoss()(torch.sigmoid(logits), y.float())")
        h.add("torch.nn.BCEWithLogitsLoss", "nn.BCEWithLogitsLoss(weight=None, reduction='mean', pos_weight=None)", "Binary cross-entropy of logits (the sigmoid taken inside, stably); pos_weight weighs the positives.", "loss_fn = nn.BCEWithLogitsLoss()")
        h.add("torch.nn.functional.binary_cross_entropy", "F.binary_cross_entropy(input, target, weight=None, reduction='mean')", "Binary cross-entropy of probabilities.", "F.binary_cross_entropy(torch.sigmoid(out), y)")
        h.add("torch.nn.functional.binary_cross_entropy_with_logits", "F.binary_cross_entropy_with_logits(input, target, weight=None, reduction='mean', pos_weight=None)", "Binary cross-entropy of logits.", "F.binary_cross_entropy_with_logits(out, y)")
        h.add("torch.nn.Parameter", "nn.Parameter(data, requires_grad=True)", "A tensor a module registers as a learnable parameter when assigned to self.name.", "self.scale = nn.Parameter(torch.ones(1))")
        h.add("torch.nn.ModuleList", "nn.ModuleList(modules=None)", "Modules in a list, registered as children 0, 1, ...", "self.layers = nn.ModuleList([nn.Linear(8, 8) for _ in range(3)])")
        h.add("torch.nn.ModuleDict", "nn.ModuleDict(modules=None)", "Modules by name, registered as children.", "self.heads = nn.ModuleDict({'a': nn.Linear(8, 2)})")
        h.add("torch.nn.init.calculate_gain", "nn.init.calculate_gain(nonlinearity, param=None)", "PyTorch's recommended gain for a nonlinearity (relu: sqrt(2), tanh: 5/3, linear: 1).", "nn.init.xavier_uniform_(w, gain=nn.init.calculate_gain('relu'))")
        h.add("torch.utils.data.ConcatDataset", "ConcatDataset(datasets)", "Datasets one after another, as one.", "ConcatDataset([train_set, extra_set])")
        // torchvision
        h.add("torchvision.transforms.Lambda", "transforms.Lambda(lambd)", "A transform that applies your function.", "transforms.Lambda(lambda x: x.view(-1))")
        h.add("torchvision.transforms.functional.to_tensor", "F.to_tensor(pic)", "A uint8 image [H, W] or [H, W, C] as a float [C, H, W] tensor in [0, 1].", "TF.to_tensor(x_0)")
        h.add("torchvision.transforms.functional.normalize", "F.normalize(tensor, mean, std)", "(x - mean) / std per channel.", "TF.normalize(img, [0.5], [0.5])")
        h.add("torchvision.transforms.functional.resize", "F.resize(img, size, antialias=True)", "Bilinear resize (antialiased) to [h, w], or the shorter side to size.", "TF.resize(img, [14, 14])")
        h.add("torchvision.transforms.functional.rotate", "F.rotate(img, angle)", "Rotates counter-clockwise by angle degrees about the centre (nearest pixel, 0 outside).", "TF.rotate(img, 15)")
        h.add("torchvision.transforms.functional.hflip", "F.hflip(img)", "Mirrors left and right.", "TF.hflip(img)")
        h.add("torchvision.transforms.functional.vflip", "F.vflip(img)", "Mirrors top and bottom.", "TF.vflip(img)")
        h.add("torchvision.transforms.functional.to_pil_image", "F.to_pil_image(pic, mode=None)", "A [C, H, W] image tensor as the uint8 [H, W] (grey) or [H, W, C] image dlx uses where torchvision has a PIL image.", "img = F.to_pil_image(x)")
        // torch.onnx, safetensors
        h.add("torch.onnx.export", "torch.onnx.export(model, args, f, input_names=None, output_names=None, dynamic_axes=None, opset_version=17)",
            "Writes the model as an ONNX graph (IR 10, opset 17 unless given): its forward runs once on the example input in eval mode, "
            + "and the layers and functions it calls become ONNX nodes (Linear, Conv2d, BatchNorm2d, ReLU, Sigmoid, Tanh, Softmax, "
            + "LogSoftmax, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, Dropout, view/reshape); dynamic_axes names axes that may vary.",
            "torch.onnx.export(model, torch.rand(1, 1, 28, 28), \"model.onnx\", input_names=[\"input\"], output_names=[\"output\"],\n"
            + "                  dynamic_axes={\"input\": {0: \"batch\"}, \"output\": {0: \"batch\"}})")
        let safeOpen = ("safe_open(filename, framework, device='cpu')",
                        "Opens a safetensors file to read tensors one at a time: keys(), get_tensor(name), metadata(); use it in a with statement.",
                        "with safe_open(\"model.safetensors\", framework=\"pt\") as f:\n    w = f.get_tensor(\"0.weight\")")
        h.add("safetensors.safe_open", safeOpen.0, safeOpen.1, safeOpen.2)
        h.add("safetensors.torch.safe_open", safeOpen.0, safeOpen.1, safeOpen.2)
        h.add("safetensors.torch.save_file", "save_file(tensors, filename, metadata=None)",
            "Writes a dict of names to tensors in the safetensors format, as the safetensors library writes it (metadata: a dict of strings).",
            "save_file(model.state_dict(), \"model.safetensors\")")
        h.add("safetensors.torch.load_file", "load_file(filename, device='cpu')", "The dict of names to tensors a safetensors file holds.",
            "state = load_file(\"model.safetensors\")")
        h.add("safetensors.torch.save", "save(tensors, metadata=None)", "A safetensors file's bytes for a dict of tensors.", "data = save({\"w\": w})")
        h.add("safetensors.torch.load", "load(data)", "The dict of tensors in a safetensors file's bytes.", "tensors = load(data)")
        return h
    }()
}
