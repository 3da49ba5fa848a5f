# np.array and the creation functions: NumPy's default dtypes (float64, int64), dtype=, shapes.
import numpy as np

a = np.array([1, 2, 3])
print(a.dtype, a.shape, a.ndim, a.size, a.tolist())
b = np.array([[1.5, 2], [3, 4]])
print(b.dtype, b.shape, b.tolist())
print(np.array((1, 2)).dtype, np.array([True, False]).dtype, np.array(7).shape, np.array(7).ndim)
print(np.array([1, 2], dtype=np.float32).dtype, np.array([1.7, -2.7], dtype=int).tolist())
print(np.array([1, 2], dtype='float32').dtype, np.array([0, 1, 2], dtype=bool).tolist())
print(np.array([1, 2], dtype=np.uint8).dtype, np.array([1, 2], dtype=np.int32).dtype)
print(np.array([np.float32(1), 2.0]).dtype, np.array([1, 2.5]).dtype, np.array([True, 2]).dtype)
print(np.array([]).dtype, np.array([]).shape)
nested = np.array([np.arange(3), np.arange(3)])
print(nested.shape, nested.dtype)
c = np.array(b)
c[0, 0] = 99
print(b[0, 0], c[0, 0])
d = np.asarray(b)
d[0, 0] = 42
print(b[0, 0], d is b or d.shape == b.shape)
print(np.asarray([1, 2]).dtype)

print(np.zeros(3).tolist(), np.zeros((2, 2)).dtype, np.zeros((2, 3), dtype=np.int64).tolist())
print(np.ones((2,)).tolist(), np.ones(2, dtype=int).dtype, np.empty((2, 2)).shape)
print(np.full((2, 2), 7).dtype, np.full((2, 2), 7).tolist(), np.full(3, 2.5).dtype, np.full(2, True).dtype)
print(np.full((2,), 1, dtype=np.float32).dtype)
print(np.zeros_like(a).dtype, np.ones_like(b).tolist(), np.zeros_like(b, dtype=np.int32).dtype)

print(np.arange(5).dtype, np.arange(5).tolist())
print(np.arange(2, 10, 3).tolist(), np.arange(5, 0, -1).tolist())
print(np.arange(0, 1, 0.1).dtype, np.arange(0, 1, 0.1).tolist())
print(np.arange(0.5, 3).tolist(), np.arange(3, dtype=np.float32).dtype, np.arange(0).shape)
print(np.linspace(0, 1, 5).tolist(), np.linspace(0, 1, 5).dtype)
print(np.linspace(0, 10, 4).tolist(), np.linspace(1, 2, 4, endpoint=False).tolist())
print(np.linspace(0, 1, 3, retstep=True)[1], len(np.linspace(0, 1)))
print(np.eye(3).tolist(), np.eye(2, 3).tolist(), np.eye(2, dtype=int).dtype, np.eye(3, k=1).tolist())

print(np.float64, np.float32, np.int64, np.uint8, np.ndarray)
print(a.dtype == np.int64, b.dtype == np.float64, b.dtype == 'float64', b.dtype == float, a.dtype != np.int64)
print(repr(a.dtype), str(b.dtype), a.dtype.name, b.dtype.itemsize, np.dtype('float32'), repr(np.dtype(np.uint8)))
print(isinstance(a, np.ndarray), type(a).__name__, isinstance([1], np.ndarray))
print(a.itemsize, b.nbytes)

try:
    np.array([[1, 2], [3]])
except ValueError as e:
    print(type(e).__name__, e)
try:
    np.zeros(-1)
except ValueError as e:
    print(type(e).__name__, e)
try:
    np.zeros(2, dtype='float17')
except TypeError as e:
    print(type(e).__name__, e)
try:
    np.zeros(2, 3)
except TypeError as e:
    print(type(e).__name__, e)
