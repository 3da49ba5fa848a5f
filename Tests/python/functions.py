# Functions: lambda (sorted/max key=), *args/**kwargs, keyword-only params, defaults evaluated once,
# recursion, functions as values, map/filter.

words = ["banana", "Apple", "fig", "cherry", "date"]
print(sorted(words))
print(sorted(words, key=lambda w: w.lower()))
print(sorted(words, key=lambda w: (len(w), w), reverse=True))
print(sorted(words, key=len))
pairs = [(1, "b"), (3, "a"), (2, "c")]
print(sorted(pairs, key=lambda p: p[1]), max(pairs, key=lambda p: p[0]))
square = lambda x: x * x
print(square(7), (lambda a, b=2: a ** b)(3), (lambda *a: sum(a))(1, 2, 3))
print(list(map(lambda x: x + 1, [1, 2, 3])), list(filter(lambda x: x % 2, range(7))))
print(list(map(str, [1, 2])), list(map(lambda a, b: a * b, [1, 2, 3], [4, 5, 6])))
print(list(filter(None, [0, 1, "", "a", None, [], [0]])))


def show(a, b=10, *args, c, d=4, **kwargs):
    print(a, b, args, c, d, sorted(kwargs.items()))


show(1, c=3)
show(1, 2, 3, 4, c=5, d=6, e=7, f=8)
nums = [9, 8, 7]
opts = {"c": "C", "z": 0}
show(*nums, **opts)
try:
    show(1)
except TypeError as e:
    print("TypeError", e)


def kw_only(*, name, greeting="hi"):
    return f"{greeting} {name}"


print(kw_only(name="ann"), kw_only(greeting="yo", name="bo"))


def append_to(item, target=[]):
    target.append(item)
    return target


print(append_to(1), append_to(2), append_to(3, []))


def append_safe(item, target=None):
    if target is None:
        target = []
    target.append(item)
    return target


print(append_safe(1), append_safe(2))


def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


print(fact(10), fact(20), [fib(i) for i in range(10)])


ops = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b, "max": max}
print([ops[k](3, 4) for k in sorted(ops)])
compose = lambda f, g: lambda x: f(g(x))
print(compose(square, lambda x: x + 1)(3), compose(str, abs)(-5))
print(square.__name__, fact.__name__, callable(square), type(square).__name__)


def docs(a, b):
    """Adds."""
    return a + b


print(docs.__doc__, docs(b="x", a="y"))
