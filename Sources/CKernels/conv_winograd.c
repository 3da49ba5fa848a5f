// Winograd's F(2x2, 3x3) convolution (Lavin and Gray, 2015). Each 2x2 block of output (a "tile") comes from
// a 4x4 patch d of the input: with V = B^T d B and U = G g G^T for the 3x3 window g, the sixteen positions
// xi of the 4x4 transforms are sixteen independent products over channels,
//     M[xi] (O, T) = U[xi] (O, C) x V[xi] (C, T)          for the T tiles,
// and each tile's output is A^T M A: 16 multiplications per channel pair and tile instead of 36.
// The gradients are the same formulas transposed. With Z = A dY A^T per tile,
//     dV[xi] (C, T) = U[xi]^T Z[xi]      then dx = B dV B^T, added over the overlapping patches,
//     dU[xi] (O, C) = Z[xi] V[xi]^T      summed over all tiles, then dW = G^T dU G.
// Every transform is additions and halvings; the products run on the 6x16 kernel of the implicit gemm.
//
// Stride 1, dilation 1, a 3x3 window and any padding. Tiles are numbered sample-major over a chunk of
// samples; tile (ty, tx) reads the input patch whose corner is (2 ty - ph, 2 tx - pw), from a zero-bordered
// copy of the chunk. The transforms work on sixteen patches of one channel at a time ("lanes", each a vector
// element: sixteen tiles).
#include <string.h>
#include "CKernels.h"
#include "microkernel.h"
#include "padding.h"

typedef struct {
    int c, o, h, w, ph, pw, oh, ow;
    int th, tw, tiles;   // tiles per image: th x tw
    int hp, wp;          // the zero-bordered input plane: 2 th + 2 by 2 tw + 2
    int yh, yw;          // the output plane rounded up to whole tiles: 2 th by 2 tw
} geometry;

static geometry geometry_of(const dlx_conv_shape *s, int out_c) {
    geometry g = {s->c, out_c, s->h, s->w, s->ph, s->pw, s->oh, s->ow, 0, 0, 0, 0, 0, 0, 0};
    g.th = (s->oh + 1) / 2; g.tw = (s->ow + 1) / 2; g.tiles = g.th * g.tw;
    g.hp = 2 * g.th + 2; g.wp = 2 * g.tw + 2;
    g.yh = 2 * g.th; g.yw = 2 * g.tw;
    return g;
}

static long round_up(long v, long m) { return (v + m - 1) / m * m; }

// V = B^T d B for sixteen 4x4 patches, lane j's rows starting at base + off[j], `ld` apart; V[xi] (sixteen lanes)
// goes to v + xi * vs. B^T applied to (x0, x1, x2, x3) is (x0 - x2, x1 + x2, x2 - x1, x1 - x3).
DLX_VECTOR_CLONES(static, input_transform, (const float *base, const long off[16], int ld, float *v, long vs),
                  (base, off, ld, v, vs)) {
    float d[16][16], t[16][16];   // [row * 4 + column][lane]
    for (int j = 0; j < 16; j++)
        for (int r = 0; r < 4; r++)
            for (int s = 0; s < 4; s++) d[r * 4 + s][j] = base[off[j] + r * ld + s];
    for (int s = 0; s < 4; s++)
        for (int j = 0; j < 16; j++) {
            t[s][j] = d[s][j] - d[8 + s][j];
            t[4 + s][j] = d[4 + s][j] + d[8 + s][j];
            t[8 + s][j] = d[8 + s][j] - d[4 + s][j];
            t[12 + s][j] = d[4 + s][j] - d[12 + s][j];
        }
    for (int r = 0; r < 4; r++) {
        float *o = v + r * 4 * vs;
        for (int j = 0; j < 16; j++) {
            o[j] = t[r * 4][j] - t[r * 4 + 2][j];
            o[vs + j] = t[r * 4 + 1][j] + t[r * 4 + 2][j];
            o[2 * vs + j] = t[r * 4 + 2][j] - t[r * 4 + 1][j];
            o[3 * vs + j] = t[r * 4 + 1][j] - t[r * 4 + 3][j];
        }
    }
}

