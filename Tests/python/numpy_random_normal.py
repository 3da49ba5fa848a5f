# np.random.default_rng(seed).normal / standard_normal: NumPy's ziggurat on PCG64. The same 64-bit words are
# used for the same draws, so what follows stays in step; values are printed to 10 places (dlx computes the
# ziggurat's layer tables itself; in its 37 narrowest layers they differ from NumPy's by about 1e-14).
import numpy as np

for seed in (0, 1, 42, 12345):
    g = np.random.default_rng(seed)
    draws = g.standard_normal(100000).tolist()
    print(seed, round(sum(draws), 6), [round(v, 10) for v in draws[:4]], round(max(abs(v) for v in draws), 10))
    print(round(g.normal(3.0, 2.0), 10), [round(v, 10) for v in g.normal(size=3).tolist()], round(g.standard_normal(), 10))
    print(g.random(), g.integers(0, 10, size=5).tolist())
    print(len(g.normal(0, 1, size=(2, 3)).tolist()))

g = np.random.default_rng(7)
try:
    g.normal(0, -1)
except ValueError as e:
    print(type(e).__name__, e)
