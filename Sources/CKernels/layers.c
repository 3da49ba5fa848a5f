#include <string.h>
#include "CKernels.h"
#include "microkernel.h"
#include <math.h>
#if defined(__x86_64__)
#include <immintrin.h>

// The 2x2 stride-2 pooling eight outputs at a time: sixteen floats of each input row, split into even and
// odd columns, compared as the scalar loop does (a NaN wins its pair, then its quad). Row ends load under
// a mask, so no read passes the row's last pair.
__attribute__((target("avx2")))
static void maxpool2x2_avx2(const float *x, float *out, int *argmax, int w, int oh, int ow, long in_plane,
                            long out_plane, long p0, long p1) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (long p = p0; p < p1; p++) {
        const float *plane = x + p * in_plane;
        float *o = out + p * out_plane;
        int *a = argmax + p * out_plane;
        for (int oy = 0; oy < oh; oy++) {
            const float *r0 = plane + (long)(2 * oy) * w, *r1 = r0 + w;
            for (int ox = 0; ox < ow; ox += 8) {
                const int m = ow - ox < 8 ? ow - ox : 8;
                const __m256i lo_on = _mm256_cmpgt_epi32(_mm256_set1_epi32(2 * m), lane);
                const __m256i hi_on = _mm256_cmpgt_epi32(_mm256_set1_epi32(2 * m - 8), lane);
                const float *q0 = r0 + 2 * ox, *q1 = r1 + 2 * ox;
                const int full = m == 8;
                const __m256 u0 = full ? _mm256_loadu_ps(q0) : _mm256_maskload_ps(q0, lo_on);
                const __m256 u1 = full ? _mm256_loadu_ps(q0 + 8) : _mm256_maskload_ps(q0 + 8, hi_on);
                const __m256 v0 = full ? _mm256_loadu_ps(q1) : _mm256_maskload_ps(q1, lo_on);
                const __m256 v1 = full ? _mm256_loadu_ps(q1 + 8) : _mm256_maskload_ps(q1 + 8, hi_on);
                // shuffle_ps works within 128-bit lanes; permute4x64 puts the outputs back in order.
                #define EVENS(a, b) _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0x88)), 0xd8))
                #define ODDS(a, b) _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0xdd)), 0xd8))
                const __m256 a0 = EVENS(u0, u1), a1 = ODDS(u0, u1), a2 = EVENS(v0, v1), a3 = ODDS(v0, v1);
                #undef EVENS
                #undef ODDS
                const __m256 i01 = _mm256_or_ps(_mm256_cmp_ps(a1, a0, _CMP_GT_OQ), _mm256_cmp_ps(a1, a1, _CMP_UNORD_Q));
                const __m256 i23 = _mm256_or_ps(_mm256_cmp_ps(a3, a2, _CMP_GT_OQ), _mm256_cmp_ps(a3, a3, _CMP_UNORD_Q));
                const __m256 m01 = _mm256_blendv_ps(a0, a1, i01), m23 = _mm256_blendv_ps(a2, a3, i23);
                const __m256 j = _mm256_or_ps(_mm256_cmp_ps(m23, m01, _CMP_GT_OQ),
                                              _mm256_and_ps(_mm256_cmp_ps(m23, m23, _CMP_UNORD_Q), _mm256_cmp_ps(m01, m01, _CMP_ORD_Q)));
                // Winner positions: 2 oy w + 2 (ox + lane), plus w for the lower row, plus 1 for the odd column.
                const __m256i x0 = _mm256_add_epi32(_mm256_set1_epi32(2 * oy * w + 2 * ox), _mm256_add_epi32(lane, lane));
                const __m256i top = _mm256_sub_epi32(x0, _mm256_castps_si256(i01));
                const __m256i bottom = _mm256_sub_epi32(_mm256_add_epi32(x0, _mm256_set1_epi32(w)), _mm256_castps_si256(i23));
                const __m256 best = _mm256_blendv_ps(m01, m23, j);
                const __m256i at = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(top), _mm256_castsi256_ps(bottom), j));
                if (full) {
                    _mm256_storeu_ps(o + oy * ow + ox, best);
                    _mm256_storeu_si256((__m256i *)(a + oy * ow + ox), at);
                } else {
                    // Masked stores are slow on AMD cores (and memcpy calls for a few floats cost more than
                    // they move): the row ends go out as 4, 2 and 1 lanes.
                    store_first(o + oy * ow + ox, best, m);
                    store_first((float *)(a + oy * ow + ox), _mm256_castsi256_ps(at), m);
                }
            }
        }
    }
}
#endif

