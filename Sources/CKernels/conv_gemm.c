// Convolution as an implicit gemm: out (O, P) = W (O, K) x B (K, P), where B[k][p], the im2col matrix,
// is never written whole. For each block of 16 output positions the needed columns of B are copied
// straight from a zero-bordered copy of the input into a small panel that stays in L1, and a 6x16
// register-blocked kernel multiplies the packed weights into it. Compared with im2col + sgemm this
// skips writing the unrolled matrix and the library's second copy of it.
//
// The positions of a chunk of samples are numbered together (sample-major), so that small images
// (7x7 has 49 positions) still fill whole 16-wide panels.
#include <string.h>
#include "CKernels.h"
#include "padding.h"
#include "microkernel.h"

void dlx_conv_pack_weights(const float *w, int o, int c, int kh, int kw, int flip, float *packed) {
    // Plain: rows are output channels, columns (c, ki, kj). Flipped (for the input gradient): rows are
    // input channels, columns (o, ki, kj) with the window turned by 180 degrees.
    const int rows = flip ? c : o, k = (flip ? o : c) * kh * kw, area = kh * kw;
    const int panels = (rows + MR - 1) / MR;
    for (int p = 0; p < panels; p++)
        for (int kk = 0; kk < k; kk++)
            for (int i = 0; i < MR; i++) {
                const int r = p * MR + i;
                float v = 0;
                if (r < rows) {
                    if (!flip) v = w[(long)r * k + kk];
                    else {
                        const int oc = kk / area, t = kk % area;
                        v = w[((long)oc * c + r) * area + (area - 1 - t)];
                    }
                }
                packed[((long)p * k + kk) * MR + i] = v;
            }
}

void dlx_conv_gemm_tables(const dlx_conv_shape *s, int chunk, int out_c, int *off, int *pos, long *col) {
    const int hp = s->h + 2 * s->ph, wp = s->w + 2 * s->pw, plane = s->oh * s->ow;
    const long padded_sample = (long)s->c * hp * wp;
    int k = 0;
    for (int c = 0; c < s->c; c++)
        for (int ki = 0; ki < s->kh; ki++)
            for (int kj = 0; kj < s->kw; kj++)
                off[k++] = (int)(((long)c * hp + ki * s->dh) * wp + kj * s->dw);
    for (int n = 0; n < chunk; n++)
        for (int y = 0; y < s->oh; y++)
            for (int x = 0; x < s->ow; x++) {
                const long q = (long)n * plane + y * s->ow + x;
                pos[q] = (int)(n * padded_sample + (long)y * s->sh * wp + (long)x * s->sw);
                col[q] = (long)n * out_c * plane + y * s->ow + x;
            }
}

// Copies columns [n0, n0 + nr) of B into panel (K, NR). Positions that follow one another in memory form
// runs; each run is moved as one 16-float copy, later runs overwriting the spill of earlier ones (the
// panel and the padded input both carry NR floats of slack for it); every column, used or not, ends up
// holding input values.
#if defined(__x86_64__)
// Each run r, read 16 wide from src + pos[start[r]] - start[r], holds the right values in its own columns;
// blending the runs by column gives the panel row in registers, so each row costs two stores however
// many runs it has. (pos grows at least as fast as the column, so no read starts before the buffer.)
__attribute__((target("avx2")))
static void copy_runs_avx2(const float *padded, const int *off, int k, const int *pos, const int *start, int runs, float *panel) {
    int base[4];
    __m256 lo_mask[4], hi_mask[4];
    for (int r = 0; r < runs; r++) {
        base[r] = pos[start[r]] - start[r];
        const int end = r + 1 < runs ? start[r + 1] : NR;
        float m[NR];
        for (int j = 0; j < NR; j++) m[j] = j >= start[r] && j < end ? -1.0f : 0.0f;
        lo_mask[r] = _mm256_loadu_ps(m);
        hi_mask[r] = _mm256_loadu_ps(m + 8);
    }
    for (int kk = 0; kk < k; kk++, panel += NR) {
        const float *src = padded + off[kk];
        __m256 lo = _mm256_loadu_ps(src + base[0]), hi = _mm256_loadu_ps(src + base[0] + 8);
        for (int r = 1; r < runs; r++) {
            lo = _mm256_blendv_ps(lo, _mm256_loadu_ps(src + base[r]), lo_mask[r]);
            hi = _mm256_blendv_ps(hi, _mm256_loadu_ps(src + base[r] + 8), hi_mask[r]);
        }
        _mm256_storeu_ps(panel, lo);
        _mm256_storeu_ps(panel + 8, hi);
    }
}
#endif

