#if canImport(Glibc)
import Glibc
#endif
import DLXEngine
import CKernels

/// The layer kernels of `dlx cuda-selftest` (convolution, pooling, batch norm, losses, optimizers, gathers),
/// each against the CPU's kernel on the same inputs.
extension CUDASelfTest {
    typealias Report = (String, [Float], [Float], Float) -> Void

    static func layers(_ gpu: CUDADevice, _ random: (Int) -> [Float], _ report: Report) throws(TensorError) {
        // Convolution: im2col for a batch against per-sample CPU unrolling, col2im against the CPU's.
        let (n, c, h, wd) = (2, 3, 7, 6)
        let shape = [n, c, h, wd, 3, 3, 1, 1, 1, 1, 1, 1, 7, 6]   // n c h w kh kw sh sw ph pw dh dw oh ow
        let x = random(n * c * h * wd), k = c * 9, plane = 7 * 6
        var cpuCols = [Float](repeating: 0, count: k * n * plane)   // (C*9, N*P)
        var s = dlx_conv_shape(n: 1, c: Int32(c), h: Int32(h), w: Int32(wd), kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, oh: 7, ow: 6)
        var one = [Float](repeating: 0, count: k * plane), padded = [Float](repeating: 0, count: c * 9 * 8)
        for i in 0..<n {
            x.withUnsafeBufferPointer { xp in dlx_im2col_sample(&s, xp.baseAddress! + i * c * h * wd, &padded, &one) }
            for r in 0..<k { for p in 0..<plane { cpuCols[r * n * plane + i * plane + p] = one[r * plane + p] } }
        }
        let dx = try gpu.upload(x), dcols = try gpu.allocate(cpuCols.count * 4), dback = try gpu.allocate(x.count * 4)
        try gpu.launch("conv", "im2col", blocks: (cpuCols.count + 255) / 256, [.pointer(dx), .pointer(dcols), .bytes(CUDADevice.int32s(shape))])
        report("im2col (batch)", try gpu.download(dcols, count: cpuCols.count), cpuCols, 1e-6)
        try gpu.launch("conv", "col2im", blocks: (x.count + 255) / 256, [.pointer(dcols), .pointer(dback), .bytes(CUDADevice.int32s(shape))])
        var cpuBack = [Float](repeating: 0, count: x.count)
        for i in 0..<n {
            for r in 0..<k { for p in 0..<plane { one[r * plane + p] = cpuCols[r * n * plane + i * plane + p] } }
            cpuBack.withUnsafeMutableBufferPointer { bp in dlx_col2im_sample(&s, one, &padded, bp.baseAddress! + i * c * h * wd) }
        }
        report("col2im (batch)", try gpu.download(dback, count: x.count), cpuBack, 1e-5)

        // Max pooling 2x2 over (2, 3, 6, 6): values and winners, then the gradient to the winners.
        let px = random(2 * 3 * 36), planes = 6
        let pool = [planes, 6, 6, 2, 2, 2, 2, 0, 0, 1, 1, 3, 3]   // planes h w kh kw sh sw ph pw dh dw oh ow
        var ps = dlx_conv_shape(n: 2, c: 3, h: 6, w: 6, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1, oh: 3, ow: 3)
        var cpuPool = [Float](repeating: 0, count: planes * 9), cpuArg = [Int32](repeating: 0, count: planes * 9)
        dlx_maxpool_forward(0, &ps, px, &cpuPool, &cpuArg, 0, planes)
        let dpx = try gpu.upload(px), dpy = try gpu.allocate(planes * 9 * 4), darg = try gpu.allocate(planes * 9 * 4)
        try gpu.launch("pool", "maxpool_forward", [.pointer(dpx), .pointer(dpy), .pointer(darg), .bytes(CUDADevice.int32s(pool))])
        report("maxpool_forward", try gpu.download(dpy, count: planes * 9), cpuPool, 1e-6)
        report("maxpool_forward (argmax)", try gpu.download(darg, count: planes * 9, as: Int32.self).map(Float.init), cpuArg.map(Float.init), 0)
        let pg = random(planes * 9), dpg = try gpu.upload(pg), dpdx = try gpu.allocate(px.count * 4)
        try gpu.zero(dpdx, words: px.count)
        try gpu.launch("pool", "maxpool_backward", [.pointer(dpg), .pointer(darg), .pointer(dpdx), .bytes(CUDADevice.int32s(pool))])
        var cpuPdx = [Float](repeating: 0, count: px.count)
        for p in 0..<planes { for o in 0..<9 { cpuPdx[p * 36 + Int(cpuArg[p * 9 + o])] += pg[p * 9 + o] } }
        report("maxpool_backward", try gpu.download(dpdx, count: px.count), cpuPdx, 1e-6)

        // Batch norm over (4, 3, 10): statistics, normalisation, gradient sums and input gradient.
        let (bn, bc, bi) = (4, 3, 10)
        let bx = random(bn * bc * bi), bg = random(bn * bc * bi)
        var mean = [Double](repeating: 0, count: bc), variance = [Double](repeating: 0, count: bc)
        dlx_batchnorm_stats(bx, bn, bc, bi, 0, bc, &mean, &variance)
        let dbx = try gpu.upload(bx), dmean = try gpu.allocate(bc * 4), dvar = try gpu.allocate(bc * 4)
        try gpu.launch("batchnorm", "batchnorm_stats", blocks: bc, [.pointer(dbx), .pointer(dmean), .pointer(dvar), .int64(Int64(bn)), .int64(Int64(bc)), .int64(Int64(bi))])
        report("batchnorm_stats (mean)", try gpu.download(dmean, count: bc), mean.map(Float.init), 1e-4)
        report("batchnorm_stats (variance)", try gpu.download(dvar, count: bc), variance.map(Float.init), 1e-4)
        let invstd = variance.map { Float(1 / ($0 + 1e-5).squareRoot()) }, fm = mean.map(Float.init)
        let gamma = random(bc), beta = random(bc)
        var y = [Float](repeating: 0, count: bx.count)
        dlx_batchnorm_apply(bx, bn, bc, bi, 0, bc, fm, invstd, gamma, beta, 0, &y)
        let dinv = try gpu.upload(invstd), dfm = try gpu.upload(fm), dgam = try gpu.upload(gamma), dbet = try gpu.upload(beta)
        let dxh = try gpu.allocate(bx.count * 4), dy = try gpu.allocate(bx.count * 4)
        try gpu.launch("batchnorm", "batchnorm_apply", [.pointer(dbx), .pointer(dfm), .pointer(dinv), .pointer(dgam), .pointer(dbet),
                                                         .pointer(dxh), .pointer(dy), .int64(Int64(bn)), .int64(Int64(bc)), .int64(Int64(bi))])
        report("batchnorm_apply", try gpu.download(dy, count: y.count), y, 1e-4)
        var sg = [Double](repeating: 0, count: bc), sgh = [Double](repeating: 0, count: bc)
        dlx_batchnorm_sums(bg, nil, bx, fm, invstd, bn, bc, bi, 0, bc, &sg, &sgh)   // the CPU recomputes xhat from x
        let dbg = try gpu.upload(bg), dsg = try gpu.allocate(bc * 4), dsgh = try gpu.allocate(bc * 4)
        try gpu.launch("batchnorm", "batchnorm_sums", blocks: bc, [.pointer(dbg), .pointer(dxh), .pointer(dsg), .pointer(dsgh),
                                                                    .int64(Int64(bn)), .int64(Int64(bc)), .int64(Int64(bi))])
        report("batchnorm_sums", try gpu.download(dsg, count: bc) + gpu.download(dsgh, count: bc), (sg + sgh).map(Float.init), 1e-3)

        // Cross-entropy's backward from log-probabilities, and the Adam step.
        let (rows, cols) = (4, 10)
        let logits = random(rows * cols), labels: [Int64] = [3, 0, 9, 5]
        let logp = (0..<rows).flatMap { r -> [Float] in
            let row = Array(logits[(r * cols)..<((r + 1) * cols)]), mx = row.max()!
            let lse = mx + Float(Glibc.log(row.reduce(0.0) { $0 + Glibc.exp(Double($1 - mx)) }))
            return row.map { $0 - lse }
        }
        let dlogp = try gpu.upload(logp), dlab = try gpu.upload(bytesOf: labels), dgrad = try gpu.allocate(rows * cols * 4)
        try gpu.launch("softmax", "cross_entropy_backward", [.pointer(dlogp), .pointer(dlab), .pointer(dgrad), .int64(Int64(rows)), .int64(Int64(cols)), .float(0.25)])
        let want = (0..<(rows * cols)).map { i in 0.25 * (Float(Glibc.exp(Double(logp[i]))) - (Int64(i % cols) == labels[i / cols] ? 1 : 0)) }
        report("cross_entropy_backward", try gpu.download(dgrad, count: rows * cols), want, 1e-4)
        let count = 1000
        var w = random(count), m = random(count).map { $0 * 0.1 }, v = random(count).map { $0 * $0 * 0.01 }
        let g = random(count)
        let dw = try gpu.upload(w), dg = try gpu.upload(g), dm = try gpu.upload(m), dv = try gpu.upload(v)
        try gpu.launch("optim", "adam_step", blocks: 4, [.pointer(dw), .pointer(dg), .pointer(dm), .pointer(dv), .int64(Int64(count)), .float(0.001 / 0.1),
                                                        .float(0.9), .float(0.999), .float(1e-8), .float(0), .float(1 / Float(0.001).squareRoot())])
        dlx_adam(0, &w, g, &m, &v, count, 0.001 / 0.1, 0.9, 0.999, 1e-8, 0, 1 / Float(0.001).squareRoot())
        report("adam_step", try gpu.download(dw, count: count), w, 1e-4)
        for p in [dx, dcols, dback, dpx, dpy, darg, dpg, dpdx, dbx, dmean, dvar, dinv, dfm, dgam, dbet, dxh, dy, dbg, dsg, dsgh,
                  dlogp, dlab, dgrad, dw, dg, dm, dv] { gpu.free(p) }
    }
}
