// Direct convolution of one-channel images with a 3x3 window, stride 1 and dilation 1 (a first layer over
// grey images). With one input channel each output is nine multiply-adds: too short a reduction for a gemm
// (im2col would write nine copies of the image to feed it), so each segment of eight outputs of a row reads
// its nine shifted input vectors once and every output channel's nine weights are applied to them.
// Samples are copied into zero-bordered planes first, rows wide enough for whole segments of eight.
#include <string.h>
#include "CKernels.h"
#include "microkernel.h"
#include "padding.h"

typedef struct { int hp, wp, oh, ow; } plane_shape;

static plane_shape plane_of(const dlx_conv_shape *s) {
    plane_shape p = {s->h + 2 * s->ph, (s->ow + 7) / 8 * 8 + 2, s->oh, s->ow};
    if (p.hp < s->oh + 2) p.hp = s->oh + 2;
    return p;
}

long dlx_conv_direct_scratch(const dlx_conv_shape *s, int chunk) {
    const plane_shape p = plane_of(s);
    return (long)chunk * p.hp * p.wp + 16;
}

// Samples [n0, n1) of x (n, 1, h, w) in zero-bordered planes (hp, wp).
static void pad_samples(const dlx_conv_shape *s, const plane_shape *p, const float *x, long n0, long n1, float *out) {
    dlx_pad_planes(x + n0 * s->h * s->w, n1 - n0, s->h, s->w, out, p->hp, p->wp, s->ph, s->pw);
}

#if defined(__x86_64__)
// The geometry in locals (the output stores could otherwise alias it, and it would be reloaded for every
// channel); a row's last segment goes out as 4, 2 and 1 lanes (it went through memcpy).
__attribute__((target("avx2,fma")))
static void forward_avx2(const plane_shape *p, int out_c, const float *w, const float *bias, const float *padded, float *out) {
    const int oh = p->oh, ow = p->ow, wp = p->wp;
    const long oplane = (long)oh * ow;
    for (int y = 0; y < oh; y++)
        for (int x0 = 0; x0 < ow; x0 += 8) {
            __m256 r[9];
            for (int k = 0; k < 9; k++) r[k] = _mm256_loadu_ps(padded + (long)(y + k / 3) * wp + x0 + k % 3);
            const int m = ow - x0 < 8 ? ow - x0 : 8;
            float *q = out + (long)y * ow + x0;
            for (int o = 0; o < out_c; o++, q += oplane) {
                __m256 acc = _mm256_set1_ps(bias ? bias[o] : 0);
                for (int k = 0; k < 9; k++) acc = _mm256_fmadd_ps(_mm256_broadcast_ss(w + o * 9 + k), r[k], acc);
                if (m == 8) _mm256_storeu_ps(q, acc);
                else store_first(q, acc, m);
            }
        }
}
#endif

// The reference: plain loops over every output.
static void forward_generic(const plane_shape *p, int out_c, const float *w, const float *bias, const float *padded, float *out) {
    const long oplane = (long)p->oh * p->ow;
    for (int o = 0; o < out_c; o++)
        for (int y = 0; y < p->oh; y++)
            for (int x = 0; x < p->ow; x++) {
                float acc = bias ? bias[o] : 0;
                for (int k = 0; k < 9; k++) acc += w[o * 9 + k] * padded[(long)(y + k / 3) * p->wp + x + k % 3];
                out[o * oplane + (long)y * p->ow + x] = acc;
            }
}

void dlx_conv_direct_forward(int avx2, const dlx_conv_shape *s, int out_c, const float *w, const float *bias, const float *x,
                             long n0, long n1, float *out, float *scratch) {
    const plane_shape p = plane_of(s);
    pad_samples(s, &p, x, n0, n1, scratch);
    const long plane = (long)p.hp * p.wp, oplane = (long)p.oh * p.ow;
    for (long n = n0; n < n1; n++) {
        const float *padded = scratch + (n - n0) * plane;
        float *o = out + n * out_c * oplane;
#if defined(__x86_64__)
        if (avx2) { forward_avx2(&p, out_c, w, bias, padded, o); continue; }
#endif
        forward_generic(&p, out_c, w, bias, padded, o);
    }
}

