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
        long long rest = i, oa = 0, ob = 0;                                                                                  \
        for (int d = s.rank - 1; d >= 0; d--) {                                                                            \
            long long k = rest % s.shape[d];                                                                               \
            rest /= s.shape[d];                                                                                              \
            oa += k * s.a[d];                                                                                                \
            ob += k * s.b[d];                                                                                                \
        }                                                                                                                    \
        float x = a[oa], y = b[ob];                                                                                          \
        out[i] = (expr);                                                                                                     \
    }                                                                                                                        \
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
    GRID_STRIDE(i, n) {
        long long rest = i, o = 0;
        for (int d = s.rank - 1; d >= 0; d--) {
            long long k = rest % s.shape[d];
            rest /= s.shape[d];
            o += k * s.a[d];
        }
        dst[i] = src[o];
    }
}

// uint8 pixels to floats scaled by `scale` (ToTensor: 1/255).
DLX_KERNEL void bytes_to_float(const unsigned char *x, float *y, float scale, long long n) { GRID_STRIDE(i, n) y[i] = x[i] * scale; }
