# random_split, Subset, ConcatDataset, TensorDataset, transforms applied in __getitem__,
# and a DataLoader over these (no shuffling, so values are deterministic).
import torch
from torch.utils.data import ConcatDataset, DataLoader, Dataset, Subset, TensorDataset, random_split


class Range(Dataset):
    def __init__(self, start, stop, transform=None):
        self.values = list(range(start, stop))
        self.transform = transform

    def __len__(self):
        return len(self.values)

    def __getitem__(self, i):
        v = torch.tensor([float(self.values[i])])
        if self.transform is not None:
            v = self.transform(v)
        return v, self.values[i] % 2


base = Range(0, 10)
train, val = random_split(base, [8, 2], generator=torch.Generator().manual_seed(42))
print(len(train), len(val), type(train).__name__, train.dataset is base)
print(sorted(train.indices + val.indices) == list(range(10)))
a, b, c = random_split(base, [0.5, 0.3, 0.2], generator=torch.Generator().manual_seed(0))
print(len(a), len(b), len(c))
parts = random_split(Range(0, 7), [0.5, 0.5])
print([len(p) for p in parts])
try:
    random_split(base, [5, 6])
except ValueError as e:
    print("ValueError", e)

sub = Subset(base, [1, 3, 5])
print(len(sub), sub[0], sub[2], sub.indices, isinstance(sub, Dataset))
print([y for _, y in DataLoader(sub, batch_size=3)])
evens = Subset(base, range(0, 10, 2))
print(len(evens), [evens[i][0].item() for i in range(len(evens))])
nested = Subset(evens, [0, -1])
print(len(nested), nested[1][0].item())

cat = ConcatDataset([Range(0, 3), Range(100, 105), sub])
print(len(cat), cat.cumulative_sizes, cat[2][0].item(), cat[3][0].item(), cat[-1][0].item(), cat[7][0].item())
print(len(DataLoader(cat, batch_size=4)), [xb.flatten().tolist() for xb, _ in DataLoader(cat, batch_size=4)])
both = Range(0, 2) + Range(5, 6)
print(type(both).__name__, len(both))

td = TensorDataset(torch.arange(12).reshape(6, 2), torch.arange(6) * 10)
print(len(td), td[1], len(td.tensors), td.tensors[1].shape)
for xb, yb in DataLoader(td, batch_size=4):
    print(xb.shape, yb.tolist())

scaled = Range(0, 4, transform=lambda t: (t - 2) / 2)
print([scaled[i][0].item() for i in range(4)])


class Compose:
    def __init__(self, fns):
        self.fns = fns

    def __call__(self, x):
        for fn in self.fns:
            x = fn(x)
        return x


pipeline = Range(1, 4, transform=Compose([lambda t: t * 3, lambda t: t.repeat(2), torch.neg]))
print(pipeline[0], pipeline[2][0].tolist())
print(next(iter(DataLoader(pipeline, batch_size=3)))[0])
print(len(DataLoader(train, batch_size=3)), len(DataLoader(train, batch_size=3, drop_last=True)))
print(sum(len(xb) for xb, _ in DataLoader(train, batch_size=3, shuffle=True)))
g = torch.Generator().manual_seed(1)
print(sorted(int(i) for i in torch.randperm(10, generator=g)) == list(range(10)))
