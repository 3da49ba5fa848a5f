# PyTorch's torch.save / torch.load on the same state dicts as bench/save-load.dlx: median times, and the
# peak memory of saving and of loading 100 MB (each in a fresh process). Usage: python save-load.py
import os, resource, subprocess, sys, time
import torch, torch.nn as nn

def peak_mb():
    """Peak RSS since the last reset (VmHWM), in MB: import torch's own peak is reset away first."""
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

def reset_peak():
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")

if len(sys.argv) > 1:
    reset_peak()
    if sys.argv[1] in ("make", "save"):
        big = {"layer%d.weight" % i: torch.randn(1024, 1024) for i in range(25)}
        if sys.argv[1] == "save":
            torch.save(big, "bench-100mb.pt")
    elif sys.argv[1] == "load":
        sd = torch.load("bench-100mb.pt")
    print("%.0f" % peak_mb())
    sys.exit(0)

torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(1, 25, 3, stride=1, padding=1), nn.BatchNorm2d(25), nn.ReLU(), nn.MaxPool2d(2, stride=2),
    nn.Conv2d(25, 50, 3, stride=1, padding=1), nn.BatchNorm2d(50), nn.ReLU(), nn.Dropout(.2), nn.MaxPool2d(2, stride=2),
    nn.Conv2d(50, 75, 3, stride=1, padding=1), nn.BatchNorm2d(75), nn.ReLU(), nn.MaxPool2d(2, stride=2),
    nn.Flatten(), nn.Linear(75 * 3 * 3, 512), nn.Dropout(.3), nn.ReLU(), nn.Linear(512, 10))
cnn = model.state_dict()
big = {"layer%d.weight" % i: torch.randn(1024, 1024) for i in range(25)}

def median(f, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter(); f(); times.append(time.perf_counter() - start)
    return sorted(times)[runs // 2]

for name, sd, runs in [("cnn state dict (1.6 MB)", cnn, 21), ("100 MB state dict", big, 5)]:
    save = median(lambda: torch.save(sd, "bench-save-load.pt"), runs)
    size = os.path.getsize("bench-save-load.pt") / 1e6
    load = median(lambda: torch.load("bench-save-load.pt"), runs)
    print("pytorch %-24s %6.1f MB  save %7.1f ms  load %7.1f ms" % (name, size, save * 1000, load * 1000))
os.remove("bench-save-load.pt")
run = lambda mode: float(subprocess.run([sys.executable, __file__, mode], capture_output=True, text=True).stdout)
made, saved = run("make"), run("save")
loaded = run("load")
base = run("none")
print("pytorch 100 MB: peak RSS (after import torch) making %.0f MB, making+saving %.0f MB, loading %.0f MB, nothing %.0f MB" % (made, saved, loaded, base))
os.remove("bench-100mb.pt")
