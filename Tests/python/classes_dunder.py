# Dunder methods on a value class: __repr__/__str__ in print/repr/f-string/%, __add__/__radd__/__mul__/__rmul__,
# __eq__/__lt__ with sorted/max/min, __bool__, __hash__ with __eq__ in sets and dicts.


class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return f"Vec({self.x}, {self.y})"

    def __str__(self):
        return f"<{self.x}, {self.y}>"

    def __add__(self, other):
        if isinstance(other, Vec):
            return Vec(self.x + other.x, self.y + other.y)
        return Vec(self.x + other, self.y + other)

    def __radd__(self, other):
        return self.__add__(other)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)

    def __rmul__(self, k):
        return self * k

    def __eq__(self, other):
        return isinstance(other, Vec) and (self.x, self.y) == (other.x, other.y)

    def __lt__(self, other):
        return (self.x * self.x + self.y * self.y) < (other.x * other.x + other.y * other.y)

    def __hash__(self):
        return hash((self.x, self.y))

    def __bool__(self):
        return self.x != 0 or self.y != 0


v = Vec(1, 2)
print(v)
print(repr(v), str(v))
print(f"{v} {v!r}")
print("%s %r" % (v, v))
print([v, Vec(3, 4)])
print((v,), {"k": v})
print(v + Vec(10, 20), v + 1, 1 + v, v * 3, 2 * v)
print(sum([Vec(1, 1), Vec(2, 2), Vec(3, 3)]))
print(v == Vec(1, 2), v == Vec(2, 1), v != Vec(1, 2), v == "x")
print(sorted([Vec(3, 3), Vec(0, 1), Vec(2, 0)]))
print(max([Vec(3, 3), Vec(0, 1), Vec(2, 0)]), min([Vec(3, 3), Vec(0, 1)]))
print(Vec(5, 5) > Vec(1, 1))
print(bool(Vec(0, 0)), bool(v), "yes" if Vec(0, 0) else "no")
print(not Vec(0, 0))
seen = {Vec(1, 2), Vec(1, 2), Vec(2, 1)}
print(len(seen), Vec(2, 1) in seen)
table = {Vec(0, 0): "origin"}
print(table[Vec(0, 0)])
