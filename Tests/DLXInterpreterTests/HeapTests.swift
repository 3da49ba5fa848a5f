import Testing
import CSupport
@testable import DLXInterpreter

/// The cycle collector (Memory/Heap.swift): garbage cycles are freed during a session, and nothing a program
/// can still reach -- through a variable, a shared buffer, a tuple, an object the collector does not look into
/// -- is ever cleared.
@Suite struct HeapTests {
    /// The premise of trial deletion: Swift's runtime counts each strong reference once.
    @Test func theRuntimeCountsStrongReferences() {
        final class Box {}
        let a = Box()
        let address = Unmanaged.passUnretained(a).toOpaque()
        #expect(swift_retainCount(address) == 1)
        let b = a
        #expect(swift_retainCount(address) == 2)
        withExtendedLifetime(b) {}
        withExtendedLifetime(a) {}
    }

    @Test func aDroppedCycleIsFreedByCollect() throws {
        let h = Harness()
        try h.run("import gc\n_ = gc.collect()\nclass Node:\n    def __init__(self):\n        self.me = self\n        self.cb = self.f\n        self.items = [self, (self, {'n': self})]\n    def f(self):\n        return 1\n")
        let before = h.session.heap.count
        try h.run("for i in range(50):\n    n = Node()\ndel n\n")
        #expect(h.session.heap.count > before + 100)
        #expect(try h.run("print(gc.collect() > 0)") == "True\n")
        #expect(h.session.heap.count <= before + 2)
    }

    @Test func whatAVariableStillReachesKeepsItsContents() throws {
        let h = Harness()
        let out = try h.run("""
        import gc
        a = [1]; a.append(a)
        b = a
        del a
        class C:
            pass
        c = C(); c.me = c; c.data = [c, 2]
        keep = c.data
        del c
        _ = gc.collect()
        print(b[0], b[1] is b, keep[1], keep[0].me is keep[0], keep[0].data is keep)
        """)
        #expect(out == "1 True 2 True True\n")
    }

    /// Two lists (or dicts) made by copying share one buffer until one is written; an object held by that buffer
    /// and by a variable must not look held by the two lists alone.
    @Test func sharedBuffersAreNotCountedTwice() throws {
        let h = Harness()
        let out = try h.run("""
        import gc
        class C:
            pass
        x = C(); x.value = 42
        y = C()
        a = [x, y]
        b = a.copy()
        y.a = a; y.b = b
        d = {"x": x, "y": y}
        e = d.copy()
        y.d = d; y.e = e
        del a, b, d, e, y
        print(gc.collect() > 0, x.value)
        """)
        #expect(out == "True 42\n")
    }

    @Test func tuplesAreLookedInto() throws {
        let h = Harness()
        let out = try h.run("""
        import gc
        class C:
            pass
        _ = gc.collect()
        c = C(); c.t = (1, (c, [c]))
        del c
        print(gc.collect() > 0)
        k = C(); k.t = (k,)
        t = k.t
        del k
        _ = gc.collect()
        print(t[0].t is t or t[0].t == t)
        """)
        #expect(out == "True\nTrue\n")
    }

    /// A container the collector does not look into (a named tuple) counts as a holder from outside.
    @Test func objectsHeldByUnseenContainersAreKept() throws {
        let h = Harness()
        let out = try h.run("""
        import gc
        from collections import namedtuple
        class C:
            pass
        P = namedtuple("P", "item")
        c = C(); c.me = c; c.name = "kept"
        q = P(c)
        del c
        _ = gc.collect()
        print(q.item.name, q.item.me is q.item)
        """)
        #expect(out == "kept True\n")
    }

    @Test func setsDequesPartialsAndDecoratorsInCyclesAreFreed() throws {
        let h = Harness()
        try h.run("""
        import gc, functools
        from collections import deque
        class C:
            def __init__(self):
                self.q = deque([self])
                self.p = functools.partial(self.f, 1)
                self.s = {self}
            def f(self, x):
                return x
            @property
            def twice(self):
                return 2
            @staticmethod
            def make():
                return C()
        def build():
            class Local:
                @classmethod
                def make(cls):
                    return cls()
            return Local.make()
        _ = gc.collect()
        """)
        let before = h.session.heap.count
        try h.run("for i in range(30):\n    C.make()\n    build()\n")
        #expect(h.session.heap.count > before + 100)
        try h.run("_ = gc.collect()")
        #expect(h.session.heap.count <= before + 2)
        #expect(try h.run("c = C()\n_ = gc.collect()\nprint(c.p(), c.twice, len(c.s), c.q[0] is c)\n") == "1 2 1 True\n")
    }