// Z = A dY A^T for sixteen 2x2 output-gradient tiles (rows `ld` apart); A applied to (y0, y1) is
// (y0, y0 + y1, y0 - y1, -y1).
DLX_VECTOR_CLONES(static, gradient_transform, (const float *base, const long off[16], int ld, float *z, long zs),
                  (base, off, ld, z, zs)) {
    float g[4][16], t[8][16];   // g: [row * 2 + column][lane]; t: [row * 2 + column] of A g
    for (int j = 0; j < 16; j++) {
        const float *q = base + off[j];
        g[0][j] = q[0]; g[1][j] = q[1]; g[2][j] = q[ld]; g[3][j] = q[ld + 1];
    }
    for (int s = 0; s < 2; s++)
        for (int j = 0; j < 16; j++) {
            t[s][j] = g[s][j];
            t[2 + s][j] = g[s][j] + g[2 + s][j];
            t[4 + s][j] = g[s][j] - g[2 + s][j];
            t[6 + s][j] = -g[2 + s][j];
        }
    for (int r = 0; r < 4; r++) {
        float *o = z + r * 4 * zs;
        for (int j = 0; j < 16; j++) {
            o[j] = t[r * 2][j];
            o[zs + j] = t[r * 2][j] + t[r * 2 + 1][j];
            o[2 * zs + j] = t[r * 2][j] - t[r * 2 + 1][j];
            o[3 * zs + j] = -t[r * 2 + 1][j];
        }
    }
}

#if defined(__x86_64__)
// The same two transforms with the gathers as 4x4 transposes of patch rows (the loops above compile to
// scalar code). Same operations in the same order: the results are the same bits.
__attribute__((target("avx2")))
static inline __m256 halves(__m128 lo, __m128 hi) { return _mm256_insertf128_ps(_mm256_castps128_ps256(lo), hi, 1); }

__attribute__((target("avx2")))
static void input_transform_avx2(const float *base, const long off[16], int ld, float *v, long vs) {
    for (int h = 0; h < 16; h += 8) {
        __m256 d[4][4], t[4][4];
        for (int r = 0; r < 4; r++) {
            const float *row = base + (long)r * ld;
            __m128 a0 = _mm_loadu_ps(row + off[h]), a1 = _mm_loadu_ps(row + off[h + 1]);
            __m128 a2 = _mm_loadu_ps(row + off[h + 2]), a3 = _mm_loadu_ps(row + off[h + 3]);
            __m128 b0 = _mm_loadu_ps(row + off[h + 4]), b1 = _mm_loadu_ps(row + off[h + 5]);
            __m128 b2 = _mm_loadu_ps(row + off[h + 6]), b3 = _mm_loadu_ps(row + off[h + 7]);
            _MM_TRANSPOSE4_PS(a0, a1, a2, a3);
            _MM_TRANSPOSE4_PS(b0, b1, b2, b3);
            d[r][0] = halves(a0, b0); d[r][1] = halves(a1, b1); d[r][2] = halves(a2, b2); d[r][3] = halves(a3, b3);
        }
        for (int c = 0; c < 4; c++) {
            t[0][c] = _mm256_sub_ps(d[0][c], d[2][c]);
            t[1][c] = _mm256_add_ps(d[1][c], d[2][c]);
            t[2][c] = _mm256_sub_ps(d[2][c], d[1][c]);
            t[3][c] = _mm256_sub_ps(d[1][c], d[3][c]);
        }
        for (int r = 0; r < 4; r++) {
            float *o = v + r * 4 * vs + h;
            _mm256_storeu_ps(o, _mm256_sub_ps(t[r][0], t[r][2]));
            _mm256_storeu_ps(o + vs, _mm256_add_ps(t[r][1], t[r][2]));
            _mm256_storeu_ps(o + 2 * vs, _mm256_sub_ps(t[r][2], t[r][1]));
            _mm256_storeu_ps(o + 3 * vs, _mm256_sub_ps(t[r][1], t[r][3]));
        }
    }
}

// Columns 0 and 1 of row `off` of four 2x2 tiles, as two vectors of four lanes.
__attribute__((target("avx2")))
static inline void pair_columns(const float *row, const long off[4], __m128 *c0, __m128 *c1) {
    const __m128 x = _mm_loadh_pi(_mm_loadl_pi(_mm_setzero_ps(), (const __m64 *)(row + off[0])), (const __m64 *)(row + off[1]));
    const __m128 y = _mm_loadh_pi(_mm_loadl_pi(_mm_setzero_ps(), (const __m64 *)(row + off[2])), (const __m64 *)(row + off[3]));
    *c0 = _mm_shuffle_ps(x, y, 0x88);
    *c1 = _mm_shuffle_ps(x, y, 0xdd);
}

