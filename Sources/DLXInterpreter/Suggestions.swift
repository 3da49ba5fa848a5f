import DLXFrontEnd

/// "Did you mean" for names and attributes, as CPython's traceback module finds them: the candidate
/// closest by a Levenshtein distance where a change of case costs 1 and any other edit 2, within a bound
/// that grows with the names' lengths. Suggestions are added only to errors that reach the top level, so
/// `str(e)` in an `except` clause stays Python's message.
enum Suggestion: @unchecked Sendable {
    /// Already chosen (a name among the scopes' names when the NameError was raised).
    case name(String)
    /// The attribute that `value` lacks: its `dir()` is searched when the error is shown.
    case attribute(Value, String)
}

extension Interpreter {
    private static let maxCandidates = 750
    private static let maxNameLength = 40

    /// The closest of `candidates` to `wrong`, or nil when none is close enough.
    static func closestName(to wrong: String, among candidates: [String]) -> String? {
        guard candidates.count <= maxCandidates else { return nil }
        let w = Array(wrong)
        guard w.count <= maxNameLength else { return nil }
        var best = w.count, suggestion: String? = nil
        for c in candidates where c != wrong {
            let cand = Array(c)
            guard cand.count <= maxNameLength else { continue }
            let bound = min((cand.count + w.count + 3) * 2 / 6, best - 1)
            let d = editDistance(w, cand)
            if d > bound { continue }
            if suggestion == nil || d < best { suggestion = c; best = d }
        }
        return suggestion
    }

    /// Levenshtein distance with insertions and deletions costing 2, substitutions 2 (1 for a change of case).
    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(stride(from: 0, through: 2 * b.count, by: 2))
        for (i, ca) in a.enumerated() {
            var previous = row[0]
            row[0] = 2 * (i + 1)
            for (j, cb) in b.enumerated() {
                let substitution = ca == cb ? 0 : (ca.lowercased() == cb.lowercased() ? 1 : 2)
                let next = min(previous + substitution, row[j] + 2, row[j + 1] + 2)
                previous = row[j + 1]
                row[j + 1] = next
            }
        }
        return row[b.count]
    }

    /// Every name visible from the running code: locals, enclosing functions', globals, built-ins.
    func visibleNames() -> [String] {
        var names: [String] = []
        var frame = frames.last
        var first = true
        while let f = frame {
            if first || f.kind != .classBody { names += f.locals.keys }
            first = false
            frame = f.parent
        }
        names += session.globals.keys
        names += Interpreter.builtinNames
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// A NameError for `name`, with Python 3.12's suggestion (a close name, or `self.name`).
    func nameError(_ name: String, _ span: SourceSpan?) -> DLXError {
        var e = DLXError("NameError", "name '\(name)' is not defined", span: span)
        if let f = frames.last, let this = f.locals["self"], attributeNames(of: this).contains(name) {
            e.suggestion = .name("self." + name)
        } else if let s = Interpreter.closestName(to: name, among: visibleNames()) {
            e.suggestion = .name(s)
        }
        return e
    }

    /// The message of an error that reached the top level, with its suggestion.
    func addSuggestion(to error: inout DLXError) {
        guard let s = error.suggestion else { return }
        error.suggestion = nil
        let found: String?
        switch s {
        case .name(let n): found = n
        case .attribute(let v, let n): found = Interpreter.closestName(to: n, among: attributeNames(of: v))
        }
        if let found { error.message += ". Did you mean: '\(found)'?" }
    }
}
