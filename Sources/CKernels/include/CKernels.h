#ifndef DLX_CKERNELS_H
#define DLX_CKERNELS_H
#include <stddef.h>

// Float32 loops where C with target attributes beats what Swift gives: the optimizer updates, whose
// square roots and divisions only vectorise with math-errno off, and which dlx compiles for AVX2+FMA
// beside a baseline version, choosing at run time.

/// Adam: m = b1 m + (1-b1) g';  v = b2 v + (1-b2) g'^2;  w -= lr m / (sqrt(v) / c2 + eps), g' = g + wd w.
/// `lr` is already divided by the first bias correction; `inv_c2` is 1 / sqrt(second bias correction).
void dlx_adam(int avx2, float *w, const float *g, float *m, float *v, size_t n,
              float lr, float beta1, float beta2, float eps, float weight_decay, float inv_c2);

/// SGD with optional momentum buffer (NULL without momentum); `first` starts the buffer at the gradient.
void dlx_sgd(int avx2, float *w, const float *g, float *buf, size_t n, float lr, float momentum,
             float weight_decay, int first);

/// ReLU's backward: r[i] = y[i] > 0 ? g[i] : 0, where y is the forward output.
void dlx_relu_backward(int avx2, const float *g, const float *y, float *r, size_t n);
#endif
