// Shared by the convolutions (not part of the module's interface).
#ifndef DLX_PADDING_H
#define DLX_PADDING_H
#include <string.h>
#include "CKernels.h"
#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

// Copies one image x (c, h, w) into padded (c, h + 2ph, w + 2pw) with a zero border: every window row
// then reads in bounds, and a row of stride-1 windows is one straight copy.
static inline void dlx_pad_sample(const dlx_conv_shape *s, const float *x, float *padded) {
    const int hp = s->h + 2 * s->ph, wp = s->w + 2 * s->pw;
    if (s->ph == 0 && s->pw == 0) { memcpy(padded, x, sizeof(float) * (size_t)s->c * s->h * s->w); return; }
    for (int c = 0; c < s->c; c++) {
        float *plane = padded + (long)c * hp * wp;
        memset(plane, 0, sizeof(float) * (size_t)s->ph * wp);
        for (int y = 0; y < s->h; y++) {
            float *row = plane + (long)(y + s->ph) * wp;
            // The side borders are a float or two: stores, not two library calls per row.
            for (int i = 0; i < s->pw; i++) { row[i] = 0; row[s->pw + s->w + i] = 0; }
            memcpy(row + s->pw, x + ((long)c * s->h + y) * s->w, sizeof(float) * s->w);
        }
        memset(plane + (long)(s->h + s->ph) * wp, 0, sizeof(float) * (size_t)s->ph * wp);
    }
}

// n floats. The rows these copy are short (7 to 28 floats for the lessons' images), where a memcpy call each
// costs more than it moves: rows of four or more go as four-float pieces (SSE, which every x86-64 has), the
// last one overlapping the one before. no_builtin keeps the compiler from making memcpy calls of the loops.
__attribute__((no_builtin("memcpy"), unused))
static inline void dlx_copy_row(float *to, const float *from, int n) {
#if defined(__x86_64__)
    if (n >= 4) {
        for (int i = 0; i + 4 < n; i += 4) _mm_storeu_ps(to + i, _mm_loadu_ps(from + i));
        _mm_storeu_ps(to + n - 4, _mm_loadu_ps(from + n - 4));
        return;
    }
#endif
    for (int i = 0; i < n; i++) to[i] = from[i];
}

// Copies `planes` planes (h, w) into (hp, wp) planes at offset (top, left), zero elsewhere: borders and
// rows or columns added to fit whole tiles or vectors (the Winograd and direct convolutions).
__attribute__((unused))
static void dlx_pad_planes(const float *x, long planes, int h, int w, float *p, int hp, int wp, int top, int left) {
    memset(p, 0, sizeof(float) * (size_t)(planes * hp * wp));
    const int rows = h < hp - top ? h : hp - top, cols = w < wp - left ? w : wp - left;
    for (long c = 0; c < planes; c++)
        for (int y = 0; y < rows; y++) dlx_copy_row(p + (c * hp + y + top) * wp + left, x + (c * h + y) * w, cols);
}

// The interior (oh, ow) of `planes` planes (yh, yw) into out: what dlx_pad_planes added, taken off again.
__attribute__((unused))
static void dlx_crop_planes(const float *y, long planes, int yh, int yw, float *out, int oh, int ow) {
    for (long c = 0; c < planes; c++)
        for (int r = 0; r < oh; r++) dlx_copy_row(out + (c * oh + r) * ow, y + (c * yh + r) * yw, ow);
}

#endif
