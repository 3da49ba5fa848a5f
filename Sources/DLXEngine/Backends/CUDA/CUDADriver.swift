#if canImport(Glibc)
import Glibc
#endif

/// The CUDA driver API, loaded at run time with `dlopen("libcuda.so.1")` (never `libcuda.so`, which can
/// be the toolkit's link-time stub), so dlx builds and runs where there is no GPU. Every entry point is
/// resolved by its exact, versioned name: in CUDA 12 and 13 some `_v2` names are different functions
/// from the unversioned ones, so nothing is guessed by trying suffixes.
public final class CUDADriver: @unchecked Sendable {
    public typealias CUresult = Int32
    public typealias CUdevice = Int32
    public typealias Handle = UnsafeMutableRawPointer?   // CUcontext, CUmodule, CUfunction, CUstream, CUevent
    public typealias DevicePointer = UInt64               // CUdeviceptr

    /// The symbols dlx uses, with the ABI versions it was written against.
    public static let symbols = [
        "cuInit", "cuDriverGetVersion", "cuDeviceGetCount", "cuDeviceGet", "cuDeviceGetName", "cuDeviceGetAttribute",
        "cuDevicePrimaryCtxRetain", "cuDevicePrimaryCtxRelease_v2", "cuCtxSetCurrent", "cuCtxSynchronize",
        "cuMemAlloc_v2", "cuMemFree_v2", "cuMemcpyHtoD_v2", "cuMemcpyDtoH_v2", "cuMemcpyDtoD_v2", "cuMemsetD32_v2",
        "cuMemGetInfo_v2", "cuModuleLoadDataEx", "cuModuleGetFunction", "cuLaunchKernel", "cuStreamCreate",
        "cuStreamSynchronize", "cuEventCreate", "cuEventRecord", "cuEventElapsedTime", "cuGetErrorName", "cuGetErrorString",
    ]

