# Assorted torch names: version, mps, param_groups lr, in-place tensor ops, BCE losses, eye, randperm,
# LongTensor, true_divide, 0-d tensors in f-strings and %-formatting, 0-d tensor as a list index.
import torch
import torch.nn as nn
import torch.nn.functional as F

print(torch.__version__.split(".")[0], isinstance(torch.__version__, str))
print(torch.backends.mps.is_available())
print(torch.get_default_dtype(), torch.tensor(1.0).dtype, torch.tensor(1).dtype, torch.tensor(True).dtype)

w = nn.Parameter(torch.tensor([1.0, 2.0]))
opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
print(opt.param_groups[0]["lr"], opt.param_groups[0]["momentum"], len(opt.param_groups))
print(sorted(k for k in opt.param_groups[0] if k in ("lr", "momentum", "weight_decay", "params")))
for group in opt.param_groups:
    group["lr"] = group["lr"] * 0.5
print(opt.param_groups[0]["lr"], opt.defaults["lr"])

t = torch.tensor([1.0, -2.0, 3.0])
t.add_(1)
print(t)
t.mul_(2)
print(t)
t.sub_(torch.tensor([1.0, 1.0, 1.0]))
print(t)
t.div_(2)
print(t)
t.clamp_(min=0.0, max=3.0)
print(t)
r = t.add_(10).mul_(0.5)
print(r is t, t)
u = torch.ones(2, 2)
u.zero_()
u.fill_(3)
u.add_(torch.eye(2), alpha=2)
print(u)

pred = torch.tensor([0.9, 0.2, 0.6, 0.4])
target = torch.tensor([1.0, 0.0, 1.0, 0.0])
print(f"{F.binary_cross_entropy(pred, target).item():.4f}")
print(round(F.binary_cross_entropy(pred, target, reduction="sum").item(), 4))
logits = torch.tensor([2.0, -1.0, 0.5, -0.5])
print(f"{nn.BCEWithLogitsLoss()(logits, target).item():.4f}")
print(f"{F.binary_cross_entropy_with_logits(logits, target, pos_weight=torch.tensor(2.0)).item():.4f}")
print(f"{nn.BCELoss()(torch.sigmoid(logits), target).item():.4f}")
print(nn.BCEWithLogitsLoss(), nn.BCELoss(reduction="sum"))

print(torch.eye(3))
print(torch.eye(2, 3), torch.eye(2, dtype=torch.long))
print(len(torch.randperm(7)), torch.randperm(5).dtype, sorted(torch.randperm(5).tolist()))
lt = torch.LongTensor([1, 2])
print(lt, lt.dtype, torch.FloatTensor([1, 2]), torch.LongTensor(2).shape)
print(torch.true_divide(torch.tensor([3, 4]), 2), torch.true_divide(torch.tensor(7), torch.tensor(2)))
print(torch.tensor([3, 4]) / 2, torch.tensor([7]) // 2, torch.div(torch.tensor([7, -7]), 2, rounding_mode="floor"))

z = torch.tensor(3.14159)
print(f"{z:.3f}", f"{z.item():.2f}", "%s" % z, "%.2f" % z, "%s" % torch.tensor(2), str(z), repr(z))
print(f"{torch.tensor(5)}", f"{torch.tensor([1, 2])}", "{:.1f}".format(torch.tensor(0.25)))
print(float(z) > 3, int(torch.tensor(7.9)), bool(torch.tensor(0)), round(z.item(), 1))
names = ["zero", "one", "two", "three"]
idx = torch.tensor(2)
print(names[idx], names[torch.argmax(torch.tensor([0.1, 0.7, 0.2]))], (10, 20, 30)[torch.tensor(1)])
print("%5s|" % "0", "%5s|" % torch.tensor(1), "%-6s|" % "ab")
print(torch.tensor([1.5, 2.5]).sum().item(), type(torch.tensor(2).item()).__name__, torch.tensor(2.0).item())
print(torch.arange(6).reshape(2, 3).T.contiguous().view(-1).tolist(), torch.tensor([[1, 2]]).numpy().tolist())
print(torch.zeros(2).new_ones(3), torch.full((2,), 7), torch.zeros_like(torch.eye(2)).sum())
print(torch.cat([torch.ones(1), torch.zeros(2)]), torch.stack([torch.ones(2), torch.zeros(2)]).shape)
print(torch.tensor([[1, 2], [3, 4]]).max(dim=1), torch.tensor([3, 1, 2]).sort())
