def gen(n):
    for i in range(n):
        yield i * i
try:
    d = {k: v for k, v in zip('abc', gen(3))}
    print(d, sorted(d, key=lambda k: -d[k]))
    raise ValueError('x')
except ValueError as e:
    print('caught', e)
finally:
    print('done')
while True:
    break
