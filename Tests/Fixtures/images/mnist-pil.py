# torchvision MNIST without a transform gives PIL images; transforms on them. The expected output,
# mnist-pil.out, is what /tmp/ref/bin/python prints when run in a folder with data/MNIST/raw/ holding
# the four uncompressed MNIST files (gunzip -k data/mnist/*.gz there): PILImageTests compares dlx with it.
import torchvision, torch
from torchvision import transforms
ds = torchvision.datasets.MNIST("data", train=True, download=True)
img, y = ds[0]
print(type(img), y)
print(repr(img)[:45])
print(img.size, img.mode, img.width, img.height)
print(img.getpixel((14, 14)), img.getpixel((0,0)))
t = transforms.ToTensor()(img)
print(t.shape, t.dtype, t[0, 14, 10:16])
p = transforms.PILToTensor()(img)
print(p.shape, p.dtype, p[0, 14, 10:16])
r = img.convert("RGB")
print(r.getpixel((14,14)), r.convert("L").getpixel((14,14)))
s = img.resize((14, 14))
print(s.size, transforms.PILToTensor()(s)[0, 7])
s = img.resize((10, 13), 2)
print(s.size, transforms.PILToTensor()(s)[0, 6])
s = img.resize((40, 50), 0)
print(s.size, transforms.PILToTensor()(s)[0, 25, 10:30])
f = transforms.RandomHorizontalFlip(p=1.0)(img)
print(type(f), f.getpixel((13, 14)))
c = transforms.CenterCrop(10)(img)
print(c.size, c.getpixel((5,5)))
z = transforms.Resize(14)(img)
print(z.size, transforms.PILToTensor()(z)[0, 7])
q = transforms.ToPILImage()(t)
print(q.mode, q.size, q.getpixel((14,14)))
n = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])(img)
print(n.shape, n[0, 14, 12:14])
try:
    for b in torch.utils.data.DataLoader(ds, batch_size=4):
        pass
except TypeError as e:
    print("TypeError:", e)
ds2 = torchvision.datasets.MNIST("data", train=False, transform=transforms.ToTensor())
print(type(ds2[0][0]), ds2[0][0].shape)
ds3 = torchvision.datasets.MNIST("data", train=False, transform=transforms.Compose([transforms.Resize(14), transforms.ToTensor()]))
x3 = ds3[0][0]
print(x3.shape, (x3[0, 7] * 255 + 0.5).to(torch.uint8))
xb, yb = next(iter(torch.utils.data.DataLoader(ds3, batch_size=2)))
print(xb.shape, yb)
flipped = torchvision.datasets.MNIST("data", train=False, transform=transforms.RandomHorizontalFlip(p=1.0))
print(type(flipped[0][0]), flipped[0][0].getpixel((13, 14)), torchvision.datasets.MNIST("data", train=False, transform=transforms.CenterCrop(20))[0][0].size)
print(type(torch.utils.data.Subset(torchvision.datasets.MNIST("data", train=False), [0, 1])[1][0]))
