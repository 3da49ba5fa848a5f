/// The kernels of the GPU backend by module (Sources/CUDAKernels/NAME.cu, embedded as PTX in
/// `PTXModules`): what the backend looks up with cuModuleGetFunction once a module is loaded.
public enum CUDAKernels {
    static let unaryNames = ["neg", "abs", "exp", "log", "sqrt", "relu", "sigmoid", "tanh"]
    static let binaryNames = ["add", "sub", "mul", "div", "pow", "max", "min"]
    static let elementwise: [String] = {
        var names = ["fill", "axpy", "gather_strided", "bytes_to_float"]
        for n in unaryNames { names += ["unary_" + n, "backward_" + n] }
        for n in binaryNames { names += ["binary_" + n, "scalar_" + n] }
        return names + ["compare_f32", "compare_i64", "axpby", "gather_strided8", "gather_strided1", "int64_to_float", "copy_strided", "add_int64"]
    }()

    public static let modules: [String: [String]] = [
        "elementwise": elementwise,
        "reduce": ["sum_rows", "sum_cols", "argmax_rows", "count_correct", "sum_axis", "count_nonzero"],
        "softmax": ["softmax_rows", "nll_rows", "cross_entropy_backward"],
        "sgemm": ["sgemm", "sgemm_large"],
        "conv": ["im2col", "col2im", "swap_leading"],
        "pool": ["maxpool_forward", "maxpool_backward", "avgpool_forward", "avgpool_backward"],
        "batchnorm": ["batchnorm_stats", "batchnorm_apply", "batchnorm_sums", "batchnorm_dx"],
        "optim": ["adam_step", "sgd_step", "adagrad_step", "rmsprop_step", "adadelta_step", "dropout", "gather_rows"],
    ]

    /// The module that defines each kernel.
    public static let moduleOf: [String: String] = {
        var m: [String: String] = [:]
        for (module, names) in modules { for n in names { m[n] = module } }
        return m
    }()

    /// The PTX of a module, as embedded.
    public static func ptx(_ module: String) -> String? { PTXModules.all.first { $0.name == module }?.ptx }

    /// The `.entry` names a PTX text defines.
    public static func entries(_ ptx: String) -> [String] {
        ptx.split(separator: "\n").compactMap { line -> String? in
            let t = line.drop { $0 == " " || $0 == "\t" }
            guard t.hasPrefix(".visible .entry ") || t.hasPrefix(".entry ") else { return nil }
            let rest = t.split(separator: " ").last { $0.contains("(") } ?? ""
            return rest.split(separator: "(").first.map(String.init)
        }
    }
}
