import DLXEngine

/// The ndarray's attributes and methods (its table is `Interpreter.ndarrayMethods`), and indexing: basic
/// indexing and slicing give views sharing memory, integer arrays, lists and boolean masks pick copies,
/// assignment writes through (`a[a > 0] = 0`).
extension NDArrayObject {
    func attribute(_ name: String, _ i: Interpreter) throws(DLXError) -> Value? {
        let t = tensor
        func m(_ body: @escaping (inout Arguments, Interpreter) throws(DLXError) -> Value) -> Value { i.method(name, body) }
        func array(_ body: @escaping () throws(TensorError) -> Tensor) throws(DLXError) -> Value {
            .object(NDArrayObject(try i.engine(body)))
        }
        switch name {
        case "shape": return .tuple(t.shape.map { .int($0) })
        case "ndim": return .int(t.rank)
        case "size": return .int(t.count)
        case "dtype": return .object(NumpyDType(t.dtype.name))
        case "itemsize": return .int(t.dtype.itemSize)
        case "nbytes": return .int(t.dtype.itemSize * t.count)
        case "T": return try array { () throws(TensorError) in try t.permute(Array((0..<t.rank).reversed())) }
        case "tolist": return m { _, i throws(DLXError) in try i.toList(t) }
        case "item":
            return m { a, i throws(DLXError) in
                if let k = try a.get(0, "index") {
                    let flat = try i.engine { () throws(TensorError) in try t.reshape([-1]) }
                    let n = try i.toInt(i.numpyPlain(k), "index")
                    guard n >= -t.count && n < t.count else { throw DLXError("IndexError", "index \(n) is out of bounds for size \(t.count)") }
                    return i.pythonValue(try i.engine { () throws(TensorError) in try flat.select(0, n < 0 ? n + t.count : n).scalar() })
                }
                guard t.count == 1 else { throw .value("can only convert an array of size 1 to a Python scalar") }
                return i.pythonValue(try i.engine { () throws(TensorError) in try t.reshape([]).scalar() })
            }
        case "reshape":
            return m { a, i throws(DLXError) in
                let shape = try i.numpyNewShape(a.rest(from: 0), t.count)
                _ = try a.get(nil, "order")
                return .object(NDArrayObject(try i.engine { () throws(TensorError) in try t.reshape(shape) }))
            }
        case "transpose":
            return m { a, i throws(DLXError) in .object(NDArrayObject(try i.numpyTranspose(t, a.rest(from: 0)))) }
        case "squeeze":
            return m { a, i throws(DLXError) in .object(NDArrayObject(try i.numpySqueeze(t, try a.get(0, "axis")))) }
        case "flatten", "ravel":
            return m { _, i throws(DLXError) in
                .object(NDArrayObject(try i.engine { () throws(TensorError) in
                    name == "flatten" ? try t.contiguous().clone().reshape([-1]) : try t.reshape([-1])
                }))
            }
        case "copy": return m { _, i throws(DLXError) in .object(NDArrayObject(try i.engine { () throws(TensorError) in try t.clone() })) }
        case "astype":
            return m { a, i throws(DLXError) in
                let d = try i.numpyDType(try a.required(0, "dtype"))
                let copy = try a.get(nil, "copy").map { v throws(DLXError) in try i.truthy(v) } ?? true
                return .object(NDArrayObject(try i.engine { () throws(TensorError) in
                    let r = try t.to(d)
                    return r === t && copy ? try t.clone() : r
                }))
            }
        case "fill":
            return m { a, i throws(DLXError) in
                let v = i.numpyPlain(try a.required(0, "value"))
                try i.engine { () throws(TensorError) in try t.indexPut([.ellipsis], .scalar(i.scalar(v) ?? .int(0))) }
                return Value.none
            }
        case "sum", "mean", "std", "var", "min", "max", "argmax", "argmin", "cumsum", "cumprod", "prod", "any", "all":
            return m { a, i throws(DLXError) in try i.numpyReduction(name, t, &a, axisAt: 0) }
        case "sort":
            return m { a, i throws(DLXError) in
                let axis = try a.get(0, "axis").map { v throws(DLXError) in try i.toInt(i.numpyPlain(v), "axis") } ?? -1
                let sorted = try i.numpySort(t, axis: .int(axis), indices: false)
                try i.engine { () throws(TensorError) in try t.copy(from: sorted) }
                return Value.none
            }
        case "argsort":
            return m { a, i throws(DLXError) in .object(NDArrayObject(try i.numpySort(t, axis: try a.get(0, "axis") ?? .int(-1), indices: true))) }
        case "round":
            return m { a, i throws(DLXError) in try i.numpyRound(t, try a.get(0, "decimals")) }
        case "clip":
            return m { a, i throws(DLXError) in try i.numpyClip(.array(t), try a.get(0, "min"), try a.get(1, "max")) }
        case "dot":
            return m { a, i throws(DLXError) in try i.numpyDot(.array(t), try a.required(0, "b")) }
        case "nonzero":
            return m { _, i throws(DLXError) in try i.numpyNonzero(t) }
        default: return nil
        }
    }
    var attributeNames: [String] { Interpreter.ndarrayMethods.names }

