#!/usr/bin/env python3
"""Writes the glyph table of Sources/DLXInterpreter/Pyplot/PyplotFont.swift: printable ASCII rasterised
from DejaVu Sans Mono at 10 px into 6x9 cells (one hex byte per row, bit 5 the leftmost pixel).
Needs Pillow; run: python3 scripts/make-pyplot-font.py > /tmp/glyphs.txt and paste the lines."""
from PIL import Image, ImageDraw, ImageFont

font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 10)
W, H = 6, 9
for c in range(32, 127):
    im = Image.new("L", (W, H), 0)
    ImageDraw.Draw(im).text((0, -3), chr(c), font=font, fill=255)
    row = "".join("%02x" % sum(1 << (W - 1 - x) for x in range(W) if im.getpixel((x, y)) >= 110) for y in range(H))
    print('        "%s",  // %r' % (row, chr(c)))
