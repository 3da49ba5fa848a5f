/// The attributes of each kind of layer and the methods of the module containers, by class name: PyTorch's
/// names, what each holds, an example (model is `seq(flatten(), linear(784, 10))`).
extension Interpreter {
    static let layerTables: [String: MethodTable] = {
        /// A layer's attributes: (name, summary) rows; the signature is `Class.name`, the example `instance.name`.
        func attributes(_ c: String, _ instance: String, _ rows: [(String, String)]) -> MethodTable {
            MethodTable("torch.nn." + c, rows.map { ($0.0, "\(c).\($0.0)", $0.1, "\(instance).\($0.0)") })
        }
        func batchNorm(_ c: String) -> MethodTable {
            attributes(c, "nn.\(c)(16)", [
                ("num_features", "The number of channels it normalizes."),
                ("eps", "The small number added to the variance before the square root."),
                ("momentum", "How far each training batch moves the running statistics."),
                ("weight", "The learned scale per channel, a parameter of size num_features."),
                ("bias", "The learned shift per channel, a parameter of size num_features."),
                ("running_mean", "The running mean per channel (a buffer) that evaluation mode uses."),
                ("running_var", "The running variance per channel (a buffer) that evaluation mode uses."),
                ("num_batches_tracked", "How many training batches updated the running statistics (a buffer)."),
            ])
        }
        let tables: [MethodTable] = [
            attributes("Linear", "model[1]", [
                ("in_features", "The size of each input sample."),
                ("out_features", "The size of each output sample."),
                ("weight", "The learned weights, a parameter of shape [out_features, in_features]."),
                ("bias", "The learned bias, a parameter of shape [out_features] (None with bias=False)."),
            ]),
            attributes("Conv2d", "nn.Conv2d(1, 25, 3)", [
                ("in_channels", "The number of channels of the input."),
                ("out_channels", "The number of channels the convolution makes."),
                ("kernel_size", "The size of the kernel, (height, width)."),
                ("stride", "The step between two applications of the kernel, (height, width)."),
                ("padding", "The zeros added on each side of the input, (height, width)."),
                ("weight", "The learned kernels, a parameter of shape [out_channels, in_channels, kH, kW]."),
                ("bias", "The learned bias, a parameter of shape [out_channels] (None with bias=False)."),
            ]),
            attributes("Flatten", "model[0]", [
                ("start_dim", "The first dimension it merges (1: the batch dimension stays)."),
                ("end_dim", "The last dimension it merges."),
            ]),
            attributes("Dropout", "nn.Dropout(0.2)", [("p", "The probability that an element is zeroed in training mode.")]),
            batchNorm("BatchNorm1d"), batchNorm("BatchNorm2d"),
            attributes("Softmax", "nn.Softmax(dim=1)", [("dim", "The dimension it normalizes along.")]),
            attributes("LogSoftmax", "nn.LogSoftmax(dim=1)", [("dim", "The dimension it normalizes along.")]),
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