void dlx_maxpool_forward(int avx2, const dlx_conv_shape *s, const float *x, float *out, int *argmax, long p0, long p1) {
    const long in_plane = (long)s->h * s->w, out_plane = (long)s->oh * s->ow;
    if (s->kh == 2 && s->kw == 2 && s->sh == 2 && s->sw == 2 && s->ph == 0 && s->pw == 0 && s->dh == 1 && s->dw == 1) {
#if defined(__x86_64__)
        if (avx2) { maxpool2x2_avx2(x, out, argmax, s->w, s->oh, s->ow, in_plane, out_plane, p0, p1); return; }
#endif
        (void)avx2;
        // The lessons' 2x2 pooling: four candidates, no padding to test. Locals keep the geometry in
        // registers (the output pointers could otherwise alias it).
        const int w = s->w, oh = s->oh, ow = s->ow;
        for (long p = p0; p < p1; p++) {
            const float *plane = x + p * in_plane;
            float *o = out + p * out_plane;
            int *a = argmax + p * out_plane;
            for (int oy = 0; oy < oh; oy++) {
                const float *r0 = plane + (long)(2 * oy) * w, *r1 = r0 + w;
                const int base = 2 * oy * w;
                for (int ox = 0; ox < ow; ox++) {
                    // Branch-free: random data would mispredict every comparison. A NaN wins its pair.
                    const int x0 = 2 * ox;
                    const float a0 = r0[x0], a1 = r0[x0 + 1], a2 = r1[x0], a3 = r1[x0 + 1];
                    const int i01 = (a1 > a0) | (a1 != a1), i23 = (a3 > a2) | (a3 != a3);
                    const float m01 = i01 ? a1 : a0, m23 = i23 ? a3 : a2;
                    const int j = (m23 > m01) | ((m23 != m23) & (m01 == m01));
                    o[oy * ow + ox] = j ? m23 : m01;
                    a[oy * ow + ox] = j ? base + w + x0 + i23 : base + x0 + i01;
                }
            }
        }
        return;
    }
    for (long p = p0; p < p1; p++) {
        const float *plane = x + p * in_plane;
        float *o = out + p * out_plane;
        int *a = argmax + p * out_plane;
        for (int oy = 0; oy < s->oh; oy++) {
            for (int ox = 0; ox < s->ow; ox++) {
                float best = -INFINITY;
                int at = -1;
                for (int ki = 0; ki < s->kh; ki++) {
                    int iy = oy * s->sh - s->ph + ki * s->dh;
                    if (iy < 0 || iy >= s->h) continue;
                    for (int kj = 0; kj < s->kw; kj++) {
                        int ix = ox * s->sw - s->pw + kj * s->dw;
                        if (ix < 0 || ix >= s->w) continue;
                        float v = plane[iy * s->w + ix];
                        if (at < 0 || v > best || isnan(v)) { best = v; at = iy * s->w + ix; }
                    }
                }
                o[oy * s->ow + ox] = best;
                a[oy * s->ow + ox] = at;
            }
        }
    }
}

DLX_VECTOR_CLONES(, dlx_maxpool_backward, (const dlx_conv_shape *s, const float *g, const int *argmax, float *dx, long p0, long p1),
                  (s, g, argmax, dx, p0, p1)) {
    const long in_plane = (long)s->h * s->w, out_plane = (long)s->oh * s->ow;
    // Plane by plane, so that each core clears only the memory it then scatters into, while it is in cache.
    for (long p = p0; p < p1; p++) {
        float *d = dx + p * in_plane;
        const float *gp = g + p * out_plane;
        const int *a = argmax + p * out_plane;
        memset(d, 0, sizeof(float) * (size_t)in_plane);
        for (long j = 0; j < out_plane; j++)
            if (a[j] >= 0) d[a[j]] += gp[j];
    }
}

