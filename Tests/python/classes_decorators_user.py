# User decorators: plain wrappers with *args/**kwargs, functools.wraps, decorators with arguments,
# decorated methods, class decorators from a classmethod registry.
import functools


calls = []


def logged(fn):
    def wrapper(*args, **kwargs):
        calls.append(fn.__name__)
        print("calling", fn.__name__, args, kwargs)
        result = fn(*args, **kwargs)
        print("returned", result)
        return result
    return wrapper


def keep_name(fn):
    @functools.wraps(fn)
    def inner(*args, **kwargs):
        return fn(*args, **kwargs) * 2
    return inner


@logged
def add(a, b=0, *, scale=1):
    return (a + b) * scale


@keep_name
def three():
    """Returns three."""
    return 3


print(add(1, 2))
print(add(1, b=5, scale=10))
print(calls)
print(add.__name__, three.__name__, three.__doc__, three())


class Shop:
    def __repr__(self):
        return "Shop()"

    @logged
    def price(self, item):
        return {"apple": 3}.get(item, 0)

    @staticmethod
    @keep_name
    def double_one():
        return 1


print(Shop().price("apple"))
print(Shop.double_one(), Shop().double_one())


def repeat(n):
    def deco(fn):
        def wrapper(*args):
            return [fn(*args) for _ in range(n)]
        return wrapper
    return deco


@repeat(3)
def hello(name):
    return "hi " + name


print(hello("bo"))


class Registry:
    items = {}

    @classmethod
    def register(cls, name):
        def deco(klass):
            cls.items[name] = klass
            return klass
        return deco


@Registry.register("sq")
class Square:
    def area(self, s):
        return s * s


print(sorted(Registry.items), Registry.items["sq"]().area(4))
