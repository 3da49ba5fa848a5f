# NumPy 2.x's repr and str of integer and bool arrays, built from torch tensors.
import torch


def show(label, a):
    print(label)
    print(a)
    print(repr(a))


show("int64", torch.tensor([1, 22, 333]).numpy())
show("int64 negative", torch.tensor([-5, 10, -200]).numpy())
show("int64 big", torch.tensor([9223372036854775807, -9223372036854775807 - 1]).numpy())
show("int32", torch.tensor([7, -8, 9], dtype=torch.int32).numpy())
show("uint8", torch.tensor([0, 128, 255], dtype=torch.uint8).numpy())
show("int64 2d", torch.arange(12).reshape(3, 4).numpy())
show("int32 2d", torch.arange(-6, 6, dtype=torch.int32).reshape(3, 4).numpy())
show("uint8 3d", torch.arange(24, dtype=torch.uint8).reshape(2, 3, 4).numpy())
show("bool", torch.tensor([True, False, True]).numpy())
show("bool all true", torch.tensor([True, True]).numpy())
show("bool all false", torch.tensor([False]).numpy())
show("bool compare", (torch.arange(6).reshape(2, 3) > 2).numpy())
show("0-d int64", torch.tensor(5).numpy())
show("0-d int32", torch.tensor(-5, dtype=torch.int32).numpy())
show("0-d uint8", torch.tensor(200, dtype=torch.uint8).numpy())
show("0-d bool", torch.tensor(True).numpy())
show("0-d bool false", torch.tensor(False).numpy())
show("wide ints", (torch.arange(40) * 1000).numpy())
show("wide int32", torch.arange(30, dtype=torch.int32).numpy())
show("wide bools", (torch.arange(30) % 3 == 0).numpy())
show("wide uint8", torch.arange(0, 250, 10, dtype=torch.uint8).numpy())
