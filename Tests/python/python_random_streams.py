# random: CPython 3.11's streams from int, negative, large, str and float seeds, through every draw beginners use.
import random
out = []
for seed in (0, 1, 42, 12345, 2**40 + 7, -5, "hello", "", 3.5):
    random.seed(seed)
    out.append([seed, [random.random() for _ in range(3)], [random.randint(1, 6) for _ in range(5)],
        (lambda l: (random.shuffle(l), l)[1])(list(range(10))), [random.gauss(0, 1) for _ in range(3)],
        [random.choice("abcdef") for _ in range(3)], random.sample(range(100), 5), random.uniform(-1, 1),
        [random.randrange(10) for _ in range(3)], random.randrange(5, 100, 7), random.normalvariate(2, 3),
        random.sample(list(range(1000)), 8), random.choices("abc", k=4), random.choices("abc", weights=[1, 5, 2], k=4),
        random.getrandbits(40), random.expovariate(1.5), random.triangular(0, 10), random.randrange(2**40)])
r = random.Random(99)
out.append([r.random(), r.randint(0, 100)])
for o in out: print(o)
