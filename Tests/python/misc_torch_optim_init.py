# One or two steps of Adagrad/RMSprop/AdamW/Adadelta/Adam/SGD on a fixed parameter and gradient,
# optimizer reprs and state keys, lr schedulers, nn.init on fixed shapes, torchvision transforms.Lambda.
import torch
import torch.nn as nn
from torchvision import transforms


def two_steps(make_opt):
    p = nn.Parameter(torch.tensor([1.0, -2.0, 0.5]))
    opt = make_opt([p])
    for _ in range(2):
        opt.zero_grad()
        loss = (p * torch.tensor([1.0, 2.0, -3.0])).sum() + (p ** 2).sum()
        loss.backward()
        opt.step()
    return [f"{v:.4f}" for v in p.detach().tolist()], opt


for name, make in [
    ("SGD", lambda ps: torch.optim.SGD(ps, lr=0.1)),
    ("SGD-momentum", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True)),
    ("Adam", lambda ps: torch.optim.Adam(ps, lr=0.1)),
    ("AdamW", lambda ps: torch.optim.AdamW(ps, lr=0.1, weight_decay=0.1)),
    ("Adagrad", lambda ps: torch.optim.Adagrad(ps, lr=0.4)),
    ("RMSprop", lambda ps: torch.optim.RMSprop(ps, lr=0.01)),
    ("RMSprop-momentum", lambda ps: torch.optim.RMSprop(ps, lr=0.01, momentum=0.5, alpha=0.9)),
    ("Adadelta", lambda ps: torch.optim.Adadelta(ps, lr=1.0)),
    ("Adadelta-rho", lambda ps: torch.optim.Adadelta(ps, lr=0.5, rho=0.5)),
]:
    values, opt = two_steps(make)
    state = opt.state[opt.param_groups[0]["params"][0]]
    print(name, values, sorted(state.keys()))

_, adam = two_steps(lambda ps: torch.optim.Adam(ps, lr=0.01))
print(type(adam).__name__, adam.param_groups[0]["betas"], adam.param_groups[0]["eps"])
print(adam.state_dict()["param_groups"][0]["lr"], list(adam.state_dict().keys()))

p = nn.Parameter(torch.zeros(1))
opt = torch.optim.SGD([p], lr=1.0)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
lrs = []
for epoch in range(5):
    opt.step()
    sched.step()
    lrs.append(opt.param_groups[0]["lr"])
print(lrs, sched.get_last_lr())

w = torch.empty(3, 4)
nn.init.zeros_(w)
print(w.shape, w.sum().item())
nn.init.ones_(w)
print(w.sum().item())
nn.init.constant_(w, 0.25)
print(w.sum().item(), w[0].tolist())
nn.init.eye_(w)
print(w.tolist())
ret = nn.init.constant_(torch.empty(2), 7)
print(ret)
torch.manual_seed(0)
for fn in (nn.init.xavier_uniform_, nn.init.kaiming_normal_, nn.init.normal_, nn.init.uniform_):
    t = fn(torch.empty(16, 8))
    print(fn.__name__, tuple(t.shape), t.dtype, bool(torch.isfinite(t).all()))
u = nn.init.uniform_(torch.empty(1000), a=-0.5, b=0.5)
print(bool((u >= -0.5).all() and (u <= 0.5).all()))
print(nn.init.calculate_gain("relu"), nn.init.calculate_gain("tanh"), nn.init.calculate_gain("linear"))
lin = nn.Linear(3, 2)
with torch.no_grad():
    lin.weight.fill_(0.1)
    lin.bias.zero_()
print([round(v, 4) for v in lin(torch.ones(1, 3)).flatten().tolist()])

double = transforms.Lambda(lambda x: x * 2)
print(double(torch.tensor([1, 2])), double(3))
pipeline = transforms.Compose([transforms.Lambda(lambda x: x + 1), transforms.Lambda(lambda x: x.float() / 4)])
print(pipeline(torch.tensor([1, 3])))
print(transforms.Normalize((0.5,), (0.5,))(torch.ones(1, 2, 2)))
print(type(double).__name__)