__attribute__((target("avx2")))
static void gradient_transform_avx2(const float *base, const long off[16], int ld, float *z, long zs) {
    for (int h = 0; h < 16; h += 8) {
        __m128 lo[4], hi[4];
        pair_columns(base, off + h, &lo[0], &lo[1]); pair_columns(base + ld, off + h, &lo[2], &lo[3]);
        pair_columns(base, off + h + 4, &hi[0], &hi[1]); pair_columns(base + ld, off + h + 4, &hi[2], &hi[3]);
        __m256 g[4], t[8];
        for (int k = 0; k < 4; k++) g[k] = halves(lo[k], hi[k]);
        const __m256 sign = _mm256_set1_ps(-0.0f);
        for (int c = 0; c < 2; c++) {
            t[c] = g[c];
            t[2 + c] = _mm256_add_ps(g[c], g[2 + c]);
            t[4 + c] = _mm256_sub_ps(g[c], g[2 + c]);
            t[6 + c] = _mm256_xor_ps(g[2 + c], sign);
        }
        for (int r = 0; r < 4; r++) {
            float *o = z + r * 4 * zs + h;
            _mm256_storeu_ps(o, t[r * 2]);
            _mm256_storeu_ps(o + zs, _mm256_add_ps(t[r * 2], t[r * 2 + 1]));
            _mm256_storeu_ps(o + 2 * zs, _mm256_sub_ps(t[r * 2], t[r * 2 + 1]));
            _mm256_storeu_ps(o + 3 * zs, _mm256_xor_ps(t[r * 2 + 1], sign));
        }
    }
}
#endif

static void transform_input(int avx2, const float *base, const long off[16], int ld, float *v, long vs) {
#if defined(__x86_64__)
    if (avx2) { input_transform_avx2(base, off, ld, v, vs); return; }
#endif
    input_transform(base, off, ld, v, vs);
}

static void transform_gradient(int avx2, const float *base, const long off[16], int ld, float *z, long zs) {
#if defined(__x86_64__)
    if (avx2) { gradient_transform_avx2(base, off, ld, z, zs); return; }
#endif
    gradient_transform(base, off, ld, z, zs);
}

// Where a lane's tile sits: its patch in the padded input chunk, its 2x2 block in the (yh, yw) output
// planes of the chunk (offsets from a channel's plane, which the transforms add). Lanes past the chunk's last
// tile repeat the first tile's places, so they read numbers; only the first `valid` lanes are written back.
typedef struct {
    long in[16], out[16];
    int valid;
} lanes;

static lanes lanes_of(const geometry *g, long t0, long tiles, long in_sample, long out_sample) {
    lanes l;
    l.valid = tiles - t0 < 16 ? (int)(tiles - t0) : 16;
    // The first tile's place by division, the next ones by stepping along rows and images (divisions cost
    // tens of cycles, and the transforms ask for these places once per channel pass).
    long n = t0 / g->tiles;
    const long r = t0 % g->tiles;
    int ty = (int)(r / g->tw), tx = (int)(r % g->tw);
    for (int j = 0; j < 16; j++) {
        if (j < l.valid) {
            l.in[j] = n * in_sample + (long)2 * ty * g->wp + 2 * tx;
            l.out[j] = n * out_sample + (long)2 * ty * g->yw + 2 * tx;
            if (++tx == g->tw) { tx = 0; if (++ty == g->th) { ty = 0; n++; } }
        } else {
            l.in[j] = l.in[0];
            l.out[j] = l.out[0];
        }
    }
    return l;
}

// out (2x2 per lane) = A^T M A + bias for one output channel, M[xi] at m + xi * 16; written into the
// chunk's output planes rounded up to whole tiles. A^T applied to (m0, m1, m2, m3) is (m0 + m1 + m2, m1 - m2 - m3).
DLX_VECTOR_CLONES(static, output_transform, (const float *m, float bias, const lanes *l, float *y, int yw),
                  (m, bias, l, y, yw)) {
    float t[8][16], r[4][16];   // t: [row * 4 + column] of A^T M (two rows); r: [row * 2 + column]
    for (int s = 0; s < 4; s++)
        for (int j = 0; j < 16; j++) {
            t[s][j] = m[s * 16 + j] + m[(4 + s) * 16 + j] + m[(8 + s) * 16 + j];
            t[4 + s][j] = m[(4 + s) * 16 + j] - m[(8 + s) * 16 + j] - m[(12 + s) * 16 + j];
        }
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 16; j++) {
            r[i * 2][j] = t[i * 4][j] + t[i * 4 + 1][j] + t[i * 4 + 2][j] + bias;
            r[i * 2 + 1][j] = t[i * 4 + 1][j] - t[i * 4 + 2][j] - t[i * 4 + 3][j] + bias;
        }
    for (int j = 0; j < l->valid; j++) {
        float *q = y + l->out[j];
        q[0] = r[0][j]; q[1] = r[1][j]; q[yw] = r[2][j]; q[yw + 1] = r[3][j];
    }
}

