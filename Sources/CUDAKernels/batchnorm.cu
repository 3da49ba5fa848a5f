// Batch normalisation over (N, C, inner): statistics and gradient sums with one 256-thread block per
// channel; the elementwise passes with one thread per element.
#include "common.cuh"

// mean[c] and biased var[c] over N * inner values: the mean first, then squared deviations from it
// (a one-pass E[x^2] - E[x]^2 loses the variance of large-mean channels in float32).
DLX_KERNEL void batchnorm_stats(const float *x, float *mean, float *var, long long n, long long c, long long inner) {
    long long ch = blockIdx.x;
    if (ch >= c) return;
    float s = 0.0f;
    for (long long e = threadIdx.x; e < n * inner; e += blockDim.x) s += x[((e / inner) * c + ch) * inner + e % inner];
    float m = (float)(n * inner), mu = block_sum(s) / m;
    float q = 0.0f;
    for (long long e = threadIdx.x; e < n * inner; e += blockDim.x) {
        float d = x[((e / inner) * c + ch) * inner + e % inner] - mu;
        q += d * d;
    }
    q = block_sum(q);
    if (threadIdx.x == 0) { mean[ch] = mu; var[ch] = q / m; }
}

DLX_KERNEL void batchnorm_apply(const float *x, const float *mean, const float *invstd, const float *gamma, const float *beta,
                                float *xhat, float *y, long long n, long long c, long long inner) {
    GRID_STRIDE(i, n * c * inner) {
        long long ch = (i / inner) % c;
        float h = (x[i] - mean[ch]) * invstd[ch];
        xhat[i] = h;
        y[i] = h * (gamma ? gamma[ch] : 1.0f) + (beta ? beta[ch] : 0.0f);
    }
}

// sum_g[c] and sum_gxhat[c] (the bias and weight gradients).
DLX_KERNEL void batchnorm_sums(const float *g, const float *xhat, float *sum_g, float *sum_gxhat, long long n, long long c, long long inner) {
    long long ch = blockIdx.x;
    if (ch >= c) return;
    float s = 0.0f, sh = 0.0f;
    for (long long e = threadIdx.x; e < n * inner; e += blockDim.x) {
        long long at = ((e / inner) * c + ch) * inner + e % inner;
        s += g[at]; sh += g[at] * xhat[at];
    }
    s = block_sum(s);
    sh = block_sum(sh);
    if (threadIdx.x == 0) { sum_g[ch] = s; sum_gxhat[ch] = sh; }
}

// dx = k[c] * (m g - sum_g[c] - xhat sum_gxhat[c]) in training, k[c] g in eval.
DLX_KERNEL void batchnorm_dx(const float *g, const float *xhat, const float *k, const float *sum_g, const float *sum_gxhat,
                             float *dx, long long n, long long c, long long inner, float m, int training) {
    GRID_STRIDE(i, n * c * inner) {
        long long ch = (i / inner) % c;
        dx[i] = training ? k[ch] * (m * g[i] - sum_g[ch] - xhat[i] * sum_gxhat[ch]) : k[ch] * g[i];
    }
}
