/// The syntax tree of the dlx language: Python's expression and statement forms that dlx supports,
/// plus the `load` command. It knows nothing of tensors.
public struct Expr: Sendable {
    public var kind: ExprKind
    public var span: SourceSpan
    public init(_ kind: ExprKind, _ span: SourceSpan) { self.kind = kind; self.span = span }
}

public indirect enum ExprKind: Sendable {
    case name(String)
    case int(Int)
    case float(Double)
    case string(String)
    case fstring([FStringPart])
    case bytes([UInt8])
    case bool(Bool)
    case none
    case ellipsis
    case list([Expr])
    case tuple([Expr])
    /// `{k: v, **m}`: a nil key is a `**m` entry, whose value is the mapping.
    case dict([(Expr?, Expr)])
    case attribute(Expr, String)
    /// `x[a, b]`: one entry per comma-separated index.
    case `subscript`(Expr, [Expr])
    case slice(Expr?, Expr?, Expr?)
    case call(Expr, [Argument])
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    /// Chained comparisons: `a < b < c`.
    case compare(Expr, [(CompareOp, Expr)])
    case and(Expr, Expr)
    case or(Expr, Expr)
    case not(Expr)
    case conditional(then: Expr, condition: Expr, otherwise: Expr)
    case starred(Expr)
    /// `load mnist.test`, `load idx("a.gz", "b.gz")`, `load mnist[3]` (the index belongs to the command).
    case load(path: [String], arguments: [Argument]?, index: Expr?)
    /// `[e for x in xs if c]`, `(e for x in xs)`, `{e for x in xs}`.
    case comprehension(kind: ComprehensionKind, element: Expr, clauses: [ComprehensionClause])
    /// `{k: v for x in xs}`.
    case dictComprehension(key: Expr, value: Expr, clauses: [ComprehensionClause])
    /// `{a, b}`.
    case set([Expr])
    /// `lambda x, y=1: x + y`: a function whose body returns one expression.
    case lambda(FunctionDef)
    /// `yield x` (nil: a bare `yield`).
    case yield(Expr?)
    case yieldFrom(Expr)
    /// `name := value`.
    case namedExpr(String, Expr)
}

public enum ComprehensionKind: Sendable { case list, generator, set }

public struct ComprehensionClause: Sendable {
    public var target: Expr
    public var iterable: Expr
    public var conditions: [Expr]
}

public enum FStringPart: Sendable {
    case text(String)
    case value(Expr, conversion: Character?, spec: [FStringPart])
}

public struct Argument: Sendable {
    public enum Kind: Sendable {
        case positional
        case keyword(String)
        case star
        case doubleStar
    }
    public var kind: Kind
    public var value: Expr
    public init(_ kind: Kind, _ value: Expr) { self.kind = kind; self.value = value }
}

public enum UnaryOp: String, Sendable { case negate = "-", plus = "+", invert = "~" }

public enum BinaryOp: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**"
    case matmul = "@", bitAnd = "&", bitOr = "|", bitXor = "^", leftShift = "<<", rightShift = ">>"
}

public enum CompareOp: String, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case isIn = "in", notIn = "not in", isSame = "is", isNot = "is not"
}

public struct Stmt: Sendable {
    public var kind: StmtKind
    public var span: SourceSpan
    public init(_ kind: StmtKind, _ span: SourceSpan) { self.kind = kind; self.span = span }
}

public struct ImportName: Sendable {
    public var path: [String]
    public var alias: String?
    public var span: SourceSpan
}

public struct Parameter: Sendable {
    /// Python's parameter kinds: `a`, `*args`, `b` after `*` (keyword-only), `**kwargs`.
    public enum Kind: Sendable { case positional, varArgs, keywordOnly, varKeywords }
    public var name: String
    public var defaultValue: Expr?
    public var span: SourceSpan
    public var kind: Kind = .positional
    /// `x: int`: kept for `__annotations__`, never checked.
    public var annotation: Expr? = nil
    public init(name: String, defaultValue: Expr?, span: SourceSpan, kind: Kind = .positional, annotation: Expr? = nil) {
        self.name = name; self.defaultValue = defaultValue; self.span = span; self.kind = kind; self.annotation = annotation
    }
}

/// `def name(parameters): body`, with its decorators; also the function of a `lambda`.
public struct FunctionDef: Sendable {
    public var name: String
    public var parameters: [Parameter]
    public var body: [Stmt]
    public var decorators: [Expr]
    /// The body contains `yield`: calling the function makes a generator.
    public var isGenerator: Bool
    public var span: SourceSpan
    /// `-> T`.
    public var returns: Expr? = nil
}

/// `class Name(bases): body`.
public struct ClassDef: Sendable {
    public var name: String
    public var bases: [Argument]
    public var body: [Stmt]
    public var decorators: [Expr]
    public var span: SourceSpan
}

/// `except Type as name: body`; a bare `except:` has no type.
public struct ExceptHandler: Sendable {
    public var type: Expr?
    public var name: String?
    public var body: [Stmt]
    public var span: SourceSpan
}

public indirect enum StmtKind: Sendable {
    case expression(Expr)
    /// `a = b = value`: every target gets the value.
    case assign(targets: [Expr], value: Expr)
    case augmentedAssign(target: Expr, op: BinaryOp, value: Expr)
    case importModules([ImportName])
    case importFrom(module: [String], names: [ImportName])
    case delete([Expr])
    case pass
    case ifElse(branches: [(condition: Expr, body: [Stmt])], otherwise: [Stmt]?)
    case forLoop(target: Expr, iterable: Expr, body: [Stmt], otherwise: [Stmt]?)
    case whileLoop(condition: Expr, body: [Stmt], otherwise: [Stmt]?)
    case breakLoop
    case continueLoop
    case function(FunctionDef)
    case classDef(ClassDef)
    case tryStatement(body: [Stmt], handlers: [ExceptHandler], otherwise: [Stmt]?, finally: [Stmt]?)
    /// `raise`, `raise X`, `raise X from Y`.
    case raise(Expr?, cause: Expr?)
    case nonlocal([String])
    /// `x: int = 3` (the annotation is evaluated and ignored, as Python does at module level).
    case annotated(target: Expr, annotation: Expr, value: Expr?)
    case returnValue(Expr?)
    case with(context: Expr, name: Expr?, body: [Stmt])
    case global([String])
    case assert(Expr, message: Expr?)
}
