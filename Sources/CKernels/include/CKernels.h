#ifndef DLX_CKERNELS_H
#define DLX_CKERNELS_H
#include <stddef.h>
#include <stdint.h>

// Float32 loops where C with target attributes beats what Swift gives: the optimizer updates, whose
// square roots and divisions only vectorise with math-errno off, and which dlx compiles for AVX2+FMA
// beside a baseline version, choosing at run time.

/// Adam: w' = w decay (AdamW's decoupled weight decay, else decay = 1); m = b1 m + (1-b1) g';
/// v = b2 v + (1-b2) g'^2;  w = w' - lr m / (sqrt(v) inv_c2 + eps), g' = g + wd w'. `lr` is already divided by
/// the first bias correction; `inv_c2` is 1 / sqrt(second bias correction).
void dlx_adam(int avx2, float *w, const float *g, float *m, float *v, size_t n,
              float lr, float beta1, float beta2, float eps, float weight_decay, float inv_c2, float decay);

/// SGD with optional momentum buffer (NULL without momentum); `first` starts the buffer at the gradient,
/// `undamped` is 1 - dampening, `nesterov` steps along g' + momentum * buf.
void dlx_sgd(int avx2, float *w, const float *g, float *buf, size_t n, float lr, float momentum,
             float weight_decay, float undamped, int nesterov, int first);

/// Adagrad: sum += g'^2;  w -= clr g' / (sqrt(sum) + eps), g' = g + wd w; `clr` is lr / (1 + (step - 1) lr_decay).
void dlx_adagrad(int avx2, float *w, const float *g, float *sum, size_t n, float clr, float eps, float weight_decay);

/// RMSprop: sq = alpha sq + (1-alpha) g'^2; avg = sqrt(sq - ga^2) + eps (centered: ga = lerp(ga, g', 1-alpha);
/// grad_avg NULL otherwise, then avg = sqrt(sq) + eps); with a momentum buffer (NULL without) buf = momentum buf +
/// g' / avg and w -= lr buf, else w -= lr g' / avg.
void dlx_rmsprop(int avx2, float *w, const float *g, float *square_avg, float *buf, float *grad_avg, size_t n,
                 float lr, float alpha, float eps, float weight_decay, float momentum);

/// Adadelta: sq = rho sq + (1-rho) g'^2;  delta = sqrt(acc + eps) / sqrt(sq + eps) g';
/// acc = rho acc + (1-rho) delta^2;  w -= lr delta.
void dlx_adadelta(int avx2, float *w, const float *g, float *square_avg, float *acc_delta, size_t n,
                  float lr, float rho, float eps, float weight_decay);

/// ReLU's backward: r[i] = y[i] > 0 ? g[i] : 0, where y is the forward output.
void dlx_relu_backward(int avx2, const float *g, const float *y, float *r, size_t n);
/// Geometry of a 2-d convolution or pooling window over NCHW data.
typedef struct {
    int n, c, h, w;          // input
    int kh, kw;              // window
    int sh, sw, ph, pw, dh, dw;
    int oh, ow;              // output
} dlx_conv_shape;

/// im2col for one image x (c, h, w): cols is (c*kh*kw, oh*ow), rows ordered (channel, ki, kj); `padded` is
/// scratch of c*(h+2ph)*(w+2pw) floats.
void dlx_im2col_sample(const dlx_conv_shape *s, const float *x, float *padded, float *cols);
/// col2im for one image: writes dx (c, h, w) as the sum of cols (c*kh*kw, oh*ow) over the windows; `padded`
/// is scratch as for im2col.
void dlx_col2im_sample(const dlx_conv_shape *s, const float *cols, float *padded, float *dx);
/// Convolution as an implicit gemm (conv_gemm.c). Weights are packed once per call into panels of
/// DLX_CONV_MR rows; positions are taken DLX_CONV_NR at a time.
#define DLX_CONV_MR 6
#define DLX_CONV_NR 16
/// Packs w (o, c, kh, kw) as the gemm's left matrix: rows = output channels, or with `flip` (the input
/// gradient's convolution) rows = input channels over the 180-degree-turned window. `packed` holds
/// ceil(rows / MR) * MR * (cols) floats.
void dlx_conv_pack_weights(const float *w, int o, int c, int kh, int kw, int flip, float *packed);
/// Offsets for a chunk of `chunk` samples: off (c*kh*kw) into a zero-bordered sample, pos and col
/// (chunk*oh*ow) of each output position in the padded chunk and in the NCHW output.
void dlx_conv_gemm_tables(const dlx_conv_shape *s, int chunk, int out_c, int *off, int *pos, long *col);
/// Floats of per-thread scratch for dlx_conv_gemm_chunk with `chunk` samples.
long dlx_conv_gemm_scratch(const dlx_conv_shape *s, int chunk);
/// out[n0..<n1] (n, out_c, oh, ow) = conv(x[n0..<n1]) + bias (NULL for none), n1 - n0 <= the tables' chunk.
/// `avx2` picks the AVX2+FMA kernel over the plain-C one.
void dlx_conv_gemm_chunk(int avx2, const dlx_conv_shape *s, int out_c, const float *packed_w, const float *bias,
                         const int *off, const int *pos, const long *col, const float *x, long n0, long n1,
                         float *out, float *scratch);
