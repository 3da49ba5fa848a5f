# NumPy 2.x's layout of arrays: ranks 0-4, wrapped rows, summarised arrays, empty arrays.
import torch


def show(label, a):
    print(label)
    print(a)
    print(repr(a))


# Ranks 0 to 4.
show("rank 0", torch.tensor(2.5, dtype=torch.float64).numpy())
show("rank 1", torch.arange(4, dtype=torch.float64).numpy())
show("rank 2", torch.arange(4, dtype=torch.float32).reshape(2, 2).numpy())
show("rank 3", torch.arange(12, dtype=torch.float64).reshape(2, 3, 2).numpy())
show("rank 4", torch.arange(16).reshape(2, 2, 2, 2).numpy())
show("rank 4 f32", (torch.arange(24, dtype=torch.float32).reshape(2, 3, 2, 2) / 4).numpy())
show("ones", torch.ones(1, 1, 1).numpy())
show("transposed", torch.arange(6).reshape(2, 3).numpy().T)

# Rows wider than the line wrap, indented under the first element.
show("wide f64", (torch.arange(30, dtype=torch.float64) / 7).numpy())
show("wide f32", (torch.arange(20, dtype=torch.float32) * 1.25).numpy())
show("wide 2d", (torch.arange(40, dtype=torch.float64).reshape(2, 20) * 1.5).numpy())
show("wide 3d", (torch.arange(60).reshape(2, 2, 15) * 100001).numpy())
show("wide sci", (torch.arange(1, 16, dtype=torch.float64) * 1e9).numpy())
show("exactly at width", torch.arange(100000, 100012).numpy())
show("int32 wide", torch.arange(100000, 100012, dtype=torch.int32).numpy())

# More than 1000 elements: corners only, with "...".
show("arange 2000", torch.arange(2000).reshape(40, 50).numpy())
show("arange 1001", torch.arange(1001).numpy())
show("float 2x1000", torch.arange(2000, dtype=torch.float64).reshape(2, 1000).numpy())
show("3d summary", torch.arange(3000, dtype=torch.float32).reshape(10, 10, 30).numpy())
show("4d summary", torch.arange(4096).reshape(8, 8, 8, 8).numpy())
show("bool summary", (torch.arange(1200) % 2 == 0).numpy())
show("uint8 summary", torch.zeros(20, 60, dtype=torch.uint8).numpy())
show("summary small axis", torch.arange(1500).reshape(3, 500).numpy())
torch.manual_seed(0)
show("randn 40x30", torch.randn(40, 30, dtype=torch.float64).numpy())
show("randn f32 1200", torch.randn(1200).numpy())

# Empty arrays.
show("empty f64", torch.zeros(0, dtype=torch.float64).numpy())
show("empty f32", torch.zeros(0).numpy())
show("empty 0x3", torch.zeros(0, 3, dtype=torch.float64).numpy())
show("empty 2x0", torch.zeros(2, 0).numpy())
show("empty int64", torch.zeros(0, dtype=torch.int64).numpy())
show("empty bool", torch.zeros(3, 0, 2, dtype=torch.bool).numpy())

# A dtype suffix that does not fit on the last line goes to the next one.
show("suffix wraps", (torch.arange(6, dtype=torch.float32) * 1.125 + 1000).numpy())
show("suffix stays", (torch.arange(9, dtype=torch.float32) * 1.125 + 1000).numpy())
show("shape and dtype wrap", torch.arange(1100, dtype=torch.int32).reshape(11, 100).numpy())
show("long words", (torch.arange(1, 5, dtype=torch.float64) * -1.2345678901e-300).numpy())
show("row of dots wraps", (torch.arange(1010, dtype=torch.float64) * 1.23456789e-9).reshape(1, 1010).numpy())
show("suffix fits", (torch.arange(11, dtype=torch.int32) + 100000).numpy())