// dd = B dV B^T per lane (dV[xi] at v + xi * 16), added into the padded input-gradient chunk. B applied to
// (v0, v1, v2, v3) is (v0, v1 - v2 + v3, v1 + v2 - v0, -v3). Lanes are added one after another, so the
// overlapping patches of neighbouring tiles add up in a fixed order.
DLX_VECTOR_CLONES(static, input_gradient_transform, (const float *v, const lanes *l, float *dx, int wp),
                  (v, l, dx, wp)) {
    float t[16][16], e[16][16];
    for (int s = 0; s < 4; s++)
        for (int j = 0; j < 16; j++) {
            t[s][j] = v[s * 16 + j];
            t[4 + s][j] = v[(4 + s) * 16 + j] - v[(8 + s) * 16 + j] + v[(12 + s) * 16 + j];
            t[8 + s][j] = v[(4 + s) * 16 + j] + v[(8 + s) * 16 + j] - v[s * 16 + j];
            t[12 + s][j] = -v[(12 + s) * 16 + j];
        }
    for (int r = 0; r < 4; r++)
        for (int j = 0; j < 16; j++) {
            e[r * 4][j] = t[r * 4][j];
            e[r * 4 + 1][j] = t[r * 4 + 1][j] - t[r * 4 + 2][j] + t[r * 4 + 3][j];
            e[r * 4 + 2][j] = t[r * 4 + 1][j] + t[r * 4 + 2][j] - t[r * 4][j];
            e[r * 4 + 3][j] = -t[r * 4 + 3][j];
        }
    for (int j = 0; j < l->valid; j++) {
        float *q = dx + l->in[j];
        for (int r = 0; r < 4; r++, q += wp)
            for (int s = 0; s < 4; s++) q[s] += e[r * 4 + s][j];
    }
}

#if defined(__x86_64__)
// The two transforms back to planes, eight lanes per vector: the same operations in the same order as the
// loops above (the same bits), then each lane's 2x2 block (or 4x4 patch) moved out through a transpose.
__attribute__((target("avx2")))
static void output_transform_avx2(const float *m, float bias, const lanes *l, float *y, int yw) {
    const __m256 b = _mm256_set1_ps(bias);
    for (int h = 0; h < 16 && h < l->valid; h += 8) {
        __m256 t[8];
        for (int s = 0; s < 4; s++) {
            const __m256 m0 = _mm256_loadu_ps(m + s * 16 + h), m1 = _mm256_loadu_ps(m + (4 + s) * 16 + h);
            const __m256 m2 = _mm256_loadu_ps(m + (8 + s) * 16 + h), m3 = _mm256_loadu_ps(m + (12 + s) * 16 + h);
            t[s] = _mm256_add_ps(_mm256_add_ps(m0, m1), m2);
            t[4 + s] = _mm256_sub_ps(_mm256_sub_ps(m1, m2), m3);
        }
        __m256 r[4];
        for (int i = 0; i < 2; i++) {
            r[i * 2] = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(t[i * 4], t[i * 4 + 1]), t[i * 4 + 2]), b);
            r[i * 2 + 1] = _mm256_add_ps(_mm256_sub_ps(_mm256_sub_ps(t[i * 4 + 1], t[i * 4 + 2]), t[i * 4 + 3]), b);
        }
        // (r0, r1) pairs of lanes 0, 1, 4, 5 in lo and 2, 3, 6, 7 in hi; the same for (r2, r3).
        const __m256 lo0 = _mm256_unpacklo_ps(r[0], r[1]), hi0 = _mm256_unpackhi_ps(r[0], r[1]);
        const __m256 lo1 = _mm256_unpacklo_ps(r[2], r[3]), hi1 = _mm256_unpackhi_ps(r[2], r[3]);
        float top[16], bottom[16];   // lane j's pair at 2 j
        _mm256_storeu_ps(top, _mm256_permute2f128_ps(lo0, hi0, 0x20));
        _mm256_storeu_ps(top + 8, _mm256_permute2f128_ps(lo0, hi0, 0x31));
        _mm256_storeu_ps(bottom, _mm256_permute2f128_ps(lo1, hi1, 0x20));
        _mm256_storeu_ps(bottom + 8, _mm256_permute2f128_ps(lo1, hi1, 0x31));
        const int n = l->valid - h < 8 ? l->valid - h : 8;
        for (int j = 0; j < n; j++) {
            float *q = y + l->out[h + j];
            memcpy(q, top + 2 * j, 2 * sizeof(float));
            memcpy(q + yw, bottom + 2 * j, 2 * sizeof(float));
        }
    }
}

