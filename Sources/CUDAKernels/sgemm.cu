// C = alpha * op(A) * op(B) + beta * C, row-major, as the CPU backend's gemm. One T x T tile of C per
// 256-thread block (16 x 16 threads), each thread an R x R register block with R = T / 16 (rows ty + 16i,
// columns tx + 16j, so that shared-memory reads do not conflict); K in steps of KS through shared memory.
// Loads are arranged so that neighbouring threads read neighbouring addresses in each operand's layout.
#include "common.cuh"

template <int T, int KS>
__device__ inline void sgemm_tile(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                                  const float *b, int ldb, float beta, float *c, int ldc) {
    constexpr int R = T / 16;
    __shared__ float as[KS][T + 4];   // as[kk][row]: the op(A) tile, k-major for broadcast reads
    __shared__ float bs[KS][T + 4];   // bs[kk][col]
    const int tid = threadIdx.x, tx = tid % 16, ty = tid / 16;
    const int row0 = blockIdx.y * T, col0 = blockIdx.x * T;
    float acc[R][R];
    #pragma unroll
    for (int i = 0; i < R; i++)
        #pragma unroll
        for (int j = 0; j < R; j++) acc[i][j] = 0.0f;
    for (int k0 = 0; k0 < k; k0 += KS) {
        for (int e = tid; e < T * KS; e += 256) {
            // op(A)[r][kk]: along the row for plain A, along k for a transposed one.
            int r = trans_a ? e % T : e / KS, kk = trans_a ? e / T : e % KS;
            int gr = row0 + r, gk = k0 + kk;
            float v = 0.0f;
            if (gr < m && gk < k) v = trans_a ? a[(long long)gk * lda + gr] : a[(long long)gr * lda + gk];
            as[kk][r] = v;
        }
        for (int e = tid; e < T * KS; e += 256) {
            int col = trans_b ? e / KS : e % T, kk = trans_b ? e % KS : e / T;
            int gc = col0 + col, gk = k0 + kk;
            float v = 0.0f;
            if (gc < n && gk < k) v = trans_b ? b[(long long)gc * ldb + gk] : b[(long long)gk * ldb + gc];
            bs[kk][col] = v;
        }
        __syncthreads();
        #pragma unroll
        for (int kk = 0; kk < KS; kk++) {
            float ra[R], rb[R];
            #pragma unroll
            for (int i = 0; i < R; i++) ra[i] = as[kk][ty + 16 * i];
            #pragma unroll
            for (int j = 0; j < R; j++) rb[j] = bs[kk][tx + 16 * j];
            #pragma unroll
            for (int i = 0; i < R; i++)
                #pragma unroll
                for (int j = 0; j < R; j++) acc[i][j] += ra[i] * rb[j];
        }
        __syncthreads();
    }
    #pragma unroll
    for (int i = 0; i < R; i++) {
        int r = row0 + ty + 16 * i;
        if (r >= m) continue;
        #pragma unroll
        for (int j = 0; j < R; j++) {
            int col = col0 + tx + 16 * j;
            if (col >= n) continue;
            float *p = c + (long long)r * ldc + col;
            *p = alpha * acc[i][j] + (beta == 0.0f ? 0.0f : beta * *p);
        }
    }
}

// Batch-sized products: 64x64 tiles, 4x4 per thread, K in steps of 16. Launch: grid (ceil(n/64), ceil(m/64)), block 256.
DLX_KERNEL void sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                      const float *b, int ldb, float beta, float *c, int ldc) {
    sgemm_tile<64, 16>(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

// Large products (m and n of 128 or more): 128x128 tiles, 8x8 per thread, K in steps of 8.
// Launch: grid (ceil(n/128), ceil(m/128)), block 256.
DLX_KERNEL void sgemm_large(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                            const float *b, int ldb, float beta, float *c, int ldc) {
    sgemm_tile<128, 8>(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
