"""MNIST for the PyTorch side of scripts/bench, read straight from the IDX files (no torchvision)."""
import gzip, struct
import torch

def idx(path):
    with gzip.open(path) as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)

def training_set(root):
    """The 60,000 training images as floats in [0, 1], (N, 1, 28, 28), and their labels."""
    images = idx(root + "/mnist/train-images-idx3-ubyte.gz").float().div(255).unsqueeze(1)
    labels = idx(root + "/mnist/train-labels-idx1-ubyte.gz").long()
    return images, labels