    @Test func framesAndClosuresInCyclesAreFreed() throws {
        let h = Harness()
        try h.run("import gc\ndef make():\n    fs = []\n    def f():\n        return fs\n    fs.append(f)\n    return 1\n_ = gc.collect()\n")
        let before = h.session.heap.count
        try h.run("for i in range(100):\n    make()\n")
        #expect(h.session.heap.count > before + 200)
        try h.run("_ = gc.collect()")
        #expect(h.session.heap.count <= before + 2)
    }

    @Test func userModulesInCyclesAreFreedAndLiveOnesWork() throws {
        let h = Harness()
        let out = try h.run("""
        import gc, torch
        import torch.nn as nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(2, 1)
                self.act = self.helper
            def helper(self, x):
                return x
            def forward(self, x):
                return self.act(self.fc(x))
        for i in range(20):
            Net()
        print(gc.collect() > 0)
        net = Net()
        _ = gc.collect()
        print(net(torch.zeros(1, 2)).shape)
        """)
        #expect(out == "True\ntorch.Size([1, 1])\n")
    }

    @Test func collectionsRunByThemselvesAsObjectsAreMade() throws {
        let h = Harness()
        try h.run("class C:\n    pass\nfor i in range(60000):\n    c = C()\n    c.me = c\n")
        // Without automatic collections 60,000 instances would be tracked (and leaked).
        #expect(h.session.heap.count < 2 * Heap.minimumThreshold + 100)
        // A loop whose body is one expression statement reaches a safe point at each statement too.
        try h.run("for i in range(60000):\n    (lambda a: a.append(a))([])\n")
        #expect(h.session.heap.count < 2 * Heap.minimumThreshold + 100)
        #expect(try h.run("import gc\nprint(gc.isenabled())\ngc.disable()\nprint(gc.isenabled())\ngc.enable()\n") == "True\nFalse\n")
    }

    @Test func theThresholdCanBeSetAsInPython() throws {
        let h = Harness()
        #expect(try h.run("import gc\ngc.set_threshold(1)\nprint(gc.get_threshold())\n") == "(1, 10, 10)\n")
        // Collecting before every statement changes nothing a program sees.
        let out = try h.run("""
        class Tree:
            def __init__(self, parent):
                self.parent = parent
                self.children = []
                if parent is not None:
                    parent.children.append(self)
        root = Tree(None)
        for i in range(5):
            Tree(Tree(root))
        print(len(root.children), root.children[2].children[0].parent.parent is root)
        """)
        #expect(out == "5 True\n")
        #expect(h.raised("gc.collect(3)") == "ValueError: invalid generation")
    }
}

/// A session is freed when its harness goes, whatever its code used (a cycle through the session itself would
/// keep every value it made).
@Suite struct SessionReleaseTests {
    @Test(arguments: [
        "x = 1",
        "import matplotlib.pyplot as plt",
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])",
        "import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()",
        "import numpy as np\na = np.arange(3)",
        "def g():\n    yield 1\n    yield 2\nit = g()\nnext(it)",
        "import torch\nx = torch.ones(2, requires_grad=True)\ny = torch.cat([x, x]).sum()",
        "import torch\nimport torch.nn as nn\nm = nn.Linear(2, 1)\nm(torch.ones(1, 2))",
        "m = nn.Linear(2, 1)\nopt = torch.optim.SGD(m.parameters(), lr=0.1)\nm(torch.ones(1, 2)).sum().backward()\nopt.step()",
        "m = nn.Linear(2, 1)\nopt = torch.optim.SGD(m.parameters(), lr=0.1)\nsched = torch.optim.lr_scheduler.StepLR(opt, 1)\nsched.step()",
        "from torch.utils.data import Dataset, DataLoader\nclass D(Dataset):\n    def __len__(self):\n        return 4\n    def __getitem__(self, i):\n        return torch.ones(2), i\nfor x, y in DataLoader(D(), batch_size=2):\n    pass",
        "from tqdm import tqdm\nfor i in tqdm(range(3)):\n    pass",
        "from PIL import Image\nimport numpy as np\nimg = Image.fromarray(np.zeros((4, 4), dtype=np.uint8))",
        "import functools, collections, itertools, json, random, math, copy, argparse, warnings, typing, os, sys, gc",
        "class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(2, 1)\n    def forward(self, x):\n        return self.fc(x)\nnet = Net()\nnet(torch.ones(1, 2))",
    ])
    func theSessionIsFreedAfterRunning(_ code: String) throws {
        weak var session: Session?
        weak var interpreter: Interpreter?
        do {
            let h = Harness()
            try h.run(code)
            session = h.session
            interpreter = h.interpreter
        }
        #expect(interpreter == nil)
        #expect(session == nil)
    }
}
