# Edge cases: NumPy's errors for empty arrays, bad axes, bad indices and sizes; wrap-around of small ints.
import numpy as np

cases = [
    lambda: np.arange(np.inf),
    lambda: np.array([-9223372036854775807 - 1]) % -1,
    lambda: np.array([-9223372036854775807 - 1]) // -1,
    lambda: np.arange(4).reshape(2**40, 2**40),
    lambda: np.median(np.zeros((2, 0)), axis=1),
    lambda: np.zeros((3,))[5],
    lambda: np.zeros(3)[::0],
    lambda: np.empty((0, 3)).max(axis=0),
    lambda: np.zeros((0,)).argmax(),
    lambda: np.float32(1e39),
    lambda: np.array([1, 2])[np.array([[True]])],
    lambda: np.zeros(3).reshape(-1, -1),
    lambda: np.zeros(3).sum(axis=(0, 0)),
    lambda: np.unique([]),
    lambda: np.concatenate([]),
    lambda: np.stack([np.zeros(2)], axis=5),
    lambda: np.zeros((2, 2))[[0, 1], [0, 1], [0]],
    lambda: np.zeros((2, 2))[[0, 5], [0, 1]],
    lambda: np.array([[1], [2, 3]], dtype=float),
    lambda: np.zeros(3).astype('x'),
    lambda: np.arange(5)[np.array([2.0])],
    lambda: np.zeros((2, 3)) @ 5,
    lambda: np.dot(np.zeros(0), np.zeros(0)),
    lambda: np.zeros((2, 3)).transpose(0, 0),
    lambda: -np.uint8(3),
    lambda: np.uint8(200) + np.uint8(100),
    lambda: np.array([250], dtype=np.uint8) + 10,
    lambda: np.int32(2) ** 40,
    lambda: np.array([1, 2, 3]) // 0,
    lambda: np.array([1, 2, 3]) % 0,
    lambda: np.zeros((2, 3)).mean(axis=-3),
    lambda: np.ones(3)[None, :, None].shape,
    lambda: np.zeros(0).sum(),
    lambda: np.zeros(0).mean(),
]
for k, f in enumerate(cases):
    try:
        r = f()
        print(k, "->", r.tolist() if hasattr(r, "tolist") else repr(r), repr(r) if hasattr(r, "dtype") and getattr(r, "ndim", 1) == 0 else "")
    except Exception as e:
        print(k, "!", type(e).__name__, e)
