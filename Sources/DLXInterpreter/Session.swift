import DLXEngine

/// Everything one dlx session knows: its variables, its random generator, its backend and data, and
/// where its output goes. Nothing in dlx is global; two sessions never see each other.
public final class Session {
    public let backend: CPUBackend
    public var generator: Generator
    public var globals: [String: Value] = [:]
    /// The lists, dicts, instances, functions and frames the session's code made, for the cycle collector.
    public let heap = Heap()
    /// Generators dropped while paused, to be closed at the interpreter's next safe point.
    var droppedGenerators: [GeneratorRunner] = []
    /// Every generator that started, weakly: `Interpreter.finish` closes those still paused.
    var startedGenerators: [WeakGenerator] = []
    /// The open `catch_warnings(record=True)` blocks' lists, innermost last.
    var warningRecords: [ListBox] = []
    /// `warnings.filterwarnings`/`simplefilter`: (action, category), newest first.
    var warningFilters: [(String, PyClass?)] = []
    /// `from __future__ import annotations` was seen: `__annotations__` holds source text.
    var futureAnnotations = false
    /// Modules imported from files beside the script (`import helper`).
    var localModules: [String: Namespace] = [:]
    /// Where `import helper` looks: the script's folder, or the working folder.
    public var scriptDirectory = "."
    /// `sys.argv`: the script and its arguments.
    public var argv: [String] = [""]
    public var catalog: DataCatalog
    /// Printed text (`print`, `summary`) goes here.
    public var write: (String) -> Void
    /// Standard error (`sys.stderr`, argparse's errors); nil: where `write` goes.
    public var writeStandardError: ((String) -> Void)? = nil
    public func writeError(_ s: String) { (writeStandardError ?? write)(s) }
    /// Values of expression statements, for the shell to display as a notebook would.
    public var display: (Value) -> Void
    /// Runs `body` with printed text, standard error and displayed values going where given (nil: where they go
    /// now), and puts the hooks back however the body ends: %%time, %%capture, %timeit, %run, imports.
    public func redirecting<T, E: Error>(write: ((String) -> Void)? = nil, standardError: ((String) -> Void)? = nil,
                                         display: ((Value) -> Void)? = nil, _ body: () throws(E) -> T) throws(E) -> T {
        let saved = (self.write, writeStandardError, self.display)
        if let write { self.write = write }
        if let standardError { writeStandardError = standardError }
        if let display { self.display = display }
        defer { (self.write, writeStandardError, self.display) = saved }
        return try body()
    }

