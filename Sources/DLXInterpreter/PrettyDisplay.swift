import DLXEngine

/// How a notebook shows a cell's value: IPython's pretty printer (`IPython.lib.pretty`, max width 79).
/// A list, tuple, dict or set that does not fit on a line breaks after each comma, its items indented
/// under the bracket; a value with a multi-line repr (a tensor) keeps its lines, indented to where it
/// starts; classes show as `int` or `torch.nn.modules.linear.Linear`. `print` and `repr` are unchanged.
extension Interpreter {
    public func displayText(_ v: Value, width: Int = 79) throws(DLXError) -> String {
        let p = PrettyPrinter(width: width)
        try pretty(v, p)
        p.flush()
        return p.output
    }

    private func pretty(_ v: Value, _ p: PrettyPrinter) throws(DLXError) {
        let id: ObjectIdentifier?
        switch v {
        case .list(let l): id = ObjectIdentifier(l)
        case .dict(let d): id = ObjectIdentifier(d)
        case .object(let o): id = ObjectIdentifier(o)
        default: id = nil
        }
        let cycle = id.map { p.inProgress.contains($0) } ?? false
        if let id, !cycle { p.inProgress.insert(id) }
        defer { if let id, !cycle { p.inProgress.remove(id) } }
        try checkReprDepth()
        switch v {
        case .list(let l):
            try sequence(l.items, "[", "]", cycle: cycle, p)
        case .tuple(let t):
            try sequence(t, "(", ")", cycle: cycle, p, oneTrailingComma: true)
        case .dict(let d):
            try dictionary(d, cycle: cycle, p)
        case .object(let t as TypeObject):
            p.text(t.qualified)
        case .object(let c as PyClass):
            p.text(c.qualifiedName == "builtins." + c.name ? c.name : c.qualifiedName)
        case .object(let s as SetObject):
            try set(s, cycle: cycle, p)
        default:
            try reprLines(v, p)
        }
    }

    /// A value shown by its repr, its lines kept (IPython's `_repr_pprint`).
    private func reprLines(_ v: Value, _ p: PrettyPrinter) throws(DLXError) {
        let lines = try repr(v).split(separator: "\n", omittingEmptySubsequences: false)
        p.beginGroup()
        for (i, line) in lines.enumerated() {
            if i > 0 { p.hardBreak() }
            p.text(String(line))
        }
        p.endGroup()
    }

    private func sequence(_ items: [Value], _ open: String, _ close: String, cycle: Bool, _ p: PrettyPrinter,
                          oneTrailingComma: Bool = false) throws(DLXError) {
        if cycle { p.text(open + "..." + close); return }
        p.beginGroup(indent: open.count, open: open)
        for (i, x) in items.enumerated() {
            if i > 0 { p.text(","); p.breakable() }
            if i >= PrettyPrinter.maxSequenceLength { p.text("..."); break }
            try pretty(x, p)
        }
        if oneTrailingComma && items.count == 1 { p.text(",") }
        p.endGroup(dedent: open.count, close: close)
    }

    private func dictionary(_ d: DictBox, cycle: Bool, _ p: PrettyPrinter) throws(DLXError) {
        switch d.flavor {
        case .plain: break
        case .ordered:
            try call(d.flavor.typeName, cycle: cycle, p, d.count == 0 ? [] : [.list(ListBox(zip(d.keys, d.values).map { .tuple([$0, $1]) }))])
            return
        case .counter, .defaulting:
            // Counter and defaultdict: the constructor around a plain dict (Counter's most common first).
            let plain = DictBox()
            let pairs = d.flavor.isCounter ? try mostCommon(d) : Array(zip(d.keys, d.values))
            for (k, x) in pairs { try plain.set(k, x) }
            if case .defaulting(let factory) = d.flavor {
                try call(d.flavor.typeName, cycle: cycle, p, [factory, .dict(plain)])
            } else {
                try call(d.flavor.typeName, cycle: cycle, p, d.count == 0 ? [] : [.dict(plain)])
            }
            return
        }
        if cycle { p.text("{...}"); return }
        p.beginGroup(indent: 1, open: "{")
        for (i, (k, x)) in zip(d.keys, d.values).enumerated() {
            if i > 0 { p.text(","); p.breakable() }
            if i >= PrettyPrinter.maxSequenceLength { p.text("..."); break }
            try pretty(k, p)
            p.text(": ")
            try pretty(x, p)
        }
        p.endGroup(dedent: 1, close: "}")
    }

    /// IPython's `CallExpression`: `Name(arg, ...)`, broken after commas when too wide.
    private func call(_ name: String, cycle: Bool, _ p: PrettyPrinter, _ args: [Value]) throws(DLXError) {
        let prefix = name + "("
        p.beginGroup(indent: prefix.count, open: prefix)
        if cycle {
            p.text("...")
        } else {
            for (i, a) in args.enumerated() {
                if i > 0 { p.text(","); p.breakable() }
                try pretty(a, p)
            }
        }
        p.endGroup(dedent: prefix.count, close: ")")
    }

