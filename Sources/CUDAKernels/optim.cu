// Optimizer steps and dropout, with the CPU kernels' arithmetic (so CPU and GPU runs agree).
#include "common.cuh"

// Adam: m = b1 m + (1-b1) g';  v = b2 v + (1-b2) g'^2;  w -= lr m / (sqrt(v) * inv_c2 + eps), g' = g + wd w.
DLX_KERNEL void adam_step(float *w, const float *g, float *m, float *v, long long n, float lr, float beta1, float beta2,
                          float eps, float weight_decay, float inv_c2) {
    GRID_STRIDE(i, n) {
        float gi = g[i] + weight_decay * w[i];
        float mi = beta1 * m[i] + (1.0f - beta1) * gi;
        float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
        m[i] = mi; v[i] = vi;
        w[i] -= lr * mi / (sqrtf(vi) * inv_c2 + eps);
    }
}

DLX_KERNEL void sgd_step(float *w, const float *g, float *buf, long long n, float lr, float momentum, float weight_decay, int first) {
    GRID_STRIDE(i, n) {
        float gi = g[i] + weight_decay * w[i];
        if (buf) {
            float b = first ? gi : momentum * buf[i] + gi;
            buf[i] = b;
            gi = b;
        }
        w[i] -= lr * gi;
    }
}

// The CPU backend's counter-based dropout hash: the same seed gives the same mask on both.
__device__ unsigned dropout_hash(unsigned seed, unsigned k) {
    unsigned h = seed ^ (k * 0x9E3779B9u);
    h ^= h >> 16; h *= 0x85EBCA6Bu;
    h ^= h >> 13; h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h;
}

DLX_KERNEL void dropout(const float *x, float *out, long long count, long long group, unsigned seed, unsigned keep_below, float scale) {
    GRID_STRIDE(i, count) {
        unsigned k = (unsigned)(i / group);
        out[i] = x[i] * ((dropout_hash(seed, k) >> 8) < keep_below ? scale : 0.0f);
    }
}

// Rows of a (rows, width) table picked by index (embedding-style gathers, batch assembly).
DLX_KERNEL void gather_rows(const float *table, const long long *index, float *out, long long count, long long width) {
    GRID_STRIDE(i, count * width) out[i] = table[index[i / width] * width + i % width];
}
