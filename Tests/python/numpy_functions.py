# np. functions: shapes, joining, elementwise math, where, products, unique, bincount, checks.
import numpy as np

a = np.arange(6).reshape(2, 3)
print(np.expand_dims(a, 0).shape, np.expand_dims(a, -1).shape, np.squeeze(np.zeros((1, 2, 1))).shape, np.reshape(a, (3, 2)).tolist())
print(np.transpose(a).shape, np.ravel(a).tolist(), np.shape(a), np.ndim(a), np.size(a))
print(np.concatenate([a, a]).shape, np.concatenate([a, a], axis=1).tolist(), np.concatenate([[1, 2], [3.5]]).tolist())
print(np.concatenate([a, a], axis=None).shape, np.stack([a, a]).shape, np.stack([a, a], axis=2).shape, np.stack([[1, 2], [3, 4]], axis=1).tolist())
print(np.vstack([np.arange(3), np.arange(3)]).shape, np.hstack([np.arange(2), np.arange(3)]).tolist())
print(np.sum(a), repr(np.sum(a)), np.sum(a, axis=0).tolist(), np.mean([1, 2, 3, 4]), np.max(a, axis=1).tolist(), np.min([3, 1, 2]))
print(repr(np.argmax([3, 9, 2])), np.argmax(a, axis=1).tolist(), np.argmin(a), np.cumsum([1, 2, 3]).tolist(), np.std([1.0, 3.0]), np.var([1, 2, 3, 4]))
print(np.sort([3, 1, 2]).tolist(), np.argsort([30, 10, 20]).tolist(), np.sort(np.array([[3, 1], [0, 2]]), axis=0).tolist(), np.prod([1, 2, 3, 4]))
print(np.exp([0.0, 1.0]).tolist(), np.exp(np.arange(3)).dtype, np.log([1.0, np.e]).tolist(), np.sqrt([4, 9]).tolist(), np.sqrt(np.float32(4)).dtype)
print(np.exp(np.array([0.0, 2.0], dtype=np.float32)).dtype, np.abs([-1, 2, -3]).tolist(), np.abs(np.array([-1.5])).tolist(), np.absolute(-2))
print(np.floor([1.5, -1.5]).tolist(), np.ceil([1.2, -1.2]).tolist(), np.sin([0.0]).tolist(), np.tanh(0.0), np.square([1, 2, 3]).tolist(), np.log2(8), np.log10(1000.0))
print(np.clip([1, 5, 9], 2, 6).tolist(), np.clip(np.array([0.5, 1.5]), 0, 1).tolist(), np.clip(np.arange(5), None, 2).tolist())
print(np.round([0.5, 1.5, 2.5, 3.14159], 2).tolist(), np.round(np.array([1.234, 5.678]), 1).tolist(), np.round(2.5), np.around([0.125], 2).tolist())
x = np.array([1, -2, 3, -4])
print(np.where(x > 0, x, 0).tolist(), np.where(x > 0, 1.0, -1.0).tolist(), np.where(x > 0)[0].tolist(), np.where([[True, False], [False, True]]))
print(np.maximum(x, 0).tolist(), np.minimum([1, 5], 3).tolist(), np.maximum(np.array([1.0, np.nan]), 0).tolist(), np.maximum(2, 3))
v = np.array([1.0, 2.0, 3.0])
m = np.arange(6.0).reshape(2, 3)
print(np.dot(v, v), repr(np.dot(v, v)), np.dot(m, v).tolist(), np.dot(m, m.T).tolist(), np.dot(2, v).tolist(), np.dot([1, 2], [3, 4]))
print((m @ v).tolist(), (m @ m.T).tolist(), np.matmul(m, m.T).tolist(), repr(v @ v), (np.arange(4).reshape(2, 2) @ np.arange(4).reshape(2, 2)).tolist())
f32 = np.ones((2, 2), dtype=np.float32)
print((f32 @ f32).dtype, (f32 @ np.ones((2, 2))).dtype, np.dot(f32, f32).tolist(), (np.zeros((3, 2, 4)) @ np.zeros((4, 5))).shape)
u = np.unique([3, 1, 3, 2, 1, 3])
print(u.tolist(), u.dtype)
vals, counts = np.unique(np.array([2.5, 1.0, 2.5]), return_counts=True)
print(vals.tolist(), counts.tolist(), counts.dtype, np.unique(np.array([[1, 2], [2, 1]])).tolist())
print(np.bincount([0, 1, 1, 3]).tolist(), np.bincount(np.array([2, 2]), minlength=5).tolist(), np.bincount([0, 1, 1], weights=[0.5, 1.0, 2.0]).tolist())
n = np.array([1.0, np.nan, np.inf])
print(np.isnan(n).tolist(), np.isinf(n).tolist(), np.isfinite(n).tolist(), np.isnan(n).any(), np.isnan(2.0))
print(np.allclose([1.0, 2.0], [1.0, 2.0 + 1e-9]), np.allclose([1.0], [1.1]), np.allclose([1.0], [1.05], atol=0.1), type(np.allclose([1], [1])).__name__)
print(np.isclose([1.0, 2.0], [1.0, 2.1]).tolist(), np.array_equal([1, 2], np.array([1, 2])), np.array_equal([1, 2], [1, 3]), np.count_nonzero([0, 1, 2, 0]))
print(np.pi, np.e, np.newaxis is None, np.inf, np.isnan(np.nan))
print(np.add([1, 2], 3).tolist(), np.subtract(5, [1, 2]).tolist(), np.multiply([1, 2], [3, 4]).tolist(), np.divide([1, 2], 4).tolist(), np.power(2, [1, 2, 3]).tolist())
print(np.equal([1, 2], [1, 3]).tolist(), np.greater([1, 5], 2).tolist(), np.negative([1, -2]).tolist(), np.sign([-3.0, 0.0, 2.0]).tolist())
print(np.nonzero(np.array([0, 3, 0, 4]))[0].tolist(), np.copy(np.arange(3)).tolist(), np.amax([1, 4, 2]), np.amin(np.array([[5, 2], [3, 9]]), axis=0).tolist())
print(np.any([0, 0, 1]), np.all([1, 1, 0]), np.any(np.zeros((2, 2)), axis=0).tolist())

try:
    np.dot(np.ones((2, 3)), np.ones((2, 3)))
except ValueError as e:
    print(type(e).__name__, e)
try:
    np.ones((2, 3)) @ np.ones(4)
except ValueError as e:
    print(type(e).__name__, e)
try:
    np.concatenate([np.ones((2, 3)), np.ones((2, 2))])
except ValueError as e:
    print(type(e).__name__, e)
try:
    np.stack([np.ones(2), np.ones(3)])
except ValueError as e:
    print(type(e).__name__, e)
try:
    np.expand_dims(np.ones(2), 3)
except Exception as e:
    print(type(e).__name__, e)
try:
    np.bincount([-1, 2])
except ValueError as e:
    print(type(e).__name__, e)
