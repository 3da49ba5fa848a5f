# Dunder protocols: __str__ only, containers (__len__/__getitem__/__setitem__/__contains__), __call__,
# iteration via __getitem__ and __iter__/__next__, context managers (__enter__/__exit__).


class Only:
    def __init__(self, s):
        self.s = s

    def __str__(self):
        return "str:" + self.s


o = Only("a")
print(o, str(o), f"{o}", "{}".format(o))


class Bag:
    def __init__(self, items):
        self.items = list(items)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]

    def __setitem__(self, i, value):
        self.items[i] = value

    def __contains__(self, value):
        print("contains", value)
        return value in self.items

    def __call__(self, k, scale=1):
        return self.items[k] * scale


bag = Bag("abc")
print(len(bag), bag[0], bag[-1], bag[1:])
bag[1] = "Z"
print(bag.items, "Z" in bag, "q" in bag)
print(list(bag), [c * 2 for c in bag])
print(bag(2), bag(0, scale=3), callable(bag), callable(o))
print(bool(Bag([])), bool(Bag([0])))


class Squares:
    def __getitem__(self, i):
        if i >= 4:
            raise IndexError(i)
        return i * i


print(list(Squares()), 9 in Squares(), 5 in Squares())


class CountDown:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return self

    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1


print(list(CountDown(3)))
for k in CountDown(2):
    print("tick", k)
it = iter(CountDown(2))
print(next(it), next(it), next(it, "done"))


class Ctx:
    def __init__(self, name, swallow=False):
        self.name = name
        self.swallow = swallow

    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()

    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None, exc)
        return self.swallow


with Ctx("a") as got:
    print("inside", got)
with Ctx("b", swallow=True):
    raise ValueError("suppressed")
print("after b")
try:
    with Ctx("c"):
        raise KeyError("k")
except KeyError as e:
    print("caught", repr(e))
with Ctx("outer"), Ctx("inner") as x:
    print("both", x)
