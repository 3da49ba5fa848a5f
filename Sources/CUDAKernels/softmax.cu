// Softmax, log-softmax and cross-entropy over the rows of (rows, cols); one 256-thread block per row.
#include "common.cuh"

// y = log_softmax(x) (log_output) or softmax(x), row by row.
DLX_KERNEL void softmax_rows(const float *x, float *y, long long rows, long long cols, int log_output) {
    long long r = blockIdx.x;
    if (r >= rows) return;
    const float *in = x + r * cols;
    float *out = y + r * cols;
    float m = -INFINITY;
    for (long long j = threadIdx.x; j < cols; j += blockDim.x) m = fmaxf(m, in[j]);
    m = block_reduce(m, true);
    float s = 0.0f;
    for (long long j = threadIdx.x; j < cols; j += blockDim.x) s += expf(in[j] - m);
    s = block_reduce(s, false);
    float ls = logf(s);
    for (long long j = threadIdx.x; j < cols; j += blockDim.x) out[j] = log_output ? in[j] - m - ls : expf(in[j] - m) / s;
}

// Cross-entropy's forward from log-probabilities: loss[r] = -logp[r, label[r]].
DLX_KERNEL void nll_rows(const float *logp, const long long *labels, float *loss, long long rows, long long cols) {
    GRID_STRIDE(r, rows) {
        long long k = labels[r];
        loss[r] = (k >= 0 && k < cols) ? -logp[r * cols + k] : NAN;
    }
}

// Cross-entropy's backward: dx = scale * (softmax(x) - onehot(label)), from the saved log-probabilities.
DLX_KERNEL void cross_entropy_backward(const float *logp, const long long *labels, float *dx, long long rows, long long cols, float scale) {
    GRID_STRIDE(i, rows * cols) {
        long long r = i / cols, j = i % cols;
        dx[i] = scale * (expf(logp[i]) - (j == labels[r] ? 1.0f : 0.0f));
    }
}
