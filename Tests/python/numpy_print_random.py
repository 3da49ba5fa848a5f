# NumPy 2.x's printing of seeded random arrays of every dtype (dlx draws PyTorch's numbers for a seed).
import torch


def show(label, a):
    print(label)
    print(a)
    print(repr(a))


torch.manual_seed(0)
show("randn 3x4x5", torch.randn(3, 4, 5).numpy())
show("rand * 1e5", (torch.rand(5, 5, dtype=torch.float64) * 1e5).numpy())
show("randn > 0", (torch.randn(4, 4) > 0).numpy())
show("randint uint8", torch.randint(0, 256, (6, 20)).to(torch.uint8).numpy())
show("randint int32", torch.randint(-1000, 1000, (3, 30), dtype=torch.int32).numpy())
show("randn rank 4", torch.randn(2, 3, 2, 4, dtype=torch.float64).numpy())
show("randn * 1e-6 2d", (torch.randn(3, 5) * 1e-6).numpy())
show("randn * 1e12 2d", (torch.randn(3, 3, dtype=torch.float64) * 1e12).numpy())
show("randn 50x50", torch.randn(50, 50).numpy())
show("randn 11x11x11", torch.randn(11, 11, 11, dtype=torch.float64).numpy())
show("randint 2000", torch.randint(-10**6, 10**6, (2000,)).numpy())
show("randn row", torch.randn(1, 1, 40).numpy())
