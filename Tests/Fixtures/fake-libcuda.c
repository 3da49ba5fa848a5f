// Fake CUDA drivers for the no-GPU tests of dlx's driver loading (CUDADriverTests). Built at test time:
//   -DPARTIAL    only cuInit (a library that is not a CUDA 12 driver)
//   -DNO_DEVICE  every symbol; cuInit fails with CUDA_ERROR_NO_DEVICE (100), as a machine without a GPU
//   (neither)    every symbol; one "Fake GPU" of compute capability 8.0 behind driver 12.4
#include <stddef.h>
#include <string.h>
typedef int CUresult;

CUresult cuInit(unsigned flags) {
    (void)flags;
#ifdef NO_DEVICE
    return 100;
#else
    return 0;
#endif
}

#ifndef PARTIAL
CUresult cuDriverGetVersion(int *v) { *v = 12040; return 0; }
CUresult cuDeviceGetCount(int *n) { *n = 1; return 0; }
CUresult cuDeviceGet(int *d, int i) { *d = i; return i == 0 ? 0 : 101; }
CUresult cuDeviceGetName(char *name, int len, int d) { (void)d; strncpy(name, "Fake GPU", (size_t)len); return 0; }
CUresult cuDeviceGetAttribute(int *v, int attribute, int d) {
    (void)d;
    *v = attribute == 75 ? 8 : attribute == 76 ? 0 : attribute == 16 ? 108 : 0;
    return 0;
}
CUresult cuGetErrorName(CUresult rc, const char **s) { *s = rc == 100 ? "CUDA_ERROR_NO_DEVICE" : "CUDA_ERROR_UNKNOWN"; return 0; }
CUresult cuGetErrorString(CUresult rc, const char **s) { *s = rc == 100 ? "no CUDA-capable device is detected" : "unknown error"; return 0; }
#define STUB(name) CUresult name(void) { return 999; }
STUB(cuDevicePrimaryCtxRetain) STUB(cuDevicePrimaryCtxRelease_v2) STUB(cuCtxSetCurrent) STUB(cuCtxSynchronize)
STUB(cuMemAlloc_v2) STUB(cuMemFree_v2) STUB(cuMemcpyHtoD_v2) STUB(cuMemcpyDtoH_v2) STUB(cuMemcpyDtoD_v2)
STUB(cuMemsetD32_v2) STUB(cuMemGetInfo_v2) STUB(cuModuleLoadDataEx) STUB(cuModuleGetFunction) STUB(cuLaunchKernel)
STUB(cuStreamCreate) STUB(cuStreamSynchronize) STUB(cuEventCreate) STUB(cuEventRecord) STUB(cuEventElapsedTime)
#endif
