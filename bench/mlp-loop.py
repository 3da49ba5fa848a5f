# The same epoch as bench/mlp-loop.dlx, in PyTorch, for scripts/bench when PyTorch happens to be installed.
import sys, time
import torch, torch.nn as nn
from mnist_idx import training_set

images, labels = training_set(sys.argv[1] if len(sys.argv) > 1 else "data")
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
