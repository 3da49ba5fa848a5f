# Sets and frozensets, set/dict comprehensions, del on lists, chained assignment, walrus,
# conditional expressions, comprehension variables not leaking.
# Sets are printed directly only when they hold ints 0..7 (CPython then prints them ascending);
# other sets go through sorted().

a = {1, 2, 3, 4}
b = {3, 4, 5}
print(a | b, a & b, a - b, b - a, a ^ b)
print(a.union(b), a.intersection(b), a.difference(b), a.symmetric_difference(b))
print({1, 2} <= a, {1, 2}.issubset(a), a.issuperset({1}), a.isdisjoint({9}), {1, 2} < {1, 2})
s = set()
print(s, len(s), type(s).__name__, set([3, 1, 3, 2]), set(range(4)))
s.add(5)
s.add(5)
s.add(1)
print(s, len(s), 5 in s, 6 not in s)
s.discard(99)
s.discard(5)
print(s)
try:
    s.remove(42)
except KeyError as e:
    print("KeyError", e)
s.update([7, 8], {9})
print(sorted(s), len(s))
popped = s.pop()
print(popped in {1, 7, 8, 9}, len(s), popped in s)
c = a.copy()
c -= {1}
c |= {10}
print(sorted(c), a)
fs = frozenset([3, 1, 2])
print(fs, sorted(fs), sorted(fs | {9}), type(fs | {9}).__name__, fs | {0}, frozenset() == set())
print({fs: "frozen key"}[frozenset({1, 2, 3})])
print(sorted({"pear", "apple", "fig"}), sorted(set("mississippi")))
print({x % 3 for x in range(10)}, {len(w) for w in ["a", "bb", "cc"]})
print({x: x * x for x in range(5)}, {k: v for k, v in zip("abc", [1, 2, 3]) if v != 2})
print({v: k for k, v in {"a": 1, "b": 2}.items()})
print([(i, j) for i in range(3) for j in range(i)], [[j for j in range(i)] for i in range(4)])
print([x if x % 2 else -x for x in range(6)], [x for x in range(10) if x % 3 == 0])

x = 5
squares = [x * x for x in range(3)]
print(x, squares)
gen_total = sum(x for x in range(100))
print(x, gen_total)
{x: 0 for x in range(2)}
print(x)

nums = list(range(10))
del nums[0]
print(nums)
del nums[-1]
del nums[1:3]
print(nums)
del nums[::2]
print(nums)
d = {"a": 1, "b": 2}
del d["a"]
print(d)
p = q = r = 0
p += 1
print(p, q, r)
la = lb = []
la.append(1)
print(la, lb, la is lb)
i, (j, k), *rest = 1, (2, 3), 4, 5
first, *middle, last = range(6)
print(i, j, k, rest, first, middle, last)
i, j = j, i
print(i, j)

data = [3, 8, 1, 9, 4]
if (n := len(data)) > 3:
    print("long list of", n)
queue = [1, 2, 3]
while (item := queue.pop() if queue else None) is not None:
    print("popped", item)
print([y for v in data if (y := v * 2) > 7], y)
level = 15
print("hot" if level > 20 else "warm" if level > 10 else "cold")
print(0 or "default", "" or None, 3 and 4, [] and "never", None is None)
print(1 < 2 < 3, 3 > 2 > 2, 1 == 1.0, "a" < "b" < "c")
