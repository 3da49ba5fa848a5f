# __future__ annotations, typing annotations, os.path, sys.argv, warnings, string/textwrap helpers,
# and the `if __name__ == "__main__":` guard.
from __future__ import annotations

import os
import os.path
import sys
import warnings
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

x: int = 3
names: list[str] = ["a", "b"]
lookup: Dict[str, int] = {"a": 1}
maybe: Optional[float] = None
later: int
print(x, names, lookup, maybe)
print(sorted(__annotations__))


def scale(values: list[int], factor: float = 2.0) -> list[float]:
    return [v * factor for v in values]


def pick(items: List[Any], key: Callable[[Any], int] | None = None) -> Tuple[Any, ...]:
    return tuple(sorted(items, key=key))


def describe(v: Union[int, str]) -> None:
    print("describe", v)


print(scale([1, 2]), pick([3, 1, 2]), pick(["bb", "a"], key=len))
print(describe(5))
print(scale.__annotations__)
print(type(scale.__annotations__["values"]).__name__)


class Config:
    lr: float = 0.1
    epochs: int = 3
    name: str

    def __init__(self, name: str) -> None:
        self.name = name


cfg = Config("run1")
print(cfg.lr, cfg.epochs, cfg.name, sorted(Config.__annotations__))

print(os.path.join("data", "mnist", "train.csv"), os.path.join("/root", "a/", "b"), os.path.join("a", "/abs"))
print(os.path.basename("/tmp/model.pt"), os.path.dirname("/tmp/sub/model.pt"), os.path.basename("dir/"))
print(os.path.splitext("archive.tar.gz"), os.path.splitext("noext"), os.path.splitext("/a/b.c/d"))
print(os.path.split("/x/y/z.txt"), os.path.isabs("/x"), os.path.isabs("x"), os.path.normpath("a/./b/../c"))
print(os.path.exists("/definitely/not/here/dlx"), os.path.exists(os.path.abspath(sys.argv[0])))
print(os.path.basename(sys.argv[0]), len(sys.argv), os.sep, type(sys.argv).__name__)
print(sys.version_info[0], sys.version_info >= (3, 8), __name__, type(sys.path).__name__)
print(os.path.basename(__file__))

warnings.warn("this goes to stderr")
warnings.warn("deprecated thing", DeprecationWarning)
print("after warnings")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    warnings.warn("recorded", UserWarning)
print(len(caught), str(caught[0].message), caught[0].category.__name__)
print("stdout only", file=sys.stdout)
print("stderr ignored", file=sys.stderr)
print("a", "b", sep="-", end="!\n")
print("no newline", end="")
print(" -> continued")
print()
print(*[1, 2, 3], sep=", ")


def main() -> int:
    print("main ran")
    return 0


if __name__ == "__main__":
    code = main()
    print("exit code", code)
