"""Makes the PNG and JPEG fixtures of the image decoder tests with Pillow, and prints what Pillow decodes.

Run with the reference venv from this folder: /tmp/ref/bin/python make-images.py > pillow-pixels.txt
"""
import struct
import zlib

from PIL import Image

W, H = 7, 5


def pattern(mode):
    im = Image.new(mode, (W, H))
    bands = len(im.getbands())
    for y in range(H):
        for x in range(W):
            v = [(x * 37 + y * 11 + k * 70) % 256 for k in range(bands)]
            im.putpixel((x, y), tuple(v) if bands > 1 else v[0])
    return im


def photo():
    """A smooth picture, so that JPEG's output is worth comparing."""
    im = Image.new("RGB", (24, 16))
    for y in range(16):
        for x in range(24):
            im.putpixel((x, y), (x * 10, y * 15, (x + y) * 6))
    return im


pattern("L").save("gray.png")
pattern("LA").save("gray-alpha.png")
pattern("RGB").save("rgb.png")
pattern("RGBA").save("rgba.png")
pattern("RGB").convert("P", palette=Image.Palette.ADAPTIVE, colors=16).save("palette.png")


def adam7(im):
    """An interlaced PNG (Pillow writes none): the seven Adam7 passes, each row with filter type 0."""
    raw = im.tobytes()
    bands = len(im.getbands())
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    body = b""
    for x0, y0, dx, dy in passes:
        for y in range(y0, H, dy):
            row = b"".join(raw[(y * W + x) * bands:(y * W + x + 1) * bands] for x in range(x0, W, dx))
            if row:
                body += b"\x00" + row
    header = struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 1)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(body)) + chunk(b"IEND", b"")


photo().save("baseline.jpg", quality=90)
photo().save("progressive.jpg", quality=90, progressive=True)
photo().convert("L").save("gray.jpg", quality=90)

# Hostile files.
data = open("rgb.png", "rb").read()
open("truncated.png", "wb").write(data[: len(data) - 30])
bad = bytearray(data)
bad[29] ^= 0xFF  # the IHDR chunk's CRC
open("bad-crc.png", "wb").write(bytes(bad))


def chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)


huge = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0))
huge += chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + chunk(b"IEND", b"")
open("huge.png", "wb").write(huge)
jpeg = open("baseline.jpg", "rb").read()
open("truncated.jpg", "wb").write(jpeg[: len(jpeg) // 2])
open("not-an-image.png", "wb").write(b"hello, this is text\n")
open("rgb-interlaced.png", "wb").write(adam7(pattern("RGB")))

for name in ["gray.png", "gray-alpha.png", "rgb.png", "rgba.png", "rgb-interlaced.png", "palette.png",
             "baseline.jpg", "progressive.jpg", "gray.jpg"]:
    im = Image.open(name)
    print(name, im.format, im.mode, im.size)
    if im.mode == "P":
        im = im.convert("RGB")
        print("  as RGB")
    flat = []
    for y in range(im.size[1]):
        for x in range(im.size[0]):
            p = im.getpixel((x, y))
            flat.extend(p if isinstance(p, tuple) else [p])
    print(" ", " ".join(map(str, flat)))
for name in ["truncated.png", "bad-crc.png", "huge.png", "truncated.jpg", "not-an-image.png"]:
    try:
        im = Image.open(name)
        im.load()
        print(name, "loaded", im.size)
    except Exception as e:
        print(name, type(e).__module__ + "." + type(e).__name__ + ":", e)
