import Testing
@testable import DLXInterpreter

/// User classes: attributes, inheritance, special methods, and the hostile cases that must stay errors.
@Suite struct ClassTests {
    @Test func methodsResolveThroughTheInheritanceChainAndSuper() throws {
        let h = Harness()
        try h.run("""
        class A:
            def who(self): return "A"
            def twice(self): return self.who() * 2
        class B(A):
            def who(self): return "B" + super().who()
        class C(B):
            def __init__(self): super(C, self).__init__()
        """)
        #expect(try h.repr("C().twice(), [k.__name__ for k in C.__mro__]") == "('BABA', ['C', 'B', 'A', 'object'])")
        #expect(try h.repr("isinstance(C(), A), issubclass(C, (int, B)), type(C()).__name__") == "(True, True, 'C')")
    }

    @Test func specialMethodsDriveOperatorsLenIterationAndContainment() throws {
        let h = Harness()
        try h.run("""
        class Bag:
            def __init__(self, *items): self.items = list(items)
            def __len__(self): return len(self.items)
            def __getitem__(self, i): return self.items[i]
            def __contains__(self, x): return x in self.items
            def __add__(self, other): return Bag(*(self.items + other.items))
            def __eq__(self, other): return isinstance(other, Bag) and self.items == other.items
            def __repr__(self): return f"Bag{tuple(self.items)}"
        b = Bag(1, 2) + Bag(3)
        """)
        #expect(try h.repr("b, len(b), list(b), 3 in b, b == Bag(1, 2, 3), b != Bag()") == "(Bag(1, 2, 3), 3, [1, 2, 3], True, True, True)")
    }

    @Test func propertiesStaticAndClassMethods() throws {
        let h = Harness()
        try h.run("""
        class T:
            scale = 2
            def __init__(self, c): self._c = c
            @property
            def f(self): return self._c * 9 / 5 + 32
            @f.setter
            def f(self, v): self._c = (v - 32) * 5 / 9
            @staticmethod
            def unit(): return "C"
            @classmethod
            def boiling(cls): return cls(100)
        t = T.boiling()
        t.f = 212
        """)
        #expect(try h.repr("t.f, t._c, T.unit(), t.unit(), T.scale") == "(212.0, 100.0, 'C', 'C', 2)")
    }

    @Test func userClassesPrintAsPythonDoes() throws {
        let h = Harness()
        try h.run("class Counter: pass")
        #expect(try h.repr("type(Counter())") == "<class '__main__.Counter'>")
        #expect(try h.repr("Counter()").hasPrefix("<__main__.Counter object at 0x"))
    }

    @Test func hostileClassesAreErrorsNotCrashes() throws {
        let h = Harness()
        // A recursive __repr__, __len__ returning nonsense, __getitem__ that raises, a class shadowing a built-in.
        try h.run("""
        class R:
            def __repr__(self): return repr(self)
        class L:
            def __len__(self): return -1
        class F:
            def __len__(self): return 2.5
        class G:
            def __getitem__(self, i): raise KeyError(i)
        class list:
            pass
        """)
        #expect(h.error("repr(R())")?.type == "RecursionError")
        #expect(h.error("len(L())")?.message == "__len__() should return >= 0")
        #expect(h.error("len(F())")?.message == "'float' object cannot be interpreted as an integer")
        #expect(h.error("G()[1]")?.type == "KeyError")
        #expect(try h.repr("type(list()).__name__") == "'list'")
        // A deep hierarchy works; a deep chain of calls through it ends in RecursionError.
        var chain = "class K0:\n    def depth(self): return 0\n"
        for k in 1..<40 { chain += "class K\(k)(K\(k - 1)):\n    def depth(self): return 1 + super().depth()\n" }
        try h.run(chain)
        #expect(try h.repr("K39().depth()") == "39")
        #expect(h.error("class X(X): pass")?.type == "NameError")
    }
}
