// C = alpha * op(A) * op(B) + beta * C, row-major, as the CPU backend's gemm. A 64x64 tile of C per
// 256-thread block, each thread a 4x4 register block; K in steps of 16 through shared memory. Launch:
// grid (ceil(n/64), ceil(m/64)), block 256.
#include "common.cuh"

#define TM 64
#define TN 64
#define TK 16

DLX_KERNEL void sgemm(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                      const float *b, int ldb, float beta, float *c, int ldc) {
    __shared__ float as[TK][TM + 4];   // as[kk][row]: op(A) tile, transposed for broadcast reads
    __shared__ float bs[TK][TN + 4];   // bs[kk][col]
    const int tid = threadIdx.x, tx = tid % 16, ty = tid / 16;
    const int row0 = blockIdx.y * TM, col0 = blockIdx.x * TN;
    float acc[4][4] = {{0}};
    for (int k0 = 0; k0 < k; k0 += TK) {
        // 64x16 elements of each operand per step: four per thread.
        for (int e = tid; e < TM * TK; e += 256) {
            int r = e / TK, kk = e % TK, gr = row0 + r, gk = k0 + kk;
            float v = 0.0f;
            if (gr < m && gk < k) v = trans_a ? a[(long long)gk * lda + gr] : a[(long long)gr * lda + gk];
            as[kk][r] = v;
        }
        for (int e = tid; e < TN * TK; e += 256) {
            int kk = e / TN, col = e % TN, gc = col0 + col, gk = k0 + kk;
            float v = 0.0f;
            if (gc < n && gk < k) v = trans_b ? b[(long long)gc * ldb + gk] : b[(long long)gk * ldb + gc];
            bs[kk][col] = v;
        }
        __syncthreads();
        #pragma unroll
        for (int kk = 0; kk < TK; kk++) {
            float ra[4], rb[4];
            #pragma unroll
            for (int i = 0; i < 4; i++) ra[i] = as[kk][ty + 16 * i];
            #pragma unroll
            for (int j = 0; j < 4; j++) rb[j] = bs[kk][tx + 16 * j];
            #pragma unroll
            for (int i = 0; i < 4; i++)
                #pragma unroll
                for (int j = 0; j < 4; j++) acc[i][j] += ra[i] * rb[j];
        }
        __syncthreads();
    }
    #pragma unroll
    for (int i = 0; i < 4; i++) {
        int r = row0 + ty + 16 * i;
        if (r >= m) continue;
        #pragma unroll
        for (int j = 0; j < 4; j++) {
            int col = col0 + tx + 16 * j;
            if (col >= n) continue;
            float *p = c + (long long)r * ldc + col;
            *p = alpha * acc[i][j] + (beta == 0.0f ? 0.0f : beta * *p);
        }
    }
}

// The same product for large matrices: a 128x128 tile of C per 256-thread block, each thread an 8x8
// register block (rows ty + 16i, columns tx + 16j, so that shared-memory reads do not conflict), K in
// steps of 8. Loads are arranged so that neighbouring threads read neighbouring addresses in each
// operand's layout. Launch: grid (ceil(n/128), ceil(m/128)), block 256; for m and n of 128 and more.
#define LM 128
#define LN 128
#define LK 8

DLX_KERNEL void sgemm_large(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                            const float *b, int ldb, float beta, float *c, int ldc) {
    __shared__ float as[LK][LM];   // as[kk][row]
    __shared__ float bs[LK][LN];   // bs[kk][col]
    const int tid = threadIdx.x, tx = tid % 16, ty = tid / 16;
    const int row0 = blockIdx.y * LM, col0 = blockIdx.x * LN;
    float acc[8][8];
    #pragma unroll
    for (int i = 0; i < 8; i++)
        #pragma unroll
        for (int j = 0; j < 8; j++) acc[i][j] = 0.0f;
    for (int k0 = 0; k0 < k; k0 += LK) {
        for (int e = tid; e < LM * LK; e += 256) {
            // op(A)[r][kk]: along the row for plain A, along k for a transposed one.
            int r = trans_a ? e % LM : e / LK, kk = trans_a ? e / LM : e % LK;
            int gr = row0 + r, gk = k0 + kk;
            float v = 0.0f;
            if (gr < m && gk < k) v = trans_a ? a[(long long)gk * lda + gr] : a[(long long)gr * lda + gk];
            as[kk][r] = v;
        }
        for (int e = tid; e < LN * LK; e += 256) {
            int col = trans_b ? e / LK : e % LN, kk = trans_b ? e % LK : e / LN;
            int gc = col0 + col, gk = k0 + kk;
            float v = 0.0f;
            if (gc < n && gk < k) v = trans_b ? b[(long long)gc * ldb + gk] : b[(long long)gk * ldb + gc];
            bs[kk][col] = v;
        }
        __syncthreads();
        #pragma unroll
        for (int kk = 0; kk < LK; kk++) {
            float ra[8], rb[8];
            #pragma unroll
            for (int i = 0; i < 8; i++) ra[i] = as[kk][ty + 16 * i];
            #pragma unroll
            for (int j = 0; j < 8; j++) rb[j] = bs[kk][tx + 16 * j];
            #pragma unroll
            for (int i = 0; i < 8; i++)
                #pragma unroll
                for (int j = 0; j < 8; j++) acc[i][j] += ra[i] * rb[j];
        }
        __syncthreads();
    }
    #pragma unroll
    for (int i = 0; i < 8; i++) {
        int r = row0 + ty + 16 * i;
        if (r >= m) continue;
        #pragma unroll
        for (int j = 0; j < 8; j++) {
            int col = col0 + tx + 16 * j;
            if (col >= n) continue;
            float *p = c + (long long)r * ldc + col;
            *p = alpha * acc[i][j] + (beta == 0.0f ? 0.0f : beta * *p);
        }
    }
}
