/// Help for `numpy` (`help(np.zeros)`, `np.zeros?`) and the ndarray's table of attributes and methods
/// (`help(a.reshape)`, `dir(a)`, Tab completion). Examples use `a = np.arange(6.0).reshape(2, 3)`.
extension Interpreter {
    static let ndarrayMethods = MethodTable("numpy.ndarray", [
        ("shape", "ndarray.shape", "The size of each axis, a tuple of ints.", "a.shape"),
        ("dtype", "ndarray.dtype", "The type of the elements: float64, float32, int64, int32, uint8 or bool.", "a.dtype"),
        ("ndim", "ndarray.ndim", "The number of axes.", "a.ndim"),
        ("size", "ndarray.size", "The number of elements.", "a.size"),
        ("itemsize", "ndarray.itemsize", "The bytes of one element.", "a.itemsize"),
        ("nbytes", "ndarray.nbytes", "The bytes of all the elements.", "a.nbytes"),
        ("T", "ndarray.T", "The array with its axes reversed (a view).", "a.T.shape"),
        ("tolist", "ndarray.tolist()", "The elements as nested Python lists of Python numbers.", "a.tolist()"),
        ("item", "ndarray.item(*args)", "The one element (or the element at a flat index) as a Python number.", "a.item(4)"),
        ("reshape", "ndarray.reshape(shape, /, *, order='C')", "The elements in a new shape (one size may be -1); a view when possible.", "a.reshape(-1)"),
        ("transpose", "ndarray.transpose(*axes)", "The axes permuted (reversed without arguments); a view.", "a.transpose(1, 0)"),
        ("squeeze", "ndarray.squeeze(axis=None)", "The array without its axes of size 1.", "a.reshape(1, 6).squeeze()"),
        ("flatten", "ndarray.flatten(order='C')", "A flat copy of the elements.", "a.flatten()"),
        ("ravel", "ndarray.ravel(order='C')", "The elements flat (a view when possible).", "a.ravel()"),
        ("copy", "ndarray.copy(order='C')", "A copy with its own memory.", "b = a.copy()"),
        ("astype", "ndarray.astype(dtype, order='K', casting='unsafe', subok=True, copy=True)", "A copy converted to dtype (floats to ints truncate).", "a.astype(np.int64)"),
        ("fill", "ndarray.fill(value)", "Sets every element to value, in place.", "a.fill(0)"),
        ("sum", "ndarray.sum(axis=None, dtype=None, out=None, keepdims=False)", "The sum of the elements (along axis); integers sum into int64.", "a.sum(axis=0)"),
        ("mean", "ndarray.mean(axis=None, dtype=None, out=None, keepdims=False)", "The mean of the elements (along axis); float64 for integers.", "a.mean(axis=1)"),
        ("std", "ndarray.std(axis=None, dtype=None, out=None, ddof=0, keepdims=False)", "The standard deviation (divided by n - ddof).", "a.std()"),
        ("var", "ndarray.var(axis=None, dtype=None, out=None, ddof=0, keepdims=False)", "The variance (divided by n - ddof).", "a.var(axis=0)"),
        ("min", "ndarray.min(axis=None, out=None, keepdims=False)", "The smallest element (along axis).", "a.min()"),
        ("max", "ndarray.max(axis=None, out=None, keepdims=False)", "The largest element (along axis).", "a.max(axis=1)"),
        ("argmax", "ndarray.argmax(axis=None, out=None, keepdims=False)", "Where the largest element is: a flat index, or indices along axis.", "a.argmax(axis=1)"),
        ("argmin", "ndarray.argmin(axis=None, out=None, keepdims=False)", "Where the smallest element is: a flat index, or indices along axis.", "a.argmin()"),
        ("prod", "ndarray.prod(axis=None, dtype=None, out=None, keepdims=False)", "The product of the elements (along axis).", "a.prod(axis=0)"),
        ("cumsum", "ndarray.cumsum(axis=None, dtype=None, out=None)", "The running sums (of the flat array without axis).", "a.cumsum(axis=1)"),
        ("cumprod", "ndarray.cumprod(axis=None, dtype=None, out=None)", "The running products (of the flat array without axis).", "a.cumprod()"),
        ("any", "ndarray.any(axis=None, out=None, keepdims=False)", "Whether some element is nonzero (along axis).", "(a > 4).any()"),
        ("all", "ndarray.all(axis=None, out=None, keepdims=False)", "Whether every element is nonzero (along axis).", "(a >= 0).all()"),
        ("sort", "ndarray.sort(axis=-1, kind=None, order=None)", "Sorts the elements along axis, in place.", "a.sort(axis=0)"),
        ("argsort", "ndarray.argsort(axis=-1, kind=None, order=None)", "The indices that would sort the array along axis.", "a.argsort()"),
        ("round", "ndarray.round(decimals=0, out=None)", "The elements rounded to decimals places (halves to even).", "(a / 3).round(2)"),
        ("clip", "ndarray.clip(min=None, max=None, out=None)", "Each element limited to [min, max].", "a.clip(1, 4)"),
        ("dot", "ndarray.dot(b, out=None)", "The dot product with b (the matrix product for 2-D arrays).", "a.dot(a.T)"),
        ("nonzero", "ndarray.nonzero()", "The indices of the nonzero elements, one array per axis.", "(a > 2).nonzero()"),
    ])