/// Floats of per-thread scratch for dlx_conv_weight_grad_chunk with `chunk` samples.
long dlx_conv_weight_grad_scratch(const dlx_conv_shape *s, int chunk, int out_c);
/// gw (out_c, c*kh*kw) = the weight gradient of a stride-1 convolution over samples [n0, n1) (every entry is
/// written, so gw needs no clearing): x (n, c, h, w)
/// its input, gy (n, out_c, oh, ow) the output gradient, off from dlx_conv_gemm_tables.
void dlx_conv_weight_grad_chunk(int avx2, const dlx_conv_shape *s, int out_c, const int *off, const float *x,
                                const float *gy, long n0, long n1, float *gw, float *scratch);
/// Winograd F(2x2, 3x3) convolution (conv_winograd.c) for stride 1, dilation 1, 3x3 windows, any padding.
/// Floats of the packed transformed weights for o output and c input channels.
long dlx_winograd_weights_size(int o, int c);
/// Transforms w (o, c, 3, 3) for the forward and the input-gradient products: the output channels of panels
/// [p0, p1) of DLX_CONV_MR channels; calls over panels that cover ceil(o / MR) fill `packed`.
void dlx_winograd_pack_weights(const float *w, int o, int c, int p0, int p1, float *packed);
/// Floats of per-thread scratch for dlx_winograd_forward_chunk with `chunk` samples.
long dlx_winograd_forward_scratch(const dlx_conv_shape *s, int out_c, int chunk);
/// out[n0..<n1] (n, out_c, oh, ow) = conv(x[n0..<n1]) + bias (NULL for none), n1 - n0 <= chunk.
void dlx_winograd_forward_chunk(int avx2, const dlx_conv_shape *s, int out_c, const float *packed, const float *bias,
                                const float *x, long n0, long n1, float *out, float *scratch);
/// Floats of per-thread scratch for dlx_winograd_backward_chunk with `chunk` samples.
long dlx_winograd_backward_scratch(const dlx_conv_shape *s, int out_c, int chunk);
/// The gradients over samples [n0, n1) from gy (n, out_c, oh, ow): dx[n0..<n1] (NULL: not wanted), du (16, out_c, c)
/// the chunk's transformed weight gradient (NULL: not wanted; turn the sum over chunks into dW with
/// dlx_winograd_weight_gradient) and db (out_c) the chunk's bias gradient (NULL: not wanted).
void dlx_winograd_backward_chunk(int avx2, const dlx_conv_shape *s, int out_c, const float *packed, const float *x,
                                 const float *gy, long n0, long n1, float *dx, float *du, float *db, float *scratch);
/// gw (o, c, 3, 3) for channel pairs k = oc * c + ic in [k0, k1), from the chunks' transformed weight
/// gradients du (chunks, 16, o, c), added in chunk order.
void dlx_winograd_weight_gradient(const float *du, long chunks, int o, int c, long k0, long k1, float *gw);
/// Direct convolution (conv_direct.c) of one-channel images with a 3x3 window, stride 1, dilation 1, any
/// padding. Floats of per-thread scratch for `chunk` samples.
long dlx_conv_direct_scratch(const dlx_conv_shape *s, int chunk);
/// out[n0..<n1] (n, out_c, oh, ow) = conv(x[n0..<n1]) + bias (NULL for none), w (out_c, 1, 3, 3).
void dlx_conv_direct_forward(int avx2, const dlx_conv_shape *s, int out_c, const float *w, const float *bias, const float *x,
                             long n0, long n1, float *out, float *scratch);
/// gw (out_c, 9) and gb (out_c; NULL: not wanted) = the weight and bias gradients over samples [n0, n1), written
/// (not added), from x (n, 1, h, w) and gy (n, out_c, oh, ow).
void dlx_conv_direct_weight_grad(int avx2, const dlx_conv_shape *s, int out_c, const float *x, const float *gy, long n0, long n1,
                                 float *gw, float *gb, float *scratch);
/// dx[n0..<n1] (n, 1, h, w) = the input gradient from gy (n, out_c, oh, ow) and w (out_c, 1, 3, 3).
void dlx_conv_direct_input_grad(const dlx_conv_shape *s, int out_c, const float *w, const float *gy, long n0, long n1,
                                float *dx, float *scratch);
