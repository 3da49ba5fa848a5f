# Control flow of exceptions: try/except/else/finally order, tuples of types, raise ... from,
# bare raise to an outer try, exceptions in finally, return through finally, propagation from nested calls.


class DataError(ValueError):
    pass


def run(x):
    try:
        print("try", x)
        r = 10 / x
    except ZeroDivisionError:
        print("zero")
    except (TypeError, ValueError) as e:
        print("bad type", type(e).__name__)
    else:
        print("else", r)
    finally:
        print("finally", x)


run(2)
run(0)
run("s")

try:
    try:
        int("x")
    except ValueError as e:
        raise RuntimeError("conversion failed") from e
except RuntimeError as e:
    print(e, "| cause:", repr(e.__cause__))

try:
    try:
        raise KeyError("inner")
    except KeyError:
        print("handling, re-raising")
        raise
except KeyError as e:
    print("outer got", repr(e))

try:
    try:
        raise TypeError("first")
    finally:
        print("cleanup runs")
except TypeError as e:
    print("propagated", e)

try:
    try:
        raise TypeError("lost")
    finally:
        raise ValueError("from finally")
except Exception as e:
    print(type(e).__name__, e, "| context:", repr(e.__context__))


def f():
    try:
        return "try"
    finally:
        print("finally before return")


print(f())


def deep(n):
    if n == 0:
        raise DataError("bottom reached")
    return deep(n - 1)


try:
    deep(3)
except DataError as e:
    print("from nested:", e)

results = []
for item in ["1", "x", "3", "", "5"]:
    try:
        if item == "":
            break
        value = int(item)
    except ValueError as err:
        print("skip", repr(item), "->", err)
        continue
    finally:
        print("checked", repr(item))
    results.append(value)
print(results)


def layered():
    try:
        inner_fail()
    finally:
        print("layered cleanup")


def inner_fail():
    raise LookupError("from inner_fail")


try:
    layered()
except LookupError as e:
    print("top level:", e)

try:
    raise DataError("as base")
except KeyError:
    print("not this one")
except ValueError as e:
    print("second clause:", type(e).__name__, e)
