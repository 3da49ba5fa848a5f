/// `nn.Conv2d(in, out, kernel_size, stride=1, padding=0, dilation=1, bias=True)`: im2col and one gemm per
/// batch (`Tensor.conv2d`), with its backward for input, weight and bias.
public final class Conv2d: Module, @unchecked Sendable {
    public let inChannels: Int, outChannels: Int
    public let kernelSize: IntPair, stride: IntPair, padding: IntPair, dilation: IntPair
    public var weight: Tensor        // (out, in, kh, kw)
    public var bias: Tensor?         // (out)

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: IntPair, stride: IntPair = IntPair(1),
                padding: IntPair = IntPair(0), dilation: IntPair = IntPair(1), bias: Bool = true,
                backend: any Backend, generator: inout Generator) throws(TensorError) {
        for (name, v) in [("in_channels", inChannels), ("out_channels", outChannels)] where v <= 0 {
            throw .value("\(name) must be a positive integer, got \(v)")
        }
        for (name, p) in [("kernel_size", kernelSize), ("stride", stride), ("dilation", dilation)] where p.h <= 0 || p.w <= 0 {
            throw .runtime("non-positive \(name) is not supported: \(p.asPair)")
        }
        guard padding.h >= 0 && padding.w >= 0 else { throw .runtime("negative padding is not supported") }
        self.inChannels = inChannels; self.outChannels = outChannels
        self.kernelSize = kernelSize.asPair; self.stride = stride.asPair
        self.padding = padding.asPair; self.dilation = dilation.asPair
        let shape = [outChannels, inChannels, kernelSize.h, kernelSize.w]
        let fanIn = try Tensor.checkedCount(shape) / outChannels   // (nn.Conv2d(1, 1, 2**32) is an error, not a trap)
        weight = try Module.uniformParameter(shape, fanIn: fanIn, kaiming: true,
                                             backend: backend, generator: &generator)
        self.bias = bias ? try Module.uniformParameter([outChannels], fanIn: fanIn, backend: backend, generator: &generator) : nil
        super.init()
    }

    public override var ownParameters: [(String, Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public override func extraRepr() -> String {
        var s = "\(inChannels), \(outChannels), kernel_size=\(kernelSize), stride=\(stride)"
        if padding.h != 0 || padding.w != 0 { s += ", padding=\(padding)" }
        if dilation.h != 1 || dilation.w != 1 { s += ", dilation=\(dilation)" }
        if bias == nil { s += ", bias=False" }
        return s
    }

    public override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        try Tensor.conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation)
    }

    /// The forward and, where the method computes them, its output planes' sums for a batch norm that follows.
    func forwardWithMoments(_ x: Tensor) throws(TensorError) -> (output: Tensor, moments: Tensor?) {
        try Tensor.conv2dAndMoments(x, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation,
                                    wantMoments: true)
    }
}
