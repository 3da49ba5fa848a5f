/// The adaptive optimizers' updates as PyTorch's `_single_tensor_adagrad`, `_single_tensor_rmsprop` and
/// `_single_tensor_adadelta` write them, one element at a time: each tensor op there is one float32 operation
/// here, rounded as PyTorch's CPU kernels round it. The yardstick of the C and device kernels.
extension ReferenceKernels {
    /// `state_sum.addcmul_(grad, grad, value=1); std = state_sum.sqrt().add_(eps); param.addcdiv_(grad, std, value=-clr)`.
    public static func adagrad(_ s: AdagradStep, _ w: inout Float, _ g: Float, _ sum: inout Float) {
        var grad = g
        if s.weightDecay != 0 { grad = grad + s.weightDecay * w }
        sum = sum + 1 * grad * grad
        let std = sum.squareRoot() + s.eps
        w = w + (-s.lr) * grad / std
    }

    /// `square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)`, the centered `grad_avg.lerp_(grad, 1 - alpha)`,
    /// `avg = sqrt(...).add_(eps)`, then `buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr)` or
    /// `param.addcdiv_(grad, avg, value=-lr)`.
    public static func rmsprop(_ s: RMSpropStep, _ w: inout Float, _ g: Float, _ squareAvg: inout Float,
                               _ momentumBuffer: inout Float?, _ gradAvg: inout Float?) {
        var grad = g
        if s.weightDecay != 0 { grad = grad + s.weightDecay * w }
        squareAvg = squareAvg * s.alpha
        squareAvg = squareAvg + (1 - s.alpha) * grad * grad
        var avg: Float
        if let ga = gradAvg {
            let weight = 1 - s.alpha
            let lerped = weight < 0.5 ? ga + weight * (grad - ga) : grad - (grad - ga) * (1 - weight)
            gradAvg = lerped
            avg = (squareAvg + (-1) * lerped * lerped).squareRoot()
        } else {
            avg = squareAvg.squareRoot()
        }
        avg = avg + s.eps
        if let b = momentumBuffer {
            let buf = b * s.momentum + 1 * grad / avg
            momentumBuffer = buf
            w = w + (-s.lr) * buf
        } else {
            w = w + (-s.lr) * grad / avg
        }
    }

    /// `square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho); std = square_avg.add(eps).sqrt_();
    /// delta = acc_delta.add(eps).sqrt_().div_(std).mul_(grad); acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho);
    /// param.add_(delta, alpha=-lr)`.
    public static func adadelta(_ s: AdadeltaStep, _ w: inout Float, _ g: Float, _ squareAvg: inout Float, _ accDelta: inout Float) {
        var grad = g
        if s.weightDecay != 0 { grad = grad + s.weightDecay * w }
        squareAvg = squareAvg * s.rho
        squareAvg = squareAvg + (1 - s.rho) * grad * grad
        let std = (squareAvg + s.eps).squareRoot()
        var delta = (accDelta + s.eps).squareRoot()
        delta = delta / std
        delta = delta * grad
        accDelta = accDelta * s.rho
        accDelta = accDelta + (1 - s.rho) * delta * delta
        w = w + (-s.lr) * delta
    }
}
