import argparse

parser = argparse.ArgumentParser(description="Train a small convolutional network on MNIST with the settings a course script exposes on its command line.")
parser.add_argument("data", help="where the data is")
parser.add_argument("--epochs", type=int, default=5, help="number of epochs to train (default: %(default)s)")
parser.add_argument("--lr", type=float, default=0.01, metavar="LR")
parser.add_argument("--no-cuda", action="store_true", help="disables CUDA training")
parser.add_argument("--optimizer", choices=["sgd", "adam"], default="adam")
parser.add_argument("-v", "--verbose", action="count", default=0)
parser.add_argument("--layers", type=int, nargs="+", default=[32])

args = parser.parse_args(["mnist", "--epochs", "3", "--no-cuda", "-vv", "--layers", "8", "16"])
print(args)
print(args.epochs * 2, args.no_cuda, args.verbose, vars(args)["lr"], args.layers)
print(parser.parse_args(["d", "--lr=0.5", "--opt", "sgd"]))
known, rest = parser.parse_known_args(["d", "--extra", "1"])
print(known.data, rest)
print(parser.format_usage(), end="")
print(parser.format_help(), end="")
for bad in [["--epochs", "x", "d"], [], ["d", "--optimizer", "rms"], ["d", "--bogus"]]:
    try:
        parser.parse_args(bad)
    except SystemExit as e:
        print("exit", e.code)
ns = argparse.Namespace(a=1, b="x")
print(ns, ns.a, "b" in ns)