static void pack_panel(int avx2, const float *padded, const int *off, int k, const int *pos, int nr, int stride1, float *panel) {
    int start[NR + 1], runs = 0;
    for (int j = 0; j < nr; j++)
        if (j == 0 || !stride1 || pos[j] != pos[j - 1] + 1) start[runs++] = j;
    if (!stride1 || runs > 4) {
        // Columns past nr are computed and dropped; clearing them keeps stale values out of the products.
        if (nr < NR) memset(panel, 0, sizeof(float) * (size_t)k * NR);
        for (int kk = 0; kk < k; kk++, panel += NR) {
            const float *src = padded + off[kk];
            for (int j = 0; j < nr; j++) panel[j] = src[pos[j]];
        }
        return;
    }
#if defined(__x86_64__)
    if (avx2) { copy_runs_avx2(padded, off, k, pos, start, runs, panel); return; }
#endif
    for (int kk = 0; kk < k; kk++, panel += NR) {
        const float *src = padded + off[kk];
        for (int r = 0; r < runs; r++) memcpy(panel + start[r], src + pos[start[r]], sizeof(float) * NR);
    }
}

// Writes an mr x nr tile t into out, row stride ldc, column j at col[j] (columns that cross into the next
// sample are not adjacent in NCHW output).
static void store_tile(float t[MR][NR], float *out, long ldc, const long *col, int mr, int nr) {
    const int adjacent = nr == NR && col[NR - 1] - col[0] == NR - 1;
    for (int i = 0; i < mr; i++) {
        float *row = out + i * ldc;
        if (adjacent) memcpy(row + col[0], t[i], sizeof(float) * NR);
        else for (int j = 0; j < nr; j++) row[col[j]] = t[i][j];
    }
}

long dlx_conv_gemm_scratch(const dlx_conv_shape *s, int chunk) {
    const long padded = (long)chunk * s->c * (s->h + 2 * s->ph) * (s->w + 2 * s->pw);
    const long panel = (long)s->c * s->kh * s->kw * NR;
    return padded + NR + panel + NR;
}

void dlx_conv_gemm_chunk(int avx2, const dlx_conv_shape *s, int out_c, const float *packed_w, const float *bias,
                         const int *off, const int *pos, const long *col, const float *x, long n0, long n1,
                         float *out, float *scratch) {
    const int hp = s->h + 2 * s->ph, wp = s->w + 2 * s->pw, plane = s->oh * s->ow;
    const int k = s->c * s->kh * s->kw, stride1 = s->sw == 1;
    const long in_sample = (long)s->c * s->h * s->w, padded_sample = (long)s->c * hp * wp;
    const long samples = n1 - n0, positions = samples * plane;
    float *padded = scratch, *panel = scratch + samples * padded_sample + NR;
    memset(padded + samples * padded_sample, 0, sizeof(float) * NR);
    for (long n = 0; n < samples; n++) dlx_pad_sample(s, x + (n0 + n) * in_sample, padded + n * padded_sample);
    float *o = out + n0 * out_c * plane;
    float t[MR][NR];
    for (long q = 0; q < positions; q += NR) {
        const int nr = positions - q < NR ? (int)(positions - q) : NR;
        pack_panel(avx2, padded, off, k, pos + q, nr, stride1, panel);
        for (int m = 0; m < out_c; m += MR) {
            const int mr = out_c - m < MR ? out_c - m : MR;
            const float *a = packed_w + (long)m * k, *init = bias ? bias + m : 0;
            float bias_tail[MR] = {0};
            if (init && mr < MR) { memcpy(bias_tail, init, sizeof(float) * mr); init = bias_tail; }
#if defined(__x86_64__)
            if (avx2) {
                // A whole tile over adjacent columns goes straight to the output.
                const int whole = mr == MR && nr == NR && col[q + NR - 1] - col[q] == NR - 1;
                if (whole) { kernel_avx2_packed(k, a, panel, NR, init, o + (long)m * plane + col[q], plane); continue; }
                kernel_avx2_packed(k, a, panel, NR, init, &t[0][0], NR);
            } else
#endif
            kernel_generic(k, a, 1, MR, panel, NR, init, &t[0][0], NR);
            store_tile(t, o + (long)m * plane, plane, col + q, mr, nr);
        }
    }
}

// The weight gradient of a chunk, gw (O, K) = dY (O, Q) x B (Q, K) over the positions q of the chunk, B[q][k] =
// padded[off[k] + pos(q)]. The contraction runs over positions, so each 6x16 tile of gw stays in
// registers for the whole chunk. Output rows are taken eight positions at a time, padded with zero
// gradients past the row's end, so that each group of eight reads contiguous input (stride 1 only) and a
// 16 x 8 block of it turns into eight panel rows with two 8x8 transposes.

static int round8(int v) { return (v + 7) / 8 * 8; }

