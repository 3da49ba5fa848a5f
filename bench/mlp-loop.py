# The same epoch as bench/mlp-loop.dlx, in PyTorch, for scripts/bench when PyTorch happens to be installed.
import gzip, struct, sys, time
import torch, torch.nn as nn

def idx(path):
    with gzip.open(path) as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)

root = sys.argv[1] if len(sys.argv) > 1 else "data"
images = idx(root + "/mnist/train-images-idx3-ubyte.gz").float().div(255).unsqueeze(1)
labels = idx(root + "/mnist/train-labels-idx1-ubyte.gz").long()
torch.manual_seed(0)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
loss_function = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters())
start = time.perf_counter()
order = torch.randperm(len(labels))
for i in range(0, len(labels), 32):
    idx_ = order[i:i + 32]
    x, y = images[idx_], labels[idx_]
    output = model(x)
    optimizer.zero_grad()
    loss = loss_function(output, y)
    loss.backward()
    optimizer.step()
seconds = time.perf_counter() - start
print("PyTorch epoch: {:.2f} s, {:,.0f} img/s".format(seconds, len(labels) / seconds))