#if defined(__x86_64__)
// Per output channel, nine accumulators (and one for the bias) over every segment of every sample of the
// chunk; the last segment of a row is masked, so that nothing past the row is read or counted.
__attribute__((target("avx2,fma")))
static void weight_grad_avx2(const plane_shape *p, long samples, int out_c, const float *padded, const float *gy, float *gw, float *gb) {
    const long plane = (long)p->hp * p->wp, oplane = (long)p->oh * p->ow;
    const int tail = p->ow % 8;
    int m[8];
    for (int j = 0; j < 8; j++) m[j] = j < tail ? -1 : 0;
    const __m256i mask = _mm256_loadu_si256((const __m256i *)m);
    for (int o = 0; o < out_c; o++) {
        __m256 acc[9], accb = _mm256_setzero_ps();
        for (int k = 0; k < 9; k++) acc[k] = _mm256_setzero_ps();
        for (long n = 0; n < samples; n++) {
            const float *in = padded + n * plane, *g = gy + (n * out_c + o) * oplane;
            for (int y = 0; y < p->oh; y++)
                for (int x0 = 0; x0 < p->ow; x0 += 8) {
                    const __m256 gv = x0 + 8 <= p->ow ? _mm256_loadu_ps(g + (long)y * p->ow + x0)
                                                      : _mm256_maskload_ps(g + (long)y * p->ow + x0, mask);
                    accb = _mm256_add_ps(accb, gv);
                    for (int k = 0; k < 9; k++)
                        acc[k] = _mm256_fmadd_ps(gv, _mm256_loadu_ps(in + (long)(y + k / 3) * p->wp + x0 + k % 3), acc[k]);
                }
        }
        for (int k = 0; k < 9; k++) gw[o * 9 + k] = lane_total(acc[k]);
        if (gb) gb[o] = lane_total(accb);
    }
}
#endif

static void weight_grad_generic(const plane_shape *p, long samples, int out_c, const float *padded, const float *gy, float *gw, float *gb) {
    const long plane = (long)p->hp * p->wp, oplane = (long)p->oh * p->ow;
    for (int o = 0; o < out_c; o++) {
        float acc[9] = {0}, accb = 0;
        for (long n = 0; n < samples; n++) {
            const float *in = padded + n * plane, *g = gy + (n * out_c + o) * oplane;
            for (int y = 0; y < p->oh; y++)
                for (int x = 0; x < p->ow; x++) {
                    const float v = g[(long)y * p->ow + x];
                    accb += v;
                    for (int k = 0; k < 9; k++) acc[k] += v * in[(long)(y + k / 3) * p->wp + x + k % 3];
                }
        }
        for (int k = 0; k < 9; k++) gw[o * 9 + k] = acc[k];
        if (gb) gb[o] = accb;
    }
}

void dlx_conv_direct_weight_grad(int avx2, const dlx_conv_shape *s, int out_c, const float *x, const float *gy, long n0, long n1,
                                 float *gw, float *gb, float *scratch) {
    const plane_shape p = plane_of(s);
    pad_samples(s, &p, x, n0, n1, scratch);
    const float *g = gy + n0 * out_c * (long)p.oh * p.ow;
#if defined(__x86_64__)
    if (avx2) { weight_grad_avx2(&p, n1 - n0, out_c, scratch, g, gw, gb); return; }
#endif
    weight_grad_generic(&p, n1 - n0, out_c, scratch, g, gw, gb);
}

// The input gradient: each output's gradient spread back over its window, dx = sum over o of the window
// sums, added into zero-bordered planes whose interior is then the gradient (images rarely require grad:
// plain loops).
void dlx_conv_direct_input_grad(const dlx_conv_shape *s, int out_c, const float *w, const float *gy, long n0, long n1,
                                float *dx, float *scratch) {
    const plane_shape p = plane_of(s);
    const long plane = (long)p.hp * p.wp, oplane = (long)p.oh * p.ow;
    for (long n = n0; n < n1; n++) {
        memset(scratch, 0, sizeof(float) * (size_t)plane);
        for (int o = 0; o < out_c; o++) {
            const float *g = gy + (n * out_c + o) * oplane;
            for (int k = 0; k < 9; k++) {
                const float wk = w[o * 9 + k];
                for (int y = 0; y < p.oh; y++) {
                    float *row = scratch + (long)(y + k / 3) * p.wp + k % 3;
                    const float *gr = g + (long)y * p.ow;
                    for (int x = 0; x < p.ow; x++) row[x] += wk * gr[x];
                }
            }
        }
        for (int y = 0; y < s->h; y++)
            memcpy(dx + (n * s->h + y) * s->w, scratch + (long)(y + s->ph) * p.wp + s->pw, sizeof(float) * s->w);
    }
}