__attribute__((target("avx2")))
static void input_gradient_transform_avx2(const float *v, const lanes *l, float *dx, int wp) {
    for (int h = 0; h < 16 && h < l->valid; h += 8) {
        __m256 t[16], e[16];
        for (int s = 0; s < 4; s++) {
            const __m256 v0 = _mm256_loadu_ps(v + s * 16 + h), v1 = _mm256_loadu_ps(v + (4 + s) * 16 + h);
            const __m256 v2 = _mm256_loadu_ps(v + (8 + s) * 16 + h), v3 = _mm256_loadu_ps(v + (12 + s) * 16 + h);
            t[s] = v0;
            t[4 + s] = _mm256_add_ps(_mm256_sub_ps(v1, v2), v3);
            t[8 + s] = _mm256_sub_ps(_mm256_add_ps(v1, v2), v0);
            t[12 + s] = _mm256_xor_ps(v3, _mm256_set1_ps(-0.0f));
        }
        for (int r = 0; r < 4; r++) {
            e[r * 4] = t[r * 4];
            e[r * 4 + 1] = _mm256_add_ps(_mm256_sub_ps(t[r * 4 + 1], t[r * 4 + 2]), t[r * 4 + 3]);
            e[r * 4 + 2] = _mm256_sub_ps(_mm256_add_ps(t[r * 4 + 1], t[r * 4 + 2]), t[r * 4]);
            e[r * 4 + 3] = _mm256_xor_ps(t[r * 4 + 3], _mm256_set1_ps(-0.0f));
        }
        // Row r of lane j's patch at patch[j][r]: the four columns of a row transposed out of e.
        float patch[8][4][4];
        for (int r = 0; r < 4; r++)
            for (int half = 0; half < 2; half++) {
                __m128 c0 = half ? _mm256_extractf128_ps(e[r * 4], 1) : _mm256_castps256_ps128(e[r * 4]);
                __m128 c1 = half ? _mm256_extractf128_ps(e[r * 4 + 1], 1) : _mm256_castps256_ps128(e[r * 4 + 1]);
                __m128 c2 = half ? _mm256_extractf128_ps(e[r * 4 + 2], 1) : _mm256_castps256_ps128(e[r * 4 + 2]);
                __m128 c3 = half ? _mm256_extractf128_ps(e[r * 4 + 3], 1) : _mm256_castps256_ps128(e[r * 4 + 3]);
                _MM_TRANSPOSE4_PS(c0, c1, c2, c3);
                _mm_storeu_ps(patch[half * 4][r], c0); _mm_storeu_ps(patch[half * 4 + 1][r], c1);
                _mm_storeu_ps(patch[half * 4 + 2][r], c2); _mm_storeu_ps(patch[half * 4 + 3][r], c3);
            }
        // Lanes one after another, as the loop above adds them (neighbouring patches overlap).
        const int n = l->valid - h < 8 ? l->valid - h : 8;
        for (int j = 0; j < n; j++) {
            float *q = dx + l->in[h + j];
            for (int r = 0; r < 4; r++, q += wp) _mm_storeu_ps(q, _mm_add_ps(_mm_loadu_ps(q), _mm_loadu_ps(patch[j][r])));
        }
    }
}
#endif

static void transform_output(int avx2, const float *m, float bias, const lanes *l, float *y, int yw) {
#if defined(__x86_64__)
    if (avx2) { output_transform_avx2(m, bias, l, y, yw); return; }
#endif
    output_transform(m, bias, l, y, yw);
}

static void transform_input_gradient(int avx2, const float *v, const lanes *l, float *dx, int wp) {
#if defined(__x86_64__)
    if (avx2) { input_gradient_transform_avx2(v, l, dx, wp); return; }
#endif
    input_gradient_transform(v, l, dx, wp);
}

long dlx_winograd_weights_size(int o, int c) {
    return 16 * round_up(o, MR) * c + MR;
}

// U = G g G^T for every (o, c), G applied to (g0, g1, g2) being (g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2),
// stored [xi][o < opad][c] with rows past O zero: the forward product reads it as rows (output channels),
// the input-gradient product as columns (input channels), both straight from this layout.
void dlx_winograd_pack_weights(const float *w, int o, int c, int p0, int p1, float *packed) {
    const long opad = round_up(o, MR);
    for (long oc = (long)p0 * MR; oc < (long)p1 * MR && oc < opad; oc++)
        for (int ic = 0; ic < c; ic++) {
            float u[16] = {0};
            if (oc < o) {
                const float *g = w + (oc * c + ic) * 9;
                float h[4][3];
                for (int s = 0; s < 3; s++) {
                    h[0][s] = g[s];
                    h[1][s] = 0.5f * (g[s] + g[3 + s] + g[6 + s]);
                    h[2][s] = 0.5f * (g[s] - g[3 + s] + g[6 + s]);
                    h[3][s] = g[6 + s];
                }
                for (int r = 0; r < 4; r++) {
                    u[r * 4] = h[r][0];
                    u[r * 4 + 1] = 0.5f * (h[r][0] + h[r][1] + h[r][2]);
                    u[r * 4 + 2] = 0.5f * (h[r][0] - h[r][1] + h[r][2]);
                    u[r * 4 + 3] = h[r][2];
                }
            }
            for (int xi = 0; xi < 16; xi++) packed[(xi * opad + oc) * c + ic] = u[xi];
        }
    // The input-gradient product's last panel of columns reads up to MR - 1 floats past the end.
    if ((long)p1 * MR >= opad)
        for (int i = 0; i < MR; i++) packed[16 * opad * c + i] = 0;
}

