/// The attributes of each kind of layer and the methods of the module containers, by class name: PyTorch's
/// names, what each holds, an example (model is `seq(flatten(), linear(784, 10))`).
extension Interpreter {
    static let layerTables: [String: MethodTable] = {
        let batchNorm: (String) -> [(String, String, String, String)] = { c in [
            ("num_features", "\(c).num_features", "The number of channels it normalizes.", "nn.\(c)(16).num_features"),
            ("eps", "\(c).eps", "The small number added to the variance before the square root.", "nn.\(c)(16).eps"),
            ("momentum", "\(c).momentum", "How far each training batch moves the running statistics.", "nn.\(c)(16).momentum"),
            ("weight", "\(c).weight", "The learned scale per channel, a parameter of size num_features.", "nn.\(c)(16).weight.shape"),
            ("bias", "\(c).bias", "The learned shift per channel, a parameter of size num_features.", "nn.\(c)(16).bias.shape"),
            ("running_mean", "\(c).running_mean", "The running mean per channel (a buffer) that evaluation mode uses.", "nn.\(c)(16).running_mean"),
            ("running_var", "\(c).running_var", "The running variance per channel (a buffer) that evaluation mode uses.", "nn.\(c)(16).running_var"),
            ("num_batches_tracked", "\(c).num_batches_tracked", "How many training batches updated the running statistics (a buffer).", "nn.\(c)(16).num_batches_tracked"),
        ] }
        let softmax: (String) -> [(String, String, String, String)] = { c in [
            ("dim", "\(c).dim", "The dimension it normalizes along.", "nn.\(c)(dim=1).dim"),
        ] }
        let tables: [MethodTable] = [
            MethodTable("torch.nn.Linear", [
                ("in_features", "Linear.in_features", "The size of each input sample.", "model[1].in_features"),
                ("out_features", "Linear.out_features", "The size of each output sample.", "model[1].out_features"),
                ("weight", "Linear.weight", "The learned weights, a parameter of shape [out_features, in_features].", "model[1].weight.shape"),
                ("bias", "Linear.bias", "The learned bias, a parameter of shape [out_features] (None with bias=False).", "model[1].bias.shape"),
            ]),
            MethodTable("torch.nn.Conv2d", [
                ("in_channels", "Conv2d.in_channels", "The number of channels of the input.", "nn.Conv2d(1, 25, 3).in_channels"),
                ("out_channels", "Conv2d.out_channels", "The number of channels the convolution makes.", "nn.Conv2d(1, 25, 3).out_channels"),
                ("kernel_size", "Conv2d.kernel_size", "The size of the kernel, (height, width).", "nn.Conv2d(1, 25, 3).kernel_size"),
                ("stride", "Conv2d.stride", "The step between two applications of the kernel, (height, width).", "nn.Conv2d(1, 25, 3).stride"),
                ("padding", "Conv2d.padding", "The zeros added on each side of the input, (height, width).", "nn.Conv2d(1, 25, 3).padding"),
                ("weight", "Conv2d.weight", "The learned kernels, a parameter of shape [out_channels, in_channels, kH, kW].", "nn.Conv2d(1, 25, 3).weight.shape"),
                ("bias", "Conv2d.bias", "The learned bias, a parameter of shape [out_channels] (None with bias=False).", "nn.Conv2d(1, 25, 3).bias.shape"),
            ]),
            MethodTable("torch.nn.Flatten", [
                ("start_dim", "Flatten.start_dim", "The first dimension it merges (1: the batch dimension stays).", "model[0].start_dim"),
                ("end_dim", "Flatten.end_dim", "The last dimension it merges.", "model[0].end_dim"),
            ]),
            MethodTable("torch.nn.Dropout", [
                ("p", "Dropout.p", "The probability that an element is zeroed in training mode.", "nn.Dropout(0.2).p"),
            ]),
            MethodTable("torch.nn.BatchNorm1d", batchNorm("BatchNorm1d")),
            MethodTable("torch.nn.BatchNorm2d", batchNorm("BatchNorm2d")),
            MethodTable("torch.nn.Softmax", softmax("Softmax")),
            MethodTable("torch.nn.LogSoftmax", softmax("LogSoftmax")),
            MethodTable("torch.nn.ModuleList", [
                ("append", "ModuleList.append(module)", "Adds a module at the end; returns the ModuleList.", "nn.ModuleList([nn.ReLU()]).append(nn.Tanh())"),
                ("extend", "ModuleList.extend(modules)", "Adds the modules of a list at the end; returns the ModuleList.", "nn.ModuleList().extend([nn.ReLU(), nn.Tanh()])"),
                ("insert", "ModuleList.insert(index, module)", "Inserts a module before index.", "nn.ModuleList([nn.ReLU()]).insert(0, nn.Tanh())"),
            ]),
            MethodTable("torch.nn.ModuleDict", [
                ("keys", "ModuleDict.keys()", "The names of the modules.", "nn.ModuleDict({'a': nn.ReLU()}).keys()"),
                ("values", "ModuleDict.values()", "The modules.", "nn.ModuleDict({'a': nn.ReLU()}).values()"),
                ("items", "ModuleDict.items()", "(name, module) pairs.", "nn.ModuleDict({'a': nn.ReLU()}).items()"),
                ("update", "ModuleDict.update(modules)", "Adds or replaces modules from a dict or (name, module) pairs.", "nn.ModuleDict().update({'b': nn.Tanh()})"),
                ("pop", "ModuleDict.pop(key)", "Removes the module named key and returns it.", "nn.ModuleDict({'a': nn.ReLU()}).pop('a')"),
            ]),
        ]
        var out: [String: MethodTable] = [:]
        for t in tables { out[String(t.prefix.split(separator: ".").last!)] = t }
        return out
    }()
}
