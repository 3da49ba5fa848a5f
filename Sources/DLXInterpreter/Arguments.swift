import DLXEngine

/// The arguments of one call. Parameters are taken by position or keyword; `finish` then reports
/// anything left over, with Python's messages.
public struct Arguments {
    public var positional: [Value]
    public var keywords: [(String, Value)]
    var function = "function"
    private var usedPositional = 0
    private var usedKeywords = Set<String>()
    private var maxPositional: Int? = nil
    /// The parameter names the function asked for, for "Did you mean" on a misspelt keyword.
    private var asked: [String] = []

    public init(_ positional: [Value] = [], keywords: [(String, Value)] = []) {
        self.positional = positional; self.keywords = keywords
    }

    public var count: Int { positional.count + keywords.count }

    /// The argument at position `index` or named `name`.
    public mutating func get(_ index: Int?, _ name: String) throws(DLXError) -> Value? {
        var found: Value? = nil
        if let index, index < positional.count {
            found = positional[index]
            usedPositional = max(usedPositional, index + 1)
        }
        guard !keywords.isEmpty else { return found }
        asked.append(name)
        for key in [name, Arguments.alias(of: name)] {
            guard let key, let k = keywords.first(where: { $0.0 == key }) else { continue }
            if found != nil { throw .type("\(function)() got multiple values for argument '\(name)'") }
            usedKeywords.insert(key)
            found = k.1
        }
        return found
    }

    /// NumPy's spellings that PyTorch's argument parser takes too (`sum(axis=1)`, `keepdims=True`).
    private static func alias(of name: String) -> String? {
        switch name {
        case "dim": return "axis"
        case "keepdim": return "keepdims"
        default: return nil
        }
    }

    public mutating func required(_ index: Int?, _ name: String) throws(DLXError) -> Value {
        guard let v = try get(index, name) else {
            // Python reports a misspelt keyword before the parameter it left missing (`kernel=` for `kernel_size`).
            if let typo = keywords.first(where: { !usedKeywords.contains($0.0) && name.hasPrefix($0.0) }) {
                var e = DLXError.type("\(function)() got an unexpected keyword argument '\(typo.0)'")
                e.suggestion = .name(name)
                throw e
            }
            throw .type("\(function)() missing 1 required positional argument: '\(name)'")
        }
        return v
    }

    /// All positional arguments from `start` on (a `*args` parameter).
    public mutating func rest(from start: Int) -> [Value] {
        usedPositional = max(usedPositional, positional.count)
        return start < positional.count ? Array(positional[start...]) : []
    }

    /// Declares how many positional parameters the function has, for the "takes N" message.
    public mutating func accepts(_ n: Int) { maxPositional = n }

    public mutating func finish() throws(DLXError) {
        if positional.count > usedPositional {
            let n = maxPositional ?? usedPositional
            throw .type("\(function)() takes \(n) positional argument\(n == 1 ? "" : "s") but \(positional.count) \(positional.count == 1 ? "was" : "were") given")
        }
        for (k, _) in keywords where !usedKeywords.contains(k) {
            var e = DLXError.type("\(function)() got an unexpected keyword argument '\(k)'")
            if let close = asked.first(where: { $0.hasPrefix(k) }) ?? Interpreter.closestName(to: k, among: asked) {
                e.suggestion = .name(close)
            }
            throw e
        }
        usedPositional = positional.count
        usedKeywords = Set(keywords.map { $0.0 })
    }
}
