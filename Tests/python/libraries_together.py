# NumPy, PIL, torchvision transforms and pyplot together: arrays from images, images from arrays, ToTensor of an array.
import numpy as np
import torch
from PIL import Image
import matplotlib.pyplot as plt
from torchvision import datasets, transforms
img = Image.new("L", (4, 3), 7)
a = np.array(img)
print(a.shape, a.dtype, a[0, :2])
b = np.asarray(img)
print(b.sum())
im2 = Image.fromarray(np.zeros((2, 5), dtype=np.uint8))
print(im2.size, im2.mode)
t = transforms.ToTensor()(np.ones((2, 2, 3), dtype=np.uint8) * 255)
print(t.shape, t.dtype, t.max())
fig, ax = plt.subplots()
ax.imshow(img, cmap="gray")
plt.close()
print(np.float32(0.1), repr(np.float32(1e10)), np.array([1.5, 2.0], dtype=np.float32))
