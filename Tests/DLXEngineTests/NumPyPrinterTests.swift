import Testing
@testable import DLXEngine

/// NumPy 2.x's array printing; the expected texts are what NumPy 2.4 prints.
@Suite struct NumPyPrinterTests {
    func doubles(_ values: [Double], _ shape: [Int]? = nil, _ dtype: DType = .float64) throws -> Tensor {
        try Tensor.from(values, shape: shape ?? [values.count], dtype: dtype, on: backend)
    }

    @Test func fixedNotationDropsTrailingZerosAndAlignsThePoint() throws {
        let t = try doubles([1, 1.5, -2.25, 10])
        #expect(try NumPyPrinter.repr(t) == "array([ 1.  ,  1.5 , -2.25, 10.  ])")
        #expect(try NumPyPrinter.str(t) == "[ 1.    1.5  -2.25 10.  ]")
    }

    @Test func float32UsesItsOwnShortestDigitsAndNamesItsDtype() throws {
        let t = try doubles([1.0 / 3, 2.0 / 3, 4.0 / 3], nil, .float32)
        #expect(try NumPyPrinter.repr(t) == "array([0.33333334, 0.6666667 , 1.3333334 ], dtype=float32)")
    }

    @Test func wideSpreadSwitchesToScientificWithPaddedExponents() throws {
        #expect(try NumPyPrinter.repr(try doubles([1e-100, 1])) == "array([1.e-100, 1.e+000])")
        #expect(try NumPyPrinter.repr(try doubles([0, 1, 1001])) == "array([0.000e+00, 1.000e+00, 1.001e+03])")
    }

    @Test func float32SwitchesToScientificAtAMillion() throws {
        #expect(try NumPyPrinter.repr(try doubles([1e6, 1], nil, .float32)) == "array([1.e+06, 1.e+00], dtype=float32)")
        #expect(try NumPyPrinter.str(try doubles([999999.94, 1000], nil, .float32)) == "[999999.94   1000.  ]")
    }

    @Test func float32ScientificShowsTheValuesOwnExtraDigits() throws {
        #expect(try NumPyPrinter.str(try doubles([1e-5, 0.1234567], nil, .float32)) == "[1.000000e-05 1.234567e-01]")
    }

    @Test func nonFiniteValuesShareTheNumbersWidth() throws {
        #expect(try NumPyPrinter.repr(try doubles([1.5, .nan, -.infinity])) == "array([ 1.5,  nan, -inf])")
        #expect(try NumPyPrinter.str(try doubles([-.infinity, 1e-9, 1])) == "[  -inf 1.e-09 1.e+00]")
    }

    @Test func negativeZeroKeepsItsSign() throws {
        #expect(try NumPyPrinter.repr(try doubles([-0.0, 1, 0])) == "array([-0.,  1.,  0.])")
        #expect(try NumPyPrinter.str(try doubles([-0.0], [])) == "-0.0")
    }

    @Test func zeroDimensionalArraysReprWithoutBracketsAndPrintAsScalars() throws {
        #expect(try NumPyPrinter.repr(try doubles([1e10], [])) == "array(1.e+10)")
        #expect(try NumPyPrinter.str(try doubles([1e10], [])) == "10000000000.0")
        #expect(try NumPyPrinter.str(try doubles([1e10], [], .float32)) == "1e+10")
        #expect(try NumPyPrinter.repr(try Tensor.from([Int64(1)], shape: [], dtype: .bool, on: backend)) == "array(True)")
    }

    @Test func boolsPadTrueToTheWidthOfFalse() throws {
        let t = try Tensor.from([Int64(1), 0], shape: [2], dtype: .bool, on: backend)
        #expect(try NumPyPrinter.repr(t) == "array([ True, False])")
    }

    @Test func emptyArraysNameShapeAndDtype() throws {
        #expect(try NumPyPrinter.repr(try doubles([])) == "array([], dtype=float64)")
        #expect(try NumPyPrinter.repr(try doubles([], [0, 3])) == "array([], shape=(0, 3), dtype=float64)")
        #expect(try NumPyPrinter.str(try doubles([], [0, 3])) == "[]")
    }

    @Test func longRowsWrapUnderTheFirstElement() throws {
        let t = try doubles((0..<6).map { [1.54099611, -0.29342891, -2.17878938, 0.56843128, -1.08452234, -1.3985954][$0] })
        #expect(try NumPyPrinter.repr(t) == """
            array([ 1.54099611, -0.29342891, -2.17878938,  0.56843128, -1.08452234,
                   -1.3985954 ])
            """)
    }

    @Test func bigArraysShowTheirCornersAndShape() throws {
        let t = try Tensor.from((0..<2000).map { Int64($0) }, shape: [40, 50], on: backend)
        #expect(try NumPyPrinter.repr(t) == """
            array([[   0,    1,    2, ...,   47,   48,   49],
                   [  50,   51,   52, ...,   97,   98,   99],
                   [ 100,  101,  102, ...,  147,  148,  149],
                   ...,
                   [1850, 1851, 1852, ..., 1897, 1898, 1899],
                   [1900, 1901, 1902, ..., 1947, 1948, 1949],
                   [1950, 1951, 1952, ..., 1997, 1998, 1999]], shape=(40, 50))
            """)
    }

    @Test func rankThreeBlocksAreSeparatedByBlankLines() throws {
        let t = try Tensor.from((0..<8).map { Int64($0) }, shape: [2, 2, 2], dtype: .int32, on: backend)
        #expect(try NumPyPrinter.repr(t) == """
            array([[[0, 1],
                    [2, 3]],

                   [[4, 5],
                    [6, 7]]], dtype=int32)
            """)
    }

    @Test func scalarTextFollowsNumPysScalarStr() {
        #expect(NumPyPrinter.scalarStr(1e6, dtype: .float32) == "1e+06")
        #expect(NumPyPrinter.scalarStr(Double(Float(0.0001)), dtype: .float32) == "1e-04")
        #expect(NumPyPrinter.scalarStr(123456, dtype: .float32) == "123456.0")
        #expect(NumPyPrinter.scalarStr(1e15, dtype: .float64) == "1000000000000000.0")
        #expect(NumPyPrinter.scalarStr(7, dtype: .uint8) == "7")
    }
}
