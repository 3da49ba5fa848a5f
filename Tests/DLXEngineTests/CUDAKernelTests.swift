import Testing
@testable import DLXEngine

/// The embedded PTX, checked without a GPU (scripts/check-ptx also assembles it with ptxas).
@Suite struct CUDAKernelTests {
    @Test func everyModuleDefinesItsKernelsForSM80WithPTX80() throws {
        for (module, kernels) in CUDAKernels.modules {
            let ptx = try #require(CUDAKernels.ptx(module), "module \(module) is not embedded")
            #expect(ptx.contains("\n.version 8.0\n"), "\(module): drivers from CUDA 12.0 on accept PTX 8.0")
            #expect(ptx.contains("\n.target sm_80\n"))
            let entries = Set(CUDAKernels.entries(ptx))
            for k in kernels { #expect(entries.contains(k), "\(module) lacks \(k)") }
        }
        #expect(Set(PTXModules.all.map(\.name)) == Set(CUDAKernels.modules.keys))
    }
}