    // Function types of the driver API (cuda.h), as C sees them.
    typealias InitFn = @convention(c) (UInt32) -> CUresult
    typealias IntOutFn = @convention(c) (UnsafeMutablePointer<Int32>?) -> CUresult
    typealias DeviceGetFn = @convention(c) (UnsafeMutablePointer<CUdevice>?, Int32) -> CUresult
    typealias DeviceNameFn = @convention(c) (UnsafeMutablePointer<CChar>?, Int32, CUdevice) -> CUresult
    typealias DeviceAttributeFn = @convention(c) (UnsafeMutablePointer<Int32>?, Int32, CUdevice) -> CUresult
    typealias RetainFn = @convention(c) (UnsafeMutablePointer<Handle>?, CUdevice) -> CUresult
    typealias ReleaseFn = @convention(c) (CUdevice) -> CUresult
    typealias HandleFn = @convention(c) (Handle) -> CUresult
    typealias VoidFn = @convention(c) () -> CUresult
    typealias AllocFn = @convention(c) (UnsafeMutablePointer<DevicePointer>?, Int) -> CUresult
    typealias FreeFn = @convention(c) (DevicePointer) -> CUresult
    typealias HtoDFn = @convention(c) (DevicePointer, UnsafeRawPointer?, Int) -> CUresult
    typealias DtoHFn = @convention(c) (UnsafeMutableRawPointer?, DevicePointer, Int) -> CUresult
    typealias DtoDFn = @convention(c) (DevicePointer, DevicePointer, Int) -> CUresult
    typealias MemsetFn = @convention(c) (DevicePointer, UInt32, Int) -> CUresult
    typealias MemInfoFn = @convention(c) (UnsafeMutablePointer<Int>?, UnsafeMutablePointer<Int>?) -> CUresult
    typealias ModuleLoadFn = @convention(c) (UnsafeMutablePointer<Handle>?, UnsafeRawPointer?, UInt32,
                                             UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> CUresult
    typealias GetFunctionFn = @convention(c) (UnsafeMutablePointer<Handle>?, Handle, UnsafePointer<CChar>?) -> CUresult
    typealias LaunchFn = @convention(c) (Handle, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, Handle,
                                         UnsafeMutablePointer<UnsafeMutableRawPointer?>?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> CUresult
    typealias StreamCreateFn = @convention(c) (UnsafeMutablePointer<Handle>?, UInt32) -> CUresult
    typealias EventRecordFn = @convention(c) (Handle, Handle) -> CUresult
    typealias ElapsedFn = @convention(c) (UnsafeMutablePointer<Float>?, Handle, Handle) -> CUresult
    typealias ErrorTextFn = @convention(c) (CUresult, UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> CUresult

    let cuInit: InitFn
    let cuDriverGetVersion: IntOutFn
    let cuDeviceGetCount: IntOutFn
    let cuDeviceGet: DeviceGetFn
    let cuDeviceGetName: DeviceNameFn
    let cuDeviceGetAttribute: DeviceAttributeFn
    let cuDevicePrimaryCtxRetain: RetainFn
    let cuDevicePrimaryCtxRelease: ReleaseFn
    let cuCtxSetCurrent: HandleFn
    let cuCtxSynchronize: VoidFn
    let cuMemAlloc: AllocFn
    let cuMemFree: FreeFn
    let cuMemcpyHtoD: HtoDFn
    let cuMemcpyDtoH: DtoHFn
    let cuMemcpyDtoD: DtoDFn
    let cuMemsetD32: MemsetFn
    let cuMemGetInfo: MemInfoFn
    let cuModuleLoadDataEx: ModuleLoadFn
    let cuModuleGetFunction: GetFunctionFn
    let cuLaunchKernel: LaunchFn
    let cuStreamCreate: StreamCreateFn
    let cuStreamSynchronize: HandleFn
    let cuEventCreate: StreamCreateFn
    let cuEventRecord: EventRecordFn
    let cuEventElapsedTime: ElapsedFn
    let cuGetErrorName: ErrorTextFn
    let cuGetErrorString: ErrorTextFn

    public let library: String
    public private(set) var version: Int32 = 0   // e.g. 12040 for 12.4
    /// Per thread: 1 + the ordinal of the device whose context is current on it (0: none yet).
    let currentDeviceKey: pthread_key_t
    public private(set) var devices: [DeviceInfo] = []

    public struct DeviceInfo: Sendable {
        public var ordinal: Int
        public var name: String
        public var computeCapability: (major: Int, minor: Int)
        public var multiprocessors: Int
        public var memory: Int
    }

    /// The driver, or why there is none.
    public enum Probe: Sendable {
        case available(CUDADriver)
        case unavailable(String)
    }

    /// Loads and initialises the driver. `library` replaces "libcuda.so.1" (tests pass fakes).
    /// Every failure is a reason, never a crash: no library, a missing symbol, cuInit's error, no device.
    public static func probe(library: String = "libcuda.so.1", environment: [String: String] = [:]) -> Probe {
        if let visible = environment["CUDA_VISIBLE_DEVICES"], visible.trimmingCharacters(in: " ").isEmpty {
            return .unavailable("CUDA_VISIBLE_DEVICES is empty, so no device is visible")
        }
        guard let handle = dlopen(library, RTLD_NOW | RTLD_LOCAL) else {
            return .unavailable("\(library.split(separator: "/").last.map(String.init) ?? library) not found")
        }
        var table: [String: UnsafeMutableRawPointer] = [:]
        for name in symbols {
            guard let s = dlsym(handle, name) else {
                dlclose(handle)
                return .unavailable("\(library) has no \(name) (a driver older than CUDA 12, or not a CUDA driver)")
            }
            table[name] = s
        }
        let driver = CUDADriver(library: library, table)
        var rc = driver.cuInit(0)
        guard rc == 0 else { return .unavailable("cuInit failed: \(driver.describe(rc))") }
        var version: Int32 = 0, count: Int32 = 0
        rc = driver.cuDriverGetVersion(&version)
        guard rc == 0 else { return .unavailable("cuDriverGetVersion failed: \(driver.describe(rc))") }
        rc = driver.cuDeviceGetCount(&count)
        guard rc == 0 else { return .unavailable("cuDeviceGetCount failed: \(driver.describe(rc))") }
        guard count > 0 else { return .unavailable("the driver found no CUDA device") }
        var devices: [DeviceInfo] = []
        for i in 0..<count {
            var device: CUdevice = 0
            guard driver.cuDeviceGet(&device, i) == 0 else { continue }
            var name = [CChar](repeating: 0, count: 256)
            _ = driver.cuDeviceGetName(&name, 255, device)
            func attribute(_ a: Int32) -> Int {
                var v: Int32 = 0
                return driver.cuDeviceGetAttribute(&v, a, device) == 0 ? Int(v) : 0
            }
            // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75, _MINOR = 76, MULTIPROCESSOR_COUNT = 16
            devices.append(DeviceInfo(ordinal: Int(i), name: String(cString: name), computeCapability: (attribute(75), attribute(76)),
                                      multiprocessors: attribute(16), memory: 0))
        }
        guard !devices.isEmpty else { return .unavailable("cuDeviceGet failed for every device") }
        driver.version = version
        driver.devices = devices
        return .available(driver)
    }

    private init(library: String, _ t: [String: UnsafeMutableRawPointer]) {
        func f<T>(_ name: String, _: T.Type) -> T { unsafeBitCast(t[name]!, to: T.self) }
        self.library = library
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        currentDeviceKey = key
        cuInit = f("cuInit", InitFn.self)
        cuDriverGetVersion = f("cuDriverGetVersion", IntOutFn.self)
        cuDeviceGetCount = f("cuDeviceGetCount", IntOutFn.self)
        cuDeviceGet = f("cuDeviceGet", DeviceGetFn.self)
        cuDeviceGetName = f("cuDeviceGetName", DeviceNameFn.self)
        cuDeviceGetAttribute = f("cuDeviceGetAttribute", DeviceAttributeFn.self)
        cuDevicePrimaryCtxRetain = f("cuDevicePrimaryCtxRetain", RetainFn.self)
        cuDevicePrimaryCtxRelease = f("cuDevicePrimaryCtxRelease_v2", ReleaseFn.self)
        cuCtxSetCurrent = f("cuCtxSetCurrent", HandleFn.self)
        cuCtxSynchronize = f("cuCtxSynchronize", VoidFn.self)
        cuMemAlloc = f("cuMemAlloc_v2", AllocFn.self)
        cuMemFree = f("cuMemFree_v2", FreeFn.self)
        cuMemcpyHtoD = f("cuMemcpyHtoD_v2", HtoDFn.self)
        cuMemcpyDtoH = f("cuMemcpyDtoH_v2", DtoHFn.self)
        cuMemcpyDtoD = f("cuMemcpyDtoD_v2", DtoDFn.self)
        cuMemsetD32 = f("cuMemsetD32_v2", MemsetFn.self)
        cuMemGetInfo = f("cuMemGetInfo_v2", MemInfoFn.self)
        cuModuleLoadDataEx = f("cuModuleLoadDataEx", ModuleLoadFn.self)
        cuModuleGetFunction = f("cuModuleGetFunction", GetFunctionFn.self)
        cuLaunchKernel = f("cuLaunchKernel", LaunchFn.self)
        cuStreamCreate = f("cuStreamCreate", StreamCreateFn.self)
        cuStreamSynchronize = f("cuStreamSynchronize", HandleFn.self)
        cuEventCreate = f("cuEventCreate", StreamCreateFn.self)
        cuEventRecord = f("cuEventRecord", EventRecordFn.self)
        cuEventElapsedTime = f("cuEventElapsedTime", ElapsedFn.self)
        cuGetErrorName = f("cuGetErrorName", ErrorTextFn.self)
        cuGetErrorString = f("cuGetErrorString", ErrorTextFn.self)
    }

    /// "CUDA_ERROR_NO_DEVICE (100): no CUDA-capable device is detected", from the driver's own tables.
    public func describe(_ rc: CUresult) -> String {
        var name: UnsafePointer<CChar>? = nil, text: UnsafePointer<CChar>? = nil
        let n = cuGetErrorName(rc, &name) == 0 ? name.map { String(cString: $0) } : nil
        let s = cuGetErrorString(rc, &text) == 0 ? text.map { String(cString: $0) } : nil
        return "\(n ?? "CUDA error") (\(rc))" + (s.map { ": " + $0 } ?? "")
    }

    /// "12.4" from 12040.
    public var versionText: String { "\(version / 1000).\(version % 1000 / 10)" }

    /// Makes the device's primary context current on the calling thread (the driver's contexts are
    /// per thread), retaining it on first use.
    public func makeCurrent(_ ordinal: Int, _ contexts: inout [Int: UnsafeMutableRawPointer]) throws(TensorError) {
        if let c = contexts[ordinal] { try check(cuCtxSetCurrent(c), "cuCtxSetCurrent"); return }
        var device: CUdevice = 0
        try check(cuDeviceGet(&device, Int32(ordinal)), "cuDeviceGet")
        var context: Handle = nil
        try check(cuDevicePrimaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain")
        guard let context else { throw TensorError(.runtime, "CUDA error: cuDevicePrimaryCtxRetain gave no context") }
        contexts[ordinal] = context
        try check(cuCtxSetCurrent(context), "cuCtxSetCurrent")
    }

    /// A driver error as a dlx error with the driver's name and text.
    public func check(_ rc: CUresult, _ call: String) throws(TensorError) {
        guard rc != 0 else { return }
        throw TensorError(.runtime, "CUDA error: \(call) failed: \(describe(rc))")
    }
}
