// Reductions over rows and columns of a (rows, cols) matrix. Row kernels: one 256-thread block per row.
#include "common.cuh"

// out[r] = scale * sum of row r (scale 1/cols gives the mean).
DLX_KERNEL void sum_rows(const float *x, float *out, long long rows, long long cols, float scale) {
    long long r = blockIdx.x;
    if (r >= rows) return;
    float s = 0.0f;
    for (long long j = threadIdx.x; j < cols; j += blockDim.x) s += x[r * cols + j];
    s = block_sum(s);
    if (threadIdx.x == 0) out[r] = s * scale;
}

// out[j] = sum over rows of x[r, j] (bias gradients); one thread per column.
DLX_KERNEL void sum_cols(const float *x, float *out, long long rows, long long cols) {
    GRID_STRIDE(j, cols) {
        float s = 0.0f;
        for (long long r = 0; r < rows; r++) s += x[r * cols + j];
        out[j] = s;
    }
}

// The maximum of each row and where it is (the first, as PyTorch); a NaN wins.
DLX_KERNEL void argmax_rows(const float *x, float *values, long long *indices, long long rows, long long cols) {
    GRID_STRIDE(r, rows) {
        const float *row = x + r * cols;
        long long best = 0;
        for (long long j = 1; j < cols; j++) {
            float v = row[j], b = row[best];
            if ((v > b || v != v) && b == b) best = j;
        }
        values[r] = row[best];
        indices[r] = best;
    }
}

// The number of rows whose argmax equals the label (accuracy), added into *hits.
DLX_KERNEL void count_correct(const float *x, const long long *labels, unsigned long long *hits, long long rows, long long cols) {
    GRID_STRIDE(r, rows) {
        const float *row = x + r * cols;
        long long best = 0;
        for (long long j = 1; j < cols; j++) if (row[j] > row[best]) best = j;
        if (best == labels[r]) atomicAdd(hits, 1ull);
    }
}

// out[o, i] = scale * sum over s of x[o, s, i] for x viewed as (outer, size, inner); one thread per output.
DLX_KERNEL void sum_axis(const float *x, float *out, long long outer, long long size, long long inner, float scale) {
    GRID_STRIDE(k, outer * inner) {
        long long o = k / inner, i = k % inner;
        float s = 0.0f;
        for (long long j = 0; j < size; j++) s += x[(o * size + j) * inner + i];
        out[k] = s * scale;
    }
}

// *out (int64, zeroed first) += the number of nonzero bytes (the sum of a bool tensor).
DLX_KERNEL void count_nonzero(const unsigned char *x, unsigned long long *out, long long n) {
    unsigned long long c = 0;
    GRID_STRIDE(i, n) c += x[i] != 0;
    for (int o = 16; o > 0; o >>= 1) c += __shfl_down_sync(0xffffffffu, c, o);   // per warp, in integers
    if ((threadIdx.x & 31) == 0 && c) atomicAdd(out, c);
}
