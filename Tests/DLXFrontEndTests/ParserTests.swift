import Testing
@testable import DLXFrontEnd

@Suite struct ParserTests {
    func expr(_ s: String) throws -> ExprKind {
        let stmts = try Parser.parse(s)
        guard case .expression(let e) = stmts[0].kind else { Issue.record("not an expression"); return .none }
        return e.kind
    }

    @Test func powerBindsTighterThanUnaryMinus() throws {
        guard case .unary(.negate, let inner) = try expr("-2 ** 2"), case .binary(.power, _, _) = inner.kind else {
            Issue.record("wrong tree"); return
        }
    }

    @Test func multiplicationBeforeAddition() throws {
        guard case .binary(.add, _, let right) = try expr("1 + 2 * 3"), case .binary(.multiply, _, _) = right.kind else {
            Issue.record("wrong tree"); return
        }
    }

    @Test func chainedComparisonKeepsAllOperators() throws {
        guard case .compare(_, let rest) = try expr("a < b <= c") else { Issue.record("not a comparison"); return }
        #expect(rest.map(\.0) == [.less, .lessEqual])
    }

    @Test func notInAndIsNotAreSingleOperators() throws {
        guard case .compare(_, let rest) = try expr("a not in b") else { Issue.record("not a comparison"); return }
        #expect(rest[0].0 == .notIn)
        guard case .compare(_, let r2) = try expr("a is not None") else { Issue.record("not a comparison"); return }
        #expect(r2[0].0 == .isNot)
    }

    @Test func subscriptWithSlicesNoneAndEllipsis() throws {
        guard case .subscript(_, let items) = try expr("x[None, ::2, ..., 1:3]") else { Issue.record("not a subscript"); return }
        #expect(items.count == 4)
        guard case .none = items[0].kind, case .slice(nil, nil, .some) = items[1].kind, case .ellipsis = items[2].kind else {
            Issue.record("wrong items"); return
        }
    }

    @Test func callWithKeywordsAndSplat() throws {
        guard case .call(_, let args) = try expr("f(1, *xs, dim=0)") else { Issue.record("not a call"); return }
        #expect(args.count == 3)
        guard case .star = args[1].kind, case .keyword("dim") = args[2].kind else { Issue.record("wrong arguments"); return }
    }

    @Test func loadCommandTakesPathArgumentsAndIndex() throws {
        guard case .load(let path, nil, .some) = try expr("load mnist[3]") else { Issue.record("not load"); return }
        #expect(path == ["mnist"])
        guard case .load(let p2, .some(let args), nil) = try expr("load idx('a', 'b')") else { Issue.record("not load"); return }
        #expect(p2 == ["idx"])
        #expect(args.count == 2)
        guard case .load(let p3, nil, nil) = try expr("load mnist.test") else { Issue.record("not load"); return }
        #expect(p3 == ["mnist", "test"])
    }

    @Test func loadAloneIsAName() throws {
        guard case .name("load") = try expr("load") else { Issue.record("not a name"); return }
    }

    @Test func tupleUnpackingAssignment() throws {
        guard case .assign(let targets, _) = try Parser.parse("x, y = t")[0].kind, case .tuple(let items) = targets[0].kind else {
            Issue.record("not a tuple assignment"); return
        }
        #expect(items.count == 2)
    }

    @Test func semicolonsSeparateStatements() throws {
        #expect(try Parser.parse("a = 1; b = 2; a + b").count == 3)
    }

    @Test func importForms() throws {
        guard case .importModules(let names) = try Parser.parse("import torch.nn as nn")[0].kind else { Issue.record("not import"); return }
        #expect(names[0].path == ["torch", "nn"])
        #expect(names[0].alias == "nn")
        guard case .importFrom(let m, let ns) = try Parser.parse("from torch.utils.data import Dataset, DataLoader")[0].kind else {
            Issue.record("not from-import"); return
        }
        #expect(m == ["torch", "utils", "data"])
        #expect(ns.map { $0.path[0] } == ["Dataset", "DataLoader"])
    }

    @Test func lambdaParsesAsAFunctionReturningItsExpression() throws {
        let s = try Parser.parse("f = lambda x, *rest, k=1: x")
        guard case .assign(_, let value) = s[0].kind, case .lambda(let def) = value.kind else { Issue.record("not a lambda"); return }
        #expect(def.parameters.map { $0.name } == ["x", "rest", "k"])
        #expect(def.parameters.map { $0.kind } == [.positional, .varArgs, .keywordOnly])
    }

    @Test func asyncIsRejectedClearly() {
        do { _ = try Parser.parse("async def f(): pass"); Issue.record("no error") } catch {
            #expect(error.message == "'async' (asynchronous code) is not supported in dlx")
        }
    }

    @Test func assigningToACallIsAnError() {
        do { _ = try Parser.parse("f() = 1"); Issue.record("no error") } catch {
            #expect(error.message == "cannot assign to function call")
        }
    }

    @Test func blocksParse() throws {
        let s = try Parser.parse("for i in range(3):\n    x = i\n    if x:\n        pass\nprint(x)\n")
        #expect(s.count == 2)
        guard case .forLoop(_, _, let body, nil) = s[0].kind else { Issue.record("not a for loop"); return }
        #expect(body.count == 2)
    }

    @Test func fStringFieldsParse() throws {
        guard case .fstring(let parts) = try expr("f'loss {x:.4f} and {y!r}'") else { Issue.record("not an f-string"); return }
        #expect(parts.count == 4)
    }

    @Test func errorsCarryTheirPosition() {
        do { _ = try Parser.parse("x = (1 +)", firstLine: 5); Issue.record("no error") } catch {
            #expect(error.span.start.line == 5)
            #expect(error.span.start.column == 9)
        }
    }
}
