# The same epoch as bench/mlp-loop.dlx, in PyTorch, for scripts/bench when PyTorch happens to be installed.
import sys
import torch, torch.nn as nn
from mnist_idx import training_set, timed_epoch

images, labels = training_set(sys.argv[1] if len(sys.argv) > 1 else "data")
torch.manual_seed(0)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
seconds = timed_epoch(model, images, labels)
print("PyTorch epoch: {:.2f} s, {:,.0f} img/s".format(seconds, len(labels) / seconds))
