#if canImport(Glibc)
import Glibc
#endif
import DLXShell
import DLXEngine

/// `dlx kernel install` / `uninstall`: the kernelspec folder `kernels/dlx` (kernel.json and two logos)
/// where Jupyter looks: the user's data folder, a prefix's `share/jupyter`, or the Python environment's.
enum KernelSpec {
    enum Place: Equatable { case user, prefix(String), sysPrefix }

    /// The Jupyter data folder for `place`; nil with the reason when it cannot be found.
    static func dataFolder(_ place: Place) -> Result<String, KernelError> {
        switch place {
        case .prefix(let p): return .success(p + "/share/jupyter")
        case .user:
            if let d = environment("JUPYTER_DATA_DIR") { return .success(d) }
            if let x = environment("XDG_DATA_HOME") { return .success(x + "/jupyter") }
            guard let home = environment("HOME") else { return .failure(KernelError(description: "HOME is not set")) }
            return .success(home + "/.local/share/jupyter")
        case .sysPrefix:
            if let v = environment("VIRTUAL_ENV") { return .success(v + "/share/jupyter") }
            guard let prefix = pythonPrefix() else {
                return .failure(KernelError(description: "--sys-prefix: no python3 on PATH to ask for sys.prefix (activate the environment, or use --prefix)"))
            }
            return .success(prefix + "/share/jupyter")
        }
    }

    static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        let s = String(cString: v)
        return s.isEmpty ? nil : s
    }

    /// `sys.prefix` of the python3 on PATH.
    static func pythonPrefix() -> String? {
        guard let pipe = popen("python3 -c 'import sys; print(sys.prefix)' 2>/dev/null", "r") else { return nil }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, pipe)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        guard pclose(pipe) == 0 else { return nil }
        let s = String(decoding: bytes, as: UTF8.self).trimmingSpaces
        return s.hasPrefix("/") ? s : nil
    }

    /// kernel.json: how Jupyter starts this dlx.
    static func kernelJSON(executable: String) -> JSON {
        .object([
            ("argv", .array([.string(executable), .string("kernel"), .string("-f"), .string("{connection_file}")])),
            ("display_name", .string("dlx")),
            ("language", .string("python")),
            ("interrupt_mode", .string("signal")),
            ("metadata", .object([("debugger", .bool(false))])),
        ])
    }

    /// The logo: three layers of a small network, white on dlx's orange, `size` pixels square.
    static func logo(size: Int) -> Raster {
        var r = Raster(width: size, height: size, channels: 3, fill: 0)
        let layers: [[Double]] = [[0.25, 0.5, 0.75], [0.2, 0.4, 0.6, 0.8], [0.35, 0.65]]
        let xs = [0.2, 0.5, 0.8]
        func node(_ l: Int, _ k: Int) -> (Double, Double) { (xs[l] * Double(size), layers[l][k] * Double(size)) }
        for y in 0..<size {
            for x in 0..<size {
                let (px, py) = (Double(x) + 0.5, Double(y) + 0.5)
                var white = false
                for l in 0..<3 {
                    for k in layers[l].indices {
                        let (cx, cy) = node(l, k)
                        if (px - cx) * (px - cx) + (py - cy) * (py - cy) <= Double(size * size) / 220 { white = true }
                        guard l < 2 else { continue }
                        for j in layers[l + 1].indices {
                            let (dx, dy) = node(l + 1, j)
                            // Distance from the pixel to the segment between the two nodes.
                            let (vx, vy) = (dx - cx, dy - cy)
                            let t = Swift.max(0, Swift.min(1, ((px - cx) * vx + (py - cy) * vy) / (vx * vx + vy * vy)))
                            let (qx, qy) = (cx + t * vx - px, cy + t * vy - py)
                            if qx * qx + qy * qy <= Double(size) / 64 { white = true }
                        }
                    }
                }
                let o = (y * size + x) * 3
                let (red, green, blue): (UInt8, UInt8, UInt8) = white ? (255, 255, 255) : (238, 76, 44)
                r.pixels[o] = red; r.pixels[o + 1] = green; r.pixels[o + 2] = blue
            }
        }
        return r
    }

    /// Writes the kernelspec; returns its folder.
    static func install(_ place: Place, executable: String) -> Result<String, KernelError> {
        let data: String
        switch dataFolder(place) {
        case .success(let d): data = d
        case .failure(let e): return .failure(e)
        }
        let folder = data + "/kernels/dlx"
        if let failure = makeDirectories(folder) { return .failure(failure) }
        do throws(AtomicFile.Failure) {
            try AtomicFile.write(kernelJSON(executable: executable).text(indent: 1) + "\n", to: folder + "/kernel.json")
            for size in [32, 64] {
                let png = (try? PNG.encode(logo(size: size))) ?? []
                try AtomicFile.write(png, to: folder + "/logo-\(size)x\(size).png")
            }
        } catch {
            return .failure(KernelError(description: error.description))
        }
        return .success(folder)
    }

    /// Removes the kernelspec; returns the folder it was in, or nil when there was none.
    static func uninstall(_ place: Place) -> Result<String?, KernelError> {
        let folder: String
        switch dataFolder(place) {
        case .success(let d): folder = d + "/kernels/dlx"
        case .failure(let e): return .failure(e)
        }
        guard access(folder, F_OK) == 0 else { return .success(nil) }
        for name in ["kernel.json", "logo-32x32.png", "logo-64x64.png"] { unlink(folder + "/" + name) }
        guard rmdir(folder) == 0 else {
            return .failure(KernelError(description: "cannot remove \(folder): \(String(cString: strerror(errno)))"))
        }
        return .success(folder)
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) -> KernelError? {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                return KernelError(description: "cannot create \(prefix): \(String(cString: strerror(errno)))")
            }
        }
        return nil
    }
}
