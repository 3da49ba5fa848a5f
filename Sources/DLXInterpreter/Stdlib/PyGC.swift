/// Python's `gc` module over the session's cycle collector (Memory/Heap.swift). `collect()` counts dlx's
/// objects (a list, an instance with its attributes, a function, a call's frame), which are not CPython's.
extension Interpreter {
    func gcMembers() -> [String: Value] {
        [
            "collect": function("collect") { a, i throws(DLXError) in
                if let g = try a.get(0, "generation"), !g.isNone {
                    let n = try i.indexArgument(g)
                    guard (0...2).contains(n) else { throw .value("invalid generation") }
                }
                return .int(i.session.heap.collect())
            },
            "enable": function("enable") { _, i throws(DLXError) in i.session.heap.enabled = true; return Value.none },
            "disable": function("disable") { _, i throws(DLXError) in i.session.heap.enabled = false; return Value.none },
            "isenabled": function("isenabled") { _, i throws(DLXError) in .bool(i.session.heap.enabled) },
            // One generation: the second and third numbers are CPython's defaults, kept for code that reads them.
            "get_threshold": function("get_threshold") { _, i throws(DLXError) in
                .tuple([.int(i.session.heap.currentThreshold), .int(10), .int(10)])
            },
            "set_threshold": function("set_threshold") { a, i throws(DLXError) in
                let n = try i.indexArgument(try a.required(0, "threshold0"))
                _ = try a.get(1, "threshold1"); _ = try a.get(2, "threshold2")
                // CPython: 0 turns automatic collection off.
                i.session.heap.setThreshold(n > 0 ? n : nil)
                if n <= 0 { i.session.heap.enabled = false }
                return Value.none
            },
        ]
    }
}
