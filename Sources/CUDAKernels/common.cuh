// Shared helpers for dlx's kernels.
#pragma once
// NVRTC has no standard headers: the constants the kernels use.
#ifndef INFINITY
#define INFINITY __int_as_float(0x7f800000)
#endif
#ifndef NAN
#define NAN __int_as_float(0x7fffffff)
#endif
#define DLX_KERNEL extern "C" __global__
#define GRID_STRIDE(i, n) for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (long long)blockDim.x * gridDim.x)

// Up to six dimensions of broadcast strides, passed by value.
struct Broadcast {
    int rank;
    long long shape[6];
    long long a[6];
    long long b[6];
};

// The offsets in a and b of element i of the broadcast shape (row-major).
__device__ inline void broadcast_offsets(const Broadcast &s, long long i, long long &oa, long long &ob) {
    long long rest = i;
    oa = 0; ob = 0;
    for (int d = s.rank - 1; d >= 0; d--) {
        long long k = rest % s.shape[d];
        rest /= s.shape[d];
        oa += k * s.a[d];
        ob += k * s.b[d];
    }
}

// The sum (or maximum) of one value per thread over a block of up to 1024 threads, returned to every
// thread: warp shuffles, then one warp over the warps' partial results.
__device__ inline float block_reduce(float v, bool is_max) {
    __shared__ float partial[32];
    for (int o = 16; o > 0; o >>= 1) {
        float w = __shfl_down_sync(0xffffffffu, v, o);
        v = is_max ? fmaxf(v, w) : v + w;
    }
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    v = threadIdx.x < (blockDim.x >> 5) ? partial[lane] : (is_max ? -INFINITY : 0.0f);
    if (warp == 0) for (int o = 16; o > 0; o >>= 1) {
        float w = __shfl_down_sync(0xffffffffu, v, o);
        v = is_max ? fmaxf(v, w) : v + w;
    }
    if (threadIdx.x == 0) partial[0] = v;
    __syncthreads();
    v = partial[0];
    __syncthreads();
    return v;
}

__device__ inline float block_sum(float v) { return block_reduce(v, false); }
