import Testing
@testable import DLXInterpreter

/// `math`: values and errors as CPython 3.11.7 gives them.
@Suite struct StdlibMathTests {
    let h = Harness()

    init() throws { try h.run("import math") }

    @Test func valuesMatchCPython() throws {
        let cases: [(String, String)] = [
            ("math.sqrt(2)", "1.4142135623730951"), ("math.log(8, 2)", "3.0"), ("math.log(7.5)", "2.0149030205422647"),
            ("math.log(10, 0.5)", "-3.3219280948873626"), ("math.log2(8)", "3.0"), ("math.log10(1000)", "3.0"),
            ("math.floor(2.5), math.ceil(-2.5), math.trunc(-2.7), math.floor(True), math.ceil(5)", "(2, -2, -2, 1, 5)"),
            ("math.pow(2, 3)", "8.0"), ("math.atan2(1, 1)", "0.7853981633974483"), ("math.tanh(0.5)", "0.46211715726000974"),
            ("(math.pi, math.e, math.tau, math.inf, math.nan)", "(3.141592653589793, 2.718281828459045, 6.283185307179586, inf, nan)"),
            ("math.isclose(1.0, 1.0000000001), math.isclose(0, 1e-10, abs_tol=1e-9)", "(True, True)"),
            ("math.isnan(float('nan')), math.isinf(1e308 * 10), math.isfinite(1)", "(True, True, True)"),
            ("math.prod([1, 2, 3]), math.prod([]), math.prod([1.5, 2])", "(6, 1, 3.0)"),
            ("math.fsum([0.1] * 10), sum([0.1] * 10)", "(1.0, 0.9999999999999999)"),
            ("math.fsum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50])", "1e-100"),
            ("math.fsum([1e-16, 1, 1e16])", "1.0000000000000002e+16"),
            ("math.factorial(20), math.gcd(12, 18, 27), math.gcd(), math.lcm(4, 6)", "(2432902008176640000, 3, 0, 12)"),
            ("math.hypot(3, 4), math.hypot(1.1, 2.3, 4.7), math.hypot(1e-320, 3e-320)", "(5.0, 5.34696175411794, 3.162e-320)"),
            ("math.dist((1.5, 2.5, 3.5), (0.1, -2, 7))", "5.8702640485756685"),
            ("math.degrees(math.pi), math.radians(180)", "(180.0, 3.141592653589793)"),
            ("math.comb(5, 2), math.comb(5, 7), math.comb(62, 31), math.perm(5), math.perm(5, 2)", "(10, 0, 465428353255261088, 120, 20)"),
            ("math.gamma(-1.5), math.lgamma(-1.5), math.gamma(5)", "(2.3632718012073544, 0.8600470153764812, 24.0)"),
            ("math.modf(-2.5), math.frexp(8), math.copysign(1, -0.0), math.isqrt(9223372036854775807)", "((-0.5, -2.0), (0.5, 4), -1.0, 3037000499)"),
            ("math.cbrt(27), math.expm1(1e-10), math.exp(-1000)", "(3.0000000000000004, 1.00000000005e-10, 0.0)"),
        ]
        try h.expectReprs(cases)
    }

    @Test func errorsMatchCPython() throws {
        let cases: [(String, String, String)] = [
            ("math.sqrt(-1)", "ValueError", "math domain error"), ("math.log(0)", "ValueError", "math domain error"),
            ("math.log(1, 1)", "ZeroDivisionError", "float division by zero"), ("math.exp(1000)", "OverflowError", "math range error"),
            ("math.floor(float('inf'))", "OverflowError", "cannot convert float infinity to integer"),
            ("math.floor(float('nan'))", "ValueError", "cannot convert float NaN to integer"),
            ("math.pow(0, -1)", "ValueError", "math domain error"), ("math.pow(10, 400)", "OverflowError", "math range error"),
            ("math.sin(float('inf'))", "ValueError", "math domain error"), ("math.gamma(0)", "ValueError", "math domain error"),
            ("math.factorial(-1)", "ValueError", "factorial() not defined for negative values"),
            ("math.factorial(2.0)", "TypeError", "'float' object cannot be interpreted as an integer"),
            ("math.comb(-1, 2)", "ValueError", "n must be a non-negative integer"),
            ("math.isclose(1, 2, rel_tol=-1)", "ValueError", "tolerances must be non-negative"),
            ("math.sqrt('a')", "TypeError", "must be real number, not str"),
            ("math.fsum([float('inf'), -float('inf')])", "ValueError", "-inf + inf in fsum"),
            ("math.dist([1], [1, 2])", "ValueError", "both points must have the same number of dimensions"),
        ]
        h.expectErrors(cases)
    }
}
