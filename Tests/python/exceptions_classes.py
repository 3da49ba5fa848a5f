# Exception classes: user exceptions (DataError(ValueError)), args/str/repr, the built-in hierarchy
# (ArithmeticError, LookupError, OSError), assert, StopIteration, NotImplementedError, bare except.


class DataError(ValueError):
    pass


class ShapeError(DataError):
    def __init__(self, expected, got):
        super().__init__(f"expected {expected}, got {got}")
        self.expected = expected
        self.got = got



try:
    raise ShapeError(3, 4)
except ValueError as e:
    print("as ValueError:", e, e.expected, e.got, e.args)
try:
    raise DataError("broken", 7)
except Exception as e:
    print(type(e).__name__, e.args, str(e), repr(e))
print(issubclass(ShapeError, Exception), DataError.__mro__[1].__name__)
e = ValueError("bad")
print(repr(e), str(e), e.args)
print(repr(KeyError("k")), str(KeyError("k")), str(KeyError()), repr(ValueError()))
print(str(Exception("a", 1)), repr(Exception("a", 1)))

try:
    1 / 0
except ArithmeticError as e:
    print("ArithmeticError:", type(e).__name__, e)
for bad in (lambda: {}["x"], lambda: [][1], lambda: (1, 2)[5]):
    try:
        bad()
    except LookupError as e:
        print("LookupError:", type(e).__name__, e)
try:
    open("/nonexistent-dir-dlx/file.txt")
except OSError as e:
    print("OSError:", type(e).__name__, e.errno, isinstance(e, FileNotFoundError))
    print(e)


try:
    assert 1 + 1 == 3, "math is broken"
except AssertionError as e:
    print("AssertionError", e)
try:
    assert False
except AssertionError as e:
    print("AssertionError", repr(e), e.args)

it = iter([1])
next(it)
try:
    next(it)
except StopIteration:
    print("StopIteration caught")


class Base:
    def area(self):
        raise NotImplementedError("subclass must implement")


try:
    Base().area()
except NotImplementedError as e:
    print(type(e).__name__, e, isinstance(e, RuntimeError))

try:
    raise ValueError
except ValueError as e:
    print("class raised:", repr(e))
try:
    [].pop()
except:
    print("bare except")
try:
    raise ValueError("x")
except ValueError as e:
    print(hasattr(e, "errno"), hasattr(e, "filename"))
try:
    open("/nonexistent/x")
except OSError as e:
    print(e.errno, e.strerror, e.filename)
