import Testing
@testable import DLXEngine

@Suite struct NumberFormatTests {
    @Test(arguments: [
        (0.1, "0.1"), (1e-05, "1e-05"), (0.0001, "0.0001"), (1e16, "1e+16"), (1e15, "1000000000000000.0"),
        (123.456, "123.456"), (-0.0, "-0.0"), (5e-324, "5e-324"), (1.5e300, "1.5e+300"), (100.0, "100.0"),
        (2.5, "2.5"), (1.0 / 3.0, "0.3333333333333333"), (-1234567.125, "-1234567.125"),
    ])
    func pythonFloatRepr(_ c: (Double, String)) {
        #expect(NumberFormat.pythonRepr(c.0) == c.1)
    }

    @Test func fixedAndScientificRoundLikePython() {
        #expect(NumberFormat.fixed(3.14159, 4) == "3.1416")
        #expect(NumberFormat.scientific(1e-5, 4) == "1.0000e-05")
        #expect(NumberFormat.fixed(0.5, 0) == "0")   // round half to even
        #expect(NumberFormat.grouped(669706) == "669,706")
        #expect(NumberFormat.grouped(-1234) == "-1,234")
    }
}
