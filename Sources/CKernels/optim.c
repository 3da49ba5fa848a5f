// The optimizers' update loops, one per torch.optim class, in float32 and in the order of PyTorch's
// `_single_tensor_*` functions (each tensor op there is one float32 expression here). Each loop is compiled
// for AVX2+FMA beside a baseline build; the caller picks one by the CPU's features.
#include "CKernels.h"
#include <math.h>

#if defined(__x86_64__)
#define AVX2_VERSION(decl, body) __attribute__((target("avx2,fma"))) static void decl { body }
#define DISPATCH(avx2, avx2_call, base_call) do { if (avx2) { avx2_call; return; } base_call; } while (0)
#else
#define AVX2_VERSION(decl, body)
#define DISPATCH(avx2, avx2_call, base_call) do { (void)(avx2); base_call; } while (0)
#endif

#define ADAM_BODY                                                                  \
    for (size_t i = 0; i < n; i++) {                                               \
        float wi = w[i] * decay;                                                   \
        float gi = g[i] + weight_decay * wi;                                       \
        float mi = beta1 * m[i] + (1.0f - beta1) * gi;                             \
        float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;                        \
        m[i] = mi;                                                                 \
        v[i] = vi;                                                                 \
        w[i] = wi - lr * mi / (sqrtf(vi) * inv_c2 + eps);                          \
    }
AVX2_VERSION(adam_avx2(float *restrict w, const float *restrict g, float *restrict m, float *restrict v, size_t n, float lr,
                       float beta1, float beta2, float eps, float weight_decay, float inv_c2, float decay), ADAM_BODY)
static void adam_base(float *restrict w, const float *restrict g, float *restrict m, float *restrict v, size_t n, float lr,
                      float beta1, float beta2, float eps, float weight_decay, float inv_c2, float decay) { ADAM_BODY }

void dlx_adam(int avx2, float *w, const float *g, float *m, float *v, size_t n,
              float lr, float beta1, float beta2, float eps, float weight_decay, float inv_c2, float decay) {
    DISPATCH(avx2, adam_avx2(w, g, m, v, n, lr, beta1, beta2, eps, weight_decay, inv_c2, decay),
             adam_base(w, g, m, v, n, lr, beta1, beta2, eps, weight_decay, inv_c2, decay));
}

#define SGD_BODY                                                                   \
    if (!buf) {                                                                    \
        for (size_t i = 0; i < n; i++) w[i] -= lr * (g[i] + weight_decay * w[i]);  \
        return;                                                                    \
    }                                                                              \
    for (size_t i = 0; i < n; i++) {                                               \
        float d = g[i] + weight_decay * w[i];                                      \
        float b = first ? d : momentum * buf[i] + undamped * d;                    \
        buf[i] = b;                                                                \
        w[i] -= lr * (nesterov ? d + momentum * b : b);                            \
    }
AVX2_VERSION(sgd_avx2(float *restrict w, const float *restrict g, float *restrict buf, size_t n, float lr, float momentum,
                      float weight_decay, float undamped, int nesterov, int first), SGD_BODY)
static void sgd_base(float *restrict w, const float *restrict g, float *restrict buf, size_t n, float lr, float momentum,
                     float weight_decay, float undamped, int nesterov, int first) { SGD_BODY }

void dlx_sgd(int avx2, float *w, const float *g, float *buf, size_t n, float lr, float momentum,
             float weight_decay, float undamped, int nesterov, int first) {
    DISPATCH(avx2, sgd_avx2(w, g, buf, n, lr, momentum, weight_decay, undamped, nesterov, first),
             sgd_base(w, g, buf, n, lr, momentum, weight_decay, undamped, nesterov, first));
}

#define ADAGRAD_BODY                                                               \
    for (size_t i = 0; i < n; i++) {                                               \
        float gi = g[i] + weight_decay * w[i];                                     \
        float s = sum[i] + gi * gi;                                                \
        sum[i] = s;                                                                \
        w[i] -= clr * gi / (sqrtf(s) + eps);                                       \
    }
AVX2_VERSION(adagrad_avx2(float *restrict w, const float *restrict g, float *restrict sum, size_t n, float clr, float eps,
                          float weight_decay), ADAGRAD_BODY)
