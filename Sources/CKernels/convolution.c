#include "CKernels.h"

// Rows of cols are (channel, ki, kj); columns are (image, output row, output column), so that one
// gemm with the (out_channels, c*kh*kw) weight computes the whole batch.

void dlx_im2col(const dlx_conv_shape *s, const float *x, float *cols, int c0, int c1) {
    const long plane = (long)s->oh * s->ow, columns = (long)s->n * plane;
    for (int c = c0; c < c1; c++) {
        for (int ki = 0; ki < s->kh; ki++) {
            for (int kj = 0; kj < s->kw; kj++) {
                float *row = cols + ((long)(c * s->kh + ki) * s->kw + kj) * columns;
                for (int n = 0; n < s->n; n++) {
                    const float *img = x + ((long)n * s->c + c) * s->h * s->w;
                    float *out = row + n * plane;
                    for (int oy = 0; oy < s->oh; oy++) {
                        int iy = oy * s->sh - s->ph + ki * s->dh;
                        float *o = out + (long)oy * s->ow;
                        if (iy < 0 || iy >= s->h) {
                            for (int ox = 0; ox < s->ow; ox++) o[ox] = 0.0f;
                            continue;
                        }
                        const float *line = img + (long)iy * s->w;
                        int base = kj * s->dw - s->pw;
                        if (s->sw == 1) {
                            // Valid columns form one run: zeros, a copy, zeros.
                            int lo = base < 0 ? -base : 0, hi = s->w - base < s->ow ? s->w - base : s->ow;
                            if (hi < lo) hi = lo;
                            for (int ox = 0; ox < lo; ox++) o[ox] = 0.0f;
                            for (int ox = lo; ox < hi; ox++) o[ox] = line[ox + base];
                            for (int ox = hi; ox < s->ow; ox++) o[ox] = 0.0f;
                        } else {
                            for (int ox = 0; ox < s->ow; ox++) {
                                int ix = ox * s->sw + base;
                                o[ox] = (ix >= 0 && ix < s->w) ? line[ix] : 0.0f;
                            }
                        }
                    }
                }
            }
        }
    }
}

void dlx_col2im(const dlx_conv_shape *s, const float *cols, float *dx, int c0, int c1) {
    const long plane = (long)s->oh * s->ow, columns = (long)s->n * plane;
    for (int c = c0; c < c1; c++) {
        for (int ki = 0; ki < s->kh; ki++) {
            for (int kj = 0; kj < s->kw; kj++) {
                const float *row = cols + ((long)(c * s->kh + ki) * s->kw + kj) * columns;
                for (int n = 0; n < s->n; n++) {
                    float *img = dx + ((long)n * s->c + c) * s->h * s->w;
                    const float *in = row + n * plane;
                    for (int oy = 0; oy < s->oh; oy++) {
                        int iy = oy * s->sh - s->ph + ki * s->dh;
                        if (iy < 0 || iy >= s->h) continue;
                        float *line = img + (long)iy * s->w;
                        const float *g = in + (long)oy * s->ow;
                        int base = kj * s->dw - s->pw;
                        if (s->sw == 1) {
                            int lo = base < 0 ? -base : 0, hi = s->w - base < s->ow ? s->w - base : s->ow;
                            for (int ox = lo; ox < hi; ox++) line[ox + base] += g[ox];
                        } else {
                            for (int ox = 0; ox < s->ow; ox++) {
                                int ix = ox * s->sw + base;
                                if (ix >= 0 && ix < s->w) line[ix] += g[ox];
                            }
                        }
                    }
                }
            }
        }
    }
}
