// Elementwise kernels: fills, unary functions and their gradients, broadcast binary operations.
#include "common.cuh"

DLX_KERNEL void fill(float *y, float v, long long n) { GRID_STRIDE(i, n) y[i] = v; }

#define UNARY(name, expr) DLX_KERNEL void unary_##name(const float *x, float *y, long long n) { GRID_STRIDE(i, n) { float v = x[i]; y[i] = (expr); } }
UNARY(neg, -v)
UNARY(abs, fabsf(v))
UNARY(exp, expf(v))
UNARY(log, logf(v))
UNARY(sqrt, sqrtf(v))
UNARY(relu, v > 0.0f ? v : (v != v ? v : 0.0f))
UNARY(sigmoid, 1.0f / (1.0f + expf(-v)))
UNARY(tanh, tanhf(v))

// r = f'(x) * g, from the forward's input x and output y.
#define BACKWARD(name, expr) DLX_KERNEL void backward_##name(const float *g, const float *x, const float *y, float *r, long long n) { GRID_STRIDE(i, n) { float gi = g[i], xi = x[i], yi = y[i]; (void)xi; (void)yi; r[i] = (expr); } }
BACKWARD(neg, -gi)
BACKWARD(abs, xi > 0.0f ? gi : (xi < 0.0f ? -gi : 0.0f))
BACKWARD(exp, gi * yi)
BACKWARD(log, gi / xi)
BACKWARD(sqrt, gi * 0.5f / yi)
BACKWARD(relu, yi > 0.0f ? gi : 0.0f)
BACKWARD(sigmoid, gi * yi * (1.0f - yi))
BACKWARD(tanh, gi * (1.0f - yi * yi))

// out = a (op) b over a broadcast shape; offsets in a and b come from their strides (0 where broadcast).
#define BINARY(name, expr) DLX_KERNEL void binary_##name(const float *a, const float *b, float *out, Broadcast s, long long n) { \
    GRID_STRIDE(i, n) {                                                                                                        \
        long long oa, ob;                                                                                                      \
        broadcast_offsets(s, i, oa, ob);                                                                                       \
        float x = a[oa], y = b[ob];                                                                                            \
        out[i] = (expr);                                                                                                       \
    }                                                                                                                          \
}
BINARY(add, x + y)
BINARY(sub, x - y)
BINARY(mul, x * y)
BINARY(div, x / y)
BINARY(pow, powf(x, y))
BINARY(max, x > y || x != x ? x : y)
BINARY(min, x < y || x != x ? x : y)

// y += alpha * x (gradient accumulation).
DLX_KERNEL void axpy(float *y, const float *x, float alpha, long long n) { GRID_STRIDE(i, n) y[i] += alpha * x[i]; }

// A strided view copied into contiguous memory (up to six dimensions; the `b` strides are unused).
DLX_KERNEL void gather_strided(const float *src, float *dst, Broadcast s, long long n) {
    GRID_STRIDE(i, n) { long long o, unused; broadcast_offsets(s, i, o, unused); dst[i] = src[o]; }
}

// uint8 pixels to floats scaled by `scale` (ToTensor: 1/255).
DLX_KERNEL void bytes_to_float(const unsigned char *x, float *y, float scale, long long n) { GRID_STRIDE(i, n) y[i] = x[i] * scale; }

// out = a (op) s, or s (op) a with scalar_first: arithmetic with a Python number, no broadcast buffer.
#define SCALAR(name, expr) DLX_KERNEL void scalar_##name(const float *a, float s, float *out, long long n, int scalar_first) { \
    GRID_STRIDE(i, n) { float x = scalar_first ? s : a[i], y = scalar_first ? a[i] : s; out[i] = (expr); } }
SCALAR(add, x + y)
SCALAR(sub, x - y)
SCALAR(mul, x * y)
SCALAR(div, x / y)
SCALAR(pow, powf(x, y))
SCALAR(max, x > y || x != x ? x : y)
SCALAR(min, x < y || x != x ? x : y)

// out (bool bytes) = a (op) b over a broadcast shape; op: 0 eq, 1 ne, 2 lt, 3 le, 4 gt, 5 ge.
template <typename T> __device__ inline bool holds(int op, T x, T y) {
    switch (op) {
    case 0: return x == y;
    case 1: return x != y;
    case 2: return x < y;
    case 3: return x <= y;
    case 4: return x > y;
    default: return x >= y;
    }
}
template <typename T> __device__ inline void compare(const T *a, const T *b, unsigned char *out, Broadcast s, long long n, int op) {
    GRID_STRIDE(i, n) { long long oa, ob; broadcast_offsets(s, i, oa, ob); out[i] = holds(op, a[oa], b[ob]) ? 1 : 0; }
}
DLX_KERNEL void compare_f32(const float *a, const float *b, unsigned char *out, Broadcast s, long long n, int op) { compare(a, b, out, s, n, op); }
DLX_KERNEL void compare_i64(const long long *a, const long long *b, unsigned char *out, Broadcast s, long long n, int op) { compare(a, b, out, s, n, op); }

// y = alpha * y + beta * x (gradient accumulation, running statistics).
DLX_KERNEL void axpby(float *y, const float *x, float alpha, float beta, long long n) { GRID_STRIDE(i, n) y[i] = alpha * y[i] + beta * x[i]; }

// Strided views of 8- and 1-byte elements copied into contiguous memory (gather_strided's layout).
#define GATHER(name, T) DLX_KERNEL void name(const T *src, T *dst, Broadcast s, long long n) { \
    GRID_STRIDE(i, n) { long long o, unused; broadcast_offsets(s, i, o, unused); dst[i] = src[o]; }  \
}
GATHER(gather_strided8, long long)
GATHER(gather_strided1, unsigned char)

// int64 to float32, times scale.
DLX_KERNEL void int64_to_float(const long long *x, float *y, float scale, long long n) { GRID_STRIDE(i, n) y[i] = (float)x[i] * scale; }

// A strided copy into a strided destination (x[...] = y on a view, slice gradients): dst at the `b`
// strides, src at the `a` strides, 4-byte elements. The destination positions must be distinct.
DLX_KERNEL void copy_strided(const float *src, float *dst, Broadcast s, long long n) {
    GRID_STRIDE(i, n) { long long oa, ob; broadcast_offsets(s, i, oa, ob); dst[ob] = src[oa]; }
}

// *x += v for one int64 (BatchNorm's num_batches_tracked, counted without a trip to the host).
DLX_KERNEL void add_int64(long long *x, long long v) { if (blockIdx.x == 0 && threadIdx.x == 0) *x += v; }
