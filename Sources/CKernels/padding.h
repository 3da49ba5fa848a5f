// Shared by the convolutions (not part of the module's interface).
#ifndef DLX_PADDING_H
#define DLX_PADDING_H
#include <string.h>
#include "CKernels.h"

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

// Copies `planes` planes (h, w) into (hp, wp) planes at offset (top, left), zero elsewhere: borders and
// rows or columns added to fit whole tiles or vectors (the Winograd and direct convolutions).
static inline void dlx_pad_planes(const float *x, long planes, int h, int w, float *p, int hp, int wp, int top, int left) {
    memset(p, 0, sizeof(float) * (size_t)(planes * hp * wp));
    const int rows = h < hp - top ? h : hp - top, cols = w < wp - left ? w : wp - left;
    for (long c = 0; c < planes; c++)
        for (int y = 0; y < rows; y++)
            memcpy(p + (c * hp + y + top) * wp + left, x + (c * h + y) * w, sizeof(float) * (size_t)cols);
}

#endif
