# What a notebook cell shows for a value: IPython's pretty printer, not repr.
import collections
import torch
import torch.nn as nn

type(3)
type("text")
nn.Linear
type(torch.zeros(1))
torch.Size
list(range(40))
[torch.zeros(2, 2), torch.ones(3)]
{"a": list(range(30)), "b": 2}
('T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot')
layers = [nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)]
layers
layers[:2]
collections.OrderedDict([("w" + str(i), i) for i in range(12)])
collections.OrderedDict()
collections.Counter("hello world, hello there general kenobi")
collections.defaultdict(list, {"a": [1, 2], "b": list(range(25))})
{1, 5, 3}
frozenset({2, 1})
set()
[[1, 2, 3] * 5, [4, 5] * 10, (1,)]
[list(range(10))] * 3
{"k": [torch.zeros(2, 3)]}
(1,)
[]
nested = [1, 2]
nested.append(nested)
nested
[1.5, "x" * 70, None, True]
{"weights": torch.ones(2, 2), "bias": torch.zeros(2)}
