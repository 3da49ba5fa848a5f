#include "CKernels.h"
#include <math.h>

#define ADAM_BODY                                                                  \
    for (size_t i = 0; i < n; i++) {                                               \
        float gi = g[i] + weight_decay * w[i];                                     \
        float mi = beta1 * m[i] + (1.0f - beta1) * gi;                             \
        float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;                        \
        m[i] = mi;                                                                 \
        v[i] = vi;                                                                 \
        w[i] -= lr * mi / (sqrtf(vi) * inv_c2 + eps);                              \
    }

#define SGD_BODY                                                                   \
    if (!buf) {                                                                    \
        for (size_t i = 0; i < n; i++) w[i] -= lr * (g[i] + weight_decay * w[i]);  \
        return;                                                                    \
    }                                                                              \
    for (size_t i = 0; i < n; i++) {                                               \
        float d = g[i] + weight_decay * w[i];                                      \
        float b = first ? d : momentum * buf[i] + d;                               \
        buf[i] = b;                                                                \
        w[i] -= lr * b;                                                            \
    }

#if defined(__x86_64__)
__attribute__((target("avx2,fma")))
static void adam_avx2(float *restrict w, const float *restrict g, float *restrict m, float *restrict v, size_t n,
                      float lr, float beta1, float beta2, float eps, float weight_decay, float inv_c2) { ADAM_BODY }
__attribute__((target("avx2,fma")))
static void sgd_avx2(float *restrict w, const float *restrict g, float *restrict buf, size_t n, float lr,
                     float momentum, float weight_decay, int first) { SGD_BODY }
#endif

static void adam_base(float *restrict w, const float *restrict g, float *restrict m, float *restrict v, size_t n,
                      float lr, float beta1, float beta2, float eps, float weight_decay, float inv_c2) { ADAM_BODY }
static void sgd_base(float *restrict w, const float *restrict g, float *restrict buf, size_t n, float lr,
                     float momentum, float weight_decay, int first) { SGD_BODY }

void dlx_adam(int avx2, float *w, const float *g, float *m, float *v, size_t n,
              float lr, float beta1, float beta2, float eps, float weight_decay, float inv_c2) {
#if defined(__x86_64__)
    if (avx2) { adam_avx2(w, g, m, v, n, lr, beta1, beta2, eps, weight_decay, inv_c2); return; }
#endif
    (void)avx2;
    adam_base(w, g, m, v, n, lr, beta1, beta2, eps, weight_decay, inv_c2);
}

void dlx_sgd(int avx2, float *w, const float *g, float *buf, size_t n, float lr, float momentum,
             float weight_decay, int first) {
#if defined(__x86_64__)
    if (avx2) { sgd_avx2(w, g, buf, n, lr, momentum, weight_decay, first); return; }
#endif
    (void)avx2;
    sgd_base(w, g, buf, n, lr, momentum, weight_decay, first);
}

#define RELU_BACKWARD_BODY for (size_t i = 0; i < n; i++) r[i] = y[i] > 0.0f ? g[i] : 0.0f;
#if defined(__x86_64__)
__attribute__((target("avx2,fma")))
static void relu_backward_avx2(const float *restrict g, const float *restrict y, float *restrict r, size_t n) { RELU_BACKWARD_BODY }
#endif
static void relu_backward_base(const float *restrict g, const float *restrict y, float *restrict r, size_t n) { RELU_BACKWARD_BODY }

void dlx_relu_backward(int avx2, const float *g, const float *y, float *r, size_t n) {
#if defined(__x86_64__)
    if (avx2) { relu_backward_avx2(g, y, r, n); return; }
#endif
    (void)avx2;
    relu_backward_base(g, y, r, n);
}

long dlx_claim_next(long *counter) { return __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED); }