// The eight lanes' total as a tree of three adds deep: added one after another they were a chain of eight
// dependent adds per row, which is most of the time on rows of 49 or 196 values.
static inline __attribute__((always_inline)) float tree_total(const float acc[8]) {
    const float b0 = acc[0] + acc[4], b1 = acc[1] + acc[5], b2 = acc[2] + acc[6], b3 = acc[3] + acc[7];
    return (b0 + b2) + (b1 + b3);
}

// The lane sums are always inlined, so that each AVX2 clone below gets its own AVX2 copy of them.
// Sums in eight lanes: a single running float sum is a chain of dependent adds the compiler may not
// reorder (without fast-math), four cycles each; eight independent lanes vectorise.
static inline __attribute__((always_inline)) float lane_sum(const float *p, long n) {
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) acc[j] += p[i + j];
    float s = tree_total(acc);
    for (; i < n; i++) s += p[i];
    return s;
}

static inline __attribute__((always_inline)) void lane_sums2(const float *a, const float *b, long n, float *sa, float *sab) {
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0}, acc2[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; j++) { acc[j] += a[i + j]; acc2[j] += a[i + j] * b[i + j]; }
    float s = tree_total(acc), s2 = tree_total(acc2);
    for (; i < n; i++) { s += a[i]; s2 += a[i] * b[i]; }
    *sa = s; *sab = s2;
}

// The gate: a where the fused ReLU's output is positive, else 0. Both values are loaded first, so that the
// choice is a select the loops vectorise rather than a conditional load (a branch per element).
static inline float gated(float a, float gate) { return gate > 0 ? a : 0.0f; }

// Sums of g' and g' * xhat over one row, g' = gated(g * scale, gate) (or g * scale without a gate) and
// xhat = (x - mu) * is recomputed, not stored: the same lanes and the same products as lane_sums2 over stored
// values.
static inline __attribute__((always_inline)) void lane_sums_bn(const float *g, const float *gate, const float *x, float mu,
                                                               float is, float scale, long n, float *sa, float *sab) {
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0}, acc2[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long i = 0;
    if (gate) {
        for (; i + 8 <= n; i += 8)
            for (int j = 0; j < 8; j++) {
                const float v = gated(g[i + j] * scale, gate[i + j]);
                acc[j] += v; acc2[j] += v * ((x[i + j] - mu) * is);
            }
    } else {
        for (; i + 8 <= n; i += 8)
            for (int j = 0; j < 8; j++) {
                const float v = g[i + j] * scale;
                acc[j] += v; acc2[j] += v * ((x[i + j] - mu) * is);
            }
    }
    float s = tree_total(acc), s2 = tree_total(acc2);
    for (; i < n; i++) {
        const float v = gate ? gated(g[i] * scale, gate[i]) : g[i] * scale;
        s += v; s2 += v * ((x[i] - mu) * is);
    }
    *sa = s; *sab = s2;
}

DLX_VECTOR_CLONES(, dlx_row_sums, (const float *x, long rows, long cols, float *out),
                  (x, rows, cols, out)) {
    for (long r = 0; r < rows; r++) out[r] += lane_sum(x + r * cols, cols);
}

// The statistics and gradient sums below visit the rows sample by sample, each sample's channels [c0, c1)
// being one stretch of memory (channel by channel, every row would start a new stream for the prefetcher);
// each channel's double sum still adds its rows in sample order. mean and var hold the running sums until
// stats_finish turns them into the mean and the biased variance.
static void stats_finish(long c0, long c1, double m, double *mean, double *var) {
    for (long ch = c0; ch < c1; ch++) {
        const double mu = mean[ch] / m, v = var[ch] / m - mu * mu;
        mean[ch] = mu;
        var[ch] = v > 0 ? v : 0;
    }
}

DLX_VECTOR_CLONES(, dlx_batchnorm_stats, (const float *x, long n, long c, long inner, long c0, long c1, double *mean, double *var),
                  (x, n, c, inner, c0, c1, mean, var)) {
    for (long ch = c0; ch < c1; ch++) mean[ch] = var[ch] = 0;
    for (long b = 0; b < n; b++)
        for (long ch = c0; ch < c1; ch++) {
            const float *p = x + (b * c + ch) * inner;
            float fs, fsq;   // float partial sums per row; rows are short
            lane_sums2(p, p, inner, &fs, &fsq);
            mean[ch] += fs; var[ch] += fsq;
        }
    stats_finish(c0, c1, (double)(n * inner), mean, var);
}

