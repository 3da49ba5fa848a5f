/// The families of modules, optimizers, LR schedulers, datasets and DataLoaders: each attribute and method
/// with PyTorch's signature, what it does and an example (model is `seq(flatten(), linear(784, 10))`,
/// optimizer an SGD over its parameters, scheduler a StepLR of it, train_set `load mnist`, loader a DataLoader).
extension Interpreter {
    static let moduleMethods = MethodTable("torch.nn.Module", [
        ("training", "Module.training", "True in training mode (dropout drops, batch norm learns its statistics), False after eval().", "model.training"),
        ("forward", "Module.forward(*input)", "The computation the module does; call the module, model(x), rather than forward.", "model.forward(torch.zeros(1, 1, 28, 28))"),
        ("parameters", "Module.parameters(recurse=True)", "An iterator over the module's parameters (its children's too): what an optimizer updates.", "sum(p.numel() for p in model.parameters())"),
        ("named_parameters", "Module.named_parameters(prefix='', recurse=True, remove_duplicate=True)", "An iterator over (name, parameter) pairs, names dotted as in the state dict.",
         "for name, p in model.named_parameters():\n    print(name, p.shape)"),
        ("buffers", "Module.buffers(recurse=True)", "An iterator over the module's buffers: tensors it keeps that are not learned (batch norm's running mean).", "list(model.buffers())"),
        ("named_buffers", "Module.named_buffers(prefix='', recurse=True, remove_duplicate=True)", "An iterator over (name, buffer) pairs.", "list(model.named_buffers())"),
        ("children", "Module.children()", "An iterator over the module's direct children.", "list(model.children())"),
        ("named_children", "Module.named_children()", "An iterator over (name, child) pairs of the direct children.", "list(model.named_children())"),
        ("modules", "Module.modules(remove_duplicate=True)", "An iterator over the module and every module inside it.", "len(list(model.modules()))"),
        ("named_modules", "Module.named_modules(memo=None, prefix='', remove_duplicate=True)", "An iterator over (dotted name, module) pairs of the module ('') and every module inside it.", "[name for name, m in model.named_modules()]"),
        ("get_submodule", "Module.get_submodule(target)", "The module at a dotted path such as '1' or 'features.0'.", "model.get_submodule('1')"),
        ("add_module", "Module.add_module(name, module)", "Adds a child module under name (as self.name = module does); dlx offers it in your own nn.Module classes.", "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.add_module('fc', nn.Linear(4, 2))\nNet()"),
        ("register_module", "Module.register_module(name, module)", "An alias of add_module (in your own nn.Module classes).", "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.register_module('fc', nn.Linear(4, 2))\nNet()"),
        ("register_buffer", "Module.register_buffer(name, tensor, persistent=True)", "Adds a buffer: a tensor saved in the state dict and moved with the module, but not learned (in your own nn.Module classes).", "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.register_buffer('mean', torch.zeros(1))\nNet()"),
        ("register_parameter", "Module.register_parameter(name, param)", "Adds a parameter under name (in your own nn.Module classes).", "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.register_parameter('scale', nn.Parameter(torch.ones(1)))\nNet()"),
        ("apply", "Module.apply(fn)", "Calls fn on every module inside (children first) and on the module itself; returns the module.",
         "model.apply(lambda m: print(type(m).__name__))"),
        ("state_dict", "Module.state_dict(*args, destination=None, prefix='', keep_vars=False)", "A dict of every parameter and buffer by dotted name, as torch.save stores a model.", "model.state_dict().keys()"),
        ("load_state_dict", "Module.load_state_dict(state_dict, strict=True, assign=False)", "Copies parameters and buffers from a state dict; strict requires the same keys.", "model.load_state_dict(model.state_dict())"),
        ("train", "Module.train(mode=True)", "Sets training mode (or evaluation mode with mode=False) on the module and its children; returns the module.", "model.train()"),
        ("eval", "Module.eval()", "Sets evaluation mode (dropout off, batch norm uses its running statistics); returns the module.", "model.eval()"),
        ("requires_grad_", "Module.requires_grad_(requires_grad=True)", "Sets requires_grad on every parameter (False freezes them); returns the module.", "model.requires_grad_(False)"),
        ("zero_grad", "Module.zero_grad(set_to_none=True)", "Resets the gradients of every parameter (to None).", "model.zero_grad()"),
        ("to", "Module.to(device=None, dtype=None, non_blocking=False)", "Moves and/or casts the parameters and buffers in place; returns the module.", "model.to('cpu')"),
        ("cpu", "Module.cpu()", "Moves the parameters and buffers to the CPU; returns the module.", "model.cpu()"),
        ("cuda", "Module.cuda(device=None)", "Moves the parameters and buffers to the GPU; returns the module.", "model.cuda() if torch.cuda.is_available() else model"),
        ("extra_repr", "Module.extra_repr()", "The text inside the module's repr's parentheses (what a custom module overrides).", "model[1].extra_repr()"),
    ])

    /// The Module methods dlx offers only in classes you write (`class Net(nn.Module)`).
    static let userModuleMethodNames: Set<String> = ["add_module", "register_buffer", "register_module", "register_parameter"]

