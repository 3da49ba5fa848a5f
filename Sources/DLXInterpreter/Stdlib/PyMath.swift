#if canImport(Glibc)
import Glibc
#endif

/// Python's `math` module, with CPython 3.11's results and errors (`math domain error`, `math range error`).
extension Interpreter {
    func mathMembers() -> [String: Value] {
        var m: [String: Value] = ["pi": .float(.pi), "e": .float(M_E), "tau": .float(2 * .pi), "inf": .float(.infinity), "nan": .float(.nan)]
        // math_1's functions: a NaN from a number is a domain error, an infinity from a finite number a range
        // error where the function can overflow and a domain error (a pole) where it cannot.
        let unary: [(String, (Double) -> Double, Bool)] = [
            ("sqrt", { $0.squareRoot() }, false), ("exp", exp, true), ("exp2", exp2, true), ("expm1", expm1, true),
            ("log1p", log1p, false), ("fabs", fabs, false), ("sin", sin, false), ("cos", cos, false), ("tan", tan, false),
            ("asin", asin, false), ("acos", acos, false), ("atan", atan, false), ("sinh", sinh, true), ("cosh", cosh, true),
            ("tanh", tanh, false), ("asinh", asinh, false), ("acosh", acosh, false), ("atanh", atanh, false),
            ("erf", erf, false), ("erfc", erfc, false), ("cbrt", cbrt, false),
        ]
        for (name, f, canOverflow) in unary {
            m[name] = function(name) { a, i throws(DLXError) in
                let x = try i.realArgument(try a.required(0, "x"))
                return .float(try Interpreter.mathResult(f(x), x, canOverflow))
            }
        }
        for name in ["gamma", "lgamma"] {
            m[name] = function(name) { a, i throws(DLXError) in
                let x = try i.realArgument(try a.required(0, "x"))
                guard let r = name == "gamma" ? PythonGamma.gamma(x) : PythonGamma.lgamma(x) else { throw .value("math domain error") }
                return .float(try Interpreter.mathResult(r, x, true))
            }
        }
        for name in ["log", "log2", "log10"] {
            m[name] = function(name) { a, i throws(DLXError) in
                func logOf(_ v: Value) throws(DLXError) -> Double {
                    let x = try i.realArgument(v)
                    guard x > 0 || x.isNaN else { throw .value("math domain error") }
                    return name == "log2" ? log2(x) : name == "log10" ? log10(x) : log(x)
                }
                let num = try logOf(try a.required(0, "x"))
                guard name == "log", let base = try a.get(1, "base") else { return .float(num) }
                let den = try logOf(base)
                guard den != 0 else { throw DLXError("ZeroDivisionError", "float division by zero") }
                return .float(num / den)
            }
        }
        for name in ["floor", "ceil", "trunc"] {
            m[name] = function(name) { a, i throws(DLXError) in
                let v = try a.required(0, "x")
                if case .int = v { return v }
                let x = try i.realArgument(v)
                return .int(try Interpreter.integral(name == "floor" ? x.rounded(.down) : name == "ceil" ? x.rounded(.up) : x.rounded(.towardZero)))
            }
        }
        for name in ["isnan", "isinf", "isfinite"] {
            m[name] = function(name) { a, i throws(DLXError) in
                let x = try i.realArgument(try a.required(0, "x"))
                return .bool(name == "isnan" ? x.isNaN : name == "isinf" ? x.isInfinite : x.isFinite)
            }
        }
        m["pow"] = function("pow") { a, i throws(DLXError) in
            let x = try i.realArgument(try a.required(0, "x")), y = try i.realArgument(try a.required(1, "y"))
            let r = Glibc.pow(x, y)
            if x.isFinite && y.isFinite && !r.isFinite {
                if r.isNaN || x == 0 { throw .value("math domain error") }
                throw DLXError("OverflowError", "math range error")
            }
            return .float(r)
        }
        let binary: [(String, (Double, Double) -> Double)] = [("atan2", atan2), ("copysign", copysign), ("fmod", fmod),
                                                              ("remainder", remainder), ("nextafter", nextafter)]
        for (name, f) in binary {
            m[name] = function(name) { a, i throws(DLXError) in
                let x = try i.realArgument(try a.required(0, "x")), y = try i.realArgument(try a.required(1, "y"))
                let r = f(x, y)
                if r.isNaN && !x.isNaN && !y.isNaN { throw .value("math domain error") }
                return .float(r)
            }
        }
        m["degrees"] = function("degrees") { a, i throws(DLXError) in .float(try i.realArgument(try a.required(0, "x")) * (180 / .pi)) }
        m["radians"] = function("radians") { a, i throws(DLXError) in .float(try i.realArgument(try a.required(0, "x")) * (.pi / 180)) }
        m["ulp"] = function("ulp") { a, i throws(DLXError) in
            let x = try i.realArgument(try a.required(0, "x"))
            return .float(x.isNaN || x.isInfinite ? Swift.abs(x) : Swift.abs(x).ulp)
        }
        m["modf"] = function("modf") { a, i throws(DLXError) in
            let x = try i.realArgument(try a.required(0, "x"))
            guard x.isFinite else { return .tuple([.float(x.isNaN ? x : copysign(0, x)), .float(x)]) }
            let whole = x.rounded(.towardZero)
            return .tuple([.float(copysign(x - whole, x)), .float(whole)])
        }
        m["frexp"] = function("frexp") { a, i throws(DLXError) in
            let x = try i.realArgument(try a.required(0, "x"))
            var e: Int32 = 0
            let f = x.isFinite ? frexp(x, &e) : x
            return .tuple([.float(f), .int(Int(e))])
        }
        m["ldexp"] = function("ldexp") { a, i throws(DLXError) in
            let x = try i.realArgument(try a.required(0, "x")), e = try i.indexArgument(try a.required(1, "i"))
            let r = scalbn(x, Int32(clamping: e))
            if x.isFinite && r.isInfinite { throw DLXError("OverflowError", "math range error") }
            return .float(r)
        }
        m["isclose"] = function("isclose") { a, i throws(DLXError) in
            let x = try i.realArgument(try a.required(0, "a")), y = try i.realArgument(try a.required(1, "b"))
            let rel = try a.get(nil, "rel_tol").map { v throws(DLXError) in try i.realArgument(v) } ?? 1e-9
            let abs = try a.get(nil, "abs_tol").map { v throws(DLXError) in try i.realArgument(v) } ?? 0
            guard rel >= 0 && abs >= 0 else { throw .value("tolerances must be non-negative") }
            if x == y { return .bool(true) }
            if x.isInfinite || y.isInfinite { return .bool(false) }
            let diff = Swift.abs(y - x)
            return .bool(diff <= Swift.abs(rel * y) || diff <= Swift.abs(rel * x) || diff <= abs)
        }
        m["prod"] = function("prod") { a, i throws(DLXError) in
            var total = try a.get(nil, "start") ?? .int(1)
            let it = try i.iterator(try a.required(0, "iterable"))
            while let v = try it.next() { total = try i.binaryOp(.multiply, total, v) }
            return total
        }
        m["fsum"] = function("fsum") { a, i throws(DLXError) in
            .float(try Interpreter.fsum(try i.iterateAll(try a.required(0, "seq")).map { v throws(DLXError) in try i.realArgument(v) }))
        }
        m["hypot"] = function("hypot") { a, i throws(DLXError) in
            .float(Interpreter.vectorNorm(try a.rest(from: 0).map { v throws(DLXError) in try i.realArgument(v) }))
        }
        m["dist"] = function("dist") { a, i throws(DLXError) in
            let p = try i.iterateAll(try a.required(0, "p")), q = try i.iterateAll(try a.required(1, "q"))
            guard p.count == q.count else { throw .value("both points must have the same number of dimensions") }
            var d: [Double] = []
            for (x, y) in zip(p, q) { d.append(try i.realArgument(x) - i.realArgument(y)) }
            return .float(Interpreter.vectorNorm(d))
        }
        m.merge(integerMathMembers()) { a, _ in a }
        return m
    }

