# Closures: nonlocal counters, enclosing variables read at call time, late binding of loop lambdas,
# global, decorators with arguments stacked.


def make_counter(start=0):
    count = start

    def step(by=1):
        nonlocal count
        count += by
        return count
    return step


c1, c2 = make_counter(), make_counter(100)
print(c1(), c1(), c1(10), c2(), c1())


def outer():
    x = "enclosing"

    def inner():
        return x + "!"
    x = "changed"
    return inner()


print(outer())
late = [lambda: i for i in range(3)]
early = [lambda i=i: i for i in range(3)]
print([f() for f in late], [f() for f in early])

total = 0


def add_total(n):
    global total
    total += n
    return total


add_total(5)
print(add_total(6), total)


def power(exp):
    def deco(fn):
        def wrapped(*args, **kwargs):
            return fn(*args, **kwargs) ** exp
        return wrapped
    return deco


@power(2)
@power(3)
def two():
    return 2


print(two())


def make_accumulators():
    history = []

    def push(v):
        history.append(v)
        return len(history)

    def total():
        return sum(history)
    return push, total


push, total_of = make_accumulators()
push(3)
push(4)
print(push(5), total_of())


def multipliers():
    return [lambda x, k=k: x * k for k in range(1, 4)]


print([m(10) for m in multipliers()])


def shadow():
    total = "local"
    return total


print(shadow(), total)
