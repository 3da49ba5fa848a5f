# NumPy 2.x's repr and str of float arrays (float64 and float32), built from torch tensors.
import torch


def show(label, a):
    print(label)
    print(a)
    print(repr(a))


def f64(values):
    return torch.tensor(values, dtype=torch.float64).numpy()


def f32(values):
    return torch.tensor(values, dtype=torch.float32).numpy()


# Fixed notation: trailing zeros dropped, integer parts right- and fractions left-aligned.
show("whole", f64([0.0, 1.0, 2.0, 3.0]))
show("halves", f64([1.0, 1.5, -2.25, 10.0]))
show("tenths", f64([0.1, 0.2, 0.30000000000000004]))
show("precision cut", f64([0.123456789012, 1.0, 2.5]))
show("rounding at 8", f64([0.999999999, 0.5]))
show("negative zero", f64([-0.0, 1.0, 0.0]))
show("all negative zero", f64([-0.0, -0.0]))
show("large fixed", f64([12345678.5, 1.5, 99999.25]))
show("near 1e8", f64([99999999.0, 100000.0]))
for v in [0.1, 1.0, -2.5, 1e-5, 1e8, 1e16, 123456789.0, 3.0, 0.0, -0.0]:
    show(f"0-d float64 {v}", torch.tensor(v, dtype=torch.float64).numpy())
    show(f"0-d float32 {v}", torch.tensor(v, dtype=torch.float32).numpy())

# Scientific notation: values past 1e8, below 1e-4, or spread more than 1000 times.
show("big", f64([1e8, 2e8]))
show("small", f64([1e-5, 2e-5, 3.5e-5]))
show("spread", f64([1.0, 1234.5]))
show("spread with zero", f64([0.0, 1.0, 1001.0]))
show("exponent 100", f64([1e-100, 1.0]))
show("exponent 300", f64([1e300, -1e-300, 5.0]))
show("long mantissa", f64([1.23456789012345e-7, 1.0]))
show("rounds up", f64([9.9999999999e-5, 1.0]))
show("mixed signs", f64([-1.5e9, 2.0, -3e-3]))

# nan and inf.
show("nan", f64([float("nan"), 1.0, 2.5]))
show("infs", f64([float("inf"), -float("inf"), 1.0]))
show("only nonfinite", f64([float("nan"), float("inf")]))
show("only nan", f64([float("nan")]))
show("neg inf sci", f64([-float("inf"), 1e-9, 1.0]))
show("nan sci", f64([float("nan"), 1e10]))

# float32 prints its own shortest digits.
show("f32 tenths", f32([0.1, 0.2, 0.3]))
show("f32 thirds", (torch.tensor([1.0, 2.0, 4.0], dtype=torch.float32) / 3).numpy())
show("f32 sci cutoff", f32([1e6, 1.0]))
show("f32 below cutoff", f32([999999.94, 1000.0]))
show("f32 small", f32([1e-4, 2e-4]))
show("f32 sci digits", f32([1e-5, 0.1234567]))
show("f32 sci padded", f32([0.1, 3.3e-5]))
show("f32 nan", f32([float("nan"), 0.5, -float("inf")]))

# Random values at several scales.
torch.manual_seed(0)
x = torch.randn(6, dtype=torch.float64)
show("randn", x.numpy())
show("randn * 1e9", (x * 1e9).numpy())
show("randn * 1e-6", (x * 1e-6).numpy())
show("randn * 100", (x * 100).numpy())
y = torch.randn(8)
show("randn f32", y.numpy())
show("randn f32 * 1e-5", (y * 1e-5).numpy())
show("randn f32 * 1e7", (y * 1e7).numpy())
show("randn f32 2x4", y.reshape(2, 4).numpy())
