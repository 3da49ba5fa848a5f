#include "CKernels.h"
#include <math.h>

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
