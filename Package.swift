// swift-tools-version:6.0
import PackageDescription

// Layers, bottom to top: DLXFrontEnd (language, no tensors) and DLXEngine (tensors, no language)
// meet in DLXInterpreter; DLXShell puts a terminal on top, DLXKernel a Jupyter kernel; `dlx` is a thin main.
let package = Package(
    name: "dlx",
    targets: [
        .systemLibrary(name: "CReadline", path: "Sources/CReadline"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // The Jupyter kernel's transport (libzmq3-dev) and message signing (OpenSSL's libcrypto).
        .systemLibrary(name: "CZMQ", path: "Sources/CZMQ"),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto"),
        .target(name: "CSupport", path: "Sources/CSupport"),
        // PNG and JPEG decoding for PIL's Image.open: Debian's libpng (libpng-dev) and libjpeg-turbo
        // (libjpeg62-turbo-dev), their setjmp error handling kept inside C.
        .target(name: "CImageCodecs", path: "Sources/CImageCodecs",
                linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("jpeg")]),
        .target(name: "DLXFrontEnd"),
        // Vectorised optimizer loops: math-errno off lets sqrt vectorise; -O3 turns the vectoriser on.
        .target(name: "CKernels", path: "Sources/CKernels", cSettings: [.unsafeFlags(["-O3", "-fno-math-errno"])]),
        // The engine's loops are optimised in debug builds too, so that tests can train real models.
        .target(name: "DLXEngine", dependencies: ["CZlib", "CSupport", "CKernels", "CImageCodecs"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "DLXInterpreter", dependencies: ["DLXFrontEnd", "DLXEngine", "CSupport"]),
        // The shell talks to C globals (stdio, readline), which strict concurrency checking cannot vet.
        .target(name: "DLXShell", dependencies: ["DLXInterpreter", "CReadline", "CSupport"],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        // dlx as a Jupyter kernel, on top of the shell as the prompt is.
        .target(name: "DLXKernel", dependencies: ["DLXShell", "CZMQ", "CCrypto", "CSupport"],
                swiftSettings: [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "dlx", dependencies: ["DLXShell", "DLXKernel"]),
        .executableTarget(name: "dlx-bench", dependencies: ["DLXEngine", "CSupport"]),
        // Fuzzing: the targets and a deterministic mutation driver (scripts/fuzz; FuzzTests runs it briefly).
        .target(name: "DLXFuzz", dependencies: ["DLXInterpreter"]),
        .executableTarget(name: "dlx-fuzz", dependencies: ["DLXFuzz"]),
        .testTarget(name: "DLXFrontEndTests", dependencies: ["DLXFrontEnd"]),
        // The tests' shared helpers: the repository root, and scratch folders removed at exit.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "DLXEngineTests", dependencies: ["DLXEngine", "TestSupport"]),
        .testTarget(name: "DLXInterpreterTests", dependencies: ["DLXInterpreter", "TestSupport"]),
        .target(name: "CTestSupport", path: "Tests/CTestSupport"),
        .testTarget(name: "DLXShellTests", dependencies: ["DLXShell", "dlx", "CTestSupport", "TestSupport"]),
        .testTarget(name: "DLXKernelTests", dependencies: ["DLXKernel", "dlx", "TestSupport"]),
    ]
)