    /// What only nn.Sequential adds.
    static let sequentialMethods = MethodTable("torch.nn.Sequential", [
        ("append", "Sequential.append(module)", "Adds a module at the end; returns the Sequential.", "model.append(nn.ReLU())"),
        ("extend", "Sequential.extend(sequential)", "Adds the modules of another Sequential (or a list) at the end.", "model.extend([nn.ReLU(), nn.Linear(10, 10)])"),
        ("insert", "Sequential.insert(index, module)", "Inserts a module at index.", "model.insert(1, nn.Dropout(0.2))"),
    ])

    static let optimizerMethods = MethodTable("torch.optim.Optimizer", [
        ("step", "Optimizer.step(closure=None)", "Updates every parameter from its .grad, by the optimizer's rule (call after loss.backward()).",
         "loss = model(torch.rand(8, 1, 28, 28)).sum()\nloss.backward()\noptimizer.step()"),
        ("zero_grad", "Optimizer.zero_grad(set_to_none=True)", "Resets the gradients of the parameters it updates (to None), before the next backward().", "optimizer.zero_grad()"),
        ("param_groups", "Optimizer.param_groups", "A list of dicts: the parameters and their settings (lr, momentum, ...); change lr here.", "optimizer.param_groups[0]['lr'] = 0.01"),
        ("defaults", "Optimizer.defaults", "The settings the optimizer was made with, as a dict.", "optimizer.defaults['lr']"),
        ("state", "Optimizer.state", "Each parameter's state (step count, momentum buffers, ...), by parameter.", "len(optimizer.state)"),
        ("state_dict", "Optimizer.state_dict()", "The optimizer's state and settings as a dict ('state' and 'param_groups'), to save with torch.save.", "optimizer.state_dict()['param_groups']"),
        ("load_state_dict", "Optimizer.load_state_dict(state_dict)", "Takes up the state and settings of a state dict.", "optimizer.load_state_dict(optimizer.state_dict())"),
        ("add_param_group", "Optimizer.add_param_group(param_group)", "Adds a group of parameters with its own settings (dlx has one group per optimizer, and says so).", "len(optimizer.param_groups)"),
    ])

    static let schedulerMethods = MethodTable("torch.optim.lr_scheduler.LRScheduler", [
        ("step", "LRScheduler.step(epoch=None)", "Moves the schedule on one step (call once per epoch, after optimizer.step()), setting the optimizer's lr.", "scheduler.step()"),
        ("get_last_lr", "LRScheduler.get_last_lr()", "The learning rates the last step set, a list (one per group).", "scheduler.get_last_lr()"),
        ("last_epoch", "LRScheduler.last_epoch", "The number of steps taken.", "scheduler.last_epoch"),
        ("base_lrs", "LRScheduler.base_lrs", "The learning rates the schedule started from.", "scheduler.base_lrs"),
        ("state_dict", "LRScheduler.state_dict()", "The schedule's settings and position as a dict.", "scheduler.state_dict()"),
        ("load_state_dict", "LRScheduler.load_state_dict(state_dict)", "Takes up a saved schedule's settings and position.", "scheduler.load_state_dict(scheduler.state_dict())"),
        ("step_size", "StepLR.step_size", "StepLR: the steps between two decays of the rate.", "scheduler.step_size"),
        ("gamma", "StepLR.gamma", "StepLR, MultiStepLR, ExponentialLR: the factor each decay multiplies the rate by.", "scheduler.gamma"),
        ("milestones", "MultiStepLR.milestones", "MultiStepLR: the steps at which the rate decays (a Counter).", "getattr(scheduler, 'milestones', None)"),
        ("T_max", "CosineAnnealingLR.T_max", "CosineAnnealingLR: the steps of half a cosine period.", "getattr(scheduler, 'T_max', None)"),
        ("eta_min", "CosineAnnealingLR.eta_min", "CosineAnnealingLR: the smallest rate.", "getattr(scheduler, 'eta_min', None)"),
    ])

    /// The scheduler settings of the given class, beyond what every scheduler has.
    static let schedulerSettingNames: [String: [String]] = [
        "StepLR": ["gamma", "step_size"], "MultiStepLR": ["gamma", "milestones"], "ExponentialLR": ["gamma"],
        "CosineAnnealingLR": ["T_max", "eta_min"],
    ]

    static let datasetMethods = MethodTable("torchvision.datasets.MNIST", [
        ("classes", "MNIST.classes", "The class names, by label.", "train_set.classes"),
        ("data", "MNIST.data", "Every image as a uint8 tensor [N, 28, 28].", "train_set.data.shape"),
        ("targets", "MNIST.targets", "Every label as an int64 tensor [N].", "train_set.targets[:10]"),
        ("train", "MNIST.train", "True for the training set, False for the test set.", "train_set.train"),
        ("root", "MNIST.root", "The folder the files were read from.", "train_set.root"),
        ("transform", "MNIST.transform", "The transform applied to each image as it is read (None: the PIL image).", "train_set.transform"),
        ("target_transform", "MNIST.target_transform", "The transform applied to each label as it is read.", "train_set.target_transform"),
    ])

    static let loaderMethods = MethodTable("torch.utils.data.DataLoader", [
        ("dataset", "DataLoader.dataset", "The dataset the loader reads.", "loader.dataset"),
        ("batch_size", "DataLoader.batch_size", "How many samples each batch holds.", "loader.batch_size"),
        ("drop_last", "DataLoader.drop_last", "Whether a last batch smaller than batch_size is left out.", "loader.drop_last"),
    ])
}
