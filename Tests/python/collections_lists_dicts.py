# list methods and dict methods.

nums = [3, 1, 2]
nums.append(5)
nums.extend([9, 0])
nums.extend(range(2))
print(nums, len(nums))
nums.insert(0, 7)
nums.insert(-1, 8)
nums.insert(100, 6)
print(nums)
print(nums.pop(), nums.pop(0), nums.pop(-2), nums)
nums.remove(1)
print(nums, nums.index(9), nums.index(0), nums.count(0), nums.count(42))
print(nums.index(0, 5))
ordered = sorted(nums)
nums.sort()
print(nums, ordered == nums, nums is ordered)
nums.sort(reverse=True)
print(nums)
words = ["kiwi", "Fig", "apple", "date"]
words.sort(key=len)
print(words)
words.sort(key=str.lower, reverse=True)
print(words)
words.reverse()
print(words, list(reversed(words)))
dup = words.copy()
dup.append("new")
print(len(words), len(dup), words[:] == words, dup[-1])
nested = [[1, 2], [3]]
shallow = nested.copy()
shallow[0].append(99)
print(nested)
print([1, 2] + [3], [0] * 3, [[0] * 2] * 2, 3 in [1, 2, 3], [1, 2] < [1, 3])
grid = [[0] * 2 for _ in range(2)]
grid[0][0] = 1
print(grid, sum([[1], [2]], []), list("abc"), list((1, 2)))
nums.clear()
print(nums, min([4, 2, 8]), max([4, 2, 8]), sum([0.5, 0.25]))
lst = list(range(10))
lst[2:5] = ["a"]
print(lst, lst[::3], lst[-3:], lst[100:])
lst[::2] = [0] * len(lst[::2])
print(lst)

d = {"a": 1, "b": 2}
print(d.get("a"), d.get("z"), d.get("z", 0), d["b"], "a" in d, 1 in d)
print(d.setdefault("c", 3), d.setdefault("a", 100), d)
print(d.pop("b"), d.pop("nope", "missing"), d)
try:
    d.pop("nope")
except KeyError as e:
    print("KeyError", e)
d.update({"x": 9, "a": -1})
d.update(y=8)
d.update([("z", 7)])
print(d)
print(list(d.keys()), list(d.values()), list(d.items())[:2])
print(type(d.keys()).__name__, len(d), sorted(d))
for k, v in d.items():
    print(k, "->", v)
print(dict.fromkeys(["p", "q"]), dict.fromkeys("ab", 0), dict(a=1, b=2), dict([("k", "v")]))
counts = {}
for ch in "abracadabra":
    counts[ch] = counts.get(ch, 0) + 1
print(counts)
groups = {}
for w in ["apple", "avocado", "banana", "cherry", "blueberry"]:
    groups.setdefault(w[0], []).append(w)
print(groups)
merged = {**{"a": 1}, **{"b": 2, "a": 3}}
print(merged, {"a": 1} | {"c": 4}, d.popitem(), d == dict(d), {1: "x"} == {1: "x"})
copy = d.copy()
copy["new"] = True
print("new" in d, "new" in copy, list(copy)[-1])
del copy["new"]
print(copy == d, {k: v for k, v in sorted(d.items(), key=lambda kv: kv[1])})
inv = {}
for key in ("b", "a", "c"):
    inv[key] = len(inv)
print(inv, list(inv), max(inv, key=inv.get), sorted(inv.items(), key=lambda kv: -kv[1]))
