# np.random: NumPy legacy RandomState and default_rng (PCG64) streams from a seed.
import numpy as np
for seed in (0, 1, 42, 12345):
    np.random.seed(seed)
    print(np.random.rand(3).tolist(), np.random.randn(3).tolist(), np.random.randint(0, 10, 5).tolist(), np.random.permutation(10).tolist())
    g = np.random.default_rng(seed)
    print(g.random(3).tolist(), g.integers(0, 10, 5).tolist(), g.integers(-3, 2**40, 3).tolist(), g.uniform(-1, 2, 2).tolist())
    print(float(np.random.rand()), float(np.random.randn()), int(np.random.randint(5)), np.random.randint(3, 9, size=(2, 2)).tolist())
    l = list(range(8)); np.random.shuffle(l); print(l)
    print(np.random.choice(10, 4).tolist(), np.random.choice(10, 4, replace=False).tolist(), np.random.choice([1.5, 2.5, 3.5], 5, p=[0.2, 0.5, 0.3]).tolist())
    print(np.random.random((2, 2)).tolist(), np.random.uniform(2, 4, 3).tolist(), np.random.normal(1, 2, 3).tolist(), np.random.randint(0, 2**40, 3).tolist())
    print(g.integers(0, 10, 5, endpoint=True).tolist(), g.integers(1000).item() if False else int(g.integers(1000)))
