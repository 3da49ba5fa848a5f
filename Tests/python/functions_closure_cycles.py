# A call whose frame holds a function defined in it (a recursive inner def, a lambda kept in a local)
# makes a frame <-> closure cycle; it must be freed when the call ends, while closures that escape keep
# working. Memory is read from /proc/self/status (Linux), 30,000 calls of about 1 KB each if leaked.
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])

def outer(n):
    def f(k):
        return 0 if k == 0 else 1 + f(k - 1)
    return f(n)

def keeps():
    def g(k):
        return k * 2
    def h(k):
        return g(k) + 1
    return h

for i in range(2000):
    outer(3)
before = rss()
for i in range(30000):
    outer(3)
grown = rss() - before
print("recursive inner def freed:", grown < 8000)
h = keeps()
print(h(5))
fs = [keeps() for _ in range(3)]
print([f(1) for f in fs])

def lam(n):
    fact = lambda k: 1 if k <= 1 else k * fact(k - 1)
    return fact(n)

before = rss()
for i in range(30000):
    lam(4)
print("recursive lambda freed:", rss() - before < 8000, lam(5))

def counter():
    count = 0
    def step():
        nonlocal count
        count += 1
        return count
    def again():
        return step() + step()
    return again

c = counter()
print(c(), c())
