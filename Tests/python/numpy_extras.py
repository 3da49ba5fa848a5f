# median, percentile, linalg.norm, tile, repeat, meshgrid, argwhere.
import numpy as np

a = np.array([[3.0, 1.0, 2.0], [9.0, 7.0, 8.0]])
print(repr(np.median(a)), np.median(a, axis=0).tolist(), np.median(a, axis=1).tolist(), repr(np.median([1, 2, 3, 4])))
print(repr(np.percentile([1, 2, 3, 4, 5], 25)), np.percentile(a, 50, axis=1).tolist())
print(repr(np.linalg.norm([3.0, 4.0])), repr(np.linalg.norm(a)), np.linalg.norm(a, axis=1).tolist(), np.linalg.norm(np.array([[3, 4]]), axis=1, keepdims=True).tolist())
print(np.tile([1, 2], 3).tolist(), np.tile(np.array([[1, 2]]), (2, 2)).tolist(), np.tile(np.arange(2), (2, 1)).tolist())
print(np.repeat([1, 2], 2).tolist(), np.repeat(np.array([[1, 2], [3, 4]]), 2, axis=0).tolist(), np.repeat(np.array([[1, 2]]), 3, axis=1).tolist())
xx, yy = np.meshgrid(np.arange(3), np.arange(2))
print(xx.tolist(), yy.tolist(), xx.shape)
ii, jj = np.meshgrid([1, 2], [3, 4, 5], indexing='ij')
print(ii.tolist(), jj.tolist())
print(np.argwhere(np.array([[0, 1], [2, 0]])).tolist())
