# The same epoch as bench/cnn-fit.dlx (the lesson's network, batch 32, Adam), in PyTorch, for scripts/bench when
# PyTorch happens to be installed. Reads the IDX files directly (no torchvision); times training only.
import sys, time
import torch, torch.nn as nn
from mnist_idx import training_set

images, labels = training_set(sys.argv[1] if len(sys.argv) > 1 else "data")
torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(1, 25, 3, stride=1, padding=1), nn.BatchNorm2d(25), nn.ReLU(), nn.MaxPool2d(2, stride=2),
    nn.Conv2d(25, 50, 3, stride=1, padding=1), nn.BatchNorm2d(50), nn.ReLU(), nn.Dropout(.2), nn.MaxPool2d(2, stride=2),
    nn.Conv2d(50, 75, 3, stride=1, padding=1), nn.BatchNorm2d(75), nn.ReLU(), nn.MaxPool2d(2, stride=2),
    nn.Flatten(), nn.Linear(75 * 3 * 3, 512), nn.Dropout(.3), nn.ReLU(), nn.Linear(512, 10))
loss_function = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters())
model.train()
start = time.perf_counter()
order = torch.randperm(len(labels))
for i in range(0, len(labels), 32):
    j = order[i:i + 32]
    x, y = images[j], labels[j]
    output = model(x)
    optimizer.zero_grad()
    loss = loss_function(output, y)
    loss.backward()
    optimizer.step()
seconds = time.perf_counter() - start
print("PyTorch cnn epoch: {:.2f} s, {:,.0f} img/s (torch {}, {} threads)".format(seconds, len(labels) / seconds, torch.__version__, torch.get_num_threads()))