    /// Runs `body` with its displayed values dropped (as Python shows no values of an imported module or a
    /// %run script, and a notebook cell shows only its last statement's).
    public func quietly<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        try redirecting(display: { _ in }, body)
    }

    /// The warnings given so far: each is shown once, as Python's default filter does.
    var warningsShown = Set<String>()
    /// Progress displays (redrawn in place); only used when `isTerminal`.
    public var progress: (String) -> Void = { _ in }
    /// True at an interactive terminal: progress bars are shown.
    public var isTerminal = false
    /// Polled at safe points; true stops the running cell with KeyboardInterrupt.
    public var interruptRequested: () -> Bool = { false }
    /// Python's recursion limit for user functions (the stack guard may stop deeper recursion sooner).
    public var maxCallDepth = 1000
    /// How `show` and `plot` draw at this session's output: ASCII unless the shell knows better.
    public var pictureStyle: PictureStyle = .ascii
    /// The width pictures and charts fit into.
    public var columns: Int {
        get { measureColumns?() ?? fixedColumns }
        set { fixedColumns = newValue }
    }
    private var fixedColumns = 80
    /// At a terminal, its width now (pictures and progress bars follow a resize).
    public var measureColumns: (() -> Int)? = nil
    /// Draws a picture given with its text rendering; nil: the text goes to `write`. Shells that record
    /// cells (notebooks) keep the picture itself.
    public var drawPicture: ((Picture, String) -> Void)? = nil
    /// Draws `plot`'s charts given as SVG with their text rendering; nil: the text goes to `write`.
    public var drawChart: ((_ svg: String, _ text: String) -> Void)? = nil
    /// Help asked for with `x?`, for a pager (a Jupyter kernel's payload); nil: it goes to `write`.
    public var page: ((String) -> Void)? = nil
    /// Reads a line for `input(prompt)` (a Jupyter kernel's stdin channel); nil: input() is not supported.
    public var readInput: ((String) throws(DLXError) -> String)? = nil
    /// Class names of recently sampled dataset images, so `show(ds[i])` can name the label.
    var classNames: [(image: WeakTensor, classes: [String])] = []
    /// At the prompt, `%load` puts a file's text here for the next cell to edit; nil in scripts, where
    /// `%load` runs the file's cells in place.
    public var loadIntoNextInput: ((String) -> Void)? = nil
    /// Writes the session's cells so far as a Jupyter notebook (`%notebook FILE`); set by the shell.
    public var saveNotebook: ((String) throws(AtomicFile.Failure) -> Void)? = nil
    /// The CUDA driver library to load ("libcuda.so.1"; tests point it at fakes) and its environment.
    public var cudaLibrary = "libcuda.so.1"
    public var cudaEnvironment: [String: String] = [:]
    /// The driver, probed on first use (never at start-up).
    lazy var cuda: CUDADriver.Probe = CUDADriver.probe(library: cudaLibrary, environment: cudaEnvironment)
    /// `cuda` is the emulated GPU (host memory, the kernels' reference loops): DLX_CUDA_EMULATE=1, for
    /// tests and for trying the GPU paths on a machine without one.
    public var emulateCUDA = false
    /// GPU backends by ordinal, created on first use.
    var deviceBackends: [Int: DeviceBackend] = [:]
    /// Time limits and the file sandbox for untrusted code (none by default).
    public var limits = Limits()
    /// Bytes the code's files may take (--max-disk); nil: no limit.
    public var diskQuota: DiskQuota? = nil
    /// When the run and the current cell started (see `startCell`).
    var runStarted: Double? = nil
    var cellStarted: Double? = nil

    var namespaces: [String: Namespace] = [:]
    /// Built-in classes (the exceptions, object, the native bases nn.Module and Dataset), made on first use.
    var builtinClasses: [String: PyClass] = [:]
    let notImplemented = NotImplementedObject()
    /// The ReLU that `F.relu(x)` stands for in a chain of layer calls.
    let reluLayer = Activation(.relu)
    /// How many runs of two or more layers went through the engine as one chain (for tests and profiling).
    var layerChainRuns = 0
    /// How many batches of a user dataset were gathered whole (`UserData.batchedItems`).
    var batchedFetches = 0
    var builtinCache: [String: Value] = [:]
    var datasetCache: [String: (Tensor, Tensor)] = [:]
    private var addresses: [ObjectIdentifier: Int] = [:]
    private var liveObjects: [AnyObject] = []

    public init(dataFolders: [String] = [], memoryLimit: Int? = nil, seed: UInt64 = 0,
                write: @escaping (String) -> Void = { _ in }, display: @escaping (Value) -> Void = { _ in }) {
        backend = CPUBackend(memoryLimit: memoryLimit)
        generator = Generator(seed: seed)
        catalog = DataCatalog(folders: dataFolders)
        self.write = write
        self.display = display
    }

    /// A stable, session-local stand-in for an object's address, so that output is the same every run.
    func address(of object: AnyObject) -> String {
        let id = ObjectIdentifier(object)
        if let n = addresses[id] { return hexAddress(n) }
        let n = addresses.count + 1
        addresses[id] = n
        liveObjects.append(object)   // keeps the identifier from being reused
        return hexAddress(n)
    }

    private func hexAddress(_ n: Int) -> String {
        let s = String(0x7f00_0000_0000 + n * 0x10, radix: 16)
        return "0x" + s
    }
}

/// A tensor held without keeping it alive.
struct WeakTensor {
    weak var tensor: Tensor?
}

extension Session {
    /// Remembers that `image` came from a dataset with these class names (the last 64 are kept).
    func noteClasses(_ image: Tensor, _ classes: [String]) {
        classNames.removeAll { $0.image.tensor == nil }
        if classNames.count >= 64 { classNames.removeFirst() }
        classNames.append((WeakTensor(tensor: image), classes))
    }

    func classes(of image: Tensor) -> [String]? {
        classNames.last { $0.image.tensor === image }?.classes
    }
}
