import Testing
@testable import DLXInterpreter

/// `copy`: CPython 3.11.7's shallow and deep copies (shared and self-containing structures kept), and
/// PyTorch's for tensors and models.
@Suite struct StdlibCopyTests {
    let h = Harness()

    init() throws { try h.run("import copy\nfrom collections import defaultdict, namedtuple, deque") }

    @Test func shallowAndDeepCopiesOfContainers() throws {
        let out = try h.run("""
            a = [1, [2, 3], {'k': [4]}]
            b = copy.copy(a)
            c = copy.deepcopy(a)
            a[1].append(99)
            a[2]['k'].append(5)
            a.append(6)
            print(a, b, c, b[1] is a[1], c[1] is a[1])
            shared = [1]
            d = copy.deepcopy([shared, shared])
            print(d[0] is d[1], d[0] is shared)
            loop = [1]
            loop.append(loop)
            l2 = copy.deepcopy(loop)
            print(l2[1] is l2, l2[1] is loop)
            dd = defaultdict(list, {'a': [1]})
            dd2 = copy.deepcopy(dd)
            dd2['b'].append(2)
            print(dd, dd2)
            P = namedtuple('P', 'x y')
            p = P([1], 2)
            p2 = copy.deepcopy(p)
            p2.x.append(3)
            q = copy.deepcopy(deque([[1]], maxlen=3))
            print(p, p2, copy.copy(p) is p, q)
            """)
        #expect(out == """
            [1, [2, 3, 99], {'k': [4, 5]}, 6] [1, [2, 3, 99], {'k': [4, 5]}] [1, [2, 3], {'k': [4]}] True False
            True False
            True False
            defaultdict(<class 'list'>, {'a': [1]}) defaultdict(<class 'list'>, {'a': [1], 'b': [2]})
            P(x=[1], y=2) P(x=[1, 3], y=2) False deque([[1]], maxlen=3)

            """)
    }

    @Test func deepcopyOfAModelHasFreshEqualParameters() throws {
        let out = try h.run("""
            _ = torch.manual_seed(0)
            model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.25), nn.Linear(4 * 13 * 13, 10))
            _ = model.eval()
            m2 = copy.deepcopy(model)
            x = torch.randn(2, 1, 28, 28)
            print(repr(m2) == repr(model), m2.training, m2[6].weight is model[6].weight, m2[6].weight.requires_grad, type(m2[6].weight))
            print(float((m2(x) - model(x)).abs().sum()), len(list(m2.parameters())))
            with torch.no_grad():
                m2[6].weight.fill_(0)
            print(float(model[6].weight.abs().sum()) > 0, copy.copy(model)[6] is model[6])
            """)
        #expect(out == "True False False True <class 'torch.nn.parameter.Parameter'>\n0.0 6\nTrue True\n")
    }

    @Test func tensorsCopyAsPyTorchPicklesThem() throws {
        let out = try h.run("""
            t = torch.ones(3, requires_grad=True)
            u = copy.deepcopy(t)
            v = copy.copy(t)
            with torch.no_grad():
                v[0] = 5
            print(u, t)
            """)
        #expect(out == "tensor([1., 1., 1.], requires_grad=True) tensor([5., 1., 1.], requires_grad=True)\n")
        h.expectErrors([
            ("copy.deepcopy(t * 2)", "RuntimeError", "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment.  If you were attempting to deepcopy a module, this may be because of a torch.nn.utils.weight_norm usage, see https://github.com/pytorch/pytorch/pull/103001"),
            ("copy.deepcopy(iter([1]))", "TypeError", "cannot pickle 'iterator' object"),
        ])
    }

    @Test func hostileNestingIsARecursionError() throws {
        try h.run("deep = []\nfor _ in range(5000):\n    deep = [deep]\nok = []\nfor _ in range(985):\n    ok = {'k': ok}")
        h.expectErrors([("copy.deepcopy(deep)", "RecursionError", "maximum recursion depth exceeded while calling a Python object")])
        #expect(try h.repr("copy.deepcopy(ok) == ok") == "True")
    }
}
