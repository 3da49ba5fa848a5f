# torchvision transforms on PIL images: ToTensor, PILToTensor, Resize, CenterCrop, flips, ToPILImage, Compose.
import torch
from PIL import Image
from torchvision import transforms

a = (torch.arange(8 * 10, dtype=torch.int64).reshape(8, 10) * 7 % 256).to(torch.uint8).numpy()
im = Image.fromarray(a)
t = transforms.ToTensor()(im)
print(t.shape, t.dtype, [round(v, 4) for v in t[0, 1, :4].tolist()])
p = transforms.PILToTensor()(im)
print(p.shape, p.dtype, p[0, 1, :4].tolist())
print(transforms.PILToTensor(), transforms.ToPILImage(), transforms.Resize(4), transforms.CenterCrop(3), transforms.CenterCrop((3, 4)))

z = transforms.Resize(4)(im)
print(type(z), z.size, transforms.PILToTensor()(z)[0].tolist())
z = transforms.Resize((3, 7))(im)
print(z.size, transforms.PILToTensor()(z)[0].tolist())
c = transforms.CenterCrop(5)(im)
print(c.size, transforms.PILToTensor()(c)[0].tolist())
c = transforms.CenterCrop((4, 12))(im)
print(c.size, transforms.PILToTensor()(c)[0].tolist())
f = transforms.RandomHorizontalFlip(p=1.0)(im)
print(type(f), f.getpixel((0, 0)), im.getpixel((9, 0)))

back = transforms.ToPILImage()(t)
print(back.mode, back.size, back.getpixel((3, 1)))
rgb = transforms.ToPILImage()(torch.zeros(3, 2, 4) + 0.5)
print(rgb.mode, rgb.size, rgb.getpixel((0, 0)))
x = transforms.ToTensor()(rgb)
print(x.shape, [round(v, 4) for v in x[:, 0, 0].tolist()])

pipeline = transforms.Compose([transforms.Resize(6), transforms.CenterCrop(4), transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
y = pipeline(im)
print(y.shape, [round(v, 4) for v in y[0, 0].tolist()])

arr = torch.arange(2 * 3 * 3, dtype=torch.uint8).reshape(2, 3, 3).numpy()
print(transforms.ToTensor()(arr).shape, [round(v, 4) for v in transforms.ToTensor()(arr)[:, 1, 2].tolist()])

try:
    transforms.PILToTensor()(torch.zeros(3))
except TypeError as e:
    print("TypeError:", e)
try:
    transforms.Normalize((0.5,), (0.5,))(im)
except TypeError as e:
    print("TypeError:", e)
