# PIL images made from arrays, opened from the image fixtures, converted, resized, cropped, saved.
import os
import random

import torch
from PIL import Image
from torchvision import transforms

a = torch.arange(60, dtype=torch.uint8).reshape(5, 12).mul(4).numpy()
im = Image.fromarray(a)
print(type(im), im.size, im.mode, im.width, im.height, im.format)
print(repr(im).split(" at 0x")[0])
print(im.getpixel((3, 2)), im.getpixel((-1, -1)), im.getbands())
try:
    im.getpixel((12, 0))
except IndexError as e:
    print("IndexError:", e)

rgb = im.convert("RGB")
print(rgb.mode, rgb.getpixel((5, 4)), rgb.getbands())
rgba = rgb.convert("RGBA")
print(rgba.mode, rgba.getpixel((0, 0)), rgba.convert("L").getpixel((7, 3)))
c = torch.arange(5 * 6 * 3, dtype=torch.uint8).reshape(5, 6, 3).mul(3).numpy()
col = Image.fromarray(c)
print(col.mode, col.size, col.getpixel((2, 1)), col.convert("L").getpixel((2, 1)))

for size, resample in [((6, 3), None), ((24, 10), None), ((7, 4), Image.BILINEAR), ((5, 9), Image.NEAREST), ((3, 2), Image.Resampling.BICUBIC)]:
    r = im.resize(size) if resample is None else im.resize(size, resample)
    print(size, r.size, transforms.PILToTensor()(r)[0].tolist())
r = col.resize((4, 3), Image.BILINEAR)
print(transforms.PILToTensor()(r).tolist())

print(im.crop((2, 1, 6, 4)).size, transforms.PILToTensor()(im.crop((10, 3, 14, 6)))[0].tolist())
print(im.transpose(Image.FLIP_LEFT_RIGHT).getpixel((0, 0)), im.transpose(Image.FLIP_TOP_BOTTOM).getpixel((0, 0)))

print(Image.new("L", (3, 2), 7).getpixel((2, 1)), Image.new("RGB", (2, 2), (1, 2, 3)).getpixel((1, 1)),
      Image.new("RGB", (2, 2), 5).getpixel((0, 0)), Image.new("RGBA", (1, 1)).getpixel((0, 0)))
try:
    Image.new("X", (1, 1))
except ValueError as e:
    print("ValueError:", e)

tag = random.randrange(1 << 30)
path = os.path.join("/tmp", "dlx-ref-%d-col.png" % tag)
col.save(path)
back = Image.open(path)
print(type(back), back.format, back.mode, back.size, back.getpixel((2, 1)))
print(repr(back).split(" at 0x")[0])
print(transforms.PILToTensor()(back).equal(transforms.PILToTensor()(col)))
os.remove(path)
try:
    col.save(os.path.join("/tmp", "dlx-ref-%d-col.xyz" % tag))
except ValueError as e:
    print("ValueError:", e)

fixtures = "../Fixtures/images/"
for name in ["gray.png", "gray-alpha.png", "rgb.png", "rgba.png", "rgb-interlaced.png", "baseline.jpg", "progressive.jpg", "gray.jpg"]:
    f = Image.open(fixtures + name)
    print(name, f.format, f.mode, f.size, f.getpixel((1, 2)), f.getpixel((4, 3)))
for name in ["not-an-image.png", "bad-crc.png"]:
    try:
        Image.open(fixtures + name)
    except Exception as e:
        print(type(e).__name__ + ":", str(e).replace(fixtures, ""))
for name in ["truncated.png", "truncated.jpg"]:
    try:
        Image.open(fixtures + name).load()
    except OSError as e:
        print("OSError:", e)
try:
    Image.open("no-such-file.png")
except FileNotFoundError as e:
    print("FileNotFoundError:", e)