    /// `factorial`, `gcd`, `lcm`, `isqrt`, `comb`, `perm`: exact integer results (OverflowError past 64 bits).
    private func integerMathMembers() -> [String: Value] {
        var m: [String: Value] = [:]
        m["factorial"] = function("factorial") { a, i throws(DLXError) in
            let n = try i.indexArgument(try a.required(0, "n"))
            guard n >= 0 else { throw .value("factorial() not defined for negative values") }
            return .int(try Interpreter.product(stride(from: 1, through: n, by: 1)))
        }
        for name in ["gcd", "lcm"] {
            m[name] = function(name) { a, i throws(DLXError) in
                var r = name == "gcd" ? 0 : 1
                for v in a.rest(from: 0) {
                    let n = try i.indexArgument(v).magnitude
                    if name == "gcd" { r = Int(Interpreter.gcd(UInt(r), n)) } else {
                        guard r != 0, n != 0 else { r = 0; continue }
                        let (p, o) = (UInt(r) / Interpreter.gcd(UInt(r), n)).multipliedReportingOverflow(by: n)
                        guard !o, p <= UInt(Int.max) else { throw Interpreter.intOverflow }
                        r = Int(p)
                    }
                }
                return .int(r)
            }
        }
        m["isqrt"] = function("isqrt") { a, i throws(DLXError) in
            let n = try i.indexArgument(try a.required(0, "n"))
            guard n >= 0 else { throw .value("isqrt() argument must be nonnegative") }
            var r = Int(Double(n).squareRoot())
            while r * r > n { r -= 1 }
            while (r + 1).multipliedReportingOverflow(by: r + 1).overflow == false && (r + 1) * (r + 1) <= n { r += 1 }
            return .int(r)
        }
        m["comb"] = function("comb") { a, i throws(DLXError) in
            let n = try i.indexArgument(try a.required(0, "n")), k = try i.indexArgument(try a.required(1, "k"))
            guard n >= 0 else { throw .value("n must be a non-negative integer") }
            guard k >= 0 else { throw .value("k must be a non-negative integer") }
            guard k <= n else { return .int(0) }
            var r: Int128 = 1
            for j in 0..<Swift.min(k, n - k) {
                r = r * Int128(n - j) / Int128(j + 1)
                guard r <= Int128(Int.max) else { throw Interpreter.intOverflow }
            }
            return .int(Int(r))
        }
        m["perm"] = function("perm") { a, i throws(DLXError) in
            let n = try i.indexArgument(try a.required(0, "n"))
            let kv = try a.get(1, "k")
            let k = try kv.flatMap { v throws(DLXError) in v.isNone ? nil : try i.indexArgument(v) } ?? n
            guard n >= 0 else { throw .value("n must be a non-negative integer") }
            guard k >= 0 else { throw .value("k must be a non-negative integer") }
            guard k <= n else { return .int(0) }
            return .int(try Interpreter.product(stride(from: n - k + 1, through: n, by: 1)))
        }
        return m
    }

