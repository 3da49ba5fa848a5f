/// What each kind of collectable object holds, for the cycle collector (see Heap.swift). Lists and dicts are
/// beside their definitions in Value.swift. Every reference reported is one the object holds in storage it owns
/// alone after `ownStorage`; what an object holds in ways not reported here (a Swift closure, an engine
/// structure, a dict key's hashed form) counts as held from outside, so it is kept.

extension PyInstance: Collectable {
    func ownStorage() { attributes.ownStorage() }
    func traverse(_ visit: (AnyObject) -> Void) {
        visit(cls)
        attributes.traverse(visit)
    }
    func clear() { attributes = AttributeTable() }
}

extension PyClass: Collectable {
    func ownStorage() {
        attributes.ownStorage()
        bases.withUnsafeMutableBufferPointer { _ in }
        ancestors.withUnsafeMutableBufferPointer { _ in }
    }
    func traverse(_ visit: (AnyObject) -> Void) {
        for c in bases { visit(c) }
        for c in ancestors { visit(c) }
        attributes.traverse(visit)
    }
    func clear() { attributes = AttributeTable() }
}

extension UserFunction: Collectable {
    func ownStorage() {
        attributes.ownStorage()
        defaults.withUnsafeMutableBufferPointer { b in
            for i in b.indices {
                guard var v = b[i] else { continue }
                b[i] = nil
                Value.ownStorage(&v)
                b[i] = v
            }
        }
    }
    func traverse(_ visit: (AnyObject) -> Void) {
        attributes.traverse(visit)
        for case let v? in defaults { Value.traverse(v, visit) }
        if let closure { visit(closure) }
        if let definingClass { visit(definingClass) }
    }
    func clear() { attributes = AttributeTable(); defaults = []; cutClosure() }
}

extension Frame: Collectable {
    func ownStorage() {
        Value.ownStorage(&locals)
        if var v = firstArgument { firstArgument = nil; Value.ownStorage(&v); firstArgument = v }
    }
    func traverse(_ visit: (AnyObject) -> Void) {
        for v in locals.values { Value.traverse(v, visit) }
        if let parent { visit(parent) }
        if let definingClass { visit(definingClass) }
        if let firstArgument { Value.traverse(firstArgument, visit) }
    }
    func clear() { locals = [:]; firstArgument = nil; definingClass = nil }
}

/// A bound method never changes: its two references are reported (not tuples inside them, which it cannot make
/// its own) and never cleared; they point to objects older than it, so they close no cycle by themselves.
extension BoundMethod: Collectable {
    func ownStorage() {}
    func traverse(_ visit: (AnyObject) -> Void) {
        Value.traverse(receiver, depth: 0, visit)
        Value.traverse(function, depth: 0, visit)
    }
    func clear() {}
}

extension UserModule: Collectable {
    func ownStorage() {
        attributes.ownStorage()
        modules.withUnsafeMutableBufferPointer { _ in }
    }
    func traverse(_ visit: (AnyObject) -> Void) {
        visit(cls)
        attributes.traverse(visit)
        for case (_, let m?) in modules { visit(m) }
    }
    func clear() { attributes = AttributeTable(); modules = [] }
}

extension DequeObject: Collectable {
    func ownStorage() { Value.ownStorage(&items) }
    func traverse(_ visit: (AnyObject) -> Void) { for v in items { Value.traverse(v, visit) } }
    func clear() { items = [] }
}

/// A partial's function and arguments never change after it is made (like a bound method's); its two arrays
/// are made its own so that the tuples in them can be looked into.
extension PartialObject: Collectable {
    func ownStorage() {
        Value.ownStorage(&arguments)
        keywords.withUnsafeMutableBufferPointer { b in
            for i in b.indices { Value.ownStorage(&b[i].1) }
        }
    }
    func traverse(_ visit: (AnyObject) -> Void) {
        Value.traverse(function, depth: 0, visit)
        for v in arguments { Value.traverse(v, visit) }
        for (_, v) in keywords { Value.traverse(v, visit) }
    }
    func clear() {}
}

/// `@staticmethod`, `@classmethod` and `@property` wrap functions made before them and never change.
extension StaticMethod: Collectable {
    func ownStorage() {}
    func traverse(_ visit: (AnyObject) -> Void) { Value.traverse(function, depth: 0, visit) }
    func clear() {}
}

extension ClassMethod: Collectable {
    func ownStorage() {}
    func traverse(_ visit: (AnyObject) -> Void) { Value.traverse(function, depth: 0, visit) }
    func clear() {}
}

extension Property: Collectable {
    func ownStorage() {}
    func traverse(_ visit: (AnyObject) -> Void) {
        Value.traverse(getter, depth: 0, visit)
        if let setter { Value.traverse(setter, depth: 0, visit) }
    }
    func clear() {}
}
