/// The kernels of the GPU backend by module (Sources/CUDAKernels/NAME.cu, embedded as PTX in
/// `PTXModules`): what the backend looks up with cuModuleGetFunction once a module is loaded.
public enum CUDAKernels {
    public static let modules: [String: [String]] = [
        "elementwise": ["fill", "axpy", "gather_strided", "bytes_to_float"]
            + ["neg", "abs", "exp", "log", "sqrt", "relu", "sigmoid", "tanh"].flatMap { ["unary_" + $0, "backward_" + $0] }
            + ["add", "sub", "mul", "div", "pow", "max", "min"].map { "binary_" + $0 },
        "reduce": ["sum_rows", "sum_cols", "argmax_rows", "count_correct"],
        "softmax": ["softmax_rows", "nll_rows", "cross_entropy_backward"],
        "sgemm": ["sgemm"],
        "conv": ["im2col", "col2im", "swap_leading"],
        "pool": ["maxpool_forward", "maxpool_backward", "avgpool_forward", "avgpool_backward"],
        "batchnorm": ["batchnorm_stats", "batchnorm_apply", "batchnorm_sums", "batchnorm_dx"],
        "optim": ["adam_step", "sgd_step", "dropout", "gather_rows"],
    ]

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
