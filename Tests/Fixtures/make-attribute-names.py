"""Writes Tests/Fixtures/attribute-names.txt: the public attribute names of PyTorch's tensors, modules,
layers, module containers, optimizers, LR schedulers, datasets and DataLoaders ("family name" per line), the names the method-table
tests probe in dlx. Run with the reference Python (CPython 3.11, PyTorch 2.15):
    /tmp/ref/bin/python Tests/Fixtures/make-attribute-names.py > Tests/Fixtures/attribute-names.txt
"""
import torch, torch.nn as nn, torchvision
from torch.utils.data import DataLoader, TensorDataset

def public(obj):
    return sorted(n for n in dir(obj) if not n.startswith('_'))

model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
families = {
    'torch.Tensor': public(torch.randn(2, 3)),
    'torch.nn.Module': public(model),
    'torch.optim.Optimizer': public(opt),
    'torch.optim.lr_scheduler.LRScheduler': public(torch.optim.lr_scheduler.StepLR(opt, 1)),
    'torchvision.datasets.MNIST': sorted(set(public(torchvision.datasets.MNIST)) |
                                         {'classes', 'data', 'root', 'targets', 'train', 'transform', 'target_transform'}),
    'torch.utils.data.DataLoader': public(DataLoader(TensorDataset(torch.zeros(4)), batch_size=2)),
}
module_names = set(public(nn.Module()))
for layer in [nn.Linear(4, 2), nn.Conv2d(1, 25, 3), nn.Flatten(), nn.Dropout(0.2), nn.BatchNorm1d(16), nn.BatchNorm2d(16),
              nn.Softmax(dim=1), nn.LogSoftmax(dim=1), nn.ModuleList([nn.ReLU()]), nn.ModuleDict({'a': nn.ReLU()})]:
    families['torch.nn.' + type(layer).__name__] = [n for n in public(layer) if n not in module_names or n in ('weight', 'bias')]
for family, names in families.items():
    for n in names:
        print(family, n)
