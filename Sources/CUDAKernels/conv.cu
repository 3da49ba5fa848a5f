// im2col and col2im over a batch, NCHW: cols is (C*KH*KW, N*OH*OW), rows ordered (channel, ki, kj),
// columns (image, output row, output column), as the CPU backend's per-batch layout.
#include "common.cuh"

struct ConvShape {
    int n, c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow;
};

DLX_KERNEL void im2col(const float *x, float *cols, ConvShape s) {
    long long plane = (long long)s.oh * s.ow, columns = (long long)s.n * plane;
    GRID_STRIDE(i, (long long)s.c * s.kh * s.kw * columns) {
        long long row = i / columns, col = i % columns;
        int kj = row % s.kw, ki = (row / s.kw) % s.kh, ch = row / (s.kw * s.kh);
        long long img = col / plane, p = col % plane;
        int oy = p / s.ow, ox = p % s.ow;
        int iy = oy * s.sh - s.ph + ki * s.dh, ix = ox * s.sw - s.pw + kj * s.dw;
        cols[i] = (iy >= 0 && iy < s.h && ix >= 0 && ix < s.w) ? x[((img * s.c + ch) * s.h + iy) * s.w + ix] : 0.0f;
    }
}

// Each input pixel gathers the columns that read it (no atomics): dx = sum over windows.
DLX_KERNEL void col2im(const float *cols, float *dx, ConvShape s) {
    long long plane = (long long)s.oh * s.ow, columns = (long long)s.n * plane;
    GRID_STRIDE(i, (long long)s.n * s.c * s.h * s.w) {
        int ix = i % s.w, iy = (i / s.w) % s.h;
        long long ch = (i / ((long long)s.w * s.h)) % s.c, img = i / ((long long)s.w * s.h * s.c);
        float sum = 0.0f;
        for (int ki = 0; ki < s.kh; ki++) {
            int ty = iy + s.ph - ki * s.dh;
            if (ty < 0 || ty % s.sh != 0) continue;
            int oy = ty / s.sh;
            if (oy >= s.oh) continue;
            for (int kj = 0; kj < s.kw; kj++) {
                int tx = ix + s.pw - kj * s.dw;
                if (tx < 0 || tx % s.sw != 0) continue;
                int ox = tx / s.sw;
                if (ox >= s.ow) continue;
                long long row = (ch * s.kh + ki) * s.kw + kj;
                sum += cols[row * columns + img * plane + (long long)oy * s.ow + ox];
            }
        }
        dx[i] = sum;
    }
}

// (A, B, P) -> (B, A, P) with a bias per A row added: the gemm's (O, N*P) output to NCHW.
DLX_KERNEL void swap_leading(const float *x, float *y, const float *bias, long long a, long long b, long long p) {
    GRID_STRIDE(i, a * b * p) {
        long long k = i % p, j = (i / p) % b, r = i / (p * b);   // x index (r, j, k)
        y[(j * a + r) * p + k] = x[i] + (bias ? bias[r] : 0.0f);
    }
}