// dW = G^T dU G for channel pairs [k0, k1) from the chunks' dU (chunks, 16, o, c), added in chunk order;
// G^T applied to (u0, u1, u2, u3) is (u0 + (u1 + u2) / 2, (u1 - u2) / 2, (u1 + u2) / 2 + u3).
void dlx_winograd_weight_gradient(const float *du, long chunks, int o, int c, long k0, long k1, float *gw) {
    const long plane = (long)o * c;
    enum { BLOCK = 64 };
    // Channel pairs a block at a time, so that du is read along its rows (one stream per row).
    for (long b0 = k0; b0 < k1; b0 += BLOCK) {
        const int n = k1 - b0 < BLOCK ? (int)(k1 - b0) : BLOCK;
        float sum[16][BLOCK];
        for (int xi = 0; xi < 16; xi++) {
            for (int kk = 0; kk < n; kk++) sum[xi][kk] = 0;
            for (long part = 0; part < chunks; part++) {
                const float *row = du + (part * 16 + xi) * plane + b0;
                for (int kk = 0; kk < n; kk++) sum[xi][kk] += row[kk];
            }
        }
        for (int kk = 0; kk < n; kk++) {
            float u[16], f[3][4];
            for (int xi = 0; xi < 16; xi++) u[xi] = sum[xi][kk];
            for (int s = 0; s < 4; s++) {
                f[0][s] = u[s] + 0.5f * (u[4 + s] + u[8 + s]);
                f[1][s] = 0.5f * (u[4 + s] - u[8 + s]);
                f[2][s] = 0.5f * (u[4 + s] + u[8 + s]) + u[12 + s];
            }
            float *out = gw + (b0 + kk) * 9;
            for (int r = 0; r < 3; r++) {
                out[r * 3] = f[r][0] + 0.5f * (f[r][1] + f[r][2]);
                out[r * 3 + 1] = 0.5f * (f[r][1] - f[r][2]);
                out[r * 3 + 2] = 0.5f * (f[r][1] + f[r][2]) + f[r][3];
            }
        }
    }
}

// d (MR x NR) = A B with A in plain rows (akk = 1, rows ars apart) or plain columns (ars = 1, columns akk
// apart), for the chosen kernel.
static void product(int avx2, int k, const float *a, long ars, long akk, const float *b, long ldb, float *d, long ldd) {
#if defined(__x86_64__)
    if (avx2) {
        if (akk == 1) kernel_avx2_rows(k, a, ars, b, ldb, d, ldd);
        else kernel_avx2_columns(k, a, akk, b, ldb, d, ldd);
        return;
    }
#endif
    kernel_generic(k, a, ars, akk, b, ldb, 0, d, ldd);
}

// The weight-gradient product contracts over tiles, along which both Z and V are stored: a block of dot
// products, d[i * ldd + j] = sum over k < K of a[i * lda + k] * b[j * ldb + k] for i < rows (at most 3) and
// j < cols (at most 4), K a multiple of 16. The rows of a and b past those are read (they hold numbers) and
// their sums dropped.
static void dots_generic(int k, const float *a, long lda, const float *b, long ldb, float *d, long ldd, int rows, int cols) {
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) {
            float acc = 0;
            for (int kk = 0; kk < k; kk++) acc += a[i * lda + kk] * b[j * ldb + kk];
            d[i * ldd + j] = acc;
        }
}

#if defined(__x86_64__)
// Twelve accumulators of eight partial sums; per step three loads of a, four of b, twelve FMAs.
__attribute__((target("avx2,fma")))
static void dots_avx2(int k, const float *a, long lda, const float *b, long ldb, float *d, long ldd, int rows, int cols) {
    __m256 acc[3][4];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++) acc[i][j] = _mm256_setzero_ps();
    for (int kk = 0; kk < k; kk += 8) {
        const __m256 a0 = _mm256_loadu_ps(a + kk), a1 = _mm256_loadu_ps(a + lda + kk), a2 = _mm256_loadu_ps(a + 2 * lda + kk);
        for (int j = 0; j < 4; j++) {
            const __m256 bj = _mm256_loadu_ps(b + j * ldb + kk);
            acc[0][j] = _mm256_fmadd_ps(a0, bj, acc[0][j]);
            acc[1][j] = _mm256_fmadd_ps(a1, bj, acc[1][j]);
            acc[2][j] = _mm256_fmadd_ps(a2, bj, acc[2][j]);
        }
    }
    // Each row's four totals at once: pairwise adds within the 128-bit halves, then the halves added (a
    // lane sum apiece would cost twice the instructions, and the sums are a quarter of the work at K = 128).
    // They go straight to d: read back from a buffer one by one, they waited on its stores.
    // Rows by constant index (with a loop over `rows`, clang spilled the accumulators to index them).
    for (int i = 0; i < 3; i++) {
        if (i >= rows) break;
        const __m256 h = _mm256_hadd_ps(_mm256_hadd_ps(acc[i][0], acc[i][1]), _mm256_hadd_ps(acc[i][2], acc[i][3]));
        const __m128 t = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
        if (cols == 4) _mm_storeu_ps(d + i * ldd, t);
        else store_first(d + i * ldd, _mm256_castps128_ps256(t), cols);
    }
}
#endif

