#include "CKernels.h"
#include "microkernel.h"
#include <math.h>

// Which copy of DLX_VECTOR_CLONES's loops runs (microkernel.h): chosen once, before main, by an ordinary
// constructor, which runs after a sanitizer's runtime has started.
int dlx_cpu_avx2 = 0;

__attribute__((constructor)) static void dlx_choose_kernels(void) {
#if defined(__x86_64__) && defined(__clang__)
    __builtin_cpu_init();
    dlx_cpu_avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
#endif
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
