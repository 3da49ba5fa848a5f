#include <string.h>
#include "CKernels.h"
#include "padding.h"

// One sample at a time, so that the unrolled columns stay in cache for the gemm that follows. The
// image is first copied into a zero-bordered buffer: every window row then reads in bounds, and a row
// of stride-1 windows is one straight copy, with no tests for the padding in the inner loops.

void dlx_im2col_sample(const dlx_conv_shape *s, const float *x, float *padded, float *cols) {
    const int hp = s->h + 2 * s->ph, wp = s->w + 2 * s->pw;
    dlx_pad_sample(s, x, padded);
    float *o = cols;
    for (int c = 0; c < s->c; c++)
        for (int ki = 0; ki < s->kh; ki++)
            for (int kj = 0; kj < s->kw; kj++) {
                const float *src = padded + ((long)c * hp + ki * s->dh) * wp + kj * s->dw;
                for (int oy = 0; oy < s->oh; oy++, o += s->ow) {
                    const float *line = src + (long)oy * s->sh * wp;
                    if (s->sw == 1) memcpy(o, line, sizeof(float) * s->ow);
                    else for (int ox = 0; ox < s->ow; ox++) o[ox] = line[(long)ox * s->sw];
                }
            }
}

void dlx_col2im_sample(const dlx_conv_shape *s, const float *cols, float *padded, float *dx) {
    const int hp = s->h + 2 * s->ph, wp = s->w + 2 * s->pw;
    memset(padded, 0, sizeof(float) * (size_t)s->c * hp * wp);
    const float *g = cols;
    for (int c = 0; c < s->c; c++)
        for (int ki = 0; ki < s->kh; ki++)
            for (int kj = 0; kj < s->kw; kj++) {
                float *dst = padded + ((long)c * hp + ki * s->dh) * wp + kj * s->dw;
                for (int oy = 0; oy < s->oh; oy++, g += s->ow) {
                    float *line = dst + (long)oy * s->sh * wp;
                    if (s->sw == 1) for (int ox = 0; ox < s->ow; ox++) line[ox] += g[ox];
                    else for (int ox = 0; ox < s->ow; ox++) line[(long)ox * s->sw] += g[ox];
                }
            }
    for (int c = 0; c < s->c; c++)
        for (int y = 0; y < s->h; y++)
            memcpy(dx + ((long)c * s->h + y) * s->w, padded + ((long)c * hp + y + s->ph) * wp + s->pw, sizeof(float) * s->w);
}
