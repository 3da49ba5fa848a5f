# str methods beginners use, and %-formatting.

s = "  Hello, World  "
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()), repr("xxhixx".strip("x")))
print("a,b,,c".split(","), "a b  c\n".split(), "k=v=w".split("=", 1), "a-b-c".rsplit("-", 1))
print("line1\nline2\n".splitlines(), "abc".split("x"))
print("-".join(["a", "b", "c"]), "".join(reversed("abc")), ", ".join(str(i) for i in range(3)))
print("banana".replace("a", "o"), "banana".replace("a", "o", 1), "aaa".replace("", "-"))
print("hello".startswith("he"), "hello".endswith(("lo", "x")), "hello".startswith("lo", 3))
print("Hello".upper(), "Hello".lower(), "hello world".title(), "hello world".capitalize(), "AbC".swapcase())
print("banana".find("an"), "banana".find("z"), "banana".rfind("an"), "banana".index("n"))
print("banana".count("a"), "banana".count("an"), "aaaa".count("aa"))
print("42".zfill(5), "-42".zfill(5), "abc".zfill(2))
print("123".isdigit(), "12a".isdigit(), "".isdigit(), "abc".isalpha(), "a1".isalnum(), "  ".isspace())
print("Hi".isupper(), "hi".islower(), "Hi There".istitle())
print("ab".center(6, "*"), "ab".ljust(5) + "|", "ab".rjust(5, "."), "x" * 3, "ab" in "cab")
print("a\tb".expandtabs(4), "%".join("ab"), "abc"[::-1], "abcdef"[1:5:2], "abc"[-1])
print("Python".partition("th"), "no".partition("x"), "a.b.c".rpartition("."))
print(len("héllo"), ord("A"), chr(98), "é".encode("utf-8"), b"ab".decode())
print(str(3.0), str(1e20), str(1e-5), str(0.1 + 0.2), repr("it's"), repr('say "x"'))
print("{} and {}".format(1, 2), "{1}{0}".format("a", "b"), "{name}!".format(name="hey"))
print("{:>6}|{:<6}|{:^6}|".format("r", "l", "c"), "{:08.3f}".format(3.14159), "{:,}".format(1234567))
w = 7
print(f"{w:3d}|{w:<3}|{w:03}|{w / 3:.2f}|{w!r}|{'q'!r}|{w * 2 = }")
print(f"{0.5:.0%} {1234.5:e} {255:x} {255:#x} {255:b} {5:+d} {3.0:g} {1e-7:g}")

print("%5s|" % "ab", "%-5s|" % "ab", "%x" % 255, "%X" % 255, "%o" % 8)
print("%05.2f" % 3.14159, "%.3f" % 2.0, "%8.3f|" % -1.5, "%e" % 12345.678, "%g" % 0.0001)
print("%d%%" % 50, "%d" % 3.99, "%i" % -7, "%+d" % 5, "%3d|" % 5, "%-3d|" % 5, "%03d" % 7)
print("%s and %s" % ("a", "b"), "%s" % (1,), "%s" % [1, 2], "%s" % ((1, 2),))
print("%r" % "text", "%r %r" % (1.5, None), "%s" % None, "%s" % True, "%d" % True)
print("%(a)s-%(b)d" % {"a": "x", "b": 2}, "%c" % 65, "%5.1f%%" % 99.55, "%.2s" % "abcdef")
print("%*d|" % (5, 42), "%s" % 0.1, "%s" % 1e16, "%.0f" % 2.5, "%.0f" % 3.5)
print("%5s" % "0", "%-8s%s" % ("name", "val"), "%10.4f" % 3.14159265)
try:
    print("%d" % "x")
except TypeError as e:
    print("TypeError", e)
try:
    print("%s %s" % ("only",))
except TypeError as e:
    print("TypeError", e)
try:
    print("%s" % (1, 2))
except TypeError as e:
    print("TypeError", e)
