# The same epoch as bench/cnn-fit.dlx (the lesson's network, batch 32, Adam), in PyTorch, for scripts/bench when
# PyTorch happens to be installed. Reads the IDX files directly (no torchvision); times training only.
import sys
import torch, torch.nn as nn
from mnist_idx import training_set, timed_epoch

images, labels = training_set(sys.argv[1] if len(sys.argv) > 1 else "data")
torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(1, 25, 3, stride=1, padding=1), nn.BatchNorm2d(25), nn.ReLU(), nn.MaxPool2d(2, stride=2),
    nn.Conv2d(25, 50, 3, stride=1, padding=1), nn.BatchNorm2d(50), nn.ReLU(), nn.Dropout(.2), nn.MaxPool2d(2, stride=2),
    nn.Conv2d(50, 75, 3, stride=1, padding=1), nn.BatchNorm2d(75), nn.ReLU(), nn.MaxPool2d(2, stride=2),
    nn.Flatten(), nn.Linear(75 * 3 * 3, 512), nn.Dropout(.3), nn.ReLU(), nn.Linear(512, 10))
seconds = timed_epoch(model, images, labels)
print("PyTorch cnn epoch: {:.2f} s, {:,.0f} img/s (torch {}, {} threads)".format(seconds, len(labels) / seconds, torch.__version__, torch.get_num_threads()))