DLX_VECTOR_CLONES(, dlx_plane_moments, (const float *x, long planes, long inner, float *moments),
                  (x, planes, inner, moments)) {
    for (long p = 0; p < planes; p++) lane_sums2(x + p * inner, x + p * inner, inner, moments + 2 * p, moments + 2 * p + 1);
}

void dlx_batchnorm_stats_from_moments(const float *moments, long n, long c, long inner, long c0, long c1, double *mean,
                                      double *var) {
    for (long ch = c0; ch < c1; ch++) mean[ch] = var[ch] = 0;
    for (long b = 0; b < n; b++)
        for (long ch = c0; ch < c1; ch++) {
            mean[ch] += moments[2 * (b * c + ch)];
            var[ch] += moments[2 * (b * c + ch) + 1];
        }
    stats_finish(c0, c1, (double)(n * inner), mean, var);
}

// xhat * gamma + beta, xhat = (x - mu) * is: the one expression every batch-norm forward (separate or fused)
// computes, so that they agree to the bit.
static inline __attribute__((always_inline)) float bn_affine(float x, float mu, float is, float gm, float bt) {
    return ((x - mu) * is) * gm + bt;
}

DLX_VECTOR_CLONES(, dlx_batchnorm_apply, (const float *x, long n, long c, long inner, long c0, long c1, const float *mean,
                         const float *invstd, const float *gamma, const float *beta, int relu, float *y),
                  (x, n, c, inner, c0, c1, mean, invstd, gamma, beta, relu, y)) {
    for (long b = 0; b < n; b++) {
        for (long ch = c0; ch < c1; ch++) {
            const long base = (b * c + ch) * inner;
            const float mu = mean[ch], is = invstd[ch], gm = gamma ? gamma[ch] : 1.0f, bt = beta ? beta[ch] : 0.0f;
            if (relu) {
                for (long i = 0; i < inner; i++) {
                    const float v = bn_affine(x[base + i], mu, is, gm, bt);
                    y[base + i] = v > 0 ? v : 0;
                }
            } else {
                for (long i = 0; i < inner; i++) y[base + i] = bn_affine(x[base + i], mu, is, gm, bt);
            }
        }
    }
}

DLX_VECTOR_CLONES(, dlx_batchnorm_sums, (const float *g, const float *gate, const float *x, const float *mean, const float *invstd, long n,
                        long c, long inner, long c0, long c1, float scale, double *sum_g, double *sum_gxhat),
                  (g, gate, x, mean, invstd, n, c, inner, c0, c1, scale, sum_g, sum_gxhat)) {
    for (long ch = c0; ch < c1; ch++) sum_g[ch] = sum_gxhat[ch] = 0;
    for (long b = 0; b < n; b++)
        for (long ch = c0; ch < c1; ch++) {
            const long base = (b * c + ch) * inner;
            float fg, fgh;
            lane_sums_bn(g + base, gate ? gate + base : 0, x + base, mean[ch], invstd[ch], scale, inner, &fg, &fgh);
            sum_g[ch] += fg; sum_gxhat[ch] += fgh;
        }
}

// dx for one row of an ungated g: k (M g - sum(g) - xhat sum(g xhat)) in training, k g in eval. Shared by the
// separate batch norm and the fused pooling block, so that both give the same bits.
static inline __attribute__((always_inline)) float bn_dx_value(float g, float x, float kc, float sg, float sgh, float mu,
                                                               float is, float m) {
    return kc * (m * g - sg - ((x - mu) * is) * sgh);
}

static inline __attribute__((always_inline)) void bn_dx_row(const float *g, const float *x, long n, float kc, float sg,
                                                            float sgh, float mu, float is, float m, int training, float *d) {
    if (training) {
        for (long i = 0; i < n; i++) d[i] = bn_dx_value(g[i], x[i], kc, sg, sgh, mu, is, m);
    } else {
        for (long i = 0; i < n; i++) d[i] = kc * g[i];
    }
}