static void adagrad_base(float *restrict w, const float *restrict g, float *restrict sum, size_t n, float clr, float eps,
                         float weight_decay) { ADAGRAD_BODY }

void dlx_adagrad(int avx2, float *w, const float *g, float *sum, size_t n, float clr, float eps, float weight_decay) {
    DISPATCH(avx2, adagrad_avx2(w, g, sum, n, clr, eps, weight_decay), adagrad_base(w, g, sum, n, clr, eps, weight_decay));
}

// grad_avg.lerp_(g, 1 - alpha) as PyTorch's lerp computes it (from the nearer end).
#define RMSPROP_BODY                                                               \
    for (size_t i = 0; i < n; i++) {                                               \
        float gi = g[i] + weight_decay * w[i];                                     \
        float sq = square_avg[i] * alpha + (1.0f - alpha) * gi * gi;               \
        square_avg[i] = sq;                                                        \
        float avg;                                                                 \
        if (grad_avg) {                                                            \
            float ga = grad_avg[i], t = 1.0f - alpha;                              \
            ga = t < 0.5f ? ga + t * (gi - ga) : gi - (gi - ga) * (1.0f - t);      \
            grad_avg[i] = ga;                                                      \
            avg = sqrtf(sq - ga * ga) + eps;                                       \
        } else {                                                                   \
            avg = sqrtf(sq) + eps;                                                 \
        }                                                                          \
        if (buf) {                                                                 \
            float b = buf[i] * momentum + gi / avg;                                \
            buf[i] = b;                                                            \
            w[i] -= lr * b;                                                        \
        } else {                                                                   \
            w[i] -= lr * gi / avg;                                                 \
        }                                                                          \
    }
AVX2_VERSION(rmsprop_avx2(float *restrict w, const float *restrict g, float *restrict square_avg, float *restrict buf,
                          float *restrict grad_avg, size_t n, float lr, float alpha, float eps, float weight_decay,
                          float momentum), RMSPROP_BODY)
static void rmsprop_base(float *restrict w, const float *restrict g, float *restrict square_avg, float *restrict buf,
                         float *restrict grad_avg, size_t n, float lr, float alpha, float eps, float weight_decay,
                         float momentum) { RMSPROP_BODY }

void dlx_rmsprop(int avx2, float *w, const float *g, float *square_avg, float *buf, float *grad_avg, size_t n,
                 float lr, float alpha, float eps, float weight_decay, float momentum) {
    DISPATCH(avx2, rmsprop_avx2(w, g, square_avg, buf, grad_avg, n, lr, alpha, eps, weight_decay, momentum),
             rmsprop_base(w, g, square_avg, buf, grad_avg, n, lr, alpha, eps, weight_decay, momentum));
}

#define ADADELTA_BODY                                                              \
    for (size_t i = 0; i < n; i++) {                                               \
        float gi = g[i] + weight_decay * w[i];                                     \
        float sq = square_avg[i] * rho + (1.0f - rho) * gi * gi;                   \
        square_avg[i] = sq;                                                        \
        float delta = sqrtf(acc_delta[i] + eps) / sqrtf(sq + eps) * gi;            \
        acc_delta[i] = acc_delta[i] * rho + (1.0f - rho) * delta * delta;          \
        w[i] -= lr * delta;                                                        \
    }
AVX2_VERSION(adadelta_avx2(float *restrict w, const float *restrict g, float *restrict square_avg, float *restrict acc_delta,
                           size_t n, float lr, float rho, float eps, float weight_decay), ADADELTA_BODY)
static void adadelta_base(float *restrict w, const float *restrict g, float *restrict square_avg, float *restrict acc_delta,
                          size_t n, float lr, float rho, float eps, float weight_decay) { ADADELTA_BODY }

void dlx_adadelta(int avx2, float *w, const float *g, float *square_avg, float *acc_delta, size_t n,
                  float lr, float rho, float eps, float weight_decay) {
    DISPATCH(avx2, adadelta_avx2(w, g, square_avg, acc_delta, n, lr, rho, eps, weight_decay),
             adadelta_base(w, g, square_avg, acc_delta, n, lr, rho, eps, weight_decay));
}
