# Module trees: children/named_children/modules/named_modules, train()/eval() propagation with
# self.training read in forward, extra_repr, nn.ModuleList / nn.ModuleDict reprs and indexing.
from collections import OrderedDict

import torch
import torch.nn as nn


class Scale(nn.Module):
    def __init__(self, factor, learnable=False):
        super().__init__()
        self.factor = factor
        self.learnable = learnable

    def extra_repr(self):
        return f"factor={self.factor}, learnable={self.learnable}"

    def forward(self, x):
        if self.training:
            return x * self.factor
        return x


class Tower(nn.Module):
    def __init__(self, widths):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(widths, widths[1:])])
        self.heads = nn.ModuleDict({"cls": nn.Linear(widths[-1], 3), "reg": nn.Linear(widths[-1], 1)})
        self.scale = Scale(2.0)
        self.act = nn.Tanh()

    def forward(self, x, head="cls"):
        x = self.scale(x)
        for layer in self.layers:
            x = self.act(layer(x))
        return self.heads[head](x)


t = Tower([4, 8, 6])
print(t)
print(t.scale, repr(Scale(0.5, True)))
print([name for name, _ in t.named_children()])
print([type(m).__name__ for m in t.children()])
print([name for name, _ in t.named_modules()])
print([type(m).__name__ for m in t.modules()])
print(len(t.layers), t.layers[0], t.layers[-1].out_features, type(t.layers).__name__)
print(t.heads["reg"], list(t.heads.keys()), "cls" in t.heads, len(t.heads))
print([k for k, _ in t.heads.items()], [type(v).__name__ for v in t.heads.values()])
print([name for name, _ in t.named_parameters()])

print(t.training, t.scale.training, t.layers[0].training)
t.eval()
print(t.training, t.scale.training, t.layers[0].training, t.heads["cls"].training)
x = torch.ones(2, 4)
print(t.scale(x)[0].tolist())
t.train()
print(t.training, t.scale.training, t.scale(x)[0].tolist())
t.train(False)
print(t.training, t.layers[1].training)
t.train()
t.scale.eval()
print(t.training, t.scale.training, t.layers[0].training)
print(t(x).shape, t(x, head="reg").shape, t(x, "reg").shape)

ml = nn.ModuleList()
ml.append(nn.ReLU())
ml.extend([nn.Sigmoid(), nn.Identity()])
ml.insert(0, nn.Linear(2, 2))
print(ml)
print(len(ml), [type(m).__name__ for m in ml], type(ml[1:]).__name__, len(ml[1:]))
md = nn.ModuleDict()
md["b"] = nn.ReLU()
md["a"] = nn.Linear(1, 1)
md.update({"c": nn.Dropout()})
print(md)
print(list(md), md.pop("b"), list(md.keys()))
seq = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
print(seq[0], seq[-1], len(seq), seq[1:], type(seq[1:]).__name__)
seq.append(nn.Softmax(dim=1))
print(seq)
print([name for name, _ in seq.named_children()])
named = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.ReLU())]))
print(named, named.fc, named[1])
print(nn.Sequential().__class__.__name__, len(nn.Sequential()))
