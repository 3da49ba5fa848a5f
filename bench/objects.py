# The interpreter's own work, no tensors: calls, instances, lists and dicts, and reference cycles that
# become garbage (what the cycle collector tracks and frees). Median of three runs each, in milliseconds,
# and the process's peak memory at the end. Valid Python: `python3 bench/objects.py` gives CPython's figures.
import time


def median_ms(f):
    times = []
    for _ in range(3):
        start = time.perf_counter()
        f()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[1]


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


class Node:
    def __init__(self, parent=None):
        self.parent = parent
        self.children = []
        if parent is not None:
            parent.children.append(self)


def calls():
    fib(20)


def instances():
    for i in range(100000):
        p = Point(i, i)


def containers():
    for i in range(100000):
        l = [i, i]
        d = {"a": i}


def cycles():
    for _ in range(2000):
        root = Node()
        for _ in range(7):
            Node(Node(root))


def peak_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])


for name, f in [("fib(20) calls", calls), ("100,000 instances", instances),
                ("100,000 lists and dicts", containers), ("2,000 trees of 15 cycles", cycles)]:
    print("%-28s%8.1f ms" % (name, median_ms(f)))
print("%-28s%8.1f MB" % ("peak memory", peak_kb() / 1024))