long dlx_winograd_forward_scratch(const dlx_conv_shape *s, int out_c, int chunk) {
    const geometry g = geometry_of(s, out_c);
    return round_up((long)chunk * g.c * g.hp * g.wp, 16) + round_up((long)chunk * g.o * g.yh * g.yw, 16) + 16L * g.c * 16
           + round_up(g.o, MR) * 256;
}

__attribute__((no_builtin("memcpy")))
void dlx_winograd_forward_chunk(int avx2, const dlx_conv_shape *s, int out_c, const float *packed, const float *bias,
                                const float *x, long n0, long n1, float *out, float *scratch) {
    const geometry g = geometry_of(s, out_c);
    const long samples = n1 - n0, tiles = samples * g.tiles, plane = (long)g.hp * g.wp, yplane = (long)g.yh * g.yw;
    const long op = round_up(g.o, MR) / MR;
    float *padded = scratch;                                    // (samples, C, hp, wp)
    float *v = padded + round_up(samples * g.c * plane, 16) + round_up(samples * g.o * yplane, 16);   // [xi][c][lane]
    float *m = v + 16L * g.c * 16;                              // [o][xi][lane]
    // The output rounded up to whole tiles (straight into out when its sides are even).
    const int whole = g.yh == g.oh && g.yw == g.ow;
    float *y = whole ? out + n0 * g.o * yplane : padded + round_up(samples * g.c * plane, 16);   // (samples, O, yh, yw)
    dlx_pad_planes(x + n0 * g.c * g.h * g.w, samples * g.c, g.h, g.w, padded, g.hp, g.wp, g.ph, g.pw);
    for (long t0 = 0; t0 < tiles; t0 += 16) {
        const lanes l = lanes_of(&g, t0, tiles, g.c * plane, g.o * yplane);
        for (int c = 0; c < g.c; c++) transform_input(avx2, padded + c * plane, l.in, g.wp, v + c * 16, (long)g.c * 16);
        for (int xi = 0; xi < 16; xi++)
            for (long p = 0; p < op; p++)
                product(avx2, g.c, packed + (xi * op + p) * MR * g.c, g.c, 1, v + (long)xi * g.c * 16, 16,
                        m + (p * MR * 16 + xi) * 16, 256);
        for (int o = 0; o < g.o; o++) transform_output(avx2, m + o * 256, bias ? bias[o] : 0, &l, y + o * yplane, g.yw);
    }
    if (!whole) dlx_crop_planes(y, samples * g.o, g.yh, g.yw, out + n0 * g.o * g.oh * g.ow, g.oh, g.ow);
}

// Scratch of the backward pass, each part starting on a 64-byte line (from an aligned base).
typedef struct { long pdx, pgy, z, v, dv, total; } backward_parts;

// Rows of Z and V (along the tiles) are a line longer than the tiles: rows a multiple of 1 KB apart would all
// fall in a few sets of the level-1 cache, and the products read many of them at once.
static long row_length(long samples, const geometry *g) { return round_up(samples * g->tiles, 16) + 16; }

static backward_parts backward_layout(const geometry *g, long samples) {
    const long ld = row_length(samples, g), in = round_up(samples * g->c * g->hp * g->wp, 16);
    backward_parts p;
    p.pdx = in;
    p.pgy = p.pdx + in;
    p.z = p.pgy + round_up(samples * g->o * g->yh * g->yw, 16);
    p.v = p.z + 16 * round_up(g->o, MR) * ld;
    p.dv = p.v + 16 * round_up(g->c, 4) * ld;
    p.total = p.dv + round_up(g->c, MR) * 256;
    return p;
}

long dlx_winograd_backward_scratch(const dlx_conv_shape *s, int out_c, int chunk) {
    const geometry g = geometry_of(s, out_c);
    return backward_layout(&g, chunk).total;
}

