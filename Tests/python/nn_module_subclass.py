# nn.Module subclasses: repr of a user Net, nested user blocks, parameter names and shapes,
# parameter counts, state_dict keys (with batch-norm buffers), register_buffer, nn.Parameter order.
import torch
import torch.nn as nn
import torch.nn.functional as F


class MyConvBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.model = nn.Sequential(
            nn.Conv2d(cin, cout, kernel_size=3, padding=1),
            nn.BatchNorm2d(cout),
            nn.ReLU(),
        )

    def forward(self, x):
        return self.model(x)


class Net(nn.Module):
    def __init__(self, num_classes=10):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 8, 3)
        self.bn1 = nn.BatchNorm2d(8)
        self.block = MyConvBlock(8, 16)
        self.pool = nn.MaxPool2d(2)
        self.dropout = nn.Dropout(0.25)
        self.fc1 = nn.Linear(16 * 13 * 13, 32)
        self.fc2 = nn.Linear(32, num_classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.pool(self.block(x))
        x = torch.flatten(x, 1)
        x = self.dropout(F.relu(self.fc1(x)))
        return self.fc2(x)


torch.manual_seed(0)
model = Net()
print(model)
for name, p in model.named_parameters():
    print(name, tuple(p.shape), p.requires_grad)
print(len(list(model.parameters())), sum(p.numel() for p in model.parameters()))
print(sum(p.numel() for p in model.parameters() if p.requires_grad))
keys = list(model.state_dict().keys())
print(len(keys))
for k in keys:
    print(k)
sd = model.state_dict()
print(sd["bn1.num_batches_tracked"], sd["block.model.1.running_mean"].shape, sd["bn1.running_var"].sum())
print(type(sd).__name__, isinstance(sd, dict))
out = model(torch.zeros(2, 1, 28, 28))
print(out.shape, out.dtype)
print(model.block(torch.zeros(1, 8, 5, 5)).shape)
print(model.conv1.weight.shape, model.fc2.bias.shape, model.block.model[0].out_channels)


class WithBuffers(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(3))
        self.register_buffer("mean", torch.zeros(3))
        self.lin = nn.Linear(3, 2)
        self.offset = nn.Parameter(torch.full((2,), 0.5))
        self.register_buffer("steps", torch.tensor(0))
        self.plain = torch.ones(1)

    def forward(self, x):
        self.steps += 1
        return self.lin((x - self.mean) * self.scale) + self.offset


wb = WithBuffers()
print(wb)
print([n for n, _ in wb.named_parameters()])
print([n for n, _ in wb.named_buffers()])
print(list(wb.state_dict().keys()))
print(wb(torch.zeros(4, 3)).shape, wb.steps.item())
print(wb(torch.zeros(1, 3)).shape, wb.steps)
print(type(wb.scale).__name__, isinstance(wb.scale, torch.Tensor), wb.scale.requires_grad, wb.mean.requires_grad)
print(sum(p.numel() for p in wb.parameters()), sum(b.numel() for b in wb.buffers()))
print(hasattr(wb, "plain"), "plain" in wb.state_dict())
