# math and collections: OrderedDict, defaultdict, Counter, namedtuple, deque.
import math
from collections import Counter, OrderedDict, defaultdict, deque, namedtuple

print(math.sqrt(16), math.sqrt(2), math.floor(2.7), math.floor(-2.5), math.ceil(2.1), math.ceil(-2.1))
print(math.exp(1), math.log(math.e), math.log(8, 2), math.log10(1000), math.log2(1024))
print(math.pi, math.e, math.inf, -math.inf, math.inf > 1e308, math.isinf(math.inf))
print(math.isnan(math.nan), math.nan == math.nan, float("inf"), float("-inf"), float("nan"))
print(math.isclose(0.1 + 0.2, 0.3), math.isclose(1.0, 1.1), math.isclose(1.0, 1.05, rel_tol=0.1))
print(math.prod([1, 2, 3, 4]), math.prod([]), math.prod(range(1, 6), start=2), math.factorial(6))
print(math.fabs(-3), math.pow(2, 10), math.trunc(-3.7), math.gcd(12, 18), math.hypot(3, 4))
print(math.sin(0), math.cos(0), round(math.sin(math.pi / 2), 10), math.degrees(math.pi), math.radians(180))
print(math.floor(5), type(math.floor(2.5)).__name__, type(math.sqrt(4)).__name__, math.comb(5, 2), math.perm(4, 2))
print(round(2.5), round(3.5), round(-0.5), round(2.675, 2), round(1234, -2), abs(-3), divmod(17, 5), divmod(-7, 2))
print(7 // 2, -7 // 2, 7 % 3, -7 % 3, 2 ** -1, 10 / 4, int(3.9), int(-3.9), float(3))

od = OrderedDict()
od["b"] = 1
od["a"] = 2
od["c"] = 3
print(od, list(od.keys()))
od.move_to_end("b")
print(od)
print(od.popitem(), od.popitem(last=False), od)
print(OrderedDict([("x", 1)]) == {"x": 1}, OrderedDict())

dd = defaultdict(list)
dd["fruits"].append("apple")
dd["fruits"].append("kiwi")
dd["veg"].append("leek")
print(dd)
print(dd["missing"], len(dd))
print(dict(dd))
counts = defaultdict(int)
for w in "the cat and the hat and the bat".split():
    counts[w] += 1
print(counts)
print(counts["zebra"], sorted(counts.items()))
print(defaultdict(lambda: "n/a")["k"])

c = Counter("abracadabra")
print(c)
print(c.most_common(2), c["a"], c["z"], len(c), sorted(c.elements())[:6])
c.update("aaz")
print(c.most_common(1), c["z"], Counter([1, 1, 2]) + Counter([2, 3]), Counter(a=3, b=1) - Counter(a=1))
print(Counter({"x": 2, "y": 5}), sum(Counter("hello").values()), Counter())
words = ["b", "a", "b", "c", "a", "b"]
print(Counter(words).most_common(), dict(Counter(words)))

Point = namedtuple("Point", ["x", "y"])
p = Point(1, y=2)
print(p, p.x, p.y, p[0], p[1], len(p), p == (1, 2))
x, y = p
print(x, y, p._asdict(), p._replace(x=10), Point._fields, type(p).__name__)
Pixel = namedtuple("Pixel", "r g b")
px = Pixel(255, 0, 128)
print(px, sum(px), max(px), isinstance(px, tuple), Pixel._make([1, 2, 3]))
try:
    p.x = 5
except AttributeError as e:
    print("AttributeError", e)

dq = deque([1, 2, 3], maxlen=4)
dq.append(4)
dq.append(5)
dq.appendleft(0)
print(dq)
print(dq.popleft(), dq.pop(), len(dq))
print(dq)
dq.rotate(1)
print(dq, list(dq), deque())
