# torch.save / torch.load: state dicts (keys, _metadata, num_batches_tracked), load_state_dict's results and
# errors, optimizer and scheduler state dicts, a checkpoint resumed to the same bits, containers, and the
# weights-only refusal of a pickled module.
import os
import random
import torch
import torch.nn as nn

tag = random.randrange(10 ** 9)
def path(name):
    return os.path.join("/tmp", "dlx-ref-%d-%s" % (tag, name))

torch.manual_seed(0)
m = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
sd = m.state_dict()
print(list(sd.keys()))
print(sd["1.num_batches_tracked"].dtype, sd["1.num_batches_tracked"])
print(sd._metadata)
kv = m.state_dict(keep_vars=True)
print(kv["0.weight"].requires_grad, sd["0.weight"].requires_grad, type(kv["0.weight"]).__name__, type(sd["0.weight"]).__name__)

torch.save(sd, path("sd.pt"))
back = torch.load(path("sd.pt"))
print(type(back).__name__, list(back.keys()) == list(sd.keys()), back._metadata == sd._metadata)
print(all(torch.equal(back[k], sd[k]) and back[k].dtype == sd[k].dtype for k in sd))
print(m.load_state_dict(back))

del back["3.bias"]
back["extra"] = torch.zeros(1)
try:
    m.load_state_dict(back)
except RuntimeError as e:
    print(e)
r = m.load_state_dict(back, strict=False)
print(r)
print(r.missing_keys, r.unexpected_keys)
wrong = m.state_dict()
wrong["0.weight"] = torch.zeros(5, 3)
try:
    m.load_state_dict(wrong)
except RuntimeError as e:
    print(e)

# Loading copies into the parameters an optimizer already holds.
opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
w = m[0].weight
m.load_state_dict({k: v * 0 for k, v in m.state_dict().items()})
print(w is m[0].weight, m[0].weight.abs().sum().item())
print(opt.state_dict())
x = torch.ones(2, 3)
m(x).sum().backward()
opt.step()
s = opt.state_dict()
print(list(s["state"][0].keys()), s["param_groups"])
opt2 = torch.optim.Adam(m.parameters())
m(x).sum().backward()
opt2.step()
s2 = opt2.state_dict()
print(s2["state"][0]["step"], sorted(s2["state"][0]), s2["param_groups"])
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
opt.step()
sched.step()
print(sched.state_dict())
sched2 = torch.optim.lr_scheduler.StepLR(opt, step_size=3)
sched2.load_state_dict(sched.state_dict())
print(sched2.step_size, sched2.last_epoch, sched2.get_last_lr())
print(torch.optim.lr_scheduler.MultiStepLR(opt, [2, 5]).state_dict()["milestones"])

# Training N steps equals training k, saving a checkpoint, loading into fresh objects and training N - k.
def make(name):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))
    if name == "sgd":
        return model, torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    return model, torch.optim.Adam(model.parameters(), lr=0.01)

def train(model, opt, steps, start):
    for step in range(start, start + steps):
        torch.manual_seed(100 + step)
        xb = torch.randn(16, 4)
        yb = torch.randint(0, 3, (16,))
        loss = nn.functional.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return loss

for name in ["sgd", "adam"]:
    m1, o1 = make(name)
    train(m1, o1, 10, 0)
    m2, o2 = make(name)
    loss = train(m2, o2, 4, 0)
    torch.save({"epoch": 4, "model_state_dict": m2.state_dict(), "optimizer_state_dict": o2.state_dict(), "loss": loss.item()}, path("ckpt.pt"))
    m3, o3 = make(name)
    ck = torch.load(path("ckpt.pt"))
    m3.load_state_dict(ck["model_state_dict"])
    o3.load_state_dict(ck["optimizer_state_dict"])
    train(m3, o3, 6, ck["epoch"])
    same = all(torch.equal(a, b) for a, b in zip(m1.state_dict().values(), m3.state_dict().values()))
    print(name, same, sorted(ck), type(ck["loss"]).__name__)

# Containers and small values.
base = torch.arange(12.0).reshape(3, 4)
values = {"size": torch.Size([2, 3]), "device": torch.device("cpu"), "dtype": torch.float64, "set": {1, 2},
          "tuple": (1, 2.5, "x", None, True), "list": [base, base[1], base.t()], "ints": torch.tensor([1, 2], dtype=torch.int32),
          "flags": torch.tensor([True, False]), "bytes": torch.tensor([0, 255], dtype=torch.uint8), "big": 2 ** 40, "neg": -70000}
torch.save(values, path("values.pt"))
v = torch.load(path("values.pt"))
print({k: v[k] for k in ["size", "device", "dtype", "set", "tuple", "big", "neg"]})
print(v["list"][1], v["list"][2].stride(), v["list"][1].storage_offset(), v["ints"], v["flags"], v["bytes"])
v["list"][0][1, 0] = 100.0
print(v["list"][1][0].item(), v["list"][2][0, 1].item())

# A whole model needs weights_only=False; the default refuses it in PyTorch's words.
torch.save(m, path("model.pt"))
try:
    torch.load(path("model.pt"))
except Exception as e:
    print(type(e).__name__, str(e).split("\n")[-3].strip())
whole = torch.load(path("model.pt"), weights_only=False)
print(whole)
print(torch.equal(whole[0].weight, m[0].weight), whole[1].num_batches_tracked)

for name in ["sd.pt", "ckpt.pt", "values.pt", "model.pt"]:
    os.remove(path(name))
