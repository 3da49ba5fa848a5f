# np.dot of two 1024x1024 float32 arrays against torch.matmul of the same: median times of 11 runs.
# Used by scripts/bench: run by dlx (dlx's NumPy and PyTorch, one engine) and, where one is found, by a
# python with NumPy (PyTorch too if it has it) for comparison.
import time
import numpy as np

np.random.seed(0)
a = np.random.rand(1024, 1024).astype(np.float32)
b = np.random.rand(1024, 1024).astype(np.float32)

def median(f, runs=11):
    f()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return sorted(times)[runs // 2]

print("%-28s%8.1f ms" % ("np.dot 1024x1024 float32", median(lambda: np.dot(a, b)) * 1000))
print("%-28s%8.1f ms" % ("a @ b (ndarray)", median(lambda: a @ b) * 1000))
try:
    import torch
except ImportError:
    torch = None
if torch is not None:
    x, y = torch.from_numpy(a), torch.from_numpy(b)
    print("%-28s%8.1f ms" % ("torch.matmul 1024x1024", median(lambda: torch.matmul(x, y)) * 1000))
