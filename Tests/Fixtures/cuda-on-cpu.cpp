// A CUDA driver that runs dlx's own kernel sources (Sources/CUDAKernels/*.cu) on the CPU, for tests on
// machines without a GPU: built as libcuda.so.1 and loaded through DLX_CUDA_LIBRARY, it lets the real
// CUDAAccelerator (its launches, argument packing and grid sizes) and the real kernel code (indexing,
// shared memory, barriers, warp shuffles, atomics) run `dlx cuda-selftest` against the CPU.
//
// Each CUDA thread of a block is an OS thread (kept between launches); blocks run one after another, so `__shared__` arrays are
// plain statics. `__syncthreads` is a barrier of the block's threads, a warp shuffle a barrier of the warp's
// 32 threads around an exchange of values. Memory is host memory; "PTX" modules are accepted as text and
// kernels are found by name in the table below.
//
// Build: clang++ -std=c++17 -O1 -shared -fPIC -pthread -I Sources/CUDAKernels -o libcuda.so.1 this-file
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <pthread.h>
#include <string>
#include <thread>
#include <utility>
#include <vector>

struct dim3 { unsigned x = 1, y = 1, z = 1; };
static thread_local dim3 threadIdx, blockIdx;
static dim3 blockDim, gridDim;

#define __global__
#define __device__
#define __shared__ static
static pthread_barrier_t block_barrier;
static pthread_barrier_t warp_barrier[32];
static unsigned long long warp_slots[1024];

static inline void __syncthreads() { pthread_barrier_wait(&block_barrier); }
static inline float __int_as_float(int v) { float f; memcpy(&f, &v, 4); return f; }

template <typename T> static T __shfl_down_sync(unsigned, T v, int offset) {
    unsigned lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    unsigned long long bits = 0;
    memcpy(&bits, &v, sizeof(T));
    warp_slots[threadIdx.x] = bits;
    pthread_barrier_wait(&warp_barrier[warp]);
    T r = v;
    if (lane + offset < 32) memcpy(&r, &warp_slots[threadIdx.x + offset], sizeof(T));
    pthread_barrier_wait(&warp_barrier[warp]);
    return r;
}

