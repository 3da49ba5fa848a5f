import Testing
import Synchronization
@testable import DLXEngine

@Suite struct CPUBackendTests {
    /// Without a BLAS library the backend says so once, through its callback, at the first product; the
    /// reference kernels still give the product.
    @Test(arguments: [[], ["/nonexistent/libopenblas.so.0"]])
    func aMissingBLASIsReportedOnceAtTheFirstProduct(_ libraries: [String]) throws {
        let own = CPUBackend()
        own.blasLibraries = libraries
        let calls = Atomic<Int>(0)
        own.onMissingBLAS = { calls.add(1, ordering: .relaxed) }
        let a = try Tensor.ones([4, 3], on: own)
        #expect(calls.load(ordering: .relaxed) == 0)   // nothing before a product
        #expect(try a.matmul(a.t()).doubles() == [Double](repeating: 3, count: 16))
        _ = try a.t().matmul(a)
        #expect(calls.load(ordering: .relaxed) == 1)
        #expect(own.summary == "BLAS: none found (dlx's reference kernels)")
    }
}
