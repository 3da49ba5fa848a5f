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
