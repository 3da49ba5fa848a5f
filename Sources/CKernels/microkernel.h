// The 6x16 register-blocked product shared by the convolutions, a lane sum and a partial store (not part of
// the module's interface).
#ifndef DLX_MICROKERNEL_H
#define DLX_MICROKERNEL_H
#include "CKernels.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { MR = DLX_CONV_MR, NR = DLX_CONV_NR };

// The memory-bound loops (batch norm, dropout, pooling gradients) are compiled twice, for AVX2 and for the
// baseline, and a flag set once at start-up (dlx_cpu_avx2, by a constructor) picks one at each call. Only AVX2,
// not FMA: the two versions then round identically, so results do not depend on the CPU. Not target_clones:
// its ifunc resolvers run inside the dynamic loader, before a sanitizer's runtime starts (a ThreadSanitizer
// build died before main).
//
//     DLX_VECTOR_CLONES(static, name, (float *x, long n), (x, n)) { body }
//
// defines the body once (always inlined), its AVX2 and baseline copies, and `name` choosing between them.
extern int dlx_cpu_avx2;
#if defined(__x86_64__) && defined(__clang__)
#define DLX_VECTOR_CLONES(linkage, name, params, args)                                       \
    static inline __attribute__((always_inline)) void name##_clone_body params;                   \
    __attribute__((target("avx2"))) static void name##_clone_avx2 params { name##_clone_body args; }   \
    static void name##_clone_base params { name##_clone_body args; }                                    \
    linkage void name params { if (dlx_cpu_avx2) name##_clone_avx2 args; else name##_clone_base args; } \
    static inline __attribute__((always_inline)) void name##_clone_body params
#else
#define DLX_VECTOR_CLONES(linkage, name, params, args) linkage void name params
#endif

// Every kernel computes d (MR x NR) = init + A (MR x K) B (K x NR), where A[i][k] is at a[i * ars + k * akk]
// (packed panels: ars = 1, akk = MR; plain rows: ars = the row length, akk = 1), row k of B at b + k * ldb,
// init is one value per row (NULL: zero) and row i of d at d + i * ldd.

// The reference kernel, in plain loops.
__attribute__((unused))
static void kernel_generic(int k, const float *a, long ars, long akk, const float *b, long ldb, const float *init,
                           float *d, long ldd) {
    float t[MR][NR];
    for (int i = 0; i < MR; i++)
        for (int j = 0; j < NR; j++) t[i][j] = init ? init[i] : 0;
    for (int kk = 0; kk < k; kk++, a += akk, b += ldb)
        for (int i = 0; i < MR; i++)
            for (int j = 0; j < NR; j++) t[i][j] += a[i * ars] * b[j];
    for (int i = 0; i < MR; i++)
        for (int j = 0; j < NR; j++) d[i * ldd + j] = t[i][j];
}

#if defined(__x86_64__)
// Twelve accumulators (6 rows x two 8-wide halves); per step two loads of b, six broadcasts of a, twelve FMAs.
// Inlined into callers with constant strides, so that packed panels walk one pointer.
__attribute__((target("avx2,fma"), always_inline))
static inline void kernel_avx2_body(int k, const float *a, long ars, long akk, const float *b, long ldb, const float *init,
                                    float *d, long ldd) {
    __m256 c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
    if (init) {
        c00 = c01 = _mm256_broadcast_ss(init); c10 = c11 = _mm256_broadcast_ss(init + 1);
        c20 = c21 = _mm256_broadcast_ss(init + 2); c30 = c31 = _mm256_broadcast_ss(init + 3);
        c40 = c41 = _mm256_broadcast_ss(init + 4); c50 = c51 = _mm256_broadcast_ss(init + 5);
    } else {
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = _mm256_setzero_ps();
    }
    for (int kk = 0; kk < k; kk++, a += akk, b += ldb) {
        // One broadcast register at a time: with two, clang runs out of the sixteen ymm registers and
        // spills an accumulator inside the loop.
        const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
        __m256 x = _mm256_broadcast_ss(a);
        c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01);
        x = _mm256_broadcast_ss(a + ars);
        c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11);
        x = _mm256_broadcast_ss(a + 2 * ars);
        c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21);
        x = _mm256_broadcast_ss(a + 3 * ars);
        c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31);
        x = _mm256_broadcast_ss(a + 4 * ars);
        c40 = _mm256_fmadd_ps(x, b0, c40); c41 = _mm256_fmadd_ps(x, b1, c41);
        x = _mm256_broadcast_ss(a + 5 * ars);
        c50 = _mm256_fmadd_ps(x, b0, c50); c51 = _mm256_fmadd_ps(x, b1, c51);
    }
    _mm256_storeu_ps(d, c00); _mm256_storeu_ps(d + 8, c01); d += ldd;
    _mm256_storeu_ps(d, c10); _mm256_storeu_ps(d + 8, c11); d += ldd;
    _mm256_storeu_ps(d, c20); _mm256_storeu_ps(d + 8, c21); d += ldd;
    _mm256_storeu_ps(d, c30); _mm256_storeu_ps(d + 8, c31); d += ldd;
    _mm256_storeu_ps(d, c40); _mm256_storeu_ps(d + 8, c41); d += ldd;
    _mm256_storeu_ps(d, c50); _mm256_storeu_ps(d + 8, c51);
}

// The sum of a vector's eight lanes.
__attribute__((target("avx2"), unused))
static inline float lane_total(__m256 v) {
    const __m128 q = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 h = _mm_add_ps(q, _mm_movehl_ps(q, q));
    return _mm_cvtss_f32(_mm_add_ss(h, _mm_movehdup_ps(h)));
}

// The first m (< 8) lanes of v to p, in pieces of four, two and one.
__attribute__((target("avx2"), unused))
static inline void store_first(float *p, __m256 v, int m) {
    __m128 q = _mm256_castps256_ps128(v);
    if (m & 4) { _mm_storeu_ps(p, q); p += 4; q = _mm256_extractf128_ps(v, 1); }
    if (m & 2) { _mm_storel_pi((__m64 *)p, q); p += 2; q = _mm_movehl_ps(q, q); }
    if (m & 1) _mm_store_ss(p, q);
}

// A packed in panels (K, MR), B in rows ldb apart.
__attribute__((target("avx2,fma"), unused))
static void kernel_avx2_packed(int k, const float *a, const float *b, long ldb, const float *init, float *d, long ldd) {
    kernel_avx2_body(k, a, 1, MR, b, ldb, init, d, ldd);
}

// A as plain columns: A[i][k] at a[i + k * akk].
__attribute__((target("avx2,fma"), unused))
static void kernel_avx2_columns(int k, const float *a, long akk, const float *b, long ldb, float *d, long ldd) {
    kernel_avx2_body(k, a, 1, akk, b, ldb, 0, d, ldd);
}

// A as plain rows of length ars.
__attribute__((target("avx2,fma"), unused))
static void kernel_avx2_rows(int k, const float *a, long ars, const float *b, long ldb, float *d, long ldd) {
    kernel_avx2_body(k, a, ars, 1, b, ldb, 0, d, ldd);
}
#endif

#endif
