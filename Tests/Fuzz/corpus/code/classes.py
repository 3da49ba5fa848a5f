class A:
    def __init__(self, n):
        self.n = n
    def __repr__(self):
        return f'A({self.n!r:>4})'
    def __add__(self, o):
        return A(self.n + o.n)
print(A(1) + A(2), [A(i) for i in range(3)])
