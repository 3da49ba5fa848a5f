# NumPy and PyTorch: t.numpy() and torch.from_numpy share memory; torch.tensor copies; dtypes carry over.
import numpy as np
import torch

t = torch.zeros(3)
n = t.numpy()
print(type(n).__name__, n.dtype, n.shape)
n[0] = 5
t[1] = 7
print(t.tolist(), n.tolist())
n += 1
print(t.tolist())

a = np.arange(4.0)
s = torch.from_numpy(a)
print(s.dtype, s.tolist())
s[0] = 10
a[1] = 20
print(a.tolist(), s.tolist())
print(torch.from_numpy(np.arange(3)).dtype, torch.from_numpy(np.zeros(2, dtype=np.float32)).dtype, torch.from_numpy(np.array([True])).dtype)

c = torch.tensor(a)
c[0] = -1
print(a[0], c.dtype, c.tolist())
print(torch.tensor(np.array([1, 2])).dtype, torch.tensor(np.ones(2), dtype=torch.float32).dtype)
sh = torch.as_tensor(a)
sh[3] = 33
print(a[3], torch.as_tensor([1.0, 2.0]).dtype, torch.as_tensor(np.arange(2), dtype=torch.float32).tolist())

b = np.array(torch.arange(3))
print(b.dtype, b.tolist())
b2 = np.asarray(torch.ones(2))
print(b2.dtype, b2.tolist())
x = torch.tensor([1.0, 2.0], requires_grad=True)
print(x.detach().numpy().tolist())
try:
    x.numpy()
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    torch.from_numpy([1, 2])
except TypeError as e:
    print(type(e).__name__, e)

imgs = np.random.rand(4, 3).astype(np.float32)
batch = torch.from_numpy(imgs)
print(batch.shape, batch.dtype)
print(torch.tensor(np.float64(2.5)).dtype, torch.tensor([np.float32(1.5)]).tolist(), float(torch.tensor(3.0).numpy()))
tt = torch.arange(5) * 10
print(tt[np.array([0, 2])].tolist(), tt[np.int64(3)].item(), tt[np.array([True, False, True, False, True])].tolist())
print(torch.tensor([np.zeros(2), np.ones(2)]).dtype, torch.tensor([np.zeros(2), np.ones(2)]).shape)
print((torch.ones(2) + np.ones(2)).dtype, (torch.ones(2) * np.float64(2)).tolist())
