// Max and average pooling over NCHW planes (padding counts as -inf for max, as 0 for the average).
#include "common.cuh"

struct PoolShape {
    int planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow;
};

DLX_KERNEL void maxpool_forward(const float *x, float *y, int *argmax, PoolShape s) {
    GRID_STRIDE(i, (long long)s.planes * s.oh * s.ow) {
        int ox = i % s.ow, oy = (i / s.ow) % s.oh;
        long long p = i / ((long long)s.ow * s.oh);
        const float *plane = x + p * s.h * s.w;
        float best = -INFINITY;
        int at = -1;
        for (int ki = 0; ki < s.kh; ki++) {
            int iy = oy * s.sh - s.ph + ki * s.dh;
            if (iy < 0 || iy >= s.h) continue;
            for (int kj = 0; kj < s.kw; kj++) {
                int ix = ox * s.sw - s.pw + kj * s.dw;
                if (ix < 0 || ix >= s.w) continue;
                float v = plane[iy * s.w + ix];
                if (at < 0 || v > best || v != v) { best = v; at = iy * s.w + ix; }
            }
        }
        y[i] = best;
        argmax[i] = at;
    }
}

// Gradients go to the winners; overlapping windows may share one, hence atomics (dx zeroed first).
DLX_KERNEL void maxpool_backward(const float *g, const int *argmax, float *dx, PoolShape s) {
    GRID_STRIDE(i, (long long)s.planes * s.oh * s.ow) {
        long long p = i / ((long long)s.ow * s.oh);
        int at = argmax[i];
        if (at >= 0) atomicAdd(dx + p * s.h * s.w + at, g[i]);
    }
}

DLX_KERNEL void avgpool_forward(const float *x, float *y, PoolShape s) {
    GRID_STRIDE(i, (long long)s.planes * s.oh * s.ow) {
        int ox = i % s.ow, oy = (i / s.ow) % s.oh;
        long long p = i / ((long long)s.ow * s.oh);
        float sum = 0.0f;
        for (int ki = 0; ki < s.kh; ki++) {
            int iy = oy * s.sh - s.ph + ki;
            if (iy < 0 || iy >= s.h) continue;
            for (int kj = 0; kj < s.kw; kj++) {
                int ix = ox * s.sw - s.pw + kj;
                if (ix >= 0 && ix < s.w) sum += x[p * s.h * s.w + iy * s.w + ix];
            }
        }
        y[i] = sum / (s.kh * s.kw);
    }
}

DLX_KERNEL void avgpool_backward(const float *g, float *dx, PoolShape s) {
    GRID_STRIDE(i, (long long)s.planes * s.oh * s.ow) {
        int ox = i % s.ow, oy = (i / s.ow) % s.oh;
        long long p = i / ((long long)s.ow * s.oh);
        float share = g[i] / (s.kh * s.kw);
        for (int ki = 0; ki < s.kh; ki++) {
            int iy = oy * s.sh - s.ph + ki;
            if (iy < 0 || iy >= s.h) continue;
            for (int kj = 0; kj < s.kw; kj++) {
                int ix = ox * s.sw - s.pw + kj;
                if (ix >= 0 && ix < s.w) atomicAdd(dx + p * s.h * s.w + iy * s.w + ix, share);
            }
        }
    }
}
