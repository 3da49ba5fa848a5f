import Testing
import CKernels
@testable import DLXEngine

/// The vector kernels of pooling against the plain-C loop they replace.
@Suite struct PoolingKernelTests {
    @Test(arguments: [(28, 28), (14, 14), (7, 7), (9, 17), (2, 2), (5, 31)])
    func vectorMaxPoolMatchesTheScalarLoopIncludingNaNsAndTies(_ size: (Int, Int)) throws {
        let (h, w) = size, planes = 3
        var values = try randomTensor([planes * h * w], seed: UInt64(h * 100 + w)).doubles().map(Float.init)
        for i in stride(from: 0, to: values.count, by: 7) { values[i] = values[i / 2] }    // ties
        for i in stride(from: 3, to: values.count, by: 11) { values[i] = .nan }             // NaNs
        var s = dlx_conv_shape(n: 1, c: Int32(planes), h: Int32(h), w: Int32(w), kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0,
                               dh: 1, dw: 1, oh: Int32(h / 2), ow: Int32(w / 2))
        let outCount = planes * (h / 2) * (w / 2)
        var (outV, outS) = ([Float](repeating: 0, count: outCount), [Float](repeating: 0, count: outCount))
        var (argV, argS) = ([Int32](repeating: 0, count: outCount), [Int32](repeating: 0, count: outCount))
        dlx_maxpool_forward(1, &s, values, &outV, &argV, 0, planes)
        dlx_maxpool_forward(0, &s, values, &outS, &argS, 0, planes)
        #expect(argV == argS)
        #expect(zip(outV, outS).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) })
    }

    /// The backward puts each window's gradient at its winner and zero everywhere else (also in a last odd row or
    /// column, which no window covers), whatever the plane held before.
    @Test(arguments: [(28, 28), (7, 7), (9, 17), (2, 2), (5, 31), (3, 1), (6, 40)])
    func maxPoolBackwardWritesTheWinnersAndZerosElsewhere(_ size: (Int, Int)) throws {
        let (h, w) = size, planes = 3, oh = h / 2, ow = w / 2
        let values = try randomTensor([planes * h * w], seed: UInt64(h * 10 + w)).doubles().map(Float.init)
        var s = dlx_conv_shape(n: 1, c: Int32(planes), h: Int32(h), w: Int32(w), kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0,
                               dh: 1, dw: 1, oh: Int32(oh), ow: Int32(ow))
        var out = [Float](repeating: 0, count: planes * oh * ow), arg = [Int32](repeating: 0, count: planes * oh * ow)
        dlx_maxpool_forward(1, &s, values, &out, &arg, 0, planes)
        var grad = try randomTensor([planes * oh * ow], seed: 9).doubles().map(Float.init)
        if !grad.isEmpty { grad[0] = -0.0 }
        var dx = [Float](repeating: .nan, count: planes * h * w), expected = [Float](repeating: 0, count: planes * h * w)
        for p in 0..<planes { for j in 0..<(oh * ow) { expected[p * h * w + Int(arg[p * oh * ow + j])] += grad[p * oh * ow + j] } }
        dlx_maxpool_backward(&s, grad, arg, &dx, 0, planes)
        #expect(zip(dx, expected).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(dx) vs \(expected)")
    }
}
