# ndarray methods: shape changes, copies, conversions and reductions with axis and keepdims.
import numpy as np

a = np.arange(6)
m = a.reshape(2, 3)
print(m.shape, a.reshape((3, 2)).shape, a.reshape(-1, 2).shape, a.reshape(3, -1).tolist())
m[0, 0] = 50
print(a[0])
print(m.T.shape, m.T.tolist(), m.transpose().shape, np.zeros((2, 3, 4)).transpose(1, 0, 2).shape, np.zeros((2, 3, 4)).transpose((2, 0, 1)).shape)
print(np.zeros((1, 3, 1)).squeeze().shape, np.zeros((1, 3, 1)).squeeze(axis=0).shape)
fl = m.flatten()
fl[0] = -1
print(fl.tolist(), m[0, 0], m.ravel().tolist())
c = m.copy()
c[0, 0] = 0
print(m[0, 0], c[0, 0])
print(m.astype(np.float32).dtype, np.array([1.9, -1.9]).astype(int).tolist(), m.astype('float64').dtype, m.astype(bool).tolist())
print(m.tolist(), type(m.tolist()[0][0]).__name__, np.array([1.5]).item(), type(np.array([2]).item()).__name__, m.item(4))

x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(repr(x.sum()), x.sum(axis=0).tolist(), x.sum(axis=1).tolist(), x.sum(axis=1, keepdims=True).tolist(), x.sum(axis=(0, 1)))
print(repr(x.mean()), x.mean(axis=0).tolist(), x.mean(axis=-1).tolist())
print(repr(x.std()), x.std(axis=0).tolist(), repr(x.var()), x.var(axis=1).tolist(), x.std(ddof=1))
print(repr(x.min()), repr(x.max()), x.min(axis=0).tolist(), x.max(axis=1).tolist())
print(repr(x.argmax()), x.argmax(axis=0).tolist(), x.argmin(axis=1).tolist(), repr(x.argmin()))
print(x.cumsum().tolist(), x.cumsum(axis=0).tolist(), x.cumsum(axis=1).tolist(), x.prod(), x.prod(axis=0).tolist())
print(repr(x.any()), (x > 5).any(), (x > 0).all(axis=1).tolist(), (x > 3).any(axis=0).tolist())
i = np.array([[3, 1, 2], [9, 7, 8]])
print(repr(i.sum()), repr(i.mean()), i.sum(axis=0).dtype, i.mean(axis=1).dtype, repr(i.max()), i.cumsum().dtype)
print(repr(np.array([True, False, True]).sum()), repr(i.std()))
f = np.array([1.0, 2.0, 4.0], dtype=np.float32)
print(repr(f.sum()), repr(f.mean()), repr(f.max()), f.cumsum().dtype)
print(i.argsort().tolist(), i.argsort(axis=0).tolist(), np.array([3.0, 1.0, 2.0]).argsort().tolist())
s = np.array([3, 1, 2])
r = s.sort()
print(r, s.tolist())
i.sort(axis=1)
print(i.tolist())
print((x / 3).round(2).tolist(), np.array([0.5, 1.5, 2.5, -0.5]).round().tolist(), x.clip(2, 5).tolist(), x.dot(np.ones(3)).tolist())
print([t.tolist() for t in (x > 2).nonzero()])
e = np.array([])
print(repr(e.sum()), e.shape)
print(np.zeros((2, 0)).sum(axis=1).tolist())

try:
    a.reshape(4, 2)
except ValueError as e:
    print(type(e).__name__, e)
try:
    x.sum(axis=2)
except Exception as e:
    print(type(e).__name__, e)
try:
    np.zeros((2, 3)).squeeze(axis=1)
except ValueError as e:
    print(type(e).__name__, e)
try:
    np.array([]).max()
except ValueError as e:
    print(type(e).__name__, e)
try:
    np.array([1, 2]).item()
except ValueError as e:
    print(type(e).__name__, e)
