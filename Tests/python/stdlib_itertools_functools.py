# itertools, functools (partial, reduce, lru_cache), copy (copy/deepcopy), json.
import copy
import functools
import itertools
import json
import operator

print(list(itertools.islice(itertools.count(), 4)), list(itertools.islice(itertools.count(5, 2), 3)))
print(list(itertools.islice(itertools.count(0.5, 0.25), 3)), list(itertools.islice(itertools.cycle("ab"), 5)))
print(list(itertools.chain([1, 2], (3,), "xy")), list(itertools.chain.from_iterable([[1], [2, 3]])))
print(list(itertools.product([0, 1], "ab")), len(list(itertools.product(range(3), repeat=2))))
print(list(itertools.permutations([1, 2, 3])), list(itertools.permutations("abc", 2))[:3])
print(list(itertools.combinations(range(4), 2)), list(itertools.combinations_with_replacement("ab", 2)))
print(list(itertools.zip_longest([1, 2, 3], "ab")), list(itertools.zip_longest("a", "bcd", fillvalue="-")))
print(list(itertools.accumulate([1, 2, 3, 4])), list(itertools.accumulate([1, 2, 3, 4], operator.mul)))
print([(k, list(g)) for k, g in itertools.groupby("aaabccdd")], list(itertools.repeat(7, 3)))
print(list(itertools.dropwhile(lambda x: x < 3, [1, 2, 3, 4, 1])), list(itertools.compress("abcd", [1, 0, 1, 0])))
print(list(itertools.starmap(pow, [(2, 3), (3, 2)])), [list(t) for t in itertools.tee([1, 2], 2)])
print(list(itertools.pairwise([1, 2, 4, 7])), list(itertools.filterfalse(lambda x: x % 2, range(6))))


def power(base, exponent):
    return base ** exponent


square = functools.partial(power, exponent=2)
two_to = functools.partial(power, 2)
print(square(5), two_to(10), square.keywords, two_to.args, square.func.__name__)
print(functools.reduce(lambda a, b: a + b, [1, 2, 3, 4]), functools.reduce(operator.mul, range(1, 6), 10))
print(functools.reduce(lambda acc, w: acc + len(w), ["ab", "cde"], 0), functools.reduce(max, [3, 9, 2]))


@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


print(fib(80), fib.cache_info().hits > 0)
print(sorted([3, 1, 2], key=functools.cmp_to_key(lambda a, b: b - a)))
print(operator.add(2, 3), operator.itemgetter(1)("abc"), sorted([(1, "b"), (0, "a")], key=operator.itemgetter(1)))

nested = [[1, 2], [3, [4, 5]], {"k": [6]}]
shallow = copy.copy(nested)
deep = copy.deepcopy(nested)
nested[0].append(99)
nested[1][1].append(100)
nested[2]["k"].append(7)
nested.append("top")
print(nested)
print(shallow)
print(deep)
print(shallow is nested, shallow[0] is nested[0], deep[0] is nested[0], deep == nested)
same = [1]
twice = [same, same]
dup = copy.deepcopy(twice)
print(dup[0] is dup[1], dup[0] is same)

record = {"name": "dlx", "version": 3, "tags": ["a", "b"], "ok": True, "none": None, "ratio": 0.5}
print(json.dumps(record))
print(json.dumps(record, sort_keys=True))
print(json.dumps(record, indent=2, sort_keys=True))
print(json.dumps([1, "two", 3.0, [], {}], indent=4))
print(json.dumps({"b": 1, "a": [1, 2]}, separators=(",", ":")), json.dumps("é"), json.dumps("é", ensure_ascii=False))
loaded = json.loads('{"x": [1, 2.5, "s", true, false, null], "y": {"z": -3}}')
print(loaded, type(loaded["x"][1]).__name__, loaded["y"]["z"])
print(json.loads("[]"), json.loads('"text"'), json.loads("12"), json.loads(json.dumps(record)) == record)
print(json.dumps((1, 2)), json.dumps({1: "int key"}), json.dumps(1e100), json.dumps(float("inf")))
try:
    json.loads("{bad json}")
except json.JSONDecodeError as e:
    print("JSONDecodeError", e, isinstance(e, ValueError))
