/// `help(name)`, `name?`: the signature, what it does, and an example, for every name dlx defines.
/// Keys are where a name lives (`torch.zeros`, `torch.nn.Linear`); built-ins go by their bare name.
extension Interpreter {
    struct HelpEntry {
        let signature: String
        let summary: String
        let example: String
    }

    static let helpEntries: [String: HelpEntry] = {
        var h: [String: HelpEntry] = [:]
        // Python built-ins
        h.add("print", "print(*values, sep=' ', end='\\n')", "Prints the values, separated by sep.", "print('shape:', x.shape)")
        h.add("len", "len(obj)", "The number of items: of a list, a dataset, a DataLoader (batches), a tensor's first dimension.", "len(train_set)")
        h.add("range", "range(stop) / range(start, stop, step=1)", "Integers from start up to (not including) stop.", "for epoch in range(5): ...")
        h.add("int", "int(x=0)", "An integer from a number, a string or a one-element tensor.", "int(y.argmax())")
        h.add("float", "float(x=0.0)", "A float from a number, a string or a one-element tensor.", "float(loss)")
        h.add("str", "str(obj='')", "The printable text of a value.", "str(x.shape)")
        h.add("bool", "bool(x=False)", "The truth of a value.", "bool(torch.tensor(1))")
        h.add("abs", "abs(x)", "The absolute value of a number or tensor.", "abs(-3)")
        h.add("min", "min(iterable) / min(a, b, ...)", "The smallest item.", "min([3, 1, 2])")
        h.add("max", "max(iterable) / max(a, b, ...)", "The largest item.", "max(accuracies)")
        h.add("sum", "sum(iterable, start=0)", "Adds the items up.", "sum(p.numel() for p in model.parameters())")
        h.add("round", "round(number, ndigits=None)", "Rounds to ndigits decimals (to an int without).", "round(0.98765, 3)")
        h.add("list", "list(iterable=())", "A list of the items.", "list(range(3))")
        h.add("tuple", "tuple(iterable=())", "A tuple of the items.", "tuple(x.shape)")
        h.add("dict", "dict(**kwargs)", "A dictionary.", "d = dict(lr=0.001, epochs=5)")
        h.add("isinstance", "isinstance(obj, class_or_tuple)", "Whether obj is an instance of the class.", "isinstance(x, torch.Tensor)")
        h.add("type", "type(obj)", "The class of obj.", "type(x_0)")
        h.add("dir", "dir(obj)", "The attribute names of obj.", "dir(nn)")
        h.add("help", "help(obj)", "This help: a name's signature and an example, or a value's summary.", "help(nn.Linear)")
        h.add("enumerate", "enumerate(iterable, start=0)", "Pairs (index, item).", "for i, (x, y) in enumerate(loader): ...")
        h.add("zip", "zip(*iterables)", "Tuples of the items at the same position.", "list(zip([1, 2], ['a', 'b']))")
        h.add("iter", "iter(iterable)", "An iterator over the items.", "batch = next(iter(train_loader))")
        h.add("next", "next(iterator, default)", "The iterator's next item.", "x, y = next(iter(train_loader))")
        h.add("sorted", "sorted(iterable, reverse=False)", "A new sorted list.", "sorted([3, 1, 2])")
        h.add("reversed", "reversed(sequence)", "The items in reverse order.", "list(reversed([1, 2, 3]))")
        h.add("any", "any(iterable)", "Whether any item is true.", "any([False, True])")
        h.add("all", "all(iterable)", "Whether every item is true.", "all(p.requires_grad for p in model.parameters())")
        h.add("repr", "repr(obj)", "The text a notebook would show for obj.", "repr(x.shape)")
        h.add("format", "format(value, format_spec='')", "Formats a value as a format spec says.", "format(0.98765, '.2%')")
        h.add("hasattr", "hasattr(obj, name)", "Whether obj has the attribute.", "hasattr(model, 'weight')")
        h.add("getattr", "getattr(obj, name, default)", "An attribute by name.", "getattr(model[1], 'weight').shape")
        h.add("setattr", "setattr(obj, name, value)", "Sets an attribute by name.", "setattr(layer, 'training', False)")
        h.add("callable", "callable(obj)", "Whether obj can be called.", "callable(model)")
        h.add("super", "super() / super(Class, obj)", "The parent class's methods, bound to this object.", "super().__init__()")
        h.add("staticmethod", "@staticmethod", "A method that takes no self.", "@staticmethod\ndef make(): ...")
        h.add("classmethod", "@classmethod", "A method that takes the class as its first argument.", "@classmethod\ndef create(cls): return cls()")
        h.add("property", "@property / property(fget, fset=None)", "An attribute computed by a method (with @name.setter to assign it).", "@property\ndef size(self): return len(self.items)")
        h.add("issubclass", "issubclass(cls, class_or_tuple)", "Whether cls derives from the class.", "issubclass(DataError, ValueError)")
        h.add("object", "object()", "The base of every class.", "class Counter(object): pass")
        h.add("set", "set(iterable=())", "A set: items without repeats.", "set([1, 2, 2])")
        h.add("frozenset", "frozenset(iterable=())", "A set that cannot change.", "frozenset({1, 2})")
        h.add("vars", "vars(obj)", "An object's attributes as a dict.", "vars(config)")
        h.add("delattr", "delattr(obj, name)", "Deletes an attribute by name.", "delattr(obj, 'cache')")
        h.add("map", "map(function, iterable, ...)", "The function applied to each item, lazily.", "list(map(str, [1, 2]))")
        h.add("filter", "filter(function, iterable)", "The items for which the function is true, lazily.", "list(filter(lambda v: v > 0, [-1, 2]))")
        h.add("id", "id(obj)", "A number that identifies the object while it lives.", "id(model)")
        h.add("hash", "hash(obj)", "The hash of a hashable value.", "hash((1, 2))")
        h.add("NotImplemented", "NotImplemented", "What a special method returns to let the other operand try.", "return NotImplemented")
        h.add("Ellipsis", "Ellipsis", "The value `...`.", "x[..., 0]")
        for name in ["exec", "eval", "compile", "breakpoint"] {
            h.add(name, "\(name)(...)", "Not supported in dlx: running code given as a string (an error says so).", "print(2 + 3)")
        }
        h.add("input", "input(prompt='')", "Not supported in dlx: scripts and graded submissions read no keyboard input.", "name = 'Ada'")
        h.add("globals", "globals()", "The module's variables as a dict (a copy).", "sorted(globals())")
        h.add("locals", "locals()", "The current scope's variables as a dict (a copy).", "print(locals())")
        h.add("pow", "pow(base, exp, mod=None)", "base ** exp (modulo mod when given).", "pow(2, 10)")
        h.add("divmod", "divmod(a, b)", "(a // b, a % b).", "divmod(7, 2)")
        h.add("ord", "ord(c)", "The Unicode code point of a one-character string.", "ord('A')")
        h.add("chr", "chr(i)", "The one-character string of a Unicode code point.", "chr(65)")
        h.add("exit", "exit(code=None)", "Leaves the prompt, or ends a script with the exit status code.", "exit()")
        h.add("quit", "quit(code=None)", "The same as exit().", "quit()")
        for (name, base) in Interpreter.exceptionHierarchy {
            h.add(name, "\(name)(*args)", "The built-in exception \(name)" + (base.map { " (a kind of \($0))" } ?? "") + ": raise it, or catch it with except.",
                "raise \(name)(\"message\")" + (name == "BaseException" ? "" : "  /  except \(name) as e: print(e)"))
        }
        h.add("open", "open(file, mode='r', encoding=None)", "A UTF-8 text file to read ('r') or write ('w', 'a', 'x'), inside the sandbox.",
            "with open('log.txt', 'w') as f: f.write('done\\n')")
        // dlx's own
        h.add("load", "load NAME / load NAME[i]", "A dataset: mnist, mnist.test, fashion, fashion.test, idx(\"images.gz\", \"labels.gz\"), csv(\"file.csv\", label=\"label\", shape=(1, 28, 28)); with [i], image i as a [1, 28, 28] float tensor.", "x = load mnist[0]")
        h.add("seq", "seq(*modules)", "nn.Sequential, shorter.", "model = seq(flatten(), linear(784, 10))")
        h.add("flatten", "flatten(start_dim=1, end_dim=-1)", "nn.Flatten, shorter.", "seq(flatten(), linear(784, 10))")
        h.add("linear", "linear(in_features, out_features, bias=True)", "nn.Linear, shorter.", "linear(784, 512)")
        h.add("relu", "relu()", "nn.ReLU, shorter.", "seq(linear(784, 512), relu())")
        h.add("sigmoid", "sigmoid()", "nn.Sigmoid, shorter.", "seq(linear(2, 1), sigmoid())")
        h.add("tanh", "tanh()", "nn.Tanh, shorter.", "seq(linear(2, 8), tanh())")
        h.add("softmax", "softmax(dim=None)", "nn.Softmax, shorter.", "seq(linear(784, 10), softmax(dim=1))")
        h.add("summary", "summary(model, input_size, batch_size=-1, device='cuda')", "torchsummary's table: each layer's output shape and parameter count, totals and memory estimates.", "summary(model, (1, 28, 28))")
        h.add("fit", "fit(model, train_loader, valid_loader=None, epochs=5, optimizer=None, loss=None, lr=None, scheduler=None, device=None, checkpoint=None, resume=None)", "Trains with cross-entropy and Adam (unless given others), printing a line per epoch; a scheduler steps after each epoch. checkpoint='best.pt' keeps the epoch with the best validation accuracy (model, optimizer, epoch, history) in that file; resume='best.pt' goes on from it. Returns the history (h.best_epoch: the epoch kept).", "h = fit(model, train_loader, valid_loader, epochs=3, checkpoint='best.pt')")
        h.add("torch.save", "torch.save(obj, f)", "Writes tensors, state dicts, checkpoint dicts or a whole model to a file in PyTorch's format (PyTorch's torch.load reads it).", "torch.save(model.state_dict(), 'model.pth')")
        h.add("torch.load", "torch.load(f, map_location=None, weights_only=True)", "Reads what torch.save wrote (dlx's or PyTorch's). weights_only=False also loads whole models (built-in layers and nn.Module classes defined in this session); no code from a file is ever run.", "model.load_state_dict(torch.load('model.pth'))")
        h.add("evaluate", "evaluate(model, loader, loss=None)", "Mean loss and accuracy over a loader, in eval mode, without gradients.", "loss, accuracy = evaluate(model, valid_loader)")
        h.add("show", "show(x, file=None) / show(ds[i]) / show(ds, n=16) / show(images, labels)", "Draws images: a tensor [H, W], [1, H, W], [3, H, W], a batch, a dataset sample with its class name, a dataset's first n, a Conv2d's filters. Half blocks on a terminal, ASCII elsewhere; a PNG with a file name.", "show(train_set[0])")
        h.add("plot", "plot(history, file=None) / plot(ys) / plot(xs, ys, title=, xlabel=, ylabel=)", "A line chart: fit's loss and accuracy per epoch, or your values; as text, or SVG with a file name.", "plot(h, \"history.svg\")")
        h.add("confusion", "confusion(model, loader, examples=8)", "The confusion matrix over a loader (rows: true label, columns: predicted) and the most confused examples.", "confusion(model, valid_loader)")
        h.add("DataLoader", "DataLoader(dataset, batch_size=1, shuffle=False, drop_last=False)", "Batches of a dataset, reshuffled each pass when shuffle is set (seeded by torch.manual_seed).", "train_loader = DataLoader(train_set, batch_size=32, shuffle=True)")
        // torch
        let creation: [(String, String, String, String)] = [
            ("tensor", "torch.tensor(data, dtype=None, requires_grad=False)", "A tensor from nested lists of numbers.", "torch.tensor([[1., 2.], [3., 4.]])"),
            ("zeros", "torch.zeros(*size, dtype=None, requires_grad=False)", "A tensor of zeros.", "torch.zeros(2, 3)"),
            ("ones", "torch.ones(*size, dtype=None, requires_grad=False)", "A tensor of ones.", "torch.ones(1, 28, 28)"),
            ("empty", "torch.empty(*size, dtype=None)", "A tensor whose values are not set (dlx gives zeros).", "torch.empty(3)"),
            ("full", "torch.full(size, fill_value, dtype=None)", "A tensor filled with one value.", "torch.full((2, 2), 7.)"),
            ("arange", "torch.arange(start=0, end, step=1, dtype=None)", "Evenly spaced values in [start, end).", "torch.arange(12).reshape(3, 4)"),
            ("linspace", "torch.linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False)", "steps evenly spaced values from start to end, both included.", "torch.linspace(0, 1, 5)"),
            ("eye", "torch.eye(n, m=None, dtype=None)", "An identity matrix.", "torch.eye(3)"),
            ("rand", "torch.rand(*size)", "Uniform random values in [0, 1).", "torch.rand(2, 3)"),
            ("randn", "torch.randn(*size)", "Standard normal random values.", "torch.randn(32, 1, 28, 28)"),
            ("randint", "torch.randint(low=0, high, size)", "Random integers in [low, high).", "torch.randint(0, 10, (5,))"),
            ("zeros_like", "torch.zeros_like(input)", "Zeros with input's shape and dtype.", "torch.zeros_like(x)"),
            ("ones_like", "torch.ones_like(input)", "Ones with input's shape and dtype.", "torch.ones_like(x)"),
            ("rand_like", "torch.rand_like(input)", "Uniform random values with input's shape.", "torch.rand_like(x)"),
            ("randn_like", "torch.randn_like(input)", "Normal random values with input's shape.", "torch.randn_like(x)"),
            ("manual_seed", "torch.manual_seed(seed)", "Seeds the random generator (initialisation, shuffling, dropout): the same numbers as PyTorch's CPU generator.", "torch.manual_seed(42)"),
            ("Generator", "torch.Generator(device='cpu')", "A random generator of its own (manual_seed(s) seeds it), for generator= of rand, randn, randint, randperm, random_split and DataLoader.", "g = torch.Generator().manual_seed(42)"),
            ("initial_seed", "torch.initial_seed()", "The seed the generator started from.", "torch.initial_seed()"),
            ("seed", "torch.seed()", "Seeds the generator with a non-deterministic seed and returns it.", "s = torch.seed()"),
            ("get_rng_state", "torch.get_rng_state()", "The generator's state: a uint8 tensor of 5056 bytes, PyTorch's layout.", "state = torch.get_rng_state()"),
            ("set_rng_state", "torch.set_rng_state(new_state)", "Puts back a state from get_rng_state().", "torch.set_rng_state(state)"),
            ("is_tensor", "torch.is_tensor(obj)", "Whether obj is a tensor.", "torch.is_tensor(x)"),
            ("numel", "torch.numel(input)", "The number of elements.", "torch.numel(x)"),
            ("device", "torch.device(type)", "A device: \"cpu\" or \"cuda\".", "device = torch.device(\"cuda\" if torch.cuda.is_available() else \"cpu\")"),
            ("no_grad", "torch.no_grad()", "A with-block (or a decorator, @torch.no_grad()) in which operations record no gradients.", "with torch.no_grad():\n    output = model(x)"),
            ("inference_mode", "torch.inference_mode(mode=True)", "As no_grad, for inference: a with-block or a decorator.", "@torch.inference_mode()\ndef predict(x): return model(x)"),
            ("enable_grad", "torch.enable_grad()", "A with-block (or decorator) in which operations record gradients again.", "with torch.enable_grad():\n    y = x * 2"),
            ("set_grad_enabled", "torch.set_grad_enabled(mode)", "Switches gradient recording on or off (now, or for a with-block).", "with torch.set_grad_enabled(is_train):\n    out = model(x)"),
            ("compile", "torch.compile(model)", "Returns the model unchanged: dlx's engine needs no compiling.", "model = torch.compile(model)"),
            ("Size", "torch.Size(sizes)", "A tensor's shape: a tuple of sizes.", "torch.Size([1, 28, 28])"),
            ("Tensor", "torch.Tensor", "The tensor class (for isinstance and type).", "isinstance(x, torch.Tensor)"),
            ("cat", "torch.cat(tensors, dim=0)", "Joins tensors along an existing dimension.", "torch.cat([a, b], dim=0)"),
            ("concat", "torch.concat(tensors, dim=0)", "torch.cat.", "torch.concat([a, b])"),
            ("stack", "torch.stack(tensors, dim=0)", "Joins tensors along a new dimension.", "torch.stack([x, x]).shape"),
        ]
        for (k, s, d, e) in creation { h.add("torch." + k, s, d, e) }
        let unaryOps = ["abs", "exp", "log", "sqrt", "relu", "sigmoid", "tanh", "t", "clone"]
        for k in unaryOps {
            h.add("torch." + k, "torch.\(k)(input)", k == "t" ? "The transpose of a matrix." : k == "clone" ? "A copy with its own memory (and gradient history)." : "Elementwise \(k).", "torch.\(k)(x)")
        }
        for (k, op) in [("add", "+"), ("sub", "-"), ("mul", "*"), ("div", "/"), ("pow", "**"), ("eq", "=="), ("ne", "!="), ("lt", "<"), ("le", "<="), ("gt", ">"), ("ge", ">="),
                        ("maximum", "max"), ("minimum", "min"), ("matmul", "@")] {
            h.add("torch." + k, "torch.\(k)(input, other)", "Elementwise `\(op)` with broadcasting" + (k == "matmul" ? " (a matrix product)." : "."), "torch.\(k)(x, y)")
        }
        for k in ["sum", "mean", "max", "min", "argmax", "argmin"] {
            h.add("torch." + k, "torch.\(k)(input, dim=None, keepdim=False)", "The \(k) of all elements, or along dim.", "torch.\(k)(x, dim=1)")
        }
        h.add("torch.softmax", "torch.softmax(input, dim)", "Softmax along dim.", "torch.softmax(logits, dim=1)")
        h.add("torch.log_softmax", "torch.log_softmax(input, dim)", "Log-softmax along dim.", "torch.log_softmax(logits, dim=1)")
        h.add("torch.flatten", "torch.flatten(input, start_dim=0, end_dim=-1)", "Flattens a range of dimensions into one.", "torch.flatten(x, 1).shape")
        h.add("torch.reshape", "torch.reshape(input, shape)", "The same elements in a new shape.", "torch.reshape(x, (28, 28))")
        h.add("torch.squeeze", "torch.squeeze(input, dim=None)", "Removes dimensions of size 1.", "torch.squeeze(x).shape")
        h.add("torch.unsqueeze", "torch.unsqueeze(input, dim)", "Inserts a dimension of size 1 at dim.", "torch.unsqueeze(x, 0).shape")
        h.add("torch.permute", "torch.permute(input, dims)", "Reorders the dimensions.", "torch.permute(img, (1, 2, 0))")
        h.add("torch.transpose", "torch.transpose(input, dim0, dim1)", "Swaps two dimensions.", "torch.transpose(x, 0, 1)")
        for d in ["float32", "float64", "float", "double", "int64", "long", "int32", "int", "uint8", "bool"] {
            h.add("torch." + d, "torch.\(d)", "A dtype.", "x.to(torch.\(d))")
        }
        // torch.nn
        let nn: [(String, String, String, String)] = [
            ("Linear", "nn.Linear(in_features, out_features, bias=True)", "y = x W^T + b, weights initialised as PyTorch does.", "nn.Linear(784, 512)"),
            ("ReLU", "nn.ReLU()", "max(0, x), elementwise.", "nn.ReLU()"),
            ("Sigmoid", "nn.Sigmoid()", "1 / (1 + exp(-x)).", "nn.Sigmoid()"),
            ("Tanh", "nn.Tanh()", "tanh(x).", "nn.Tanh()"),
            ("Softmax", "nn.Softmax(dim=None)", "Softmax along dim.", "nn.Softmax(dim=1)"),
            ("LogSoftmax", "nn.LogSoftmax(dim=None)", "Log-softmax along dim.", "nn.LogSoftmax(dim=1)"),
            ("Flatten", "nn.Flatten(start_dim=1, end_dim=-1)", "Flattens each sample: (N, 1, 28, 28) -> (N, 784).", "nn.Flatten()"),
            ("Sequential", "nn.Sequential(*modules)", "Runs modules one after another; index it with model[i].", "nn.Sequential(nn.Flatten(), nn.Linear(784, 10))"),
            ("Module", "nn.Module", "The base class of layers: subclass it, assign layers to self in __init__, write forward.", "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(784, 10)\n    def forward(self, x):\n        return self.fc(x)"),
            ("Parameter", "nn.Parameter(data, requires_grad=True)", "A tensor that a module registers as a learnable parameter when assigned to self.", "self.scale = nn.Parameter(torch.ones(1))"),
            ("Identity", "nn.Identity()", "Gives its input back: a placeholder layer.", "model.fc = nn.Identity()"),
            ("ModuleList", "nn.ModuleList(modules=None)", "A list of modules, registered as children 0, 1, ...", "self.layers = nn.ModuleList([nn.Linear(8, 8) for _ in range(3)])"),
            ("ModuleDict", "nn.ModuleDict(modules=None)", "Modules by name, registered as children.", "self.heads = nn.ModuleDict({'cls': nn.Linear(8, 3)})"),
            ("Conv2d", "nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, bias=True)", "2-d convolution over (N, C, H, W).", "nn.Conv2d(1, 25, 3, stride=1, padding=1)"),
            ("MaxPool2d", "nn.MaxPool2d(kernel_size, stride=None, padding=0)", "The maximum of each window.", "nn.MaxPool2d(2, stride=2)"),
            ("AvgPool2d", "nn.AvgPool2d(kernel_size, stride=None)", "The mean of each window.", "nn.AvgPool2d(2)"),
            ("AdaptiveAvgPool2d", "nn.AdaptiveAvgPool2d(output_size)", "Averages to a fixed output size.", "nn.AdaptiveAvgPool2d(1)"),
            ("BatchNorm2d", "nn.BatchNorm2d(num_features, eps=1e-05, momentum=0.1, affine=True)", "Normalises each channel with batch statistics in training, running statistics in eval.", "nn.BatchNorm2d(25)"),
            ("BatchNorm1d", "nn.BatchNorm1d(num_features, eps=1e-05, momentum=0.1, affine=True)", "Batch norm over (N, C) or (N, C, L).", "nn.BatchNorm1d(512)"),
            ("Dropout", "nn.Dropout(p=0.5)", "In training, zeroes elements with probability p and scales the rest by 1/(1-p).", "nn.Dropout(.2)"),
            ("Dropout2d", "nn.Dropout2d(p=0.5)", "Dropout of whole channels.", "nn.Dropout2d(.1)"),
            ("CrossEntropyLoss", "nn.CrossEntropyLoss(reduction='mean')", "Log-softmax and negative log-likelihood of the right class.", "loss_function = nn.CrossEntropyLoss()"),
            ("NLLLoss", "nn.NLLLoss(reduction='mean')", "Negative log-likelihood of log-probabilities.", "nn.NLLLoss()(log_probs, y)"),
            ("MSELoss", "nn.MSELoss(reduction='mean')", "Mean squared error.", "nn.MSELoss()(prediction, target)"),
        ]
        for (k, s, d, e) in nn { h.add("torch.nn." + k, s, d, e) }
        // torch.nn.functional
        let f: [(String, String, String, String)] = [
            ("relu", "F.relu(input)", "max(0, x).", "F.relu(x)"),
            ("sigmoid", "F.sigmoid(input)", "The logistic function.", "F.sigmoid(x)"),
            ("tanh", "F.tanh(input)", "tanh(x).", "F.tanh(x)"),
            ("softmax", "F.softmax(input, dim)", "Softmax along dim.", "F.softmax(logits, dim=1)"),
            ("log_softmax", "F.log_softmax(input, dim)", "Log-softmax along dim.", "F.log_softmax(logits, dim=1)"),
            ("cross_entropy", "F.cross_entropy(input, target, reduction='mean')", "Cross-entropy of logits and class labels.", "F.cross_entropy(output, y)"),
            ("nll_loss", "F.nll_loss(input, target, reduction='mean')", "Negative log-likelihood.", "F.nll_loss(F.log_softmax(output, 1), y)"),
            ("mse_loss", "F.mse_loss(input, target, reduction='mean')", "Mean squared error.", "F.mse_loss(prediction, target)"),
            ("conv2d", "F.conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1)", "2-d convolution with given weights.", "F.conv2d(x, torch.ones(1, 1, 3, 3), padding=1)"),
            ("max_pool2d", "F.max_pool2d(input, kernel_size, stride=None, padding=0)", "Max pooling.", "F.max_pool2d(x, 2)"),
            ("avg_pool2d", "F.avg_pool2d(input, kernel_size, stride=None)", "Average pooling.", "F.avg_pool2d(x, 2)"),
            ("dropout", "F.dropout(input, p=0.5, training=True)", "Dropout.", "F.dropout(x, 0.2)"),
        ]
        for (k, s, d, e) in f { h.add("torch.nn.functional." + k, s, d, e) }
        // optim, data, cuda, datasets, transforms, time, torchsummary
        h.add("torch.optim.Adam", "optim.Adam(params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0)", "The Adam optimizer.", "optimizer = torch.optim.Adam(model.parameters())")
        h.add("torch.optim.lr_scheduler.StepLR", "lr_scheduler.StepLR(optimizer, step_size, gamma=0.1)", "Multiplies the learning rate by gamma every step_size epochs (each step()).", "scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.3)")
        h.add("torch.optim.lr_scheduler.MultiStepLR", "lr_scheduler.MultiStepLR(optimizer, milestones, gamma=0.1)", "Multiplies the learning rate by gamma at each milestone epoch.", "torch.optim.lr_scheduler.MultiStepLR(optimizer, [2, 4])")
        h.add("torch.optim.lr_scheduler.ExponentialLR", "lr_scheduler.ExponentialLR(optimizer, gamma)", "Multiplies the learning rate by gamma every epoch.", "torch.optim.lr_scheduler.ExponentialLR(optimizer, 0.5)")
        h.add("torch.optim.lr_scheduler.CosineAnnealingLR", "lr_scheduler.CosineAnnealingLR(optimizer, T_max, eta_min=0)", "Lowers the learning rate along half a cosine to eta_min over T_max epochs.", "torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=5)")
        h.add("torch.optim.SGD", "optim.SGD(params, lr=0.001, momentum=0, dampening=0, weight_decay=0, nesterov=False)", "Stochastic gradient descent, with (Nesterov) momentum if given. Read or set the rate as optimizer.param_groups[0]['lr'].", "torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)")
        h.add("torch.optim.AdamW", "optim.AdamW(params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01)", "Adam with decoupled weight decay: the weights shrink by lr * weight_decay before each step.", "optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)")
        h.add("torch.optim.Adagrad", "optim.Adagrad(params, lr=0.01, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10)", "Adagrad: each weight's step shrinks with the sum of its squared gradients.", "torch.optim.Adagrad(model.parameters(), lr=0.01)")
        h.add("torch.optim.RMSprop", "optim.RMSprop(params, lr=0.01, alpha=0.99, eps=1e-08, weight_decay=0, momentum=0, centered=False)", "RMSprop: steps divided by a running average of squared gradients, with momentum if given.", "torch.optim.RMSprop(model.parameters(), lr=1e-3, momentum=0.9)")
        h.add("torch.optim.Adadelta", "optim.Adadelta(params, lr=1.0, rho=0.9, eps=1e-06, weight_decay=0)", "Adadelta: steps scaled by running averages of squared gradients and squared updates.", "torch.optim.Adadelta(model.parameters(), lr=1.0)")
        h.add("torch.optim.Optimizer", "torch.optim.Optimizer", "The optimizer class (for isinstance): step(), zero_grad(), param_groups, state, state_dict(), load_state_dict().", "isinstance(optimizer, torch.optim.Optimizer)")
        h.add("torch.utils.data.DataLoader", h["DataLoader"]!.signature, h["DataLoader"]!.summary, h["DataLoader"]!.example)
        h.add("torch.utils.data.ConcatDataset", "ConcatDataset(datasets)", "The datasets one after another.", "ConcatDataset([train_set, extra_set])")
        h.add("torch.utils.data.Dataset", "Dataset", "The dataset class (for isinstance).", "isinstance(train_set, torch.utils.data.Dataset)")
        h.add("torch.utils.data.TensorDataset", "TensorDataset(*tensors)", "Samples are the rows of the tensors, taken together.", "TensorDataset(x, y)")
        h.add("torch.utils.data.Subset", "Subset(dataset, indices)", "The samples of a dataset at the given indices.", "Subset(train_set, range(1000))")
        h.add("torch.utils.data.random_split", "random_split(dataset, lengths)", "Splits a dataset at random into parts of the given lengths.", "train, valid = random_split(train_set, [50000, 10000])")
        h.add("torch.cuda.is_available", "torch.cuda.is_available()", "Whether a CUDA GPU can be used.", "torch.cuda.is_available()")
        h.add("torch.cuda.device_count", "torch.cuda.device_count()", "The number of CUDA GPUs.", "torch.cuda.device_count()")
        h.add("torch.cuda.get_device_name", "torch.cuda.get_device_name(device=0)", "The GPU's name.", "torch.cuda.get_device_name(0)")
        h.add("torch.cuda.synchronize", "torch.cuda.synchronize()", "Waits until the GPU has finished the work queued so far (GPU kernels run asynchronously; timing needs this).", "torch.cuda.synchronize()")
        h.add("torchvision.datasets.MNIST", "MNIST(root, train=True, transform=None, download=False)", "The MNIST digits (60,000 for training, 10,000 for testing), from dlx's data folder.", "train_set = torchvision.datasets.MNIST(\"./data/\", train=True, transform=transforms.ToTensor())")
        h.add("torchvision.datasets.FashionMNIST", "FashionMNIST(root, train=True, transform=None, download=False)", "Fashion-MNIST, from Debian's dataset-fashion-mnist package.", "torchvision.datasets.FashionMNIST(\"./data/\", train=False)")
        let t: [(String, String, String, String)] = [
            ("ToTensor", "transforms.ToTensor()", "A PIL image (or a uint8 array [H, W, C]) to a float [C, H, W] tensor in [0, 1].", "transforms.ToTensor()(x_0)"),
            ("Normalize", "transforms.Normalize(mean, std)", "(x - mean) / std per channel.", "transforms.Normalize((0.1307,), (0.3081,))"),
            ("Compose", "transforms.Compose(transforms)", "Applies transforms in order.", "transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])"),
            ("RandomHorizontalFlip", "transforms.RandomHorizontalFlip(p=0.5)", "Mirrors the image with probability p.", "transforms.RandomHorizontalFlip()"),
            ("RandomRotation", "transforms.RandomRotation(degrees)", "Rotates by a random angle in [-degrees, degrees].", "transforms.RandomRotation(10)"),
            ("RandomResizedCrop", "transforms.RandomResizedCrop(size, scale=(0.08, 1.0), ratio=(0.75, 1.333))", "A random crop, resized to size.", "transforms.RandomResizedCrop((28, 28), scale=(0.7, 1), ratio=(1, 1))"),
            ("ColorJitter", "transforms.ColorJitter(brightness=0, contrast=0)", "Random brightness and contrast changes.", "transforms.ColorJitter(brightness=.5)"),
        ]
        for (k, s, d, e) in t { h.add("torchvision.transforms." + k, s, d, e) }
        h.add("time.time", "time.time()", "Seconds since the epoch.", "start = time.time()")
        h.add("time.perf_counter", "time.perf_counter()", "A clock for measuring intervals.", "t = time.perf_counter()")
        h.add("time.sleep", "time.sleep(seconds)", "Waits.", "time.sleep(0.5)")
        h.add("gc.collect", "gc.collect(generation=2)", "Frees the reference cycles nothing refers to now; returns how many objects they held.", "gc.collect()")
        h.add("gc.enable", "gc.enable()", "Turns automatic cycle collection on (the default).", "gc.enable()")
        h.add("gc.disable", "gc.disable()", "Turns automatic cycle collection off; gc.collect() still runs.", "gc.disable()")
        h.add("gc.set_threshold", "gc.set_threshold(threshold0)", "Collects after every threshold0 new objects (0: never automatically).", "gc.set_threshold(1000)")
        h.add("gc.get_threshold", "gc.get_threshold()", "The collection threshold, as a tuple of three.", "gc.get_threshold()")
        h.add("gc.isenabled", "gc.isenabled()", "Whether automatic cycle collection is on.", "gc.isenabled()")
        h.add("torchsummary.summary", h["summary"]!.signature, h["summary"]!.summary, h["summary"]!.example)
        return h
    }()

    /// The entry of a key, from whichever table has it.
    static func helpEntry(key: String) -> HelpEntry? { helpEntries[key] ?? torchNamesHelp[key] ?? methodHelp[key] ?? numpyHelp[key] ?? pilHelp[key] }

    /// "signature\n\nsummary\n\nExample:\n    code".
    static func helpText(key: String) -> String? {
        guard let e = helpEntry(key: key) else { return nil }
        let example = e.example.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        return "\(e.signature)\n\n\(e.summary)\n\nExample:\n\(example)"
    }
}

extension Dictionary where Key == String, Value == Interpreter.HelpEntry {
    /// One row of a help table: what `help` prints for `key` (every table of names builds itself this way).
    mutating func add(_ key: String, _ signature: String, _ summary: String, _ example: String) {
        self[key] = Value(signature: signature, summary: summary, example: example)
    }
}
