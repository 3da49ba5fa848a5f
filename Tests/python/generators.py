# Generators: yield, yield from, laziness of generator expressions, next() with default, iter() on lists,
# infinite generators with break / itertools.islice, list()/sum() of generators, StopIteration, enumerate/zip.
import itertools


def countdown(n):
    print("start countdown", n)
    while n > 0:
        yield n
        n -= 1
    print("countdown done")


g = countdown(3)
print(type(g).__name__)
print(next(g))
print(next(g), next(g))
print(next(g, "exhausted"))
print(next(g, "still exhausted"))
try:
    next(countdown(0))
except StopIteration:
    print("StopIteration from empty generator")
h = countdown(1)
print(h.__next__())
try:
    h.__next__()
except StopIteration as e:
    print("__next__ raised", type(e).__name__)


def inner():
    yield 1
    yield 2
    return "inner result"


def outer():
    got = yield from inner()
    print("yield from returned", got)
    yield from [10, 20]
    yield from range(3)


print(list(outer()))


def noisy(values):
    for v in values:
        print("produce", v)
        yield v


lazy = (v * 10 for v in noisy([1, 2, 3]))
print("generator made")
print(next(lazy))
print("between")
print(list(lazy))
print(sum(x * x for x in range(5)), max(len(w) for w in ["a", "abc", "ab"]))
print(any(x > 3 for x in noisy([1, 5, 9])))
print(all(x < 3 for x in noisy([1, 5, 9])))


def naturals():
    n = 0
    while True:
        yield n
        n += 1


for n in naturals():
    if n * n > 20:
        print("first square above 20 from", n)
        break
print(list(itertools.islice(naturals(), 5)), list(itertools.islice(naturals(), 2, 10, 3)))
evens = (n for n in naturals() if n % 2 == 0)
print([next(evens) for _ in range(4)])

items = [4, 5, 6]
it = iter(items)
print(next(it), next(it), next(it), next(it, None))
it2 = iter(range(2))
print(list(it2), list(it2))
print(list(enumerate(countdown(2))))
print(list(enumerate((c for c in "xyz"), start=1)))
print(list(zip(naturals(), "abc")))
print(dict(zip((k for k in "ab"), itertools.count(7))))


def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


print(list(itertools.islice(fib(), 12)))
print(sorted(x % 4 for x in range(10)), tuple(c.upper() for c in "hi"))
print(list(itertools.takewhile(lambda x: x < 30, fib())))


def pairs(seq):
    it = iter(seq)
    for a in it:
        yield a, next(it, None)


print(list(pairs([1, 2, 3, 4, 5])))
gen = (i for i in range(3))
print(3 in gen, 1 in (i for i in range(3)))
print(list(map(lambda p: p[0] * p[1], zip(range(4), naturals()))))
