# Indexing: basic indexing and slices are views; integer arrays, lists and boolean masks pick copies.
import numpy as np

a = np.arange(12).reshape(3, 4)
print(repr(a[1, 2]), a[1, 2], a[-1, -1], repr(a[0][1]))
print(a[1].tolist(), a[:, 0].tolist(), a[1:, ::2].tolist(), a[::-1, 0].tolist())
print(a[..., None].shape, a[None].shape, a[:, np.newaxis, :].shape, a[..., 1].tolist())
row = a[0]
row[0] = 100
print(a[0, 0])
col = a[:, 1]
col *= -1
print(a[:, 1].tolist())
s = a[1:3, 1:3]
s[...] = 0
print(a.tolist())
print(a[[0, 2]].tolist(), a[[0, 2], [1, 3]].tolist(), a[:, [0, -1]].tolist())
print(a[np.array([2, 0])].tolist())
picked = a[[0, 1]]
picked[0, 0] = -5
print(a[0, 0])
mask = a > 5
print(mask.dtype, a[mask].tolist(), a[a % 2 == 0].tolist())
a[a > 8] = 0
print(a.tolist())
a[0] = [1, 2, 3, 4]
a[:, 3] = 9
a[1, 1:3] = np.array([7, 8])
print(a.tolist())
a[[0, 2], 0] = -1
print(a[:, 0].tolist())
f = np.array([1.0, -2.0, 3.0, -4.0])
f[f < 0] = 0
print(f.tolist())
f[1] = 2.5
print(f.tolist())
n = np.zeros(3, dtype=int)
n[0] = 3.9
print(n.tolist())
print(len(a), [x.tolist() for x in np.arange(4).reshape(2, 2)], [repr(v) for v in np.array([1.5, 2.5])])
print(a[np.int64(1), 0], [10, 20, 30][np.int64(2)], list(range(np.int64(3))))
b = np.arange(5)
print(b[[True, False, True, False, True]].tolist(), b[b > 10].shape)
print(np.array(5)[()], repr(np.arange(3).reshape(3, 1)[2, 0]))

try:
    a[3, 0]
except IndexError as e:
    print(type(e).__name__, e)
try:
    a[0, 0, 0]
except IndexError as e:
    print(type(e).__name__, e)
try:
    a[1.5]
except IndexError as e:
    print(type(e).__name__, e)
try:
    a[0] = [1, 2, 3]
except ValueError as e:
    print(type(e).__name__, e)
try:
    len(np.array(3))
except TypeError as e:
    print(type(e).__name__, e)
labels = np.array([2, 0, 1])
onehot = np.zeros((3, 4))
onehot[np.arange(3), labels] = 1
print(onehot.tolist())
print(onehot[np.arange(3), labels].tolist(), onehot[[0, 1], [2, 0]].tolist())
cube = np.arange(24).reshape(2, 3, 4)
print(cube[[0, 1], :, [1, 2]].tolist(), cube[:, [0, 2], [1, 3]].tolist(), cube[1, [0, 2], [1, 3]].tolist())
print(cube[::-1, 0, ::-2].tolist(), cube[..., ::-1][0, 0].tolist())
rev = np.arange(5)
back = rev[::-1]
back[0] = 40
print(rev.tolist(), back.tolist())
