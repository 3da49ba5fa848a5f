// Optimizer steps and dropout, with the CPU kernels' arithmetic (so CPU and GPU runs agree).
#include "common.cuh"

// Adam: w' = w decay;  m = b1 m + (1-b1) g';  v = b2 v + (1-b2) g'^2;  w = w' - lr m / (sqrt(v) * inv_c2 + eps),
// g' = g + wd w' (decay is AdamW's 1 - lr wd, else 1).
DLX_KERNEL void adam_step(float *w, const float *g, float *m, float *v, long long n, float lr, float beta1, float beta2,
                          float eps, float weight_decay, float inv_c2, float decay) {
    GRID_STRIDE(i, n) {
        float wi = w[i] * decay;
        float gi = g[i] + weight_decay * wi;
        float mi = beta1 * m[i] + (1.0f - beta1) * gi;
        float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
        m[i] = mi; v[i] = vi;
        w[i] = wi - lr * mi / (sqrtf(vi) * inv_c2 + eps);
    }
}

// SGD; buf is NULL without momentum; undamped = 1 - dampening; nesterov steps along g' + momentum buf.
DLX_KERNEL void sgd_step(float *w, const float *g, float *buf, long long n, float lr, float momentum, float weight_decay,
                         float undamped, int nesterov, int first) {
    GRID_STRIDE(i, n) {
        float gi = g[i] + weight_decay * w[i];
        if (buf) {
            float b = first ? gi : momentum * buf[i] + undamped * gi;
            buf[i] = b;
            gi = nesterov ? gi + momentum * b : b;
        }
        w[i] -= lr * gi;
    }
}

// Adagrad: sum += g'^2;  w -= clr g' / (sqrt(sum) + eps).
DLX_KERNEL void adagrad_step(float *w, const float *g, float *sum, long long n, float clr, float eps, float weight_decay) {
    GRID_STRIDE(i, n) {
        float gi = g[i] + weight_decay * w[i];
        float s = sum[i] + gi * gi;
        sum[i] = s;
        w[i] -= clr * gi / (sqrtf(s) + eps);
    }
}

// RMSprop; buf is NULL without momentum, grad_avg NULL unless centered (lerp as PyTorch computes it).
DLX_KERNEL void rmsprop_step(float *w, const float *g, float *square_avg, float *buf, float *grad_avg, long long n, float lr,
                             float alpha, float eps, float weight_decay, float momentum) {
    GRID_STRIDE(i, n) {
        float gi = g[i] + weight_decay * w[i];
        float sq = square_avg[i] * alpha + (1.0f - alpha) * gi * gi;
        square_avg[i] = sq;
        float avg;
        if (grad_avg) {
            float ga = grad_avg[i], t = 1.0f - alpha;
            ga = t < 0.5f ? ga + t * (gi - ga) : gi - (gi - ga) * (1.0f - t);
            grad_avg[i] = ga;
            avg = sqrtf(sq - ga * ga) + eps;
        } else {
            avg = sqrtf(sq) + eps;
        }
        if (buf) {
            float b = buf[i] * momentum + gi / avg;
            buf[i] = b;
            w[i] -= lr * b;
        } else {
            w[i] -= lr * gi / avg;
        }
    }
}

// Adadelta: sq = rho sq + (1-rho) g'^2;  delta = sqrt(acc + eps) / sqrt(sq + eps) g';  acc = rho acc + (1-rho) delta^2.
DLX_KERNEL void adadelta_step(float *w, const float *g, float *square_avg, float *acc_delta, long long n, float lr, float rho,
                              float eps, float weight_decay) {
    GRID_STRIDE(i, n) {
        float gi = g[i] + weight_decay * w[i];
        float sq = square_avg[i] * rho + (1.0f - rho) * gi * gi;
        square_avg[i] = sq;
        float delta = sqrtf(acc_delta[i] + eps) / sqrtf(sq + eps) * gi;
        acc_delta[i] = acc_delta[i] * rho + (1.0f - rho) * delta * delta;
        w[i] -= lr * delta;
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