static float atomicAdd(float *p, float v) {
    // A compare-and-swap loop on the float's bits (a failed swap reloads `expected`).
    int expected = __atomic_load_n((int *)p, __ATOMIC_RELAXED), desired;
    float old, next;
    do {
        memcpy(&old, &expected, 4);
        next = old + v;
        memcpy(&desired, &next, 4);
    } while (!__atomic_compare_exchange_n((int *)p, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
    return old;
}
static unsigned long long atomicAdd(unsigned long long *p, unsigned long long v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }

#include "common.cuh"
#include "elementwise.cu"
#include "reduce.cu"
#include "softmax.cu"
#include "sgemm.cu"
#include "conv.cu"
#include "pool.cu"
#include "batchnorm.cu"
#include "optim.cu"

// Kernel calls from the driver's argument array (one pointer per argument, read as the kernel's types).
template <typename... A, size_t... I>
static void call(void (*f)(A...), void **p, std::index_sequence<I...>) { f(*static_cast<std::remove_reference_t<A> *>(p[I])...); }
template <typename... A> static std::function<void(void **)> wrap(void (*f)(A...)) {
    return [f](void **p) { call(f, p, std::index_sequence_for<A...>{}); };
}

static std::map<std::string, std::function<void(void **)>> &kernels() {
    static std::map<std::string, std::function<void(void **)>> table = {
#define K(name) {#name, wrap(name)},
#define UNARY_K(n) K(unary_##n) K(backward_##n)
#define BINARY_K(n) K(binary_##n) K(scalar_##n)
        K(fill) K(axpy) K(gather_strided) K(bytes_to_float)
        UNARY_K(neg) UNARY_K(abs) UNARY_K(exp) UNARY_K(log) UNARY_K(sqrt) UNARY_K(relu) UNARY_K(sigmoid) UNARY_K(tanh)
        BINARY_K(add) BINARY_K(sub) BINARY_K(mul) BINARY_K(div) BINARY_K(pow) BINARY_K(max) BINARY_K(min)
        K(compare_f32) K(compare_i64) K(axpby) K(gather_strided8) K(gather_strided1) K(int64_to_float) K(copy_strided) K(add_int64)
        K(sum_rows) K(sum_cols) K(argmax_rows) K(count_correct) K(sum_axis) K(count_nonzero)
        K(softmax_rows) K(nll_rows) K(cross_entropy_backward) K(sgemm) K(sgemm_large) K(im2col) K(col2im) K(swap_leading)
        K(maxpool_forward) K(maxpool_backward) K(avgpool_forward) K(avgpool_backward)
        K(batchnorm_stats) K(batchnorm_apply) K(batchnorm_sums) K(batchnorm_dx)
        K(adam_step) K(sgd_step) K(adagrad_step) K(rmsprop_step) K(adadelta_step) K(dropout) K(gather_rows)
    };
    return table;
}

extern "C" {
typedef int CUresult;
typedef unsigned long long CUdeviceptr;

CUresult cuInit(unsigned) { return 0; }
CUresult cuDriverGetVersion(int *v) { *v = 12040; return 0; }
CUresult cuDeviceGetCount(int *n) { *n = 1; return 0; }
CUresult cuDeviceGet(int *d, int i) { *d = i; return i == 0 ? 0 : 101; }
CUresult cuDeviceGetName(char *name, int len, int) { strncpy(name, "CUDA on the CPU (test driver)", (size_t)len); return 0; }
CUresult cuDeviceGetAttribute(int *v, int attribute, int) { *v = attribute == 75 ? 8 : attribute == 76 ? 0 : attribute == 16 ? 1 : 0; return 0; }
CUresult cuGetErrorName(CUresult rc, const char **s) { *s = rc == 500 ? "CUDA_ERROR_NOT_FOUND" : rc == 2 ? "CUDA_ERROR_OUT_OF_MEMORY" : "CUDA_ERROR_INVALID_VALUE"; return 0; }
CUresult cuGetErrorString(CUresult rc, const char **s) { *s = rc == 500 ? "named symbol not found" : rc == 2 ? "out of memory" : "invalid argument"; return 0; }
static int context_token;
CUresult cuDevicePrimaryCtxRetain(void **ctx, int) { *ctx = &context_token; return 0; }
CUresult cuDevicePrimaryCtxRelease_v2(int) { return 0; }
CUresult cuCtxSetCurrent(void *) { return 0; }
CUresult cuCtxSynchronize(void) { return 0; }
CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t n) { void *m = malloc(n); if (!m) return 2; *p = (CUdeviceptr)m; return 0; }
CUresult cuMemFree_v2(CUdeviceptr p) { free((void *)p); return 0; }
CUresult cuMemcpyHtoD_v2(CUdeviceptr d, const void *h, size_t n) { memcpy((void *)d, h, n); return 0; }
CUresult cuMemcpyDtoH_v2(void *h, CUdeviceptr d, size_t n) { memcpy(h, (const void *)d, n); return 0; }
CUresult cuMemcpyDtoD_v2(CUdeviceptr d, CUdeviceptr s, size_t n) { memmove((void *)d, (const void *)s, n); return 0; }
CUresult cuMemsetD32_v2(CUdeviceptr d, unsigned v, size_t n) { for (size_t i = 0; i < n; i++) ((unsigned *)d)[i] = v; return 0; }
CUresult cuMemGetInfo_v2(size_t *free_bytes, size_t *total) { *free_bytes = 1ull << 30; *total = 1ull << 30; return 0; }
static int module_token;
CUresult cuModuleLoadDataEx(void **module, const void *ptx, unsigned, int *, void **) {
    if (!ptx || !strstr((const char *)ptx, ".entry")) return 1;
    *module = &module_token;
    return 0;
}
CUresult cuModuleGetFunction(void **f, void *, const char *name) {
    auto it = kernels().find(name);
    if (it == kernels().end()) return 500;
    *f = &it->second;
    return 0;
}
// Launches run on a pool of threads that persists between launches (creating 256 threads per launch
// costs more than the kernels): thread t plays CUDA thread t of every block, blocks one after another.
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_start = PTHREAD_COND_INITIALIZER, pool_done = PTHREAD_COND_INITIALIZER;
static std::vector<std::thread> pool;
static unsigned long long pool_generation = 0;
static unsigned pool_remaining = 0;
static std::function<void(void **)> *pool_kernel;
static void **pool_params;

static void pool_thread(unsigned t) {
    unsigned long long seen = 0;
    for (;;) {
        pthread_mutex_lock(&pool_lock);
        while (pool_generation == seen) pthread_cond_wait(&pool_start, &pool_lock);
        seen = pool_generation;
        bool mine = t < blockDim.x;
        pthread_mutex_unlock(&pool_lock);
        if (!mine) continue;
        threadIdx = {t, 0, 0};
        for (unsigned y = 0; y < gridDim.y; y++) {
            for (unsigned x = 0; x < gridDim.x; x++) {
                blockIdx = {x, y, 0};
                (*pool_kernel)(pool_params);
                pthread_barrier_wait(&block_barrier);   // the block's statics are free for the next one
            }
        }
        pthread_mutex_lock(&pool_lock);
        if (--pool_remaining == 0) pthread_cond_signal(&pool_done);
        pthread_mutex_unlock(&pool_lock);
    }
}

CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned,
                        void *, void **params, void **) {
    if (by != 1 || bz != 1 || gz != 1 || bx == 0 || bx > 1024 || bx % 32 != 0) return 1;
    pthread_mutex_lock(&pool_lock);
    while (pool.size() < bx) { unsigned t = (unsigned)pool.size(); pool.emplace_back(pool_thread, t); pool.back().detach(); }
    pool_kernel = static_cast<std::function<void(void **)> *>(f);
    pool_params = params;
    gridDim = {gx, gy, gz};
    blockDim = {bx, by, bz};
    pthread_barrier_init(&block_barrier, nullptr, bx);
    for (unsigned w = 0; w < bx / 32; w++) pthread_barrier_init(&warp_barrier[w], nullptr, 32);
    pool_remaining = bx;
    pool_generation++;
    pthread_cond_broadcast(&pool_start);
    while (pool_remaining > 0) pthread_cond_wait(&pool_done, &pool_lock);
    pthread_barrier_destroy(&block_barrier);
    for (unsigned w = 0; w < bx / 32; w++) pthread_barrier_destroy(&warp_barrier[w]);
    pthread_mutex_unlock(&pool_lock);
    return 0;
}
CUresult cuStreamCreate(void **s, unsigned) { *s = nullptr; return 0; }
CUresult cuStreamSynchronize(void *) { return 0; }
CUresult cuEventCreate(void **e, unsigned) { *e = nullptr; return 0; }
CUresult cuEventRecord(void *, void *) { return 0; }
CUresult cuEventElapsedTime(float *ms, void *, void *) { *ms = 0; return 0; }
}
