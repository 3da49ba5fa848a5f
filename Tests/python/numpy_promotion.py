# NumPy's type promotion (not PyTorch's) and broadcasting arithmetic.
import numpy as np

i = np.array([1, 2, 3])
f = np.array([1.0, 2.0, 3.0])
f32 = np.array([1.0, 2.0, 3.0], dtype=np.float32)
u8 = np.array([1, 2, 250], dtype=np.uint8)
b = np.array([True, False, True])

print((i / 2).dtype, (i / 2).tolist(), (i / i).dtype)
print((i + 1).dtype, (i + 1.5).dtype, (i * 2.0).tolist())
print((f32 + 1.5).dtype, (f32 * 2).dtype, (f32 + f).dtype, (f32 + i).dtype)
print((u8 + 1).dtype, (u8 + 10).tolist(), (u8 + i).dtype, (u8 + f32).dtype)
print((b + b).dtype, (b + b).tolist(), (b * 3).dtype, (b + 1.0).dtype, (b & b).tolist(), (b | ~b).tolist())
print((i // 2).tolist(), (i % 2).tolist(), (-i // 2).tolist(), (f // 2).tolist(), (f % 2).tolist())
print((i ** 2).dtype, (i ** 2).tolist(), (i ** 0.5).dtype, (f ** 2).tolist(), (2 ** i).tolist())
print((-i).tolist(), (-f).dtype, (+i).tolist(), (~i).tolist(), abs(np.array([-1, 2])).tolist())
print((i & 2).tolist(), (i | 4).tolist(), (i ^ 1).tolist(), (i << 1).tolist(), (i >> 1).tolist())
print((1 - i).tolist(), (10 / i).tolist(), (3.0 - f32).dtype)

print((i > 1).dtype, (i > 1).tolist(), (i == 2).tolist(), (f <= 2).tolist(), (i != f).tolist(), (1 < i).tolist())
print((f32 == 1.0).tolist(), (i >= 2.5).tolist())

m = np.arange(6).reshape(2, 3)
print((m + np.array([10, 20, 30])).tolist())
print((m * np.array([[1], [2]])).tolist())
print((m[:, :, None] + np.arange(2)).shape)

x = np.arange(4)
y = x
x += 1
print(y.tolist(), x is y)
x *= 2
print(y.tolist())
z = np.ones(3)
z /= 2
z -= np.array([0.5, 0.0, 0.5])
print(z.tolist())
w = np.zeros((2, 3))
w += np.arange(3)
print(w.tolist())

try:
    i /= 2
except TypeError as e:
    print(type(e).__name__, e)
try:
    np.ones((2, 3)) + np.ones(4)
except ValueError as e:
    print(type(e).__name__, e)
try:
    np.ones((2, 3)) * np.ones((3, 2))
except ValueError as e:
    print(type(e).__name__, e)
try:
    np.arange(3) ** -1
except ValueError as e:
    print(type(e).__name__, e)
try:
    u8 + 300
except OverflowError as e:
    print(type(e).__name__, e)
try:
    -b
except TypeError as e:
    print(type(e).__name__, e)
try:
    b - b
except TypeError as e:
    print(type(e).__name__, e)
try:
    f & f
except TypeError as e:
    print(type(e).__name__, e)
try:
    v = np.zeros(3)
    v += np.ones((2, 3))
except ValueError as e:
    print(type(e).__name__, e)
try:
    if np.array([1, 2]):
        pass
except ValueError as e:
    print(type(e).__name__, e)
print(bool(np.array([0])), bool(np.array([3])), 2 in np.arange(3), 5 in np.arange(3))
