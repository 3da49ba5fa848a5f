"""What a terminal of COLS x ROWS shows after the bytes in FILE: each row (trailing spaces removed), then
the cursor's position. The pty tests use it to compare dlx's screen with what should be there; the
terminal emulator is pyte (PyPI), installed by scripts/test in .build/test-python."""
import sys
import pyte

cols, rows, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
screen = pyte.Screen(cols, rows)
pyte.ByteStream(screen).feed(open(path, "rb").read())
for line in screen.display:
    print(line.rstrip())
print("cursor %d %d" % (screen.cursor.x, screen.cursor.y))