DLX_VECTOR_CLONES(, dlx_batchnorm_dx, (const float *g, const float *gate, const float *x, const float *mean, const float *invstd, long n,
                      long c, long inner, long c0, long c1, const float *k, const float *sum_g, const float *sum_gxhat,
                      float m, int training, float *dx),
                  (g, gate, x, mean, invstd, n, c, inner, c0, c1, k, sum_g, sum_gxhat, m, training, dx)) {
    for (long b = 0; b < n; b++) {
        for (long ch = c0; ch < c1; ch++) {
            const long base = (b * c + ch) * inner;
            const float kc = k[ch], sg = sum_g[ch], sgh = sum_gxhat[ch], mu = mean[ch], is = invstd[ch];
            if (gate && training) {
                for (long i = 0; i < inner; i++)
                    dx[base + i] = bn_dx_value(gated(g[base + i], gate[base + i]), x[base + i], kc, sg, sgh, mu, is, m);
            } else if (gate) {
                for (long i = 0; i < inner; i++) dx[base + i] = kc * gated(g[base + i], gate[base + i]);
            } else {
                bn_dx_row(g + base, x + base, inner, kc, sg, sgh, mu, is, m, training, dx + base);
            }
        }
    }
}

// A counter-based mask: group k is kept when a hash of (seed, k) falls under the threshold, so any
// element's draw is known without the ones before it. The loop vectorises, and the backward pass
// recomputes the mask from the seed instead of storing it.
static inline uint32_t dropout_hash(uint32_t seed, uint32_t k) {
    uint32_t h = seed ^ (k * 0x9E3779B9u);
    h ^= h >> 16; h *= 0x85EBCA6Bu;
    h ^= h >> 13; h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h;
}

// Element (or group) k's factor: scale when kept, else 0.
static inline __attribute__((always_inline)) float dropout_mask(uint32_t seed, uint32_t k, uint32_t keep_below, float scale) {
    return (dropout_hash(seed, k) >> 8) < keep_below ? scale : 0.0f;
}

DLX_VECTOR_CLONES(, dlx_dropout, (const float *x, float *out, size_t g0, size_t g1, size_t group, uint32_t seed, uint32_t keep_below,
                 float scale),
                  (x, out, g0, g1, group, seed, keep_below, scale)) {
    if (group == 1) {
        for (size_t k = g0; k < g1; k++) out[k] = x[k] * dropout_mask(seed, (uint32_t)k, keep_below, scale);
        return;
    }
    for (size_t k = g0; k < g1; k++) {
        const float m = dropout_mask(seed, (uint32_t)k, keep_below, scale);
        for (size_t i = 0; i < group; i++) out[k * group + i] = x[k * group + i] * m;
    }
}

// Sequential's BatchNorm2d-ReLU-[Dropout]-MaxPool2d(2) runs as one op. The forward normalises one plane at a
// time into a buffer that stays in the cache and pools it from there, so the full-size activations are never
// written; the backward needs only what the pooling kept: a gradient reaches the normalisation only at a
// window's winner, and only where the pooled value is > 0 (there, and only there, the ReLU passed it and the
// dropout kept it). Each element is computed by the same expressions as the separate ops; only the
// backward's two sums per channel add their terms in another order.

DLX_VECTOR_CLONES(static, bn_relu_plane, (const float *x, long count, float mu, float is, float gm, float bt, uint32_t seed, size_t k0,
                          uint32_t keep_below, float scale, int dropout, float *y),
                  (x, count, mu, is, gm, bt, seed, k0, keep_below, scale, dropout, y)) {
    if (dropout) {
        for (long i = 0; i < count; i++) {
            const float v = bn_affine(x[i], mu, is, gm, bt);
            y[i] = (v > 0 ? v : 0) * dropout_mask(seed, (uint32_t)(k0 + (size_t)i), keep_below, scale);
        }
    } else {
        for (long i = 0; i < count; i++) {
            const float v = bn_affine(x[i], mu, is, gm, bt);
            y[i] = v > 0 ? v : 0;
        }
    }
}

