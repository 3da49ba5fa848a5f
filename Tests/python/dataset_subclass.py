# Dataset subclasses and DataLoader collation: (tensor, int) tuples, floats, dicts, nested tuples,
# batch shapes and dtypes, drop_last, len(loader), iterating by index.
import torch
from torch.utils.data import DataLoader, Dataset


class Squares(Dataset):
    def __init__(self, n, transform=None):
        self.x = torch.arange(n * 2, dtype=torch.float32).reshape(n, 2)
        self.y = [i % 3 for i in range(n)]
        self.transform = transform

    def __len__(self):
        return len(self.y)

    def __getitem__(self, idx):
        x = self.x[idx]
        if self.transform:
            x = self.transform(x)
        return x, self.y[idx]


ds = Squares(10)
print(len(ds), isinstance(ds, Dataset), type(ds).__name__)
x0, y0 = ds[0]
print(x0, y0, type(y0).__name__, ds[9])
print([int(y) for _, y in ds][:5])
loader = DataLoader(ds, batch_size=4, shuffle=False)
print(len(loader), loader.batch_size, loader.drop_last)
for i, (xb, yb) in enumerate(loader):
    print(i, type(xb).__name__, tuple(xb.shape), xb.dtype, yb, yb.dtype)
first = next(iter(loader))
print(type(first).__name__, len(first))
print(first[0])
dl_drop = DataLoader(ds, batch_size=4, drop_last=True)
print(len(dl_drop), [tuple(b[0].shape) for b in dl_drop])
print(len(DataLoader(ds, batch_size=3)), len(DataLoader(ds, batch_size=10)), len(DataLoader(ds)))
print([b[1].tolist() for b in DataLoader(ds, batch_size=5)])

doubled = Squares(4, transform=lambda t: t * 2 + 1)
print(doubled[1], next(iter(DataLoader(doubled, batch_size=2)))[0])


class Mixed(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        return {"id": i, "score": i / 2, "pair": (i, float(i)), "name": "s" + str(i), "vec": torch.full((3,), i)}


mb = next(iter(DataLoader(Mixed(), batch_size=3)))
print(type(mb).__name__, list(mb.keys()))
print(mb["id"], mb["id"].dtype)
print(mb["score"], mb["score"].dtype)
print(type(mb["pair"]).__name__, mb["pair"][0], mb["pair"][1])
print(mb["name"], mb["vec"].shape, mb["vec"].dtype)
last = list(DataLoader(Mixed(), batch_size=3))[-1]
print(last["id"], last["name"])


class Plain(Dataset):
    def __init__(self):
        self.items = [(torch.tensor([i, i + 1]), torch.tensor(i % 2)) for i in range(6)]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


for xb, yb in DataLoader(Plain(), batch_size=4):
    print(xb.tolist(), yb, xb.dtype, yb.dtype)
as_list = next(iter(DataLoader([[1, 2], [3, 4], [5, 6]], batch_size=2)))
print(type(as_list).__name__, as_list)
print(next(iter(DataLoader([1.5, 2.5], batch_size=2))), next(iter(DataLoader([True, False], batch_size=2))))
print(next(iter(DataLoader(["a", "b", "c"], batch_size=2))))
print(next(iter(DataLoader(ds, batch_size=2, collate_fn=lambda batch: batch))))
print(next(iter(DataLoader(Plain(), batch_size=None))))
