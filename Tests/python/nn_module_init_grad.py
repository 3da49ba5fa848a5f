# Module.apply with nn.init, type checks on modules, forward with extra args/kwargs,
# requires_grad_(False) and trainable counts, backward then zero_grad (grads become None).
import torch
import torch.nn as nn


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(4, 2)
        self.out = nn.Linear(2, 1)

    def forward(self, x, scale=1.0, *, add=0.0, return_features=False):
        f = self.features(x).flatten(1)
        y = self.out(self.fc(f)) * scale + add
        if return_features:
            return y, f
        return y


def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.constant_(m.weight, 0.5)
        nn.init.zeros_(m.bias)
    elif isinstance(m, nn.Conv2d):
        nn.init.ones_(m.weight)
        nn.init.constant_(m.bias, -1.0)


visited = []
torch.manual_seed(0)
h = Head()
returned = h.apply(lambda m: visited.append(type(m).__name__))
print(visited, returned is h)
h.apply(init_weights)
print(h.fc.weight.sum().item(), h.fc.bias.sum().item(), h.out.weight.tolist(), h.out.bias.item())
print(h.features[0].weight.sum().item(), h.features[0].bias.tolist())
print(h.features[1].weight.sum().item(), h.features[1].bias.sum().item())
print([type(m) == nn.Linear for m in h.modules()])
print(isinstance(h, nn.Module), isinstance(h.fc, nn.Module), isinstance(h.features, nn.Sequential))
print(type(h.features[2]) is nn.ReLU, isinstance(h.features[1], nn.modules.batchnorm._BatchNorm))
print(issubclass(Head, nn.Module), type(h).__name__, h.__class__.__bases__[0].__name__)

h.eval()
x = torch.ones(2, 3, 5, 5)
y = h(x)
r4 = lambda t: [round(v, 4) for v in t.flatten().tolist()]
print(y.shape, r4(y))
print(r4(h(x, 2.0)), r4(h(x, scale=0.0, add=3.0)))
y2, feats = h(x, return_features=True)
print(y2.shape, feats.shape, r4(feats[0]))
print(h.forward(x).shape, torch.equal(h.forward(x), h(x)))

total = sum(p.numel() for p in h.parameters())
trainable = lambda mod: sum(p.numel() for p in mod.parameters() if p.requires_grad)
print(total, trainable(h))
h.features.requires_grad_(False)
print(trainable(h), h.features[0].weight.requires_grad, h.fc.weight.requires_grad)
for p in h.fc.parameters():
    p.requires_grad = False
print(trainable(h), [n for n, p in h.named_parameters() if p.requires_grad])
h.requires_grad_(True)
print(trainable(h) == total)

h.train()
loss = h(x).sum()
loss.backward()
print(h.out.weight.grad is None, h.out.bias.grad.tolist(), h.fc.weight.grad.shape)
h.zero_grad()
print(h.out.weight.grad, h.fc.bias.grad, h.features[0].weight.grad)
opt = torch.optim.SGD(h.parameters(), lr=0.1)
h(x).sum().backward()
opt.zero_grad()
print(all(p.grad is None for p in h.parameters()))
h(x).sum().backward()
opt.zero_grad(set_to_none=False)
print(all(p.grad is not None and p.grad.abs().sum().item() == 0 for p in h.parameters()))
with torch.no_grad():
    z = h(x)
print(z.requires_grad, h(x).requires_grad, h(x).grad_fn is not None)