#if defined(__x86_64__)
// w[j] = x[a[j]] eight at a time (the scalar loop does not vectorise); returns how many it did.
__attribute__((target("avx2")))
static long gather_avx2(const float *x, const int *a, long n, float *w) {
    long j = 0;
    for (; j + 8 <= n; j += 8)
        _mm256_storeu_ps(w + j, _mm256_i32gather_ps(x, _mm256_loadu_si256((const __m256i *)(a + j)), 4));
    return j;
}
#endif

void dlx_bn_relu_pool_forward(int avx2, const dlx_conv_shape *s, const float *x, const float *mean, const float *invstd,
                              const float *gamma, const float *beta, int dropout, uint32_t seed, uint32_t keep_below,
                              float scale, float *y, float *out, int *argmax, float *xw, long p0, long p1) {
    const long in_plane = (long)s->h * s->w, out_plane = (long)s->oh * s->ow;
    for (long p = p0; p < p1; p++) {
        const long ch = p % s->c;
        const float *xp = x + p * in_plane;
        bn_relu_plane(xp, in_plane, mean[ch], invstd[ch], gamma ? gamma[ch] : 1.0f, beta ? beta[ch] : 0.0f,
                      seed, (size_t)(p * in_plane), keep_below, scale, dropout, y);
        dlx_maxpool_forward(avx2, s, y, out + p * out_plane, argmax + p * out_plane, 0, 1);
        // The winners' inputs, while the plane is in cache: the backward's sums need x nowhere else.
        const int *a = argmax + p * out_plane;
        float *w = xw + p * out_plane;
        long j = 0;
#if defined(__x86_64__)
        if (avx2) j = gather_avx2(xp, a, out_plane, w);
#endif
        for (; j < out_plane; j++) w[j] = xp[a[j]];
    }
}

// g' at one window's winner: the pooled gradient (times the dropout's scale) where the pooled value is > 0
// (there, and only there, the ReLU passed it and the dropout kept it), else 0. Masked in integers: the
// loops vectorise it as an and, where a select may become a branch that random signs mispredict.
static inline __attribute__((always_inline)) float winner_gradient(float g, float out, float scale) {
    const float v = g * scale;
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    bits &= -(uint32_t)(out > 0);
    float r;
    memcpy(&r, &bits, sizeof r);
    return r;
}

// dx of each plane as bn_dx_row of g': first with g' = 0 everywhere (one pass, no plane of g' read), then the
// winners written again with their g'. Every element comes out as bn_dx_row would make it.
DLX_VECTOR_CLONES(, dlx_bn_relu_pool_dx, (const dlx_conv_shape *s, const float *g, const float *out, const int *argmax, const float *xw,
                         const float *x, const float *mean, const float *invstd, float scale, long c0, long c1, const float *k,
                         const float *sum_g, const float *sum_gxhat, float m, int training, float *dx),
                  (s, g, out, argmax, xw, x, mean, invstd, scale, c0, c1, k, sum_g, sum_gxhat, m, training, dx)) {
    const long in_plane = (long)s->h * s->w, out_plane = (long)s->oh * s->ow;
    for (long b = 0; b < s->n; b++) {
        for (long ch = c0; ch < c1; ch++) {
            const long p = b * s->c + ch;
            const float kc = k[ch], sg = sum_g[ch], sgh = sum_gxhat[ch], mu = mean[ch], is = invstd[ch];
            const float *xp = x + p * in_plane, *gp = g + p * out_plane, *op = out + p * out_plane, *wp = xw + p * out_plane;
            const int *a = argmax + p * out_plane;
            float *d = dx + p * in_plane;
            if (training) {
                for (long i = 0; i < in_plane; i++) d[i] = bn_dx_value(0.0f, xp[i], kc, sg, sgh, mu, is, m);
                for (long j = 0; j < out_plane; j++)
                    d[a[j]] = bn_dx_value(winner_gradient(gp[j], op[j], scale), wp[j], kc, sg, sgh, mu, is, m);
            } else {
                for (long i = 0; i < in_plane; i++) d[i] = kc * 0.0f;
                for (long j = 0; j < out_plane; j++) d[a[j]] = kc * winner_gradient(gp[j], op[j], scale);
            }
        }
    }
}
