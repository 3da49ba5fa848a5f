/// `nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False)`.
public final class MaxPool2d: Module, @unchecked Sendable {
    public let kernelSize: IntPair, stride: IntPair, padding: IntPair, dilation: IntPair

    public init(kernelSize: IntPair, stride: IntPair? = nil, padding: IntPair = IntPair(0), dilation: IntPair = IntPair(1)) throws(TensorError) {
        let s = stride ?? kernelSize
        guard kernelSize.h > 0, kernelSize.w > 0, s.h > 0, s.w > 0 else {
            throw .runtime("max_pool2d: kernel_size and stride must be greater than zero")
        }
        guard padding.h >= 0, padding.w >= 0, padding.h <= kernelSize.h / 2, padding.w <= kernelSize.w / 2 else {
            throw .runtime("pad should be at most half of effective kernel size, but got pad=\(padding.h), kernel_size=\(kernelSize.h) and dilation=\(dilation.h)")
        }
        self.kernelSize = kernelSize; self.stride = s; self.padding = padding; self.dilation = dilation
        super.init()
    }

    public override func extraRepr() -> String {
        "kernel_size=\(kernelSize), stride=\(stride), padding=\(padding), dilation=\(dilation), ceil_mode=False"
    }

    public override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        try Tensor.maxPool2d(x, kernel: kernelSize.asPair, stride: stride.asPair, padding: padding.asPair, dilation: dilation.asPair)
    }
}

/// `nn.AvgPool2d(kernel_size, stride=None, padding=0)`.
public final class AvgPool2d: Module, @unchecked Sendable {
    public let kernelSize: IntPair, stride: IntPair, padding: IntPair

    public init(kernelSize: IntPair, stride: IntPair? = nil, padding: IntPair = IntPair(0)) throws(TensorError) {
        let s = stride ?? kernelSize
        guard kernelSize.h > 0, kernelSize.w > 0, s.h > 0, s.w > 0 else {
            throw .runtime("avg_pool2d: kernel_size and stride must be greater than zero")
        }
        guard padding.h >= 0, padding.w >= 0, padding.h <= kernelSize.h / 2, padding.w <= kernelSize.w / 2 else {
            throw .runtime("pad should be at most half of kernel size, but got pad=\(padding.h) and kernel_size=\(kernelSize.h)")
        }
        self.kernelSize = kernelSize; self.stride = s; self.padding = padding
        super.init()
    }

    public override func extraRepr() -> String { "kernel_size=\(kernelSize), stride=\(stride), padding=\(padding)" }

    public override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        try Tensor.avgPool2d(x, kernel: kernelSize.asPair, stride: stride.asPair, padding: padding.asPair)
    }
}

/// `nn.AdaptiveAvgPool2d(output_size)`.
public final class AdaptiveAvgPool2d: Module, @unchecked Sendable {
    public let outputSize: IntPair

    public init(outputSize: IntPair) { self.outputSize = outputSize; super.init() }

    public override func extraRepr() -> String { "output_size=\(outputSize)" }

    public override func forward(_ x: Tensor, _ context: inout ForwardContext) throws(TensorError) -> Tensor {
        try Tensor.adaptiveAvgPool2d(x, output: outputSize.asPair)
    }
}