    private func set(_ s: SetObject, cycle: Bool, _ p: PrettyPrinter) throws(DLXError) {
        let (open, close) = s.frozen ? ("frozenset({", "})") : ("{", "}")
        if cycle { p.text(open + "..." + close); return }
        if s.items.isEmpty { p.text(s.typeName + "()"); return }
        var items = s.items
        if items.count < PrettyPrinter.maxSequenceLength {
            // Sorted where the items compare (IPython's `_sorted_for_pprint`), else by their str, else as they are.
            if let sorted = try? sortedValues(items, key: nil, reverse: false) { items = sorted }
        }
        p.beginGroup(indent: open.count, open: open)
        for (i, x) in items.enumerated() {
            if i > 0 { p.text(","); p.breakable() }
            if i >= PrettyPrinter.maxSequenceLength { p.text("..."); break }
            try pretty(x, p)
        }
        p.endGroup(dedent: open.count, close: close)
    }
}

/// IPython's `RepresentationPrinter`: text and breakables are buffered until it is known whether the group
/// they belong to fits in the width; the outermost group that does not fit breaks at every breakable.
final class PrettyPrinter {
    static let maxSequenceLength = 1000

    final class Group {
        let depth: Int
        var breakables: [Breakable] = []
        var wantBreak = false
        init(depth: Int) { self.depth = depth }
    }
    final class Breakable {
        let group: Group
        let indentation: Int
        init(group: Group, indentation: Int) { self.group = group; self.indentation = indentation }
    }
    enum Item {
        case text(String)
        case breakable(Breakable)
    }

    let width: Int
    private(set) var output = ""
    private var outputWidth = 0
    private var buffer: [Item] = []
    private var bufferWidth = 0
    private var indentation = 0
    private var groupStack: [Group]
    /// Groups waiting to be broken, by depth (IPython's GroupQueue).
    private var queue: [[Group]] = []
    var inProgress = Set<ObjectIdentifier>()

    init(width: Int) {
        self.width = width
        let root = Group(depth: 0)
        groupStack = [root]
        enqueue(root)
    }

    func text(_ s: String) {
        let w = s.count
        if buffer.isEmpty {
            output += s
            outputWidth += w
        } else {
            buffer.append(.text(s))
            bufferWidth += w
            breakOuterGroups()
        }
    }

    func breakable() {
        let group = groupStack[groupStack.count - 1]
        if group.wantBreak {
            flush()
            newline()
        } else {
            let b = Breakable(group: group, indentation: indentation)
            group.breakables.append(b)
            buffer.append(.breakable(b))
            bufferWidth += 1
            breakOuterGroups()
        }
    }

    /// A line break that is always taken (between the lines of a multi-line repr).
    func hardBreak() {
        if let g = dequeue() { breakOne(g) }
        flush()
        newline()
    }

    func beginGroup(indent: Int = 0, open: String = "") {
        if !open.isEmpty { text(open) }
        let g = Group(depth: groupStack[groupStack.count - 1].depth + 1)
        groupStack.append(g)
        enqueue(g)
        indentation += indent
    }

    func endGroup(dedent: Int = 0, close: String = "") {
        indentation -= dedent
        let g = groupStack.removeLast()
        if g.breakables.isEmpty { remove(g) }
        if !close.isEmpty { text(close) }
    }

    func flush() {
        for item in buffer { outputWidth = emit(item, outputWidth) }
        buffer.removeAll()
        bufferWidth = 0
    }

    private func newline() {
        output += "\n" + String(repeating: " ", count: indentation)
        outputWidth = indentation
        bufferWidth = 0
    }

    /// Writes a buffered item; returns the new output width.
    private func emit(_ item: Item, _ width: Int) -> Int {
        switch item {
        case .text(let s):
            output += s
            return width + s.count
        case .breakable(let b):
            b.group.breakables.removeFirst()
            if b.group.wantBreak {
                output += "\n" + String(repeating: " ", count: b.indentation)
                return b.indentation
            }
            if b.group.breakables.isEmpty { remove(b.group) }
            output += " "
            return width + 1
        }
    }

    private func breakOuterGroups() {
        while width < outputWidth + bufferWidth {
            guard let g = dequeue() else { return }
            breakOne(g)
        }
    }

    private func breakOne(_ g: Group) {
        while !g.breakables.isEmpty, !buffer.isEmpty {
            let item = buffer.removeFirst()
            outputWidth = emit(item, outputWidth)
            bufferWidth -= itemWidth(item)
        }
        while case .text? = buffer.first {
            let item = buffer.removeFirst()
            outputWidth = emit(item, outputWidth)
            bufferWidth -= itemWidth(item)
        }
    }

    private func itemWidth(_ item: Item) -> Int {
        switch item {
        case .text(let s): return s.count
        case .breakable: return 1
        }
    }

    private func enqueue(_ g: Group) {
        while g.depth > queue.count - 1 { queue.append([]) }
        queue[g.depth].append(g)
    }

    /// The outermost group with breakables, marked to break (IPython's GroupQueue.deq, including its habit of
    /// removing the entry at the reversed position's index).
    private func dequeue() -> Group? {
        for d in queue.indices {
            for (idx, g) in queue[d].reversed().enumerated() where !g.breakables.isEmpty {
                queue[d].remove(at: idx)
                g.wantBreak = true
                return g
            }
            for g in queue[d] { g.wantBreak = true }
            queue[d].removeAll()
        }
        return nil
    }

    private func remove(_ g: Group) {
        guard g.depth < queue.count, let i = queue[g.depth].firstIndex(where: { $0 === g }) else { return }
        queue[g.depth].remove(at: i)
    }
}
