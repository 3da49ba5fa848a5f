import Testing
@testable import DLXInterpreter

/// Reference cycles Python's collector would free: a class and its MRO, a class and its methods, functions and the
/// frame they close over, a list holding itself. dlx frees them when a call ends (a call's own closures) or when the
/// session ends (what the session still holds).
@Suite struct TeardownTests {
    /// Runs `code` in a session of its own and gives weak references to the objects named, after the session ended.
    private func survivors(_ code: String, _ names: [String]) throws -> [String] {
        final class Weak { weak var object: AnyObject?; init(_ o: AnyObject?) { object = o } }
        var held: [(String, Weak)] = []
        do {
            let h = Harness()
            try h.run(code)
            for n in names {
                switch h.session.globals[n] {
                case .object(let o)?: held.append((n, Weak(o)))
                case .list(let l)?: held.append((n, Weak(l)))
                default: Issue.record("\(n) is not an object")
                }
            }
        }
        return held.filter { $0.1.object != nil }.map(\.0)
    }

    @Test func classesAndTheirMethodsGoWithTheSession() throws {
        #expect(try survivors("class A:\n    def f(self):\n        return A\nclass B(A):\n    pass\nb = B()\n", ["A", "B", "b"]) == [])
    }

    @Test func functionsAndModuleLevelCyclesGoWithTheSession() throws {
        let code = "def outer():\n    def inner():\n        return inner\n    return inner\nkept = outer()\na = [1]\na.append(a)\n"
        #expect(try survivors(code, ["outer", "kept", "a"]) == [])
    }

    @Test func aClassIsNotItsOwnOwner() throws {
        let h = Harness()
        try h.run("class A:\n    pass\n")
        weak var weakClass: PyClass?
        do {
            guard case .object(let o)? = h.session.globals["A"] else { Issue.record("no class"); return }
            weakClass = o as? PyClass
        }
        #expect(weakClass != nil)
        h.session.globals["A"] = nil
        #expect(weakClass == nil)
    }
}