long dlx_conv_weight_grad_scratch(const dlx_conv_shape *s, int chunk, int out_c) {
    const long padded = (long)chunk * s->c * (s->h + 2 * s->ph) * (s->w + 2 * s->pw);
    const long q = (long)chunk * s->oh * round8(s->ow);
    const long a = (long)(out_c + MR - 1) / MR * MR * q;
    return padded + 2 * NR + a + q * NR + NR;
}

#if defined(__x86_64__)
__attribute__((target("avx2")))
static inline void transpose8(__m256 r[8]) {
    const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xee);
    const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xee);
    const __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xee);
    const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xee);
    r[0] = _mm256_permute2f128_ps(s0, s4, 0x20); r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
    r[2] = _mm256_permute2f128_ps(s2, s6, 0x20); r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
    r[4] = _mm256_permute2f128_ps(s0, s4, 0x31); r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
    r[6] = _mm256_permute2f128_ps(s2, s6, 0x31); r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

// Eight panel rows (positions base[0..7], contiguous) of the 16 columns whose input offsets are cols[0..15].
__attribute__((target("avx2")))
static void pack_eight_avx2(const float *at, const int *cols, float *panel) {
    __m256 lo[8], hi[8];
    for (int j = 0; j < 8; j++) { lo[j] = _mm256_loadu_ps(at + cols[j]); hi[j] = _mm256_loadu_ps(at + cols[8 + j]); }
    transpose8(lo);
    transpose8(hi);
    for (int q = 0; q < 8; q++) { _mm256_storeu_ps(panel + q * NR, lo[q]); _mm256_storeu_ps(panel + q * NR + 8, hi[q]); }
}
#endif

void dlx_conv_weight_grad_chunk(int avx2, const dlx_conv_shape *s, int out_c, const int *off, const float *x,
                                const float *gy, long n0, long n1, float *gw, float *scratch) {
    const int hp = s->h + 2 * s->ph, wp = s->w + 2 * s->pw, plane = s->oh * s->ow, owp = round8(s->ow);
    const int k = s->c * s->kh * s->kw, panels = (out_c + MR - 1) / MR;
    const long in_sample = (long)s->c * s->h * s->w, padded_sample = (long)s->c * hp * wp;
    const long samples = n1 - n0, q_count = samples * s->oh * owp;
    float *padded = scratch, *a = padded + samples * padded_sample + 2 * NR, *panel = a + (long)panels * MR * q_count;
    memset(padded + samples * padded_sample, 0, sizeof(float) * 2 * NR);
    for (long n = 0; n < samples; n++) dlx_pad_sample(s, x + (n0 + n) * in_sample, padded + n * padded_sample);
    // dY as the left matrix: MR rows of output channels per panel, positions along the contraction.
    memset(a, 0, sizeof(float) * (size_t)panels * MR * q_count);
    for (int p = 0; p < panels; p++) {
        float *d = a + (long)p * MR * q_count;
        for (long n = 0; n < samples; n++)
            for (int y = 0; y < s->oh; y++, d += (long)owp * MR)
                for (int i = 0; i < MR && p * MR + i < out_c; i++) {
                    const float *src = gy + ((n0 + n) * out_c + p * MR + i) * plane + y * s->ow;
                    for (int xo = 0; xo < s->ow; xo++) d[xo * MR + i] = src[xo];
                }
    }
    float t[MR][NR];
    for (int k0 = 0; k0 < k; k0 += NR) {
        const int nr = k - k0 < NR ? k - k0 : NR;
        int cols[NR];
        for (int j = 0; j < NR; j++) cols[j] = off[k0 + (j < nr ? j : nr - 1)];
        float *b = panel;
        for (long n = 0; n < samples; n++)
            for (int y = 0; y < s->oh; y++) {
                const float *at = padded + n * padded_sample + (long)y * wp;
                for (int xo = 0; xo < owp; xo += 8, b += 8 * NR) {
#if defined(__x86_64__)
                    if (avx2) { pack_eight_avx2(at + xo, cols, b); continue; }
#endif
                    for (int q = 0; q < 8; q++)
                        for (int j = 0; j < NR; j++) b[q * NR + j] = at[xo + q + cols[j]];
                }
            }
        for (int p = 0; p < panels; p++) {
            const float *ap = a + (long)p * MR * q_count;
#if defined(__x86_64__)
            if (avx2) kernel_avx2_packed((int)q_count, ap, panel, NR, 0, &t[0][0], NR); else
#endif
            kernel_generic((int)q_count, ap, 1, MR, panel, NR, 0, &t[0][0], NR);
            const int mr = out_c - p * MR < MR ? out_c - p * MR : MR;
            for (int i = 0; i < mr; i++)
                for (int j = 0; j < nr; j++) gw[(long)(p * MR + i) * k + k0 + j] = t[i][j];
        }
    }
}