    func length(_ i: Interpreter) throws(DLXError) -> Int? {
        guard tensor.rank > 0 else { throw .type("len() of unsized object") }
        return tensor.shape[0]
    }

    func item(_ key: Value, _ i: Interpreter) throws(DLXError) -> Value? {
        if let p = try i.numpyFancyPositions(key, tensor) { return try i.numpyValue(try i.numpyFancyGet(tensor, p)) }
        let (base, items) = try i.numpyIndex(key, tensor)
        let r = try i.numpyEngineIndex { () throws(TensorError) in try base.index(items) }
        let keepsArray = items.contains { if case .ellipsis = $0 { return true }; return false }
        return r.rank == 0 && !keepsArray ? try i.numpyValue(r) : .object(NDArrayObject(r))
    }

    func setItem(_ key: Value, _ value: Value, _ i: Interpreter) throws(DLXError) -> Bool {
        if let p = try i.numpyFancyPositions(key, tensor) { try i.numpyFancySet(tensor, p, value); return true }
        let (base, items) = try i.numpyIndex(key, tensor)
        let operand: Operand
        if let s = i.scalar(i.numpyPlain(value)) {
            operand = .scalar(s)
        } else {
            let v = try i.numpyData(value, dtype: nil)
            let target = try i.numpyEngineIndex { () throws(TensorError) in try base.index(items) }.shape
            let vs = v.shape
            let fits = vs.count <= target.count && zip(vs.reversed(), target.reversed()).allSatisfy { $0 == $1 || $0 == 1 }
            guard fits else {
                throw .value("could not broadcast input array from shape \(Interpreter.numpyShapeText(vs)) into shape \(Interpreter.numpyShapeText(target))")
            }
            operand = .tensor(v)
        }
        try i.numpyEngineIndex { () throws(TensorError) in try base.indexPut(items, operand); return base }
        return true
    }
}

extension Interpreter {
    /// An index of an ndarray as the engine's items: arrays and lists pick, NumPy ints index, and NumPy's
    /// messages for a float index and for too many indices.
    /// (The tensor to index, its items): slices with a negative step are taken first, as views with a
    /// negative stride (the engine's slices step forward only).
    func numpyIndex(_ key: Value, _ t: Tensor) throws(DLXError) -> (Tensor, [IndexItem]) {
        let parts: [Value]
        if case .tuple(let ks) = key { parts = ks } else { parts = [key] }
        var converted: [Value] = []
        var widths: [Int] = []   // the axes each item consumes
        for p in parts {
            var v = numpyPlain(p)
            if let s = try numpySource(v) { v = .tensor(s) }
            switch v {
            case .slice(_, _, let step):
                if step == 0 { throw .value("slice step cannot be zero") }
                widths.append(1)
            case .int: widths.append(1)
            case .none, .ellipsis, .bool: widths.append(0)
            case .tensor(let x):
                guard !x.dtype.isFloatingPoint else { throw DLXError("IndexError", "arrays used as indices must be of integer (or boolean) type") }
                widths.append(x.dtype == .bool ? Swift.max(x.rank, 1) : 1)
            case .list(let l):
                let x = try numpyData(.list(l), dtype: nil)
                guard !x.dtype.isFloatingPoint || x.count == 0 else { throw Interpreter.numpyIndexError }
                v = .tensor(try engine { () throws(TensorError) in try x.to(x.dtype == .bool ? .bool : .int64) })
                widths.append(x.dtype == .bool ? Swift.max(x.rank, 1) : 1)
            default: throw Interpreter.numpyIndexError
            }
            converted.append(v)
        }
        let used = widths.reduce(0, +)
        if used > t.rank {
            throw DLXError("IndexError", "too many indices for array: array is \(t.rank)-dimensional, but \(used) were indexed")
        }
        var base = t
        var axis = 0
        for (k, v) in converted.enumerated() {
            if case .ellipsis = v { axis += t.rank - used; continue }
            if case .slice(let start, let stop, let step?) = v, step < 0 {
                let picked = try sliceIndices(start, stop, step, t.shape[axis])
                var shape = base.shape, strides = base.strides
                let offset = base.offset + (picked.first ?? 0) * strides[axis]
                shape[axis] = picked.count
                strides[axis] *= step
                base = base.view(shape: shape, strides: strides, offset: offset)
                converted[k] = .slice(nil, nil, nil)
            }
            axis += widths[k]
        }
        return (base, try indexItems(converted))
    }

