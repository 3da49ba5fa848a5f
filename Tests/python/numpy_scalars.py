# NumPy scalars: what one element or a full reduction gives; NumPy 2's reprs, Python's prints.
import numpy as np

a = np.array([1.5, 2.5, 3.0])
i = np.array([1, 2, 3])
f = np.array([0.1, 0.2], dtype=np.float32)
x = a[0]
print(repr(x), x, str(x), type(x).__name__, type(x))
print(repr(i[1]), i[1], repr(f[0]), f[0], repr(i > 1), repr((i > 1)[1]), (i > 1)[0])
print(repr(a.sum()), repr(i.sum()), repr(f.sum()), repr(i.mean()), repr(a.max()), repr(i.argmax()))
print(float(x), int(i[2]), int(np.float64(2.7)), bool(i[0]), f"{x:.3f}", f"{i[1]:03d}", f"{x}", "%.1f" % x, round(x), round(np.float64(2.567), 2))
print(x + 1, repr(x + 1), repr(1 + x), repr(x * 2), repr(i[0] + 1), repr(i[0] / 2), repr(i[0] + 0.5), repr(i[0] // 2))
print(repr(f[0] + 1.0), repr(f[0] * 2), repr(f[0] + np.float64(1)), repr(-i[0]), repr(abs(np.int64(-4))), repr(i[0] ** 2))
print(x > 1, repr(x > 1), x == 1.5, i[0] == 1, repr(i[0] == 1), 2 < i[2], max(a[0], a[1]), sorted([i[2], i[0], i[1]]))
print([1, 2, 3][i[1]], list(range(i[2])), {i[0]: 'one'}[1], {1: 'x'}[np.int64(1)], len([0] * i[2]))
print(np.float64(2.0), repr(np.float64(2)), repr(np.float32(0.1)), repr(np.int64(5)), repr(np.uint8(7)), repr(np.int32(-2)), repr(np.float64(1e-5)), repr(np.float64(1e20)))
print(repr(np.True_), repr(np.False_), np.True_, repr(np.bool_(1)), repr(np.float64(np.nan)), repr(np.float64(-np.inf)))
print(repr(np.float32(1) / 3), repr(np.float64(1) / 3), np.float32(1) / 3, repr(np.float32(16777217.0)), repr(np.float32(1e-8)))
print(x.item(), type(x.item()).__name__, x.dtype, i[0].dtype, x.shape, x.ndim, repr(x.astype(np.int64)), repr(np.float64(3.0).is_integer()))
print(isinstance(x, np.float64), isinstance(i[0], np.int64), isinstance(x, np.ndarray), np.int64(3) in [1, 2, 3])
total = 0
for v in i:
    total += v
print(repr(total), total)
acc = 0.0
for v in a:
    acc += v
print(repr(acc))
print(sum(a), repr(sum(i)), repr(np.float64(0.1) + np.float64(0.2)))
print(repr(np.array(3.5)), repr(np.array(3.5) + 1), repr(np.array([1.0])[0]))
for v in [999999.0, 9999999.0, 1e7, 0.0001, 0.00012, 1e-5, 1e6, 123456.7, -2.5e-7, 3.4e38]:
    print(repr(np.float32(v)), np.float32(v))
print(isinstance(np.float64(1), float), isinstance(np.float32(1), float), isinstance(np.int64(1), int), isinstance(np.True_, bool))
