# torch.randint over ranges around PyTorch's 2**28 threshold: below it one 32-bit word modulo the range, from it a 64-bit draw.
import torch
for r in (2**31-1, 2**31, 2**31+1, 2**32-1, 2**32):
    torch.manual_seed(0)
    print(r, torch.randint(0, r, (3,)).tolist())
torch.manual_seed(0)
print(torch.randint(-10**9, 10**9, (5,)).tolist())
torch.manual_seed(0)
print(torch.randint(0, 3*10**9, (5,)).tolist())
torch.manual_seed(0)
print(torch.randint(0, 10**6, (5,)).tolist())
torch.manual_seed(0)
print(torch.randint(-10**9, 10**9, (20,)).tolist()[-3:])
for r in (2**28 - 1, 2**28):
    torch.manual_seed(3)
    print(r, torch.randint(-5, r - 5, (4,)).tolist(), torch.empty(3, dtype=torch.int64).random_(0, r).tolist())
