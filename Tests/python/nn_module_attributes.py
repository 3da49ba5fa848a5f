import torch
import torch.nn as nn
m = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
m.name = "tiny"
m.head = nn.Linear(3, 1)
print(m)
print(m.name, len(list(m.parameters())), [n for n, _ in m.named_children()])
print(list(m.state_dict().keys()))
lin = nn.Linear(2, 2)
lin.tag = 5
print(lin.tag, lin)
print(m(torch.zeros(4, 2)).shape, len(m))