    static let numpyHelp: [String: HelpEntry] = {
        var h: [String: HelpEntry] = [:]
        func add(_ name: String, _ signature: String, _ summary: String, _ example: String) {
            h.add("numpy." + name, "numpy." + signature, summary, example)
        }
        add("array", "array(object, dtype=None, *, copy=True)", "An array from nested lists, tuples, numbers, arrays or tensors (floats are float64, ints int64).", "np.array([[1, 2], [3, 4]])")
        add("asarray", "asarray(a, dtype=None)", "An array from a; an array or CPU tensor is not copied (their memory is shared).", "np.asarray([1.0, 2.0])")
        add("zeros", "zeros(shape, dtype=float)", "An array of zeros (float64 unless dtype says otherwise).", "np.zeros((2, 3))")
        add("ones", "ones(shape, dtype=None)", "An array of ones.", "np.ones(3, dtype=np.int64)")
        add("empty", "empty(shape, dtype=float)", "A new array (dlx fills it with zeros).", "np.empty((2, 2))")
        add("full", "full(shape, fill_value, dtype=None)", "An array filled with fill_value (its dtype from the value).", "np.full((2, 2), 7)")
        add("zeros_like", "zeros_like(a, dtype=None)", "Zeros of a's shape and dtype.", "np.zeros_like(np.arange(3))")
        add("ones_like", "ones_like(a, dtype=None)", "Ones of a's shape and dtype.", "np.ones_like(np.arange(3.0))")
        add("arange", "arange([start,] stop[, step,], dtype=None)", "Evenly spaced values in [start, stop): int64 for ints, float64 when one is a float.", "np.arange(0, 1, 0.25)")
        add("linspace", "linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None)", "num evenly spaced values from start to stop.", "np.linspace(0, 1, 5)")
        add("eye", "eye(N, M=None, k=0, dtype=float)", "A 2-D array with ones on the diagonal.", "np.eye(3)")
        add("reshape", "reshape(a, shape)", "The elements of a in a new shape.", "np.reshape(np.arange(6), (2, 3))")
        add("transpose", "transpose(a, axes=None)", "a with its axes permuted (reversed by default).", "np.transpose(np.zeros((2, 3))).shape")
        add("squeeze", "squeeze(a, axis=None)", "a without its axes of size 1.", "np.squeeze(np.zeros((1, 3))).shape")
        add("expand_dims", "expand_dims(a, axis)", "a with a new axis of size 1 at axis.", "np.expand_dims(np.arange(3), 0).shape")
        add("concatenate", "concatenate(arrays, axis=0)", "The arrays joined along an existing axis.", "np.concatenate([np.zeros(2), np.ones(3)])")
        add("stack", "stack(arrays, axis=0)", "The arrays (of one shape) joined along a new axis.", "np.stack([np.zeros(2), np.ones(2)]).shape")
        add("sum", "sum(a, axis=None, dtype=None, out=None, keepdims=False)", "The sum of the elements (along axis).", "np.sum([[1, 2], [3, 4]], axis=0)")
        add("mean", "mean(a, axis=None, dtype=None, out=None, keepdims=False)", "The mean of the elements (along axis).", "np.mean([1, 2, 3, 4])")
        add("std", "std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False)", "The standard deviation.", "np.std([1.0, 2.0, 3.0])")
        add("var", "var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False)", "The variance.", "np.var([1.0, 2.0, 3.0])")
        add("min", "min(a, axis=None, out=None, keepdims=False)", "The smallest element (along axis).", "np.min([3, 1, 2])")
        add("max", "max(a, axis=None, out=None, keepdims=False)", "The largest element (along axis).", "np.max([3, 1, 2])")
        add("argmax", "argmax(a, axis=None, out=None, keepdims=False)", "Where the largest element is.", "np.argmax([3, 1, 5])")
        add("argmin", "argmin(a, axis=None, out=None, keepdims=False)", "Where the smallest element is.", "np.argmin([3, 1, 5])")
        add("cumsum", "cumsum(a, axis=None, dtype=None, out=None)", "The running sums.", "np.cumsum([1, 2, 3])")
        add("sort", "sort(a, axis=-1)", "A sorted copy of a (along axis; flattened with axis=None).", "np.sort([3, 1, 2])")
        add("argsort", "argsort(a, axis=-1)", "The indices that would sort a.", "np.argsort([3, 1, 2])")
        add("exp", "exp(x)", "e to the power of each element.", "np.exp([0.0, 1.0])")
        add("log", "log(x)", "The natural logarithm of each element.", "np.log([1.0, np.e])")
        add("sqrt", "sqrt(x)", "The square root of each element.", "np.sqrt([4.0, 9.0])")
        add("abs", "abs(x)", "The absolute value of each element.", "np.abs([-1, 2])")
        add("clip", "clip(a, a_min, a_max)", "Each element limited to [a_min, a_max].", "np.clip([1, 5, 9], 2, 6)")
        add("round", "round(a, decimals=0)", "Each element rounded to decimals places (halves to even).", "np.round([0.5, 1.5, 2.675], 2)")
        add("where", "where(condition, [x, y])", "x where condition holds, else y; with only the condition, the indices where it holds.", "np.where(np.array([1, -2, 3]) > 0, 1, 0)")
        add("maximum", "maximum(x1, x2)", "The larger of each pair of elements (broadcast).", "np.maximum([1, 5], 3)")
        add("minimum", "minimum(x1, x2)", "The smaller of each pair of elements (broadcast).", "np.minimum([1, 5], 3)")
        add("dot", "dot(a, b)", "The dot product: a number for two vectors, the matrix product for matrices.", "np.dot([1, 2], [3, 4])")
        add("matmul", "matmul(x1, x2)", "The matrix product (the @ operator).", "np.matmul(np.eye(2), np.ones((2, 2)))")
        add("unique", "unique(ar, return_index=False, return_inverse=False, return_counts=False)", "The sorted distinct values (and how often each occurs with return_counts=True).", "np.unique([3, 1, 3, 2], return_counts=True)")
        add("bincount", "bincount(x, weights=None, minlength=0)", "How often each non-negative integer occurs in x.", "np.bincount([0, 1, 1, 3])")
        add("isnan", "isnan(x)", "True where an element is NaN.", "np.isnan([1.0, np.nan])")
        add("allclose", "allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False)", "True when |a - b| <= atol + rtol * |b| everywhere.", "np.allclose([1.0, 2.0], [1.0, 2.0 + 1e-9])")
        add("pi", "pi", "The number pi.", "np.pi")
        add("e", "e", "Euler's number.", "np.e")
        add("newaxis", "newaxis", "None: an index that adds an axis of size 1.", "np.arange(3)[:, np.newaxis].shape")
        add("ndarray", "ndarray", "The array type (isinstance(a, np.ndarray)).", "isinstance(np.zeros(2), np.ndarray)")
        for name in ["float64", "float32", "int64", "int32", "uint8", "bool_"] {
            add(name, name + "(value)", "NumPy's \(name == "bool_" ? "bool" : name) scalar type: a dtype for dtype= and astype, and a constructor.", "np.zeros(2, dtype=np.\(name))")
        }
        add("asanyarray", "asanyarray(a, dtype=None)", "np.asarray.", "np.asanyarray([1, 2])")
        add("ascontiguousarray", "ascontiguousarray(a, dtype=None)", "np.asarray (dlx's arrays are laid out in order when made).", "np.ascontiguousarray(np.eye(2))")
        add("empty_like", "empty_like(a, dtype=None)", "A new array of a's shape and dtype (zeros in dlx).", "np.empty_like(np.eye(2))")
        add("full_like", "full_like(a, fill_value, dtype=None)", "An array of a's shape and dtype filled with fill_value.", "np.full_like(np.arange(3), 7)")
        add("identity", "identity(n, dtype=None)", "The n x n identity matrix.", "np.identity(2)")
        add("ravel", "ravel(a)", "The elements of a, flat (a view when possible).", "np.ravel(np.eye(2))")
        add("copy", "copy(a)", "A copy of a with its own memory.", "np.copy(np.arange(3))")
        add("shape", "shape(a)", "The shape of a, a tuple.", "np.shape([[1, 2, 3]])")
        add("ndim", "ndim(a)", "The number of axes of a.", "np.ndim([[1, 2, 3]])")
        add("size", "size(a)", "The number of elements of a.", "np.size([[1, 2, 3]])")
        add("vstack", "vstack(tup)", "The arrays stacked as rows (1-D arrays become rows).", "np.vstack([np.zeros(2), np.ones(2)])")
        add("hstack", "hstack(tup)", "The arrays joined along their second axis (the first for 1-D arrays).", "np.hstack([np.zeros(2), np.ones(3)])")
        add("amin", "amin(a, axis=None, out=None, keepdims=False)", "np.min.", "np.amin([3, 1, 2])")
        add("amax", "amax(a, axis=None, out=None, keepdims=False)", "np.max.", "np.amax([3, 1, 2])")
        add("prod", "prod(a, axis=None, dtype=None, out=None, keepdims=False)", "The product of the elements (along axis).", "np.prod([1, 2, 3, 4])")
        add("cumprod", "cumprod(a, axis=None, dtype=None, out=None)", "The running products.", "np.cumprod([1, 2, 3])")
        add("any", "any(a, axis=None, out=None, keepdims=False)", "Whether some element is nonzero (along axis).", "np.any([0, 0, 1])")
        add("all", "all(a, axis=None, out=None, keepdims=False)", "Whether every element is nonzero (along axis).", "np.all([1, 1, 0])")
        add("nonzero", "nonzero(a)", "The indices of the nonzero elements, one array per axis.", "np.nonzero([0, 3, 0, 4])")
        add("count_nonzero", "count_nonzero(a)", "How many elements are nonzero.", "np.count_nonzero([0, 1, 2])")
        add("absolute", "absolute(x)", "np.abs.", "np.absolute([-1.5, 2.0])")
        add("around", "around(a, decimals=0)", "np.round.", "np.around([1.25, 2.5], 1)")
        add("square", "square(x)", "Each element squared.", "np.square([1, 2, 3])")
        add("negative", "negative(x)", "-x.", "np.negative([1, -2])")
        add("sign", "sign(x)", "-1, 0 or 1 by the sign of each element.", "np.sign([-3.0, 0.0, 2.0])")
        for (name, what) in [("sin", "The sine"), ("cos", "The cosine"), ("tan", "The tangent"), ("tanh", "The hyperbolic tangent"),
                             ("arctan", "The inverse tangent"), ("log2", "The base-2 logarithm"), ("log10", "The base-10 logarithm"),
                             ("log1p", "log(1 + x)"), ("expm1", "exp(x) - 1"), ("floor", "The largest integer at most"),
                             ("ceil", "The smallest integer at least"), ("trunc", "The integer part"), ("rint", "The nearest integer (halves to even)")] {
            add(name, name + "(x)", what + " of each element (float64 for integers).", "np.\(name)([0.5, 1.0])")
        }
        for (name, op) in [("add", "+"), ("subtract", "-"), ("multiply", "*"), ("divide", "/"), ("true_divide", "/"), ("floor_divide", "//"),
                           ("mod", "%"), ("remainder", "%"), ("power", "**"), ("equal", "=="), ("not_equal", "!="), ("less", "<"),
                           ("less_equal", "<="), ("greater", ">"), ("greater_equal", ">=")] {
            add(name, name + "(x1, x2)", "x1 \(op) x2, elementwise and broadcast.", "np.\(name)([1, 2], 2)")
        }
        add("isinf", "isinf(x)", "True where an element is infinite.", "np.isinf([1.0, np.inf])")
        add("isfinite", "isfinite(x)", "True where an element is neither infinite nor NaN.", "np.isfinite([1.0, np.nan])")
        add("isclose", "isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False)", "True where |a - b| <= atol + rtol * |b|.", "np.isclose([1.0, 2.0], [1.0, 2.1])")
        add("array_equal", "array_equal(a1, a2)", "True when both have the same shape and elements.", "np.array_equal([1, 2], [1, 2])")
        add("inf", "inf", "Infinity, a float.", "np.inf")
        add("nan", "nan", "Not a number, a float.", "np.isnan(np.nan)")
        add("True_", "True_", "NumPy's True.", "np.True_")
        add("False_", "False_", "NumPy's False.", "np.False_")
        add("dtype", "dtype(dtype)", "A dtype object: np.dtype('float32').", "np.dtype('float32')")
        for name in ["bool", "double", "single", "int_", "intp"] {
            add(name, name + "(value)", "A NumPy scalar type (an alias of \(name == "double" ? "float64" : name == "single" ? "float32" : name == "bool" ? "bool_" : "int64")).", "np.zeros(2, dtype=np.\(name))")
        }
        add("random.random", "random.random(size=None)", "Uniform numbers in [0, 1).", "np.random.random(3)")
        for name in ["random_sample", "sample", "ranf"] {
            add("random." + name, "random.\(name)(size=None)", "np.random.random.", "np.random.\(name)(2)")
        }
        add("random.uniform", "random.uniform(low=0.0, high=1.0, size=None)", "Uniform numbers in [low, high).", "np.random.uniform(-1, 1, size=3)")
        add("random.normal", "random.normal(loc=0.0, scale=1.0, size=None)", "Normal numbers with mean loc and standard deviation scale.", "np.random.normal(0, 0.1, size=3)")
        add("random.shuffle", "random.shuffle(x)", "Shuffles a list or an array's rows in place.", "np.random.shuffle(np.arange(5))")
        add("random.default_rng", "random.default_rng(seed=None)", "A Generator (PCG64) with random, uniform and integers.", "np.random.default_rng(0).random(3)")
        h.add("torch.from_numpy", "torch.from_numpy(ndarray)", "A tensor sharing the NumPy array's memory (a change to one shows in the other).", "torch.from_numpy(np.arange(3.0))")
        h.add("torch.as_tensor", "torch.as_tensor(data, dtype=None, device=None)", "A tensor of data, sharing an array's or tensor's memory when no conversion is needed.", "torch.as_tensor([1.0, 2.0])")
        add("median", "median(a, axis=None)", "The middle value (the mean of the two middle ones for an even count).", "np.median([3, 1, 2, 10])")
        add("percentile", "percentile(a, q, axis=None)", "The value below which q percent of the values lie (linear interpolation).", "np.percentile([1, 2, 3, 4, 5], 25)")
        add("linalg.norm", "linalg.norm(x, ord=None, axis=None, keepdims=False)", "The 2-norm of a vector (Frobenius of a matrix), along axis if given.", "np.linalg.norm([3.0, 4.0])")
        add("tile", "tile(A, reps)", "A repeated reps times along each axis.", "np.tile([1, 2], 3)")
        add("repeat", "repeat(a, repeats, axis=None)", "Each element repeated (along axis; flattened without).", "np.repeat([1, 2], 2)")
        add("meshgrid", "meshgrid(*xi, indexing='xy')", "Coordinate grids from coordinate vectors.", "xx, yy = np.meshgrid(np.arange(3), np.arange(2))")
        add("argwhere", "argwhere(a)", "The indices of the nonzero elements, one row per element.", "np.argwhere(np.array([[0, 1], [2, 0]]))")
        add("random.seed", "random.seed(seed=None)", "Seeds NumPy's legacy generator (the numbers NumPy draws after the same seed).", "np.random.seed(0)")
        add("random.rand", "random.rand(d0, d1, ...)", "Uniform numbers in [0, 1) of the given shape.", "np.random.rand(2, 3)")
        add("random.randn", "random.randn(d0, d1, ...)", "Standard normal numbers of the given shape.", "np.random.randn(3)")
        add("random.randint", "random.randint(low, high=None, size=None, dtype=int)", "Random integers in [low, high).", "np.random.randint(0, 10, size=5)")
        add("random.permutation", "random.permutation(x)", "A random order of range(x), or of x's rows.", "np.random.permutation(5)")
        add("random.choice", "random.choice(a, size=None, replace=True, p=None)", "Random picks from a (or range(a)).", "np.random.choice(5, 3)")
        return h
    }()
}