/// Max pooling over planes [p0, p1) of s (c counts planes per image): out and argmax are (planes, oh*ow);
/// argmax holds the winning position within the input plane (-1 for an all-padding window). `avx2` lets
/// 2x2 stride-2 windows run eight at a time.
void dlx_maxpool_forward(int avx2, const dlx_conv_shape *s, const float *x, float *out, int *argmax, long p0, long p1);
/// The input gradient of max pooling over planes [p0, p1): dx (planes, h*w) is cleared, then each output's
/// gradient g (planes, oh*ow) is added at its argmax.
void dlx_maxpool_backward(const dlx_conv_shape *s, const float *g, const int *argmax, float *dx, long p0, long p1);
/// out[r] += the sum of row r of x (rows, cols): a convolution's bias gradient.
void dlx_row_sums(const float *x, long rows, long cols, float *out);
/// Batch-norm statistics for channels [c0, c1) of x (n, c, inner): mean and biased variance in double.
void dlx_batchnorm_stats(const float *x, long n, long c, long inner, long c0, long c1, double *mean, double *var);
/// Each of `planes` rows of `inner` floats: its sum and sum of squares as dlx_batchnorm_stats adds them, to
/// moments[2 p] and moments[2 p + 1] (a convolution computes them while its output is in cache).
void dlx_plane_moments(const float *x, long planes, long inner, float *moments);
/// dlx_batchnorm_stats from the planes' moments (n, c, 2) of dlx_plane_moments: the same bits.
void dlx_batchnorm_stats_from_moments(const float *moments, long n, long c, long inner, long c0, long c1, double *mean,
                                      double *var);
/// y = xhat * gamma + beta with xhat = (x - mean) * invstd (then max(y, 0) with `relu`), for channels
/// [c0, c1). xhat is not stored: the gradient passes recompute it from x.
void dlx_batchnorm_apply(const float *x, long n, long c, long inner, long c0, long c1, const float *mean,
                         const float *invstd, const float *gamma, const float *beta, int relu, float *y);
/// Sums of g and g * xhat per channel, for channels [c0, c1), g taken times `scale` (1, or the fused pooling
/// block's dropout scale). With `gate` (the output of a fused ReLU, else NULL), g counts only where gate > 0.
/// The fused pooling block passes its pooled gradient, pooled output and winners' inputs (inner: the pooled
/// plane): the gradient reaches the normalisation at the winners alone, where the pooled value is > 0.
void dlx_batchnorm_sums(const float *g, const float *gate, const float *x, const float *mean, const float *invstd, long n,
                        long c, long inner, long c0, long c1, float scale, double *sum_g, double *sum_gxhat);
/// dx = k[c] * (m g - sum_g[c] - xhat sum_gxhat[c]) in training, or k[c] g in eval; g gated as for the sums.
void dlx_batchnorm_dx(const float *g, const float *gate, const float *x, const float *mean, const float *invstd, long n,
                      long c, long inner, long c0, long c1, const float *k, const float *sum_g, const float *sum_gxhat,
                      float m, int training, float *dx);
/// out = x * mask for dropout over groups [g0, g1): group k (of `group` consecutive elements) is kept, scaled
/// by `scale`, when the top 24 bits of a hash of (seed, k) are below `keep_below` (= (1 - p) * 2^24).
void dlx_dropout(const float *x, float *out, size_t g0, size_t g1, size_t group, uint32_t seed, uint32_t keep_below,
                 float scale);
/// BatchNorm2d, ReLU, dropout (when `dropout`: as dlx_dropout, element k of the whole (n, c, h, w) tensor)
/// and max pooling with s's 2x2 windows, over planes [p0, p1): out and argmax as dlx_maxpool_forward's, and
/// xw the input x at each window's winner. The normalised planes are not stored: each passes through y,
/// scratch of h * w floats.
void dlx_bn_relu_pool_forward(int avx2, const dlx_conv_shape *s, const float *x, const float *mean, const float *invstd,
                              const float *gamma, const float *beta, int dropout, uint32_t seed, uint32_t keep_below,
                              float scale, float *y, float *out, int *argmax, float *xw, long p0, long p1);
/// Its input gradient (n, c, h, w) for channels [c0, c1), as dlx_batchnorm_dx of g' (without a gate).
void dlx_bn_relu_pool_dx(const dlx_conv_shape *s, const float *g, const float *out, const int *argmax, const float *xw,
                         const float *x, const float *mean, const float *invstd, float scale, long c0, long c1, const float *k,
                         const float *sum_g, const float *sum_gxhat, float m, int training, float *dx);
/// Returns *counter and adds one, atomically: workers claim the next sample of a batch with it, so that a
/// core slowed by anything else still finishes with the others.
long dlx_claim_next(long *counter);
#endif