    static let numpyIndexError = DLXError("IndexError", "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices")

    /// An engine indexing step with NumPy's words in its IndexError ("axis", not "dimension").
    @discardableResult
    func numpyEngineIndex(_ body: () throws(TensorError) -> Tensor) throws(DLXError) -> Tensor {
        do { return try engine(body) } catch {
            var e = error
            if e.type == "IndexError" {
                e.message = e.message.replacingAll("for dimension ", with: "for axis ")
            }
            throw e
        }
    }

    /// reshape's shape: varargs or one sequence, with at most one -1; NumPy's message when the size differs.
    func numpyNewShape(_ args: [Value], _ count: Int) throws(DLXError) -> [Int] {
        let values: [Value]
        if args.count == 1, case .tuple(let t) = args[0] { values = t }
        else if args.count == 1, case .list(let l) = args[0] { values = l.items }
        else { values = args }
        var shape: [Int] = []
        for v in values {
            guard case .int(let n) = numpyPlain(v) else { throw .type("'\(v.typeName)' object cannot be interpreted as an integer") }
            shape.append(n)
        }
        var known = 1
        for n in shape where n != -1 {
            let (p, overflow) = known.multipliedReportingOverflow(by: n)
            guard !overflow else { throw .value("cannot reshape array of size \(count) into shape \(Interpreter.numpyShapeText(shape))") }
            known = p
        }
        let unknown = shape.filter { $0 == -1 }.count
        guard unknown <= 1 else { throw .value("can only specify one unknown dimension") }
        guard !shape.contains(where: { $0 < -1 }) else { throw .value("negative dimensions not allowed") }
        let fits = unknown == 1 ? known > 0 && count % known == 0 : known == count
        guard fits else { throw .value("cannot reshape array of size \(count) into shape \(Interpreter.numpyShapeText(shape))") }
        return shape.map { $0 == -1 ? count / known : $0 }
    }

    /// An axis within `rank` dimensions, negative counting from the end; NumPy's AxisError outside.
    func numpyAxis(_ v: Value, _ rank: Int) throws(DLXError) -> Int {
        let n = try toInt(numpyPlain(v), "axis")
        guard n >= -rank && n < rank else { throw DLXError("AxisError", "axis \(n) is out of bounds for array of dimension \(rank)") }
        return n < 0 ? n + rank : n
    }

    func numpyTranspose(_ t: Tensor, _ args: [Value]) throws(DLXError) -> Tensor {
        var axes: [Value] = args
        if args.count == 1 { if case .tuple(let x) = args[0] { axes = x } else if case .list(let l) = args[0] { axes = l.items } }
        if args.count == 1, args[0].isNone { axes = [] }
        if axes.isEmpty { return try engine { () throws(TensorError) in try t.permute(Array((0..<t.rank).reversed())) } }
        guard axes.count == t.rank else { throw .value("axes don't match array") }
        var perm: [Int] = []
        for a in axes { perm.append(try numpyAxis(a, t.rank)) }
        guard Set(perm).count == perm.count else { throw .value("repeated axis in transpose") }
        return try engine { () throws(TensorError) in try t.permute(perm) }
    }

    func numpySqueeze(_ t: Tensor, _ axis: Value?) throws(DLXError) -> Tensor {
        guard let axis, !axis.isNone else { return try engine { () throws(TensorError) in try t.squeeze() } }
        var axes: [Int] = []
        if case .tuple(let xs) = axis { for x in xs { axes.append(try numpyAxis(x, t.rank)) } } else { axes = [try numpyAxis(axis, t.rank)] }
        guard axes.allSatisfy({ t.shape[$0] == 1 }) else { throw .value("cannot select an axis to squeeze out which has size not equal to one") }
        return try engine { () throws(TensorError) in
            var r = t
            for d in axes.sorted(by: >) { r = try r.squeeze(d) }
            return r
        }
    }

    /// `np.expand_dims(a, axis)`: a view with a new axis of size 1.
    func numpyExpandDims(_ t: Tensor, _ axis: Value) throws(DLXError) -> Tensor {
        let d = try numpyAxis(axis, t.rank + 1)
        return try engine { () throws(TensorError) in try t.unsqueeze(d) }
    }

    /// sort and argsort along an axis (None: the flattened array).
    func numpySort(_ t: Tensor, axis: Value, indices: Bool) throws(DLXError) -> Tensor {
        let source = axis.isNone ? try engine { () throws(TensorError) in try t.reshape([-1]) } : t
        let d = source.rank == 0 ? 0 : try numpyAxis(axis.isNone ? .int(0) : axis, source.rank)
        let r = try engine { () throws(TensorError) in try source.sort(dim: d) }
        return indices ? r.indices : r.values
    }
}