// no_builtin("memcpy") here and in the forward lets dlx_copy_row inline.
__attribute__((no_builtin("memcpy")))
void dlx_winograd_backward_chunk(int avx2, const dlx_conv_shape *s, int out_c, const float *packed, const float *x,
                                 const float *gy, long n0, long n1, float *dx, float *du, float *db, float *scratch) {
    const geometry g = geometry_of(s, out_c);
    const long samples = n1 - n0, tiles = samples * g.tiles, tpad = round_up(tiles, 16), ld = row_length(samples, &g);
    const long plane = (long)g.hp * g.wp, yplane = (long)g.yh * g.yw, opad = round_up(g.o, MR);
    const long cp = round_up(g.c, MR) / MR, cpad = round_up(g.c, 4);
    const long oplane = (long)g.oh * g.ow;
    const backward_parts parts = backward_layout(&g, samples);
    float *padded = scratch;                                    // (samples, C, hp, wp): x
    float *pdx = scratch + parts.pdx;                           // (samples, C, hp, wp): dx
    float *pgy = scratch + parts.pgy;                           // (samples, O, yh, yw): dY
    float *z = scratch + parts.z;                               // [xi][o < opad][tile < tpad], rows ld apart
    float *v = scratch + parts.v;                               // [xi][c < cpad][tile < tpad], rows ld apart
    float *dv = scratch + parts.dv;                             // [c][xi][lane]

    const float *chunk_gy = gy + n0 * g.o * oplane;
    if (db) {
        for (int o = 0; o < g.o; o++) db[o] = 0;
        for (long n = 0; n < samples; n++) dlx_row_sums(chunk_gy + n * g.o * oplane, g.o, oplane, db);
    }
    // dY rounded up to whole tiles (as it is when the output has even sides). Z's rows past O are read
    // only into product rows that are dropped, so they stay as they are.
    if (g.yh != g.oh || g.yw != g.ow) dlx_pad_planes(chunk_gy, samples * g.o, g.oh, g.ow, pgy, g.yh, g.yw, 0, 0);
    else pgy = (float *)chunk_gy;
    for (long t0 = 0; t0 < tiles; t0 += 16) {
        const lanes l = lanes_of(&g, t0, tiles, g.c * plane, g.o * yplane);
        for (int o = 0; o < g.o; o++) transform_gradient(avx2, pgy + o * yplane, l.out, g.yw, z + o * ld + t0, opad * ld);
        // Lanes past the last tile repeat the first tile; their Z must be zero, as they meet numbers in V.
        if (l.valid < 16)
            for (int xi = 0; xi < 16; xi++)
                for (int o = 0; o < g.o; o++) memset(z + (xi * opad + o) * ld + t0 + l.valid, 0, sizeof(float) * (size_t)(16 - l.valid));
    }
    if (dx) {
        memset(pdx, 0, sizeof(float) * (size_t)(samples * g.c * plane));
        for (long t0 = 0; t0 < tiles; t0 += 16) {
            const lanes l = lanes_of(&g, t0, tiles, g.c * plane, g.o * yplane);
            for (int xi = 0; xi < 16; xi++)
                for (long p = 0; p < cp; p++)
                    product(avx2, g.o, packed + xi * opad * g.c + p * MR, 1, g.c,
                            z + xi * opad * ld + t0, ld, dv + (p * MR * 16 + xi) * 16, 256);
            for (int c = 0; c < g.c; c++) transform_input_gradient(avx2, dv + c * 256, &l, pdx + c * plane, g.wp);
        }
        // The chunk's input gradient is the interior of the padded planes.
        const float *src = pdx + (long)g.ph * g.wp + g.pw;
        dlx_crop_planes(src, samples * g.c, g.hp, g.wp, dx + n0 * g.c * g.h * g.w, g.h, g.w);
    }
    if (du) {
        // V as in the forward pass, over the whole chunk: [xi][c][tile]. Lanes past the last tile repeat a
        // real patch, so they hold numbers, and meet zeros in Z.
        dlx_pad_planes(x + n0 * g.c * g.h * g.w, samples * g.c, g.h, g.w, padded, g.hp, g.wp, g.ph, g.pw);
        for (long t0 = 0; t0 < tiles; t0 += 16) {
            const lanes l = lanes_of(&g, t0, tiles, g.c * plane, 0);
            for (int c = 0; c < g.c; c++) transform_input(avx2, padded + c * plane, l.in, g.wp, v + c * ld + t0, cpad * ld);
        }
        // dU[xi] (O, C) = Z[xi] V[xi]^T in 3x4 blocks; rows past O and C are computed from whatever they hold
        // and dropped.
        for (int xi = 0; xi < 16; xi++)
            for (int o0 = 0; o0 < g.o; o0 += 3)
                for (int c0 = 0; c0 < g.c; c0 += 4) {
                    const float *a = z + (xi * opad + o0) * ld, *b = v + (xi * cpad + c0) * ld;
                    float *d = du + ((long)xi * g.o + o0) * g.c + c0;
                    const int rows = g.o - o0 < 3 ? g.o - o0 : 3, cols = g.c - c0 < 4 ? g.c - c0 : 4;
#if defined(__x86_64__)
                    if (avx2) dots_avx2((int)tpad, a, ld, b, ld, d, g.c, rows, cols); else
#endif
                    dots_generic((int)tpad, a, ld, b, ld, d, g.c, rows, cols);
                }
    }
}
