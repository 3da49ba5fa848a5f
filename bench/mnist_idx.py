"""MNIST for the PyTorch side of scripts/bench, read straight from the IDX files (no torchvision), and the
timed training epoch both PyTorch benchmarks run."""
import gzip, struct, time
import torch, torch.nn as nn

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

def timed_epoch(model, images, labels, batch_size=32):
    """One epoch of cross-entropy and Adam over a fresh permutation; returns the seconds it took."""
    loss_function = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters())
    model.train()
    start = time.perf_counter()
    order = torch.randperm(len(labels))
    for i in range(0, len(labels), batch_size):
        j = order[i:i + batch_size]
        x, y = images[j], labels[j]
        output = model(x)
        optimizer.zero_grad()
        loss = loss_function(output, y)
        loss.backward()
        optimizer.step()
    return time.perf_counter() - start