    static let intOverflow = DLXError("OverflowError", "integer result too large for dlx (64-bit integers)")

    static func product(_ factors: StrideThrough<Int>) throws(DLXError) -> Int {
        var r = 1
        for f in factors {
            let (p, o) = r.multipliedReportingOverflow(by: f)
            guard !o else { throw intOverflow }
            r = p
        }
        return r
    }

    static func gcd(_ a: UInt, _ b: UInt) -> UInt { b == 0 ? a : gcd(b, a % b) }

    /// A float that is a whole number, as an int: Python's messages for infinities and NaN.
    static func integral(_ x: Double) throws(DLXError) -> Int {
        if x.isNaN { throw .value("cannot convert float NaN to integer") }
        if x.isInfinite { throw DLXError("OverflowError", "cannot convert float infinity to integer") }
        guard let n = Int(exactly: x) else { throw intOverflow }
        return n
    }

    /// CPython's `math_1` check of a libm result `r` for the argument `x`.
    static func mathResult(_ r: Double, _ x: Double, _ canOverflow: Bool) throws(DLXError) -> Double {
        if r.isNaN && !x.isNaN { throw .value("math domain error") }
        if r.isInfinite && x.isFinite {
            throw canOverflow ? DLXError("OverflowError", "math range error") : .value("math domain error")
        }
        return r
    }

    /// `math.fsum`: Shewchuk's exact partial sums, rounded once, as CPython's `math_fsum`.
    static func fsum(_ values: [Double]) throws(DLXError) -> Double {
        var p: [Double] = []
        var specialSum = 0.0, infSum = 0.0
        for value in values {
            var x = value
            var kept = 0
            for j in 0..<p.count {
                var y = p[j]
                if Swift.abs(x) < Swift.abs(y) { swap(&x, &y) }
                let hi = x + y
                let lo = y - (hi - x)
                if lo != 0 { p[kept] = lo; kept += 1 }
                x = hi
            }
            p.removeLast(p.count - kept)
            if x != 0 {
                if !x.isFinite {
                    if value.isFinite { throw DLXError("OverflowError", "intermediate overflow in fsum") }
                    if value.isInfinite { infSum += value }
                    specialSum += value
                    p.removeAll()
                } else {
                    p.append(x)
                }
            }
        }
        if specialSum != 0 {
            if infSum.isNaN { throw .value("-inf + inf in fsum") }
            return specialSum
        }
        guard var n = p.indices.last else { return 0 }
        var hi = p[n], lo = 0.0
        while n > 0 {
            let x = hi
            n -= 1
            let y = p[n]
            hi = x + y
            lo = y - (hi - x)
            if lo != 0 { break }
        }
        if n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0)) {
            let y = lo * 2
            let x = hi + y
            if y == x - hi { hi = x }
        }
        return hi
    }

    /// CPython 3.11's `vector_norm` (hypot, dist): scaled squares summed in double length, one correction step.
    static func vectorNorm(_ values: [Double]) -> Double {
        var vec = values.map { Swift.abs($0) }
        let maxValue = vec.max() ?? 0
        if maxValue.isInfinite { return maxValue }
        if vec.contains(where: { $0.isNaN }) { return .nan }
        if maxValue == 0 || vec.count <= 1 { return maxValue }
        var maxE: Int32 = 0
        _ = frexp(maxValue, &maxE)
        if maxE < -1023 {
            vec = vec.map { $0 / Double.leastNormalMagnitude }
            return Double.leastNormalMagnitude * vectorNorm(vec)
        }
        let scale = ldexp(1.0, -maxE)
        var csum = 1.0, frac1 = 0.0, frac2 = 0.0
        func addSquare(_ hi: Double, _ lo: Double) {
            let s = csum + hi
            frac2 += (csum - s) + hi
            csum = s
            frac1 += lo
        }
        for v in vec {
            let x = v * scale
            let sq = x * x
            addSquare(sq, fma(x, x, -sq))
        }
        var h = (csum - 1 + (frac1 + frac2)).squareRoot()
        let sq = -h * h
        addSquare(sq, fma(-h, h, -sq))
        h += (csum - 1 + (frac1 + frac2)) / (2 * h)
        return h / scale
    }
}
