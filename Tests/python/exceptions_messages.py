# Exact messages of common built-in errors, printed as `type(e).__name__, e`.


def attempt(fn):
    try:
        fn()
    except Exception as e:
        print(type(e).__name__, e)


class A:
    pass


attempt(lambda: 1 / 0)
attempt(lambda: 5 % 0)
attempt(lambda: [][1])
attempt(lambda: [1, 2][9])
attempt(lambda: {}["x"])
attempt(lambda: int("x"))
attempt(lambda: float("abc"))
attempt(lambda: undefined_name)
attempt(lambda: A().zz)
attempt(lambda: (1).zz)
attempt(lambda: "a" + 1)
attempt(lambda: 1 + "a")
attempt(lambda: [1].remove(5))
attempt(lambda: [1].index(5))
attempt(lambda: "abc".index("z"))
attempt(lambda: len(5))
nothing = None
attempt(lambda: nothing())
attempt(lambda: int(None))
attempt(lambda: {1, 2}.remove(3))
attempt(lambda: {}.popitem())
attempt(lambda: sum(["a"]))
attempt(lambda: "x" * "y")


def one(a):
    return a


attempt(lambda: one())
attempt(lambda: one(1, 2))
attempt(lambda: one(1, b=2))
