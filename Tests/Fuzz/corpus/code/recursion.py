a = [1]
a.append(a)
print(a, a == a)
def f(n):
    return f(n + 1)
try:
    f(0)
except RecursionError:
    print('deep')
