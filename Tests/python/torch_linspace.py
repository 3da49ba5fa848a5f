# torch.linspace as PyTorch's CPU kernel makes it: both ends exact, each value one fused multiply-add.
import torch

print(torch.linspace(0, 1, 5))
print(torch.linspace(-3.7, 11.3, 7))
print(torch.linspace(0, 10, 4, dtype=torch.int64))
print(torch.linspace(0, 1, 1), torch.linspace(0, 1, 0), torch.linspace(2, 2, 3))
print(torch.linspace(0, 1, 3, dtype=torch.float64))
for a, b, n in [(0, 1, 100), (-3.7, 11.3, 1000), (0.1, 0.9, 77), (1, 1000, 333), (-1, 1, 64)]:
    t = torch.linspace(a, b, n)
    d = torch.linspace(a, b, n, dtype=torch.float64)
    print(n, t.tolist()[::9] == t.tolist()[::9], [repr(v) for v in t.tolist()[1:4]], repr(d.tolist()[n // 2]), repr(sum(t.tolist())), repr(sum(d.tolist())))
x = torch.linspace(-2, 2, 5, requires_grad=True)
print(x)
try:
    torch.linspace(0, 1, -1)
except RuntimeError as e:
    print(type(e).__name__, e)
